//! Retention (issue 19, RGPD): what the scheduler erases by itself, once a day, with the settings the
//! "Mentions légales" page states (`facts`):
//!
//! - a mesure éteinte, `--conservation-mesures-ans` (5) years after its end date;
//! - an account deactivated for `--conservation-comptes-desactives-ans` (2) years, with what goes with it
//!   (`db::erasure`, the rules of "Supprimer le compte"; an account that cannot go, a mandataire still
//!   holding mesures, stays and is counted). The admins see the accounts due within 30 days in "Utilisateurs".
//!   An account deactivated before the date was kept starts counting when the job first sees it.
//!
//! E-mails (90 days), journal entries (12 months), sessions and reset links are the hourly clean-up's
//! (`jobs`). Each erasure is audited with its counts; every function takes the time, so the tests control it.

use redb::{Database, ReadableDatabase, ReadableTable};

use crate::db::erasure::{self, Erasure};
use crate::db::mesures::{self, Author};
use crate::db::tables::MESURES_BY_OWNER;
use crate::db::users::{self, AccountStatus, User};
use crate::db::{audit, StoreError};
use crate::rules::mesure::Status;
use crate::server::AppState;

/// How long before its erasure a deactivated account is shown to the admins.
pub const WARNING_SECS: i64 = 30 * 86_400;
/// Mesures erased per write transaction.
const BATCH: usize = 1000;

/// The retention settings, as the "Mentions légales" page states them.
pub fn facts(state: &AppState) -> crate::api::public::Retention {
    crate::api::public::Retention {
        mesures_eteintes_ans: state.settings.mesures_eteintes_years,
        comptes_desactives_ans: state.settings.comptes_desactives_years,
        session_minutes: state.settings.session_idle_secs / 60,
        session_heures: state.settings.session_absolute_secs / 3600,
    }
}

/// `at` plus `years` calendar years in the jurisdiction's zone (Unix seconds).
fn years_after(at: i64, years: u32) -> i64 {
    let zone = crate::server::time::zone().clone();
    jiff::Timestamp::from_second(at)
        .ok()
        .and_then(|t| {
            t.to_zoned_datetime(zone)
                .checked_add(jiff::Span::new().years(i64::from(years)))
                .ok()
        })
        .map_or(i64::MAX, |z| z.timestamp().as_second())
}

/// When a deactivated account is erased.
pub fn erased_at(user: &User, years: u32) -> Option<i64> {
    (user.status == AccountStatus::Desactive)
        .then_some(user.desactive_le)
        .flatten()
        .map(|t| years_after(t, years))
}

/// The daily run: both erasures, audited.
pub fn run(state: &AppState, at: i64) -> Result<String, StoreError> {
    let mesures = erase_old_mesures(&state.db, at, state.settings.mesures_eteintes_years)?;
    let (accounts, kept) =
        erase_old_accounts(&state.db, at, state.settings.comptes_desactives_years)?;
    Ok(format!(
        "{mesures} mesure(s) éteinte(s) et {accounts} compte(s) désactivé(s) effacés, {kept} compte(s) gardé(s)"
    ))
}

/// Erases the mesures éteintes whose end date is `years` years old or more; returns how many.
pub fn erase_old_mesures(db: &Database, at: i64, years: u32) -> Result<usize, StoreError> {
    // The last end date kept: an end date before `cutoff` is `years` years old.
    let today = crate::server::time::date_in(at, crate::server::time::zone());
    let cutoff = today
        .checked_sub(jiff::Span::new().years(i64::from(years)))
        .map(crate::rules::date::iso)
        .unwrap_or_default();
    let due = |mesure: &mesures::Mesure| {
        mesure.status == Status::Eteinte
            && mesure
                .date_fin
                .as_deref()
                .is_some_and(|fin| fin < cutoff.as_str())
    };
    let mut ids = Vec::new();
    {
        let read = db.begin_read()?;
        let Some(index) = crate::db::open_or_empty(&read, MESURES_BY_OWNER)? else {
            return Ok(0);
        };
        let eteinte = crate::db::mesures::status_key(Status::Eteinte);
        let mut candidates = Vec::new();
        for row in index.iter()? {
            let (_, status, _, id) = row?.0.value();
            if status == eteinte {
                candidates.push(id);
            }
        }
        for chunk in candidates.chunks(BATCH) {
            ids.extend(
                mesures::get_many(&read, chunk)?
                    .iter()
                    .filter(|m| due(m))
                    .map(|m| m.id),
            );
        }
    }
    let mut erased = 0;
    for chunk in ids.chunks(BATCH) {
        let write = db.begin_write()?;
        let mut here = 0;
        for &id in chunk {
            // Read again in the transaction that erases: a mesure reactivated meanwhile stays.
            if let Some(mesure) = mesures::get_in(&write, id)?.filter(|m| due(m)) {
                mesures::delete(&write, &mesure, Author::Other)?;
                here += 1;
            }
        }
        if here > 0 {
            audit::record(
                &write,
                None,
                "",
                "Conservation : mesures éteintes effacées",
                "",
                &format!("{here} mesure(s) éteinte(s) depuis plus de {years} an(s)"),
            )?;
        }
        write.commit()?;
        erased += here;
    }
    Ok(erased)
}

/// Erases the accounts deactivated `years` years ago or more; dates the deactivated accounts that have no
/// date yet. Returns (erased, kept because refused).
pub fn erase_old_accounts(
    db: &Database,
    at: i64,
    years: u32,
) -> Result<(usize, usize), StoreError> {
    let deactivated: Vec<User> = {
        let read = db.begin_read()?;
        users::all(&read)?
            .into_iter()
            .filter(|u| u.status == AccountStatus::Desactive)
            .collect()
    };
    if deactivated.is_empty() {
        return Ok((0, 0));
    }
    let write = db.begin_write()?;
    let (mut erased, mut kept) = (0, 0);
    for user in deactivated {
        // Read again in the transaction that writes: reactivated meanwhile, it stays.
        let Some(mut current) = users::get_in(&write, user.id)? else {
            continue;
        };
        if current.status != AccountStatus::Desactive {
            continue;
        }
        if current.desactive_le.is_none() {
            current.desactive_le = Some(at);
            users::put(&write, &current).map_err(|e| match e {
                users::CreateUserError::Store(e) => e,
                other => StoreError::Corrupt(other.to_string()),
            })?;
            continue;
        }
        if erased_at(&current, years).is_none_or(|due| due > at) {
            continue;
        }
        match erasure::erase(&write, current.id)? {
            Erasure::Erased { user, mesures } => {
                audit::record(
                    &write,
                    None,
                    "",
                    "Suppression du compte",
                    &format!("utilisateur {}", user.id),
                    &format!(
                        "Conservation : désactivé depuis {years} an(s) (identifiant {}, {mesures} mesure(s) effacée(s))",
                        user.identifiant
                    ),
                )?;
                erased += 1;
            }
            Erasure::Refused(_) => kept += 1,
            Erasure::Missing => {}
        }
    }
    write.commit()?;
    Ok((erased, kept))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::mesures::Mesure;
    use crate::rules::account::Role;
    use crate::server::test_kit;

    const DAY: i64 = 86_400;

    /// 1 June 2026, noon in Paris.
    fn june_2026() -> i64 {
        jiff::civil::date(2026, 6, 1)
            .at(12, 0, 0, 0)
            .to_zoned_datetime(crate::server::time::zone().clone())
            .unwrap()
            .timestamp()
            .as_second()
    }

    #[test]
    fn a_mesure_eteinte_goes_five_years_after_its_end_date_and_not_a_day_before() {
        let dir = tempfile::tempdir().unwrap();
        let state = test_kit::state(dir.path());
        let owner = test_kit::account(&state, test_kit::new_user("claire", Role::Prepose));
        let write = state.db.begin_write().unwrap();
        crate::db::profiles::put_mandataire(&write, owner, &test_kit::mandataire_profile())
            .unwrap();
        let ended = |fin: &str| Mesure {
            status: Status::Eteinte,
            date_fin: Some(fin.into()),
            ..test_kit::mesure(owner)
        };
        let old = mesures::insert(&write, ended("2021-05-31"), Author::Owner).unwrap();
        let on_the_day = mesures::insert(&write, ended("2021-06-01"), Author::Owner).unwrap();
        let open = mesures::insert(&write, test_kit::mesure(owner), Author::Owner).unwrap();
        write.commit().unwrap();
        let at = june_2026();
        assert_eq!(erase_old_mesures(&state.db, at, 5).unwrap(), 1);
        let read = state.db.begin_read().unwrap();
        assert!(mesures::get(&read, old.id).unwrap().is_none());
        assert!(
            mesures::get(&read, on_the_day.id).unwrap().is_some(),
            "five years to the day: kept"
        );
        assert!(mesures::get(&read, open.id).unwrap().is_some());
        let entry = audit::newest_first(&read).unwrap().remove(0);
        assert_eq!(
            entry.result,
            "1 mesure(s) éteinte(s) depuis plus de 5 an(s)"
        );
        assert!(crate::db::check::check(&read).unwrap().is_consistent());
        drop(read);
        // A day later, the second goes; another setting keeps both.
        assert_eq!(erase_old_mesures(&state.db, at + DAY, 5).unwrap(), 1);
        assert_eq!(
            erase_old_mesures(&state.db, at + DAY, 5).unwrap(),
            0,
            "nothing twice"
        );
    }

    #[test]
    fn a_deactivated_account_goes_after_two_years_unless_it_holds_mesures() {
        let dir = tempfile::tempdir().unwrap();
        let state = test_kit::state(dir.path());
        let at = june_2026();
        let deactivated = |identifiant: &str, role: Role, since: Option<i64>| {
            let id = test_kit::account(&state, test_kit::new_user(identifiant, role));
            let write = state.db.begin_write().unwrap();
            let mut user = users::get_in(&write, id).unwrap().unwrap();
            user.status = AccountStatus::Desactive;
            user.desactive_le = since;
            users::put(&write, &user).unwrap();
            write.commit().unwrap();
            id
        };
        let two_years_ago = years_after(at, 0) - 2 * 365 * DAY - DAY;
        let juge = deactivated("juge", Role::Magistrat, Some(two_years_ago));
        let recent = deactivated("recent", Role::Magistrat, Some(at - 300 * DAY));
        let undated = deactivated("ancien", Role::Magistrat, None);
        let holder = deactivated("claire", Role::Prepose, Some(two_years_ago));
        let write = state.db.begin_write().unwrap();
        crate::db::profiles::put_mandataire(&write, holder, &test_kit::mandataire_profile())
            .unwrap();
        mesures::insert(&write, test_kit::mesure(holder), Author::Owner).unwrap();
        write.commit().unwrap();
        // The warning list: due within 30 days.
        let read = state.db.begin_read().unwrap();
        let user = |id| users::get(&read, id).unwrap().unwrap();
        assert!(erased_at(&user(juge), 2).unwrap() <= at);
        assert!(erased_at(&user(recent), 2).unwrap() > at + WARNING_SECS);
        assert_eq!(erased_at(&user(undated), 2), None);
        drop(read);

        assert_eq!(erase_old_accounts(&state.db, at, 2).unwrap(), (1, 1));
        let read = state.db.begin_read().unwrap();
        assert!(users::get(&read, juge).unwrap().is_none());
        assert!(users::get(&read, recent).unwrap().is_some());
        assert!(
            users::get(&read, holder).unwrap().is_some(),
            "a mandataire holding a mesure stays"
        );
        let undated = users::get(&read, undated).unwrap().unwrap();
        assert_eq!(undated.desactive_le, Some(at), "counts from the first run");
        let entry = audit::newest_first(&read)
            .unwrap()
            .into_iter()
            .find(|e| e.action == "Suppression du compte")
            .unwrap();
        assert_eq!(
            entry.result,
            "Conservation : désactivé depuis 2 an(s) (identifiant juge, 0 mesure(s) effacée(s))"
        );
        drop(read);
        // Two years after its first run, the undated one goes too.
        assert_eq!(
            erase_old_accounts(&state.db, years_after(at, 2), 2).unwrap(),
            (2, 1)
        );
    }

    #[tokio::test]
    async fn the_legal_page_states_the_periods_this_server_applies() {
        let dir = tempfile::tempdir().unwrap();
        let args = match crate::server::config::parse([
            "emjpm",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--conservation-mesures-ans",
            "7",
        ]) {
            crate::server::config::Parsed::Run(cli) => cli.serve_args(),
            crate::server::config::Parsed::Exit { message, .. } => panic!("{message}"),
        };
        let app = crate::server::router(crate::server::build_state(&args).unwrap());
        let (status, _, page) = test_kit::send(
            &app,
            axum::http::Method::GET,
            "/mentions-legales",
            None,
            None,
        )
        .await;
        assert_eq!(status, axum::http::StatusCode::OK);
        let page = page.replace("<!>", "");
        assert!(
            page.contains("mesures éteintes : 7 ans après leur date de fin"),
            "{page}"
        );
        assert!(page.contains("un compte désactivé est supprimé au bout de 2 ans"));
        assert!(page.contains("Courriels envoyés par e-MJPM : 90 jours."));
    }
}
