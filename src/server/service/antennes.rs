//! The "Antennes" tab (issue 16): a service's branch offices with their own capacity and counters; an
//! administrateur adds, changes and deletes them (never one that still holds mesures).

use crate::api::form::{FormReply, FormState};
use crate::api::mandataire::SpacePage;
use crate::api::service::{AntenneForm, AntenneRow, Antennes};
use crate::api::AppError;
use crate::db::services::{self, Antenne};
use crate::db::{audit, mesures};
use crate::rules::forms::service::{antenne_echo, parse_antenne, AntenneValue};
use crate::rules::forms::Place;
use crate::rules::profile::{disponibilite, CapacityLevel};
use crate::rules::service::{antenne_not_empty, MAX_ANTENNES};
use crate::server::context::Ctx;
use crate::server::forms::{done, refuse, StateReferences};
use crate::server::mandataire::space_page;
use crate::server::AppState;

const LIST_PAGE: &str = "/mandataire/antennes";
const FORM: &str = "antenne";
pub const SAVED: &str = "L'antenne a bien été enregistrée.";
pub const DELETED: &str = "L'antenne a bien été supprimée.";
pub const TOO_MANY: &str = "Un service peut déclarer au plus 100 antennes.";

/// An antenne as the service space and the magistrat's fiche show it.
pub fn row(state: &AppState, antenne: &Antenne) -> AntenneRow {
    let remaining = disponibilite(
        antenne.mesures_souhaitees,
        antenne.mesures_en_cours,
        antenne.mesures_en_attente,
    );
    AntenneRow {
        id: antenne.id,
        nom: antenne.nom.clone(),
        adresse: antenne.adresse.clone(),
        commune: format!("{} {}", antenne.code_postal, antenne.commune),
        contact: antenne.contact.clone(),
        telephone: antenne.telephone.clone(),
        email: antenne.email.clone().unwrap_or_default(),
        souhaitees: antenne.mesures_souhaitees,
        en_cours: antenne.mesures_en_cours,
        en_attente: antenne.mesures_en_attente,
        disponibilite: remaining,
        niveau: CapacityLevel::of(remaining).class().to_owned(),
        position: state
            .reference
            .commune(&antenne.code_insee)
            .and_then(|c| c.coordinates),
    }
}

/// "Antennes": the service's antennes and their figures.
pub fn list_page() -> Result<SpacePage<Antennes>, AppError> {
    let cx = Ctx::mandataire()?;
    let state = &cx.state;
    space_page(&cx, "antennes", |read, caller, _| {
        let service = super::service_of(read, caller)?;
        let rows = services::antennes_of(read, &service)?
            .iter()
            .map(|a| row(state, a))
            .collect();
        Ok(Antennes {
            rows,
            administrateur: service.is_administrateur(caller.user.id),
        })
    })
}

/// The antenne form's values: an antenne of the caller's service (`id`), or an empty one. Administrateurs
/// only (403 otherwise).
pub fn form_page(id: Option<u64>) -> Result<SpacePage<FormState>, AppError> {
    let cx = Ctx::mandataire()?;
    space_page(&cx, FORM, |read, caller, _| {
        let service = super::service_of(read, caller)?;
        if !service.is_administrateur(caller.user.id) {
            return Err(AppError::Forbidden);
        }
        let mut values = FormState::default();
        if let Some(id) = id {
            let antenne = services::antenne(read, id)?
                .filter(|a| a.service_id == service.id)
                .ok_or(AppError::NotFound)?;
            values = antenne_echo(&AntenneForm {
                id: antenne.id.to_string(),
                nom: antenne.nom,
                adresse: antenne.adresse,
                code_postal: antenne.code_postal,
                commune: antenne.commune,
                contact: antenne.contact,
                telephone: antenne.telephone,
                email: antenne.email.unwrap_or_default(),
                mesures_souhaitees: antenne.mesures_souhaitees.to_string(),
                ..AntenneForm::default()
            });
        }
        Ok(values)
    })
}

fn form_path(id: Option<u64>) -> String {
    match id {
        Some(id) => format!("/mandataire/antennes/{id}/modifier"),
        None => "/mandataire/antennes/nouvelle".to_owned(),
    }
}

/// "Valider" of the antenne form.
pub fn save(form: AntenneForm) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::mandataire()?;
    let id = crate::server::mandataire::parse_id(&form.id)?;
    let page = form_path(id);
    let value = match parse_antenne(&form, &StateReferences(&state)) {
        Ok(value) => value,
        Err(out) => return Ok(refuse(&parts, FORM, &page, out, &[])),
    };
    let AntenneValue {
        nom,
        adresse,
        place:
            Place {
                code_insee,
                code_postal,
                commune,
            },
        contact,
        telephone,
        email,
        mesures_souhaitees,
    } = value;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut service = super::administrateur_in(&write, &caller)?;
    if let Some(id) = id {
        // Only one of the service's own antennes: anything else is 404, like a missing one.
        services::antenne_in(&write, id)?
            .filter(|a| a.service_id == service.id)
            .ok_or(AppError::NotFound)?;
    } else if service.antennes.len() >= MAX_ANTENNES {
        drop(write);
        let mut out = antenne_echo(&form);
        out.fail("nom", TOO_MANY);
        return Ok(refuse(&parts, FORM, &page, out, &[]));
    }
    let antenne = Antenne {
        id: id.unwrap_or(0),
        service_id: service.id,
        nom,
        adresse,
        code_postal,
        code_insee,
        commune,
        contact,
        telephone,
        email,
        mesures_souhaitees,
        mesures_en_cours: 0,
        mesures_en_attente: 0,
    };
    let saved = services::save_antenne(&write, &mut service, antenne)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        if id.is_some() {
            "Antenne modifiée"
        } else {
            "Antenne créée"
        },
        &format!("antenne {saved}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(done(&parts, LIST_PAGE, Some(SAVED)))
}

/// "Supprimer" of an antenne: refused, with how many, while it holds mesures (éteintes included: they
/// would lose their antenne).
pub fn delete(id: u64) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::mandataire()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut service = super::administrateur_in(&write, &caller)?;
    services::antenne_in(&write, id)?
        .filter(|a| a.service_id == service.id)
        .ok_or(AppError::NotFound)?;
    let held = mesures::count_of_antenne(&write, id)?;
    if held > 0 {
        drop(write);
        let mut out = FormState::default();
        out.fail("antennes", antenne_not_empty(held));
        return Ok(refuse(&parts, "antennes", LIST_PAGE, out, &[]));
    }
    services::delete_antenne(&write, &mut service, id)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Antenne supprimée",
        &format!("antenne {id}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(crate::server::flash::stay(&parts, LIST_PAGE, DELETED))
}
