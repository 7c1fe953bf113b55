//! The national data set's past: twelve months of journal and the e-mails of the outbox's retention period
//! (90 days: older ones would be purged by the product the first night), oldest first so that ids follow
//! time as the purges and the journal's date filter expect.

use rand::rngs::StdRng;
use rand::Rng;
use redb::Database;

use super::people::People;
use crate::db::audit::{self, AuditEntry};
use crate::db::outbox::{self, EmailState};
use crate::db::StoreError;

const BATCH: usize = 50_000;

/// (action, result, share in thousandths): what users do most.
const ACTIONS: [(&str, &str, u32); 8] = [
    ("Connexion réussie", "Succès", 560),
    ("Déconnexion", "Succès", 150),
    ("Données confirmées à jour", "Succès", 120),
    ("Profil modifié", "Succès", 60),
    ("Échec de connexion", "Mot de passe incorrect", 50),
    ("Mesure réservée", "Succès", 30),
    ("Export des mesures", "Succès", 20),
    ("Import de mesures", "Succès", 10),
];

const SUBJECTS: [(&str, u32); 5] = [
    ("e-MJPM : une nouvelle mesure vous a été attribuée", 500),
    ("e-MJPM : la mesure réservée a été acceptée", 300),
    ("e-MJPM : actualisez vos données", 150),
    (
        "e-MJPM : une nouvelle mesure urgente vous a été attribuée",
        30,
    ),
    ("e-MJPM : une mesure réservée a été refusée", 20),
];

/// Writes `entries` journal entries over the last `months` months, then `emails` sent e-mails over the
/// last 90 days. The journal's existing entries (the imports', made just now) are written again after
/// the history, with their own times, so that ids still follow time.
pub(super) fn write(
    database: &Database,
    people: &People,
    entries: usize,
    months: u32,
    emails: usize,
    now: i64,
    rng: &mut StdRng,
) -> Result<(), StoreError> {
    let existing: Vec<AuditEntry> = {
        use redb::ReadableDatabase;
        let read = database.begin_read()?;
        let mut existing = audit::newest_first(&read)?;
        existing.reverse();
        existing
    };
    let actors: Vec<u64> = people
        .holders
        .iter()
        .map(|h| h.owner)
        .chain(people.magistrats.iter().flatten().copied())
        .collect();
    let span = i64::from(months) * 30 * 86_400 - 86_400;
    let start = now - span;
    let mut write = database.begin_write()?;
    audit::purge_before(&write, i64::MAX, existing.len())?;
    for number in 0..entries {
        if number > 0 && number % BATCH == 0 {
            write.set_durability(redb::Durability::None).ok();
            write.commit()?;
            write = database.begin_write()?;
        }
        let at = start + (span as i128 * number as i128 / entries.max(1) as i128) as i64;
        let actor = actors[rng.random_range(0..actors.len().max(1))];
        let (action, result) = pick(&ACTIONS, rng);
        let object = if action == "Mesure réservée" {
            format!("mesure {}", rng.random_range(1..1_000_000))
        } else {
            format!("utilisateur {actor}")
        };
        let ip = format!("192.0.2.{}", rng.random_range(1..255));
        let by = (action != "Échec de connexion").then_some(actor);
        audit::record_at(&write, at, by, &ip, action, &object, result)?;
    }
    for entry in &existing {
        audit::record_at(
            &write,
            entry.at,
            entry.actor,
            &entry.ip,
            &entry.action,
            &entry.object,
            &entry.result,
        )?;
    }
    let span = 89 * 86_400;
    for number in 0..emails {
        if number > 0 && number % BATCH == 0 {
            write.set_durability(redb::Durability::None).ok();
            write.commit()?;
            write = database.begin_write()?;
        }
        let at = now - span + (span as i128 * number as i128 / emails.max(1) as i128) as i64;
        let (subject, _) = pick(&SUBJECTS.map(|(s, w)| (s, "", w)), rng);
        let to = format!(
            "{}@national.emjpm.invalid",
            people.holders[rng.random_range(0..people.holders.len())].identifiant
        );
        let body = "Bonjour,\n\nConnectez-vous à e-MJPM pour voir le détail.\n\n-- \ne-MJPM\n";
        let id = outbox::queue(&write, &to, subject, body)?;
        if let Some(mut email) = outbox_get(&write, id)? {
            email.created_at = at;
            email.next_attempt_at = at;
            email.state = EmailState::Sent;
            email.attempts = 1;
            email.sent_at = Some(at + rng.random_range(1..60));
            outbox::put(&write, &email)?;
        }
    }
    write.commit()?;
    Ok(())
}

fn outbox_get(
    write: &redb::WriteTransaction,
    id: u64,
) -> Result<Option<outbox::Email>, StoreError> {
    use redb::ReadableTable;
    let table = write.open_table(crate::db::tables::OUTBOX)?;
    let email = table
        .get(id)?
        .map(|v| crate::db::decode(v.value()))
        .transpose()?;
    Ok(email)
}

/// One of `choices`, drawn by their weights (thousandths).
fn pick<'a>(choices: &[(&'a str, &'a str, u32)], rng: &mut StdRng) -> (&'a str, &'a str) {
    let total: u32 = choices.iter().map(|c| c.2).sum();
    let mut point = rng.random_range(0..total.max(1));
    for (a, b, weight) in choices {
        if point < *weight {
            return (a, b);
        }
        point -= weight;
    }
    (choices[0].0, choices[0].1)
}
