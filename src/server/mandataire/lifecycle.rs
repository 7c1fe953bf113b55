//! "Mettre fin au mandat" and "Réactiver la mesure" (SPEC §5.4), "Supprimer la mesure" (§5.8, issue 17).

use redb::ReadTransaction;

use super::{
    own_mesure, parse_id, record, row, space_page, TribunalNames, DELETED, ENDED, REACTIVATED,
};
use crate::api::form::{FormReply, FormState};
use crate::api::mandataire::{EndForm, MesureSummary, SpacePage};
use crate::api::{AppError, AppResult};
use crate::db::mesures::{self, Author, Mesure};
use crate::rules::date::display_iso;
use crate::rules::forms::mesure::parse_end;
use crate::rules::mesure::{Origin, Status, NOT_DELETABLE};
use crate::server::context::Ctx;
use crate::server::flash;
use crate::server::forms::{done, refuse};
use crate::server::time::today_iso;

const END_FORM: &str = "fin";

fn summary(read: &ReadTransaction, mesure: &Mesure) -> MesureSummary {
    let mut names = TribunalNames::new(read);
    let row = row(mesure, &mut names);
    let mut facts = vec![
        ("Type de mesure".to_owned(), row.type_mesure),
        ("Date de décision".to_owned(), row.date_decision.clone()),
        ("Commune".to_owned(), row.commune),
        ("Lieu de vie".to_owned(), row.lieu_de_vie),
        ("Genre".to_owned(), row.genre),
        ("Année de naissance".to_owned(), row.annee_naissance),
    ];
    for (label, value) in [
        ("Numéro de dossier", row.numero_dossier),
        ("Numéro RG", row.numero_rg),
        ("Tribunal", row.tribunal.clone()),
    ] {
        if !value.is_empty() {
            facts.push((label.to_owned(), value));
        }
    }
    MesureSummary {
        facts,
        date_decision: row.date_decision,
        tribunal: row.tribunal,
        refus: None,
    }
}

/// The "Mettre fin au mandat" page of a mesure en cours.
pub fn end_page(id: u64) -> AppResult<SpacePage<MesureSummary>> {
    let cx = Ctx::mandataire()?;
    let mut page = space_page(&cx, END_FORM, |read, caller, _| {
        let mesure = own_mesure(read, caller, id)?;
        if mesure.status != Status::EnCours {
            return Err(AppError::NotFound);
        }
        Ok(summary(read, &mesure))
    })?;
    if page.form.is_none() {
        let mut values = FormState::default();
        values.set("id", id.to_string());
        values.set("date_fin", display_iso(&today_iso()));
        page.form = Some(values);
    }
    Ok(page)
}

/// "Eteindre la mesure" (SPEC §5.4): the mesure is read, checked (the caller's, en cours) and written in one
/// write transaction.
pub fn end(form: EndForm) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    let Some(id) = parse_id(&form.id)? else {
        return Err(AppError::NotFound);
    };
    let write = crate::server::blocking::begin_write(&state.db)?;
    let previous = match mesures::get_in(&write, id)? {
        Some(m) if m.owner == caller.owner() && m.status == Status::EnCours => m,
        _ => return Err(AppError::NotFound),
    };
    let decision = previous.date_decision.clone().unwrap_or_default();
    let input = match parse_end(&form, &today_iso(), &decision) {
        Ok(input) => input,
        Err(out) => {
            let page = format!("/mandataire/mesures/{id}/fin");
            return Ok(refuse(&parts, END_FORM, &page, out, &[]));
        }
    };
    let mut next = previous.clone();
    next.status = Status::Eteinte;
    next.date_fin = Some(input.date_fin);
    next.cause_sortie = input.cause_sortie;
    mesures::replace(&write, &previous, &next, Author::Owner)?;
    record(&write, &caller, &ip, "Mesure éteinte", id)?;
    crate::server::blocking::commit(write)?;
    Ok(done(&parts, "/mandataire/mesures", Some(ENDED)))
}

/// "Réactiver la mesure" (SPEC §5.4): back en cours, end date and cause cleared.
pub fn reactivate(id: u64) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let previous = match mesures::get_in(&write, id)? {
        Some(m) if m.owner == caller.owner() && m.status == Status::Eteinte => m,
        _ => return Err(AppError::NotFound),
    };
    let mut next = previous.clone();
    next.status = Status::EnCours;
    next.date_fin = None;
    next.cause_sortie = None;
    mesures::replace(&write, &previous, &next, Author::Owner)?;
    record(&write, &caller, &ip, "Mesure réactivée", id)?;
    crate::server::blocking::commit(write)?;
    Ok(flash::stay(
        &parts,
        "/mandataire/mesures/eteintes",
        REACTIVATED,
    ))
}

/// A mistaken entry may be deleted; a mesure a magistrat reserved never is (it is the tribunal's record too).
fn deletable(mesure: &Mesure) -> Result<(), &'static str> {
    if mesure.origin == Origin::Reservation || mesure.reservation.is_some() {
        Err(NOT_DELETABLE)
    } else {
        Ok(())
    }
}

/// The confirmation page of "Supprimer la mesure": the caller's mesure en cours or éteinte, else 404.
pub fn delete_page(id: u64) -> AppResult<SpacePage<MesureSummary>> {
    let cx = Ctx::mandataire()?;
    space_page(&cx, "", |read, caller, _| {
        let mesure = own_mesure(read, caller, id)?;
        if mesure.status == Status::EnAttente {
            return Err(AppError::NotFound);
        }
        let mut summary = summary(read, &mesure);
        summary.refus = deletable(&mesure).err().map(str::to_owned);
        Ok(summary)
    })
}

/// "Supprimer la mesure": read, checked (the caller's, never reserved) and deleted in one write transaction,
/// which also moves the counters; audited.
pub fn delete(id: u64) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mesure = match mesures::get_in(&write, id)? {
        Some(m) if m.owner == caller.owner() && m.status != Status::EnAttente => m,
        _ => return Err(AppError::NotFound),
    };
    let back = if mesure.status == Status::Eteinte {
        "/mandataire/mesures/eteintes"
    } else {
        "/mandataire/mesures"
    };
    if let Err(message) = deletable(&mesure) {
        drop(write);
        return Ok(flash::stay(&parts, back, message));
    }
    mesures::delete(&write, &mesure, Author::Owner)?;
    record(&write, &caller, &ip, "Mesure supprimée", id)?;
    crate::server::blocking::commit(write)?;
    Ok(done(&parts, back, Some(DELETED)))
}
