//! Everything periodic, in one place (issue 15): the hourly clean-up (e-mails after 90 days, journal after
//! 12 months, expired reset links and sessions), the nightly backup and the daily reminders (issue 17). One task looks at the clock every
//! minute; each job runs on a blocking thread (never on the request threads), never twice at once, is
//! logged with its duration, and can be run on demand (`run_now`, for tests and the tab).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use redb::WriteTransaction;

use crate::db::{now, outbox, StoreError};
use crate::server::AppState;

/// The jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Job {
    /// Old e-mails, journal entries, expired secrets, reset tokens and sessions.
    CleanUp,
    /// The automatic backup into `<data dir>/sauvegardes/`, the oldest beyond the kept count removed.
    NightlyBackup,
    /// "e-MJPM : actualisez vos données" to the mandataires whose data is stale (issue 17), once a day.
    Reminders,
    /// The RGPD retention (issue 19): old mesures éteintes and long-deactivated accounts, once a day.
    Retention,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::CleanUp => "nettoyage",
            Job::NightlyBackup => "sauvegarde automatique",
            Job::Reminders => "relances",
            Job::Retention => "conservation des données",
        }
    }
}

/// The folder of the automatic backups.
pub const FOLDER: &str = "sauvegardes";

/// What the jobs share: which run now, and the outcome of the last automatic backup.
#[derive(Default)]
pub struct Jobs {
    running: Mutex<HashSet<Job>>,
    last_backup: Mutex<Option<BackupOutcome>>,
}

/// The last automatic backup, for the "Sauvegarde" tab.
#[derive(Clone, Debug)]
pub struct BackupOutcome {
    /// Unix seconds.
    pub at: i64,
    /// `Err` with the French reason when it failed.
    pub result: Result<String, String>,
}

impl Jobs {
    pub fn last_backup(&self) -> Option<BackupOutcome> {
        self.last_backup
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Rows removed per transaction by the clean-up.
const PURGE_BATCH: usize = 1000;

/// Runs forever: once a minute (every second under the test clock), starts the jobs that are due. "Due" is
/// measured on `now()`, the clock the test clock moves.
pub async fn run(state: AppState) {
    let mut last_clean_up: Option<i64> = None;
    let mut last_reminders: Option<i64> = None;
    let mut last_retention: Option<i64> = None;
    let period = if state.settings.test_clock.is_some() {
        1
    } else {
        60
    };
    let mut tick = tokio::time::interval(Duration::from_secs(period));
    // A clock set back (by the test clock, or by hand) makes the jobs due again rather than silent until the
    // clock catches up.
    let hour_since = |last: Option<i64>| {
        let now = now();
        last.is_none_or(|at| now - at >= 3600 || now < at)
    };
    loop {
        tick.tick().await;
        if hour_since(last_clean_up) {
            last_clean_up = Some(now());
            spawn(&state, Job::CleanUp).await;
        }
        if backup_due(&state) {
            spawn(&state, Job::NightlyBackup).await;
        }
        // Once an hour is enough: the job itself sends at most once per day.
        if hour_since(last_reminders) {
            last_reminders = Some(now());
            spawn(&state, Job::Reminders).await;
        }
        // Once a day: it reads every mesure éteinte's end date.
        let now = now();
        if last_retention.is_none_or(|at| now - at >= 86_400 || now < at) {
            last_retention = Some(now);
            spawn(&state, Job::Retention).await;
        }
    }
}

async fn spawn(state: &AppState, job: Job) {
    let state = state.clone();
    let _ = tokio::task::spawn_blocking(move || run_now(&state, job)).await;
}

/// Runs `job` now on this (blocking) thread, unless it already runs; logged with its duration.
pub fn run_now(state: &AppState, job: Job) -> Result<String, String> {
    {
        let mut running = state.jobs.running.lock().unwrap_or_else(|e| e.into_inner());
        if !running.insert(job) {
            return Err(format!("{} déjà en cours", job.name()));
        }
    }
    let started = Instant::now();
    let result = match job {
        Job::CleanUp => clean_up(state).map_err(|e| e.to_string()),
        Job::NightlyBackup => nightly_backup(state),
        // The mandataires' reminders, then the magistrats' reservations waiting too long (issue 18).
        Job::Reminders => crate::server::reminders::send(state, now())
            .and_then(|sent| {
                crate::server::old_reservations::remind(state, now())
                    .map(|reminded| format!("{sent} ; {reminded}"))
            })
            .map_err(|e| e.to_string()),
        Job::Retention => crate::server::retention::run(state, now()).map_err(|e| e.to_string()),
    };
    state
        .jobs
        .running
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&job);
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(summary) => tracing::info!(tâche = job.name(), elapsed_ms, "{summary}"),
        Err(reason) => tracing::error!(tâche = job.name(), elapsed_ms, "échec : {reason}"),
    }
    result
}

/// The clean-up of SPEC §§4.4, 7, 13. Old rows go in batches of `PURGE_BATCH`, each its own transaction:
/// a year of backlog never holds the writer for long.
fn clean_up(state: &AppState) -> Result<String, StoreError> {
    let removed = |step: &dyn Fn(&WriteTransaction) -> Result<usize, StoreError>| {
        let mut total = 0;
        loop {
            let write = state.db.begin_write()?;
            let removed = step(&write)?;
            write.commit()?;
            total += removed;
            if removed < PURGE_BATCH {
                return Ok::<usize, StoreError>(total);
            }
        }
    };
    let emails = removed(&|w| outbox::purge_before(w, now() - 90 * 24 * 3600, PURGE_BATCH))?;
    let entries =
        removed(&|w| crate::db::audit::purge_before(w, now() - 366 * 24 * 3600, PURGE_BATCH))?;
    let write = state.db.begin_write()?;
    // Each purge of personal data is audited with its counts (issue 19).
    for (count, what) in [
        (emails, "courriel(s) de plus de 90 jours"),
        (entries, "entrée(s) du journal de plus de 12 mois"),
    ] {
        if count > 0 {
            crate::db::audit::record(
                &write,
                None,
                "",
                "Conservation : purge",
                "",
                &format!("{count} {what}"),
            )?;
        }
    }
    let secrets = outbox::forget_expired_secrets(&write, now())?;
    let tokens = crate::db::reset_tokens::purge_expired(&write, now())?;
    let sessions = crate::db::sessions::remove_expired(
        &write,
        now(),
        state.settings.session_idle_secs,
        state.settings.session_absolute_secs,
    )?;
    write.commit()?;
    Ok(format!(
        "{emails} courriels, {entries} entrées du journal, {secrets} liens masqués, {tokens} jetons, \
         {sessions} sessions supprimés"
    ))
}

/// True when the automatic backup of today is due: its hour has come and today's file does not exist.
fn backup_due(state: &AppState) -> bool {
    let Some(hour) = state.settings.backup_hour else {
        return false;
    };
    let now = jiff::Timestamp::now().to_zoned_datetime(crate::server::time::zone().clone());
    now.hour() >= hour as i8 && !nightly_path(&state.data_dir, &now.date()).exists()
}

fn nightly_path(data_dir: &Path, date: &jiff::civil::Date) -> PathBuf {
    data_dir
        .join(FOLDER)
        .join(format!("emjpm-{}.redb", crate::rules::date::iso(*date)))
}

/// Writes today's backup (checked by `db::backup::write`), removes the oldest beyond the kept count,
/// audits, and remembers the outcome for the tab.
fn nightly_backup(state: &AppState) -> Result<String, String> {
    let result = (|| {
        let folder = state.data_dir.join(FOLDER);
        std::fs::create_dir_all(&folder).map_err(|e| crate::server::errors::io_reason(&e))?;
        let target = nightly_path(&state.data_dir, &crate::server::time::today());
        let report =
            crate::db::backup::write(&state.db, &target, true).map_err(|e| e.to_string())?;
        let removed = prune(&folder, state.settings.backups_kept);
        let write = state.db.begin_write().map_err(|e| e.to_string())?;
        crate::db::audit::record(
            &write,
            None,
            "serveur",
            "Sauvegarde automatique",
            &format!("fichier {}", report.path.display()),
            &format!("Succès ({})", crate::db::backup::size_text(report.bytes)),
        )
        .map_err(|e| e.to_string())?;
        write.commit().map_err(|e| e.to_string())?;
        Ok(format!(
            "{} ({}, {:.1} s), {removed} anciennes supprimées",
            report.path.display(),
            crate::db::backup::size_text(report.bytes),
            report.duration.as_secs_f64()
        ))
    })();
    *state
        .jobs
        .last_backup
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some(BackupOutcome {
        at: now(),
        result: result.clone(),
    });
    result
}

/// Removes the oldest automatic backups beyond `kept`; returns how many.
fn prune(folder: &Path, kept: usize) -> usize {
    let mut files = automatic_backups(folder);
    if files.len() <= kept {
        return 0;
    }
    let excess = files.len() - kept;
    files.truncate(excess);
    files
        .iter()
        .filter(|f| std::fs::remove_file(folder.join(&f.0)).is_ok())
        .count()
}

/// The automatic backups in `folder`, oldest first: (file name, size in bytes).
pub fn automatic_backups(folder: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let automatic = name.starts_with("emjpm-") && name.ends_with(".redb");
                    automatic.then(|| (name, e.metadata().map(|m| m.len()).unwrap_or(0)))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::test_kit;

    #[test]
    fn the_nightly_backup_is_written_checked_and_pruned_and_never_runs_twice_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let state = test_kit::state(dir.path());
        let folder = dir.path().join(FOLDER);
        std::fs::create_dir_all(&folder).unwrap();
        // Sixteen older backups (the default keeps 14).
        for day in 1..=16 {
            std::fs::write(folder.join(format!("emjpm-2020-01-{day:02}.redb")), b"x").unwrap();
        }
        let summary = run_now(&state, Job::NightlyBackup).unwrap();
        assert!(summary.contains("anciennes supprimées"), "{summary}");
        let files = automatic_backups(&folder);
        assert_eq!(files.len(), 14);
        let today = format!("emjpm-{}.redb", crate::server::time::today_iso());
        assert!(files.iter().any(|(name, _)| *name == today));
        assert!(
            !files
                .iter()
                .any(|(name, _)| name == "emjpm-2020-01-03.redb"),
            "oldest removed"
        );
        assert!(state.jobs.last_backup().unwrap().result.is_ok());
        assert!(!backup_due(&state), "today's exists");
        // A job already running is not started again.
        state.jobs.running.lock().unwrap().insert(Job::CleanUp);
        assert!(run_now(&state, Job::CleanUp)
            .unwrap_err()
            .contains("déjà en cours"));
        state.jobs.running.lock().unwrap().remove(&Job::CleanUp);
        assert!(run_now(&state, Job::CleanUp).is_ok());
        // A failure is remembered for the tab (the folder is a file).
        std::fs::remove_dir_all(&folder).unwrap();
        std::fs::write(&folder, b"").unwrap();
        assert!(run_now(&state, Job::NightlyBackup).is_err());
        assert!(state.jobs.last_backup().unwrap().result.is_err());
    }
}
