//! Reservations that wait too long (issue 18): past the jurisdiction's delay (`--reservation-ancienne-jours`,
//! 60 days by default) both sides see "Ancienne" (computed when the lists are read); at twice the delay the
//! magistrat who reserved gets one e-mail asking him to confirm or cancel it. Nothing is deleted. The
//! scheduler runs it with the reminders; the clock is a parameter, so that tests choose the day.

use redb::ReadableDatabase;

use crate::db::mesures::{self, Author};
use crate::db::{tribunaux, users, StoreError};
use crate::rules::mesure::{nature_with_champ, Status};
use crate::server::{mail, AppState};

pub const SUBJECT: &str = "e-MJPM : une réservation attend toujours la réponse du mandataire";

/// E-mails the magistrats whose reservations have waited twice the delay, once each. Returns a summary.
pub fn remind(state: &AppState, at: i64) -> Result<String, StoreError> {
    let due_after = 2 * state.settings.old_reservation_secs;
    let read = state.db.begin_read()?;
    let mut due = Vec::new();
    let ids = mesures::waiting_reservation_ids(&read)?;
    for mesure in mesures::get_many(&read, &ids)? {
        let Some(reservation) = mesure.reservation.as_ref() else {
            continue;
        };
        if reservation.relance_at.is_none() && at - reservation.reserved_at > due_after {
            let tribunal = tribunaux::get(&read, reservation.tribunal_id)?
                .map(|t| t.nom)
                .unwrap_or_default();
            due.push((mesure.id, tribunal));
        }
    }
    drop(read);
    if due.is_empty() {
        return Ok("aucune réservation ancienne à signaler".to_owned());
    }
    let write = state.db.begin_write()?;
    let mut sent = 0;
    for (id, tribunal) in due {
        // Read again in the transaction that writes: accepted, cancelled or reminded meanwhile is skipped.
        let Some(previous) = mesures::get_in(&write, id)? else {
            continue;
        };
        let Some(reservation) = previous.reservation.as_ref() else {
            continue;
        };
        if previous.status != Status::EnAttente || reservation.relance_at.is_some() {
            continue;
        }
        let mut next = previous.clone();
        if let Some(r) = next.reservation.as_mut() {
            r.relance_at = Some(at);
        }
        mesures::replace(&write, &previous, &next, Author::Other)?;
        if let Some(magistrat) = users::get_in(&write, reservation.magistrat_id)? {
            let owner = crate::server::magistrat::owner_name_in(&write, previous.owner)?;
            let body = format!(
                "Bonjour,\n\nLa mesure que vous avez réservée le {} attend toujours la réponse du mandataire.\n\n\
                 Tribunal : {tribunal}\nMandataire : {owner}\nType de mesure : {}\nNuméro RG : {}\n\n\
                 Confirmez-la auprès du mandataire, ou annulez-la si elle n'a plus lieu d'être, depuis « Mesures \
                 réservées » :\n{}",
                crate::server::time::local_date(reservation.reserved_at),
                nature_with_champ(previous.nature, previous.champ),
                previous.numero_rg.as_deref().unwrap_or("non précisé"),
                state.settings.link("/magistrat/mesures?etat=en_attente"),
            );
            mail::queue(&write, &magistrat.email, SUBJECT, &body)?;
            sent += 1;
        }
    }
    write.commit()?;
    if sent > 0 {
        state.mail_wakeup.notify_one();
    }
    Ok(format!(
        "{sent} magistrat(s) relancé(s) pour une réservation ancienne"
    ))
}
