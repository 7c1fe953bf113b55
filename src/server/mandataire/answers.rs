//! The mandataire's answers to a reservation (issue 17): the acceptance tells the reserving magistrat;
//! "Refuser la mesure", with a required reason, takes it out of "Mesures en attente" (counters follow), tells
//! the magistrat and shows "Refusée" with the reason in the tribunal's "Mesures réservées".

use redb::WriteTransaction;

use super::{own_mesure, parse_id, record, row, space_page, TribunalNames};
use crate::api::form::{FormReply, FormState};
use crate::api::mandataire::{DeclineForm, MesureSummary, SpacePage};
use crate::api::{AppError, AppResult};
use crate::db::mesures::{self, Author, Mesure, Refus};
use crate::db::{now, services, users};
use crate::rules::account::Role;
use crate::rules::mesure::{nature_with_champ, Status, DECLINE_REASON_MISSING};
use crate::rules::profile::bounded_text;
use crate::server::auth::Caller;
use crate::server::context::Ctx;
use crate::server::forms::{done, refuse};
use crate::server::mail;
use crate::server::time::local_date;
use crate::server::AppState;

pub const DECLINED: &str =
    "La mesure a été refusée. Le magistrat qui l'a réservée en est informé par email.";
const DECLINE_FORM: &str = "refus";
const WAITING: &str = "/mandataire/mesures/en-attente";

/// The caller's name as magistrats know it: the service's for a service's member.
fn mandataire_name(write: &WriteTransaction, caller: &Caller) -> AppResult<String> {
    if caller.user.role == Role::Service {
        if let Some(service) = services::get_in(write, caller.owner())? {
            return Ok(service.nom);
        }
    }
    Ok(format!("{} {}", caller.user.prenom, caller.user.nom)
        .trim()
        .to_owned())
}

/// Queues the answer's e-mail to the reserving magistrat (if their account is still active), in the
/// answer's own transaction.
pub fn queue_answer(
    write: &WriteTransaction,
    state: &AppState,
    caller: &Caller,
    mesure: &Mesure,
    refus: Option<&str>,
) -> AppResult<()> {
    let Some(reservation) = &mesure.reservation else {
        return Ok(());
    };
    let Some(magistrat) = users::get_in(write, reservation.magistrat_id)? else {
        return Ok(());
    };
    if magistrat.status != users::AccountStatus::Actif {
        return Ok(());
    }
    let type_mesure = nature_with_champ(mesure.nature, mesure.champ);
    let body = mail::answer_body(
        &state.settings,
        &mail::AnswerFacts {
            type_mesure: &type_mesure,
            numero_rg: mesure.numero_rg.as_deref().unwrap_or(""),
            mandataire: &mandataire_name(write, caller)?,
            date: &local_date(now()),
            refus,
        },
    );
    let subject = if refus.is_some() {
        mail::SUBJECT_DECLINED
    } else {
        mail::SUBJECT_ACCEPTED
    };
    mail::queue(write, &magistrat.email, subject, &body)?;
    Ok(())
}

/// The "Refuser la mesure" page: the caller's reservation en attente, else 404.
pub fn decline_page(id: u64) -> AppResult<SpacePage<MesureSummary>> {
    let cx = Ctx::mandataire()?;
    let mut page = space_page(&cx, DECLINE_FORM, |read, caller, _| {
        let mesure = own_mesure(read, caller, id)?;
        if mesure.status != Status::EnAttente {
            return Err(AppError::NotFound);
        }
        let mut names = TribunalNames::new(read);
        let row = row(&mesure, &mut names);
        let mut facts = vec![
            ("Tribunal".to_owned(), row.tribunal.clone()),
            ("Type de mesure".to_owned(), row.type_mesure),
            ("Genre".to_owned(), row.genre),
            ("Année de naissance".to_owned(), row.annee_naissance),
            ("Réservée le".to_owned(), row.reservee_le),
        ];
        for (label, value) in [("Cabinet", row.cabinet), ("Numéro RG", row.numero_rg)] {
            if !value.is_empty() {
                facts.push((label.to_owned(), value));
            }
        }
        Ok(MesureSummary {
            facts,
            tribunal: row.tribunal,
            ..MesureSummary::default()
        })
    })?;
    if page.form.is_none() {
        let mut values = FormState::default();
        values.set("id", id.to_string());
        page.form = Some(values);
    }
    Ok(page)
}

/// "Refuser la mesure": checked (the caller's, still en attente) and changed in one write transaction, which
/// also moves the counters and queues the magistrat's e-mail; audited.
pub fn decline(form: DeclineForm) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    let Some(id) = parse_id(&form.id)? else {
        return Err(AppError::NotFound);
    };
    let motif = match bounded_text(&form.motif, "Motif du refus", 500, "Le motif", true) {
        Ok(motif) => motif,
        Err(message) => {
            let mut out = FormState::default();
            out.set("id", id.to_string());
            out.set("motif", form.motif.clone());
            let message = if form.motif.trim().is_empty() {
                DECLINE_REASON_MISSING.to_owned()
            } else {
                message
            };
            out.fail("motif", message);
            let page = format!("/mandataire/mesures/{id}/refuser");
            return Ok(refuse(&parts, DECLINE_FORM, &page, out, &[]));
        }
    };
    let write = crate::server::blocking::begin_write(&state.db)?;
    let previous = match mesures::get_in(&write, id)? {
        None => {
            return Ok(done(
                &parts,
                WAITING,
                Some(crate::rules::mesure::RESERVATION_CANCELLED),
            ))
        }
        Some(m) if m.owner != caller.owner() => return Err(AppError::NotFound),
        Some(m) if m.status != Status::EnAttente => return Err(AppError::NotFound),
        Some(m) => m,
    };
    let mut next = previous.clone();
    next.status = Status::Refusee;
    if let Some(reservation) = next.reservation.as_mut() {
        reservation.refus = Some(Refus {
            motif: motif.clone(),
            at: now(),
        });
    }
    mesures::replace(&write, &previous, &next, Author::Owner)?;
    queue_answer(&write, &state, &caller, &next, Some(&motif))?;
    record(&write, &caller, &ip, "Mesure refusée", id)?;
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(done(&parts, WAITING, Some(DECLINED)))
}
