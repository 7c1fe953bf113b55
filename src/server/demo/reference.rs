//! The demo's reference data: built-in "(démo)" tribunaux and établissements, and the setting (tribunal,
//! communes, établissements) the accounts are placed in.

use super::*;
use crate::db::etablissements::{self, Etablissement};
use crate::db::tribunaux::{self, Tribunal};
use crate::db::{audit, StoreError};
use crate::rules::tribunal::TribunalType;
use crate::server::commands::CommandError;
use crate::server::reference::{Commune, ReferenceData};

/// The built-in tribunaux: three of the Pas-de-Calais, named "(démo)". Returns how many were created.
pub(super) fn builtin_tribunaux(
    database: &redb::Database,
    reference: &ReferenceData,
) -> Result<usize, StoreError> {
    let specs = [
        (
            TribunalType::Proximite,
            "Tribunal de proximité de Calais (démo)",
            "62193",
            "62100",
            "Calais",
        ),
        (
            TribunalType::Judiciaire,
            "Tribunal judiciaire de Boulogne-sur-Mer (démo)",
            "62160",
            "62200",
            "Boulogne-sur-Mer",
        ),
        (
            TribunalType::Judiciaire,
            "Tribunal judiciaire d'Arras (démo)",
            "62041",
            "62000",
            "Arras",
        ),
    ];
    let write = database.begin_write()?;
    for (kind, nom, code_insee, code_postal, ville) in specs {
        tribunaux::upsert(
            &write,
            Tribunal {
                id: 0,
                kind,
                nom: nom.to_owned(),
                siret: None,
                adresse: "1 place de la Justice".to_owned(),
                adresse_complement: String::new(),
                code_postal: code_postal.to_owned(),
                ville: ville.to_owned(),
                code_insee: code_insee.to_owned(),
                departement: "62".to_owned(),
                telephone: "03 21 00 00 00".to_owned(),
                email: String::new(),
                juridiction_parente: String::new(),
                date_ouverture: None,
                date_fermeture: None,
                actif: true,
                coordinates: reference.commune(code_insee).and_then(|c| c.coordinates),
            },
        )?;
    }
    audit::record(
        &write,
        None,
        "démonstration",
        "Import des tribunaux",
        "tribunaux de démonstration",
        "Succès",
    )?;
    write.commit()?;
    Ok(specs.len())
}

/// The built-in établissements, with FINESS numbers of a range no real one uses ("62999…").
pub(super) fn builtin_etablissements(
    database: &redb::Database,
    reference: &ReferenceData,
) -> Result<usize, StoreError> {
    let specs = [
        (
            "629990011",
            "EHPAD Les Tilleuls (démo)",
            "62193",
            "62100",
            "Calais",
            "500",
        ),
        (
            "629990029",
            "Résidence Les Oyats (démo)",
            "62193",
            "62100",
            "Calais",
            "500",
        ),
        (
            "629990037",
            "Centre hospitalier du Littoral (démo)",
            "62160",
            "62200",
            "Boulogne-sur-Mer",
            "355",
        ),
        (
            "629990045",
            "Foyer d'accueil médicalisé Les Dunes (démo)",
            "62548",
            "62730",
            "Marck",
            "437",
        ),
    ];
    let write = database.begin_write()?;
    for (finess, nom, code_insee, code_postal, ville, categorie) in specs {
        etablissements::upsert(
            &write,
            Etablissement {
                finess: finess.to_owned(),
                finess_ej: String::new(),
                nom: nom.to_owned(),
                adresse: "2 rue des Écoles".to_owned(),
                code_postal: code_postal.to_owned(),
                ville: ville.to_owned(),
                code_insee: code_insee.to_owned(),
                telephone: String::new(),
                categorie: categorie.to_owned(),
                categorie_libelle: match categorie {
                    "500" => "Établissement d'hébergement pour personnes âgées dépendantes",
                    "355" => "Centre hospitalier",
                    _ => "Foyer d'accueil médicalisé",
                }
                .to_owned(),
                siret: String::new(),
                coordinates: reference.commune(code_insee).and_then(|c| c.coordinates),
                ferme: false,
            },
        )?;
    }
    audit::record(
        &write,
        None,
        "démonstration",
        "Import des établissements",
        "établissements de démonstration",
        "Succès",
    )?;
    write.commit()?;
    Ok(specs.len())
}

/// Where the demo happens: its tribunal, a second one nearby, communes and établissements of the département.
pub(super) struct Setting<'a> {
    pub(super) tribunal: Tribunal,
    pub(super) second: Option<Tribunal>,
    pub(super) communes: Vec<&'a Commune>,
    pub(super) etablissements: Vec<Etablissement>,
}

pub(super) fn setting<'a>(
    read: &redb::ReadTransaction,
    reference: &'a ReferenceData,
) -> Result<Setting<'a>, CommandError> {
    let store = |e: StoreError| CommandError::Store(e.to_string());
    let today = crate::server::time::today_iso();
    let mut active: Vec<Tribunal> = tribunaux::all(read)
        .map_err(store)?
        .into_iter()
        .filter(|t| t.is_active(&today))
        .collect();
    active.sort_by_key(|t| t.id);
    let chosen = active
        .iter()
        .position(|t| t.nom.starts_with(PREFERRED_TRIBUNAL))
        .or_else(|| active.iter().position(|t| t.kind == TribunalType::Judiciaire))
        .or(if active.is_empty() { None } else { Some(0) })
        .ok_or_else(|| {
            CommandError::Invalid(
                "aucun tribunal actif dans le fichier des tribunaux : la démonstration a besoin d'au moins un tribunal"
                    .to_owned(),
            )
        })?;
    let tribunal = active.remove(chosen);
    let departement = reference
        .commune(&tribunal.code_insee)
        .map(|c| c.departement.clone())
        .unwrap_or_else(|| tribunal.departement.clone());
    let second = active.into_iter().find(|t| {
        reference
            .commune(&t.code_insee)
            .is_some_and(|c| c.departement == departement)
    });
    let mut communes: Vec<&Commune> = reference
        .communes
        .iter()
        .filter(|c| {
            c.departement == departement
                && !c.arrondissement
                && c.coordinates.is_some()
                && !c.codes_postaux.is_empty()
        })
        .collect();
    // The tribunal's commune first, then the most populated: where most mesures are.
    communes.sort_by_key(|c| {
        (
            c.code_insee != tribunal.code_insee,
            std::cmp::Reverse(c.population),
        )
    });
    communes.truncate(15);
    if communes.is_empty() {
        return Err(CommandError::Invalid(format!(
            "aucune commune connue pour le tribunal « {} »",
            tribunal.nom
        )));
    }
    let mut etablissements: Vec<Etablissement> = etablissements::all(read)
        .map_err(store)?
        .into_iter()
        .filter(|e| {
            !e.ferme
                && reference
                    .commune(&e.code_insee)
                    .is_some_and(|c| c.departement == departement)
        })
        .collect();
    // Those of the tribunal's commune first, so that the préposé's établissements look near.
    etablissements.sort_by(|a, b| {
        (a.code_insee != tribunal.code_insee, &a.finess)
            .cmp(&(b.code_insee != tribunal.code_insee, &b.finess))
    });
    etablissements.truncate(6);
    Ok(Setting {
        tribunal,
        second,
        communes,
        etablissements,
    })
}
