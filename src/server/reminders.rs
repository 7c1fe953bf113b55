//! The daily reminder (SPEC §13, issue 17): a mandataire whose data is 30 days old and who had no reminder
//! for 15 days gets "e-MJPM : actualisez vos données". The scheduler (`jobs`) runs it at most once per day
//! of the jurisdiction: the day it last ran is kept in the database, so a restart does not send it again.
//! The clock is a parameter, so that tests choose the day.

use redb::{ReadableDatabase, ReadableTable};

use crate::db::tables::META;
use crate::db::{profiles, users, StoreError};
use crate::server::{mail, AppState};

pub const SUBJECT: &str = "e-MJPM : actualisez vos données";
const DAY: i64 = 24 * 3600;
/// Data older than this is stale (the magistrats' warning, SPEC §8.4).
const STALE_AFTER: i64 = 30 * DAY;
/// No second reminder within this delay.
const REMIND_EVERY: i64 = 15 * DAY;
const LAST_DAY: &str = "relances_jour";

/// The day of `at` in the jurisdiction, as a number (20261201).
fn day_number(at: i64) -> u64 {
    let date = crate::server::time::date_in(at, crate::server::time::zone());
    crate::rules::date::iso(date)
        .replace('-', "")
        .parse()
        .unwrap_or(0)
}

fn body(settings: &crate::server::config::Settings, mise_a_jour: Option<i64>) -> String {
    let since = match mise_a_jour {
        Some(at) => format!(
            "La dernière mise à jour de vos données date du {}.",
            crate::server::time::local_date(at)
        ),
        None => "Vos données n'ont encore jamais été mises à jour.".to_owned(),
    };
    format!(
        "Bonjour,\n\n{since} Les magistrats voient l'avertissement « Dernière mise à jour des données datant \
         de plus de 30 jours. ».\n\nMettez à jour vos mesures en cours, ou, si elles sont exactes, cliquez sur \
         « Mes données sont à jour » :\n{}",
        settings.link("/mandataire/mesures")
    )
}

/// Sends the reminders due at `at`, unless they were already sent that day. Returns the job's summary.
pub fn send(state: &AppState, at: i64) -> Result<String, StoreError> {
    let today = day_number(at);
    let read = state.db.begin_read()?;
    // The hourly tick costs one look-up once the day's reminders are out.
    let done = match read.open_table(META) {
        Ok(table) => table.get(LAST_DAY)?.map(|v| v.value()) == Some(today),
        Err(redb::TableError::TableDoesNotExist(_)) => false,
        Err(e) => return Err(e.into()),
    };
    if done {
        return Ok("relances déjà envoyées aujourd'hui".to_owned());
    }
    let candidates: Vec<u64> = profiles::all_mandataires(&read)?
        .into_iter()
        .filter(|(_, p)| due(p, at))
        .map(|(id, _)| id)
        .collect();
    drop(read);
    let write = state.db.begin_write()?;
    let last = write.open_table(META)?.get(LAST_DAY)?.map(|v| v.value());
    if last == Some(today) {
        return Ok("relances déjà envoyées aujourd'hui".to_owned());
    }
    let mut sent = 0;
    for owner in candidates {
        // Checked again in the transaction that records the reminder.
        let Some(mut profile) = profiles::mandataire_in(&write, owner)? else {
            continue;
        };
        if !due(&profile, at) {
            continue;
        }
        let recipients = recipients(&write, owner, profile.derniere_mise_a_jour, at)?;
        if recipients.is_empty() {
            continue;
        }
        for to in &recipients {
            mail::queue(
                &write,
                to,
                SUBJECT,
                &body(&state.settings, profile.derniere_mise_a_jour),
            )?;
        }
        profile.derniere_relance = Some(at);
        profiles::put_mandataire_record(&write, owner, &profile)?;
        sent += 1;
    }
    write.open_table(META)?.insert(LAST_DAY, today)?;
    write.commit()?;
    if sent > 0 {
        state.mail_wakeup.notify_one();
    }
    Ok(format!("{sent} mandataires relancés"))
}

/// Stale for 30 days (never updated counts from the account's creation) and not reminded for 15 days.
fn due(profile: &profiles::Mandataire, at: i64) -> bool {
    let stale = profile
        .derniere_mise_a_jour
        .is_none_or(|t| at - t >= STALE_AFTER);
    stale
        && profile
            .derniere_relance
            .is_none_or(|t| at - t >= REMIND_EVERY)
}

/// The active accounts to remind: the mandataire's own, or a service's administrateurs. A profile never
/// updated is reminded only once its oldest account is 30 days old.
fn recipients(
    write: &redb::WriteTransaction,
    owner: u64,
    mise_a_jour: Option<i64>,
    at: i64,
) -> Result<Vec<String>, StoreError> {
    let accounts: Vec<users::User> = match users::get_in(write, owner)? {
        Some(user) => vec![user],
        None => {
            let mut admins = Vec::new();
            if let Some(service) = crate::db::services::get_in(write, owner)? {
                for membre in service.membres.iter().filter(|m| m.administrateur) {
                    admins.extend(users::get_in(write, membre.user_id)?);
                }
            }
            admins
        }
    };
    let oldest = accounts.iter().map(|u| u.created_at).min().unwrap_or(at);
    if mise_a_jour.is_none() && at - oldest < STALE_AFTER {
        return Ok(Vec::new());
    }
    Ok(accounts
        .into_iter()
        .filter(|u| u.status == users::AccountStatus::Actif)
        .map(|u| u.email)
        .collect())
}
