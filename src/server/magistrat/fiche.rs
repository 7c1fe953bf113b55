//! The fiche of a mandataire (SPEC §6.2): coordonnées, capacity, secrétariat, établissements or antennes,
//! tribunaux, "Informations à destination des magistrats", and the tribunal's notes (issue 18).

use super::{magistrat_page, mandataire_in_scope, row, InScope};
use crate::api::magistrat::{Fiche, MagistratPage};
use crate::api::AppError;
use crate::db::profiles::MandataireFigures;
use crate::db::{services, tribunaux};
use crate::rules::account::Role;
use crate::rules::profile::secretariat_sentence;
use crate::server::context::Ctx;

/// The fiche of a mandataire in scope (SPEC §6.2), else 404.
pub fn fiche_page(id: u64) -> Result<MagistratPage<Fiche>, AppError> {
    let cx = Ctx::magistrat()?;
    let state = &cx.state;
    magistrat_page(&cx, super::notes::FORM, |space| {
        let read = space.read;
        let InScope {
            head,
            email,
            profile,
            service,
        } = mandataire_in_scope(read, space.profile.tribunal_id, id)?;
        let member = super::scope::Member::new(
            std::sync::Arc::new(head.clone()),
            std::sync::Arc::new(MandataireFigures::from(&profile)),
            &state.reference,
        );
        let summary = row(&member, None);
        let mut coordonnees = vec![
            ("Adresse".to_owned(), profile.adresse.clone()),
            (
                "Commune".to_owned(),
                format!("{} {}", profile.code_postal, profile.commune),
            ),
            ("Téléphone".to_owned(), profile.telephone.clone()),
        ];
        if let Some(portable) = &profile.telephone_portable {
            coordonnees.push(("Téléphone portable".to_owned(), portable.clone()));
        }
        if let Some(service) = &service {
            coordonnees.insert(
                0,
                (
                    "Contact".to_owned(),
                    format!("{} {}", service.contact_prenom, service.contact_nom)
                        .trim()
                        .to_owned(),
                ),
            );
        }
        let antennes = match &service {
            Some(service) => Some(
                services::antennes_of(read, service)?
                    .iter()
                    .map(|a| crate::server::service::antennes::row(state, a))
                    .collect(),
            ),
            None => None,
        };
        let mut tribunaux_names = Vec::new();
        for tribunal in &profile.tribunaux {
            if let Some(t) = tribunaux::get(read, *tribunal)? {
                tribunaux_names.push(t.nom);
            }
        }
        Ok(Fiche {
            id,
            nom: summary.nom,
            type_label: summary.type_label,
            coordonnees,
            email,
            en_cours: profile.mesures_en_cours,
            en_attente: profile.mesures_en_attente,
            souhaitees: profile.mesures_souhaitees,
            disponibilite: summary.disponibilite,
            niveau: summary.niveau,
            mise_a_jour: summary.mise_a_jour,
            perime: summary.perime,
            secretariat: secretariat_sentence(
                profile.secretariat,
                profile.secretariat_etp_centiemes,
            ),
            antennes,
            etablissements: (head.role == Role::Prepose).then(|| {
                profile
                    .etablissements
                    .iter()
                    .map(|f| state.etablissements.label_or_id(f))
                    .collect()
            }),
            tribunaux: tribunaux_names,
            informations: profile.informations.clone(),
            suspension: super::suspension_sentence(profile.suspension.as_ref()),
            notes: super::notes::rows(read, id, space.profile.tribunal_id)?,
        })
    })
}
