//! Server-function bodies of the magistrat's reservations (SPEC §6.3, §6.4). A magistrat reaches only the
//! active mandataires who declared his tribunal, and only his tribunal's reservations; anything else, even
//! by a forged request, answers 404 "Page introuvable".

use leptos::server_fn::ServerFnError;
use redb::{ReadTransaction, ReadableDatabase};

use crate::app::components::form::{FormReply, FormState};
use crate::app::pages::magistrat::{
    MagistratPage, ReservationForm, ReservationTarget, ReservedRow,
};
use crate::db::mesures::{self, Mesure, Reservation};
use crate::db::profiles::{self, Magistrat, Mandataire};
use crate::db::users::{self, AccountStatus, User};
use crate::db::{audit, now, tribunaux};
use crate::rules::account::Role;
use crate::rules::mesure::{self as rules, display_date, nature_with_champ, Origin, Status};
use crate::rules::profile::{self as profile_rules, disponibilite};
use crate::server::accounts::{done, in_form_order, refuse};
use crate::server::auth::{self, app_state, client_ip, internal, not_found, request_parts, Caller};
use crate::server::mail;
use crate::server::mesures::{check_majeur, update_counters, MajeurFields};
use crate::server::time::paris_date;

pub const RESERVED: &str = "L'attribution de mesure a bien été envoyée.";
pub const RG_TAKEN_FOR_MANDATAIRE: &str =
    "Ce numéro RG existe déjà pour une mesure de ce mandataire dans votre tribunal.";
const RESERVATION_FORM: &str = "reservation";
const RESERVATION_FIELDS: &[&str] = &[
    "nature",
    "champ",
    "genre",
    "annee_naissance",
    "numero_rg",
    "cabinet",
];

/// The logged-in magistrat, his profile and his tribunal's name.
fn magistrat(read: &ReadTransaction) -> Result<(Caller, Magistrat, String), ServerFnError> {
    let caller = auth::require(&[Role::Magistrat])?;
    let profile = profiles::magistrat(read, caller.user.id)
        .map_err(internal)?
        .ok_or_else(not_found)?;
    let tribunal = tribunaux::get(read, profile.tribunal_id)
        .map_err(internal)?
        .map(|t| t.nom)
        .unwrap_or_default();
    Ok((caller, profile, tribunal))
}

fn entete(caller: &Caller, tribunal: &str) -> String {
    format!("{} {} – {tribunal}", caller.user.prenom, caller.user.nom)
}

/// A mandataire in the magistrat's scope: active, and approved by his tribunal. Anything else is 404.
fn mandataire_in_scope(
    read: &ReadTransaction,
    tribunal_id: u64,
    mandataire_id: u64,
) -> Result<(User, Mandataire), ServerFnError> {
    let user = users::get(read, mandataire_id)
        .map_err(internal)?
        .filter(|u| u.status == AccountStatus::Actif && u.role.is_mandataire())
        .ok_or_else(not_found)?;
    let profile = profiles::mandataire(read, mandataire_id)
        .map_err(internal)?
        .filter(|p| p.tribunaux.contains(&tribunal_id))
        .ok_or_else(not_found)?;
    Ok((user, profile))
}

pub fn reservation_page(
    mandataire_id: u64,
) -> Result<MagistratPage<ReservationTarget>, ServerFnError> {
    let state = app_state()?;
    let parts = request_parts()?;
    let read = state.db.begin_read().map_err(internal)?;
    let (caller, profile, tribunal) = magistrat(&read)?;
    let (user, mandataire) = mandataire_in_scope(&read, profile.tribunal_id, mandataire_id)?;
    let flash = state.flash.take(&parts, RESERVATION_FORM);
    let mut values = FormState::default();
    values.set("cabinet", profile.cabinet.clone());
    Ok(MagistratPage {
        entete: entete(&caller, &tribunal),
        notice: flash.notice,
        form: flash.form,
        data: ReservationTarget {
            mandataire_id,
            mandataire: format!("{} {}", user.prenom, user.nom),
            complet: disponibilite(
                mandataire.mesures_souhaitees,
                mandataire.mesures_en_cours,
                mandataire.mesures_en_attente,
            ) <= 0,
            values,
        },
    })
}

/// "Valider" of "Réserver une mesure": in one transaction, the mesure en attente, the mandataire's en attente
/// count, the e-mail to the mandataire and the audit entry. "Dernière mise à jour" does not change.
pub fn reserve(form: ReservationForm) -> Result<FormReply, ServerFnError> {
    let state = app_state()?;
    let parts = request_parts()?;
    let read = state.db.begin_read().map_err(internal)?;
    let (caller, profile, tribunal) = magistrat(&read)?;
    let mandataire_id: u64 = form.mandataire.trim().parse().map_err(|_| not_found())?;
    let (user, _) = mandataire_in_scope(&read, profile.tribunal_id, mandataire_id)?;
    drop(read);
    let page = format!("/magistrat/mandataires/{mandataire_id}/reserver");
    let mut out = FormState::default();
    for (name, value) in [
        ("nature", &form.nature),
        ("champ", &form.champ),
        ("genre", &form.genre),
        ("annee_naissance", &form.annee_naissance),
        ("numero_rg", &form.numero_rg),
        ("cabinet", &form.cabinet),
    ] {
        out.set(name, value.clone());
    }
    let MajeurFields {
        nature,
        champ,
        genre,
        annee,
    } = check_majeur(
        &mut out,
        &form.nature,
        &form.champ,
        &form.genre,
        &form.annee_naissance,
    );
    let numero_rg = rules::numero_rg(&form.numero_rg)
        .map_err(|m| out.fail("numero_rg", m))
        .ok();
    let cabinet = profile_rules::bounded_text(&form.cabinet, "Cabinet", 20, "Le cabinet", false)
        .map_err(|m| out.fail("cabinet", m))
        .ok();
    let ip = client_ip(&state, &parts);
    let write = state.db.begin_write().map_err(internal)?;
    if let Some(Some(rg)) = &numero_rg {
        if mesures::rg_holder(&write, mandataire_id, Some(profile.tribunal_id), rg)
            .map_err(internal)?
            .is_some()
        {
            out.fail("numero_rg", RG_TAKEN_FOR_MANDATAIRE);
        }
    }
    in_form_order(&mut out, RESERVATION_FIELDS);
    let (Some(nature), Some(champ), Some(genre), Some(annee), Some(numero_rg), Some(cabinet), true) = (
        nature,
        champ,
        genre,
        annee,
        numero_rg,
        cabinet,
        out.errors.is_empty(),
    ) else {
        drop(write);
        return Ok(refuse(&parts, RESERVATION_FORM, &page, out, &[]));
    };
    let cabinet = (!cabinet.is_empty()).then_some(cabinet);
    let created = mesures::insert(
        &write,
        Mesure {
            id: 0,
            owner: mandataire_id,
            status: Status::EnAttente,
            origin: Origin::Reservation,
            nature,
            champ,
            date_decision: None,
            code_postal: None,
            code_insee: None,
            commune: None,
            genre,
            annee_naissance: annee,
            lieu_de_vie: None,
            etablissement: None,
            numero_dossier: None,
            numero_rg: numero_rg.clone(),
            tribunal_id: Some(profile.tribunal_id),
            reservation: Some(Reservation {
                magistrat_id: caller.user.id,
                tribunal_id: profile.tribunal_id,
                cabinet: cabinet.clone(),
                reserved_at: now(),
                accepted_at: None,
            }),
            date_fin: None,
            cause_sortie: None,
            created_at: now(),
        },
    )
    .map_err(internal)?;
    update_counters(&write, mandataire_id, false).map_err(internal)?;
    let counters = profiles::mandataire_in(&write, mandataire_id)
        .map_err(internal)?
        .ok_or_else(not_found)?;
    let capacite = format!(
        "Vos mesures : {} en cours, {} en attente, {} souhaitées.",
        counters.mesures_en_cours, counters.mesures_en_attente, counters.mesures_souhaitees
    );
    let type_mesure = nature_with_champ(nature, champ);
    let body = mail::reservation_body(
        &state.settings,
        &mail::ReservationFacts {
            tribunal: &tribunal,
            cabinet: cabinet.as_deref().unwrap_or(""),
            type_mesure: &type_mesure,
            genre: genre.label(),
            annee_naissance: annee,
            numero_rg: numero_rg.as_deref().unwrap_or(""),
            capacite: &capacite,
        },
        false,
    );
    mail::queue(&write, &user.email, mail::SUBJECT_RESERVATION, &body).map_err(internal)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Mesure réservée",
        &format!("mesure {}", created.id),
        "Succès",
    )
    .map_err(internal)?;
    write.commit().map_err(internal)?;
    state.mail_wakeup.notify_one();
    Ok(done(&parts, "/magistrat/mesures", Some(RESERVED)))
}

/// "Mesures réservées": the tribunal's reservations, newest first.
pub fn reserved_page() -> Result<MagistratPage<Vec<ReservedRow>>, ServerFnError> {
    let state = app_state()?;
    let parts = request_parts()?;
    let read = state.db.begin_read().map_err(internal)?;
    let (caller, profile, tribunal) = magistrat(&read)?;
    let mut all = mesures::of_tribunal(&read, profile.tribunal_id).map_err(internal)?;
    all.sort_by_key(|m| std::cmp::Reverse(m.id));
    let name = |id: u64| {
        users::get(&read, id)
            .ok()
            .flatten()
            .map(|u| format!("{} {}", u.prenom, u.nom))
            .unwrap_or_default()
    };
    let rows = all
        .iter()
        .map(|m| {
            let reservation = m.reservation.as_ref();
            ReservedRow {
                id: m.id,
                mandataire: name(m.owner),
                type_mesure: nature_with_champ(m.nature, m.champ),
                genre: m.genre.label().to_owned(),
                annee_naissance: m.annee_naissance.to_string(),
                numero_rg: m.numero_rg.clone().unwrap_or_default(),
                cabinet: reservation
                    .and_then(|r| r.cabinet.clone())
                    .unwrap_or_default(),
                reservee_le: reservation
                    .map(|r| paris_date(r.reserved_at))
                    .unwrap_or_default(),
                reservee_par: reservation
                    .map(|r| name(r.magistrat_id))
                    .unwrap_or_default(),
                etat: match m.status {
                    Status::EnAttente => "En attente",
                    Status::EnCours => "Acceptée",
                    Status::Eteinte => "Éteinte",
                }
                .to_owned(),
                date_decision: m
                    .date_decision
                    .as_deref()
                    .map(display_date)
                    .unwrap_or_default(),
                date_fin: m.date_fin.as_deref().map(display_date).unwrap_or_default(),
            }
        })
        .collect();
    let flash = state.flash.take(&parts, "");
    Ok(MagistratPage {
        entete: entete(&caller, &tribunal),
        notice: flash.notice,
        form: None,
        data: rows,
    })
}
