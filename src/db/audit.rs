//! The audit log ("Journal", SPEC §12): who did what, when, from where, on which object, with what result.
//! Entries hold identifiers only, never secrets or mesure attributes.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::{AUDIT, AUDIT_BY_ACTION, AUDIT_BY_ACTOR, AUDIT_BY_OBJECT};
use super::{next_id, now, StoreError};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Unix seconds.
    pub at: i64,
    /// The user who acted; `None` for a visitor or the command line.
    pub actor: Option<u64>,
    /// Client address, or "ligne de commande".
    pub ip: String,
    /// The French name of the action: "Connexion réussie", "Activation du compte"…
    pub action: String,
    /// The object's kind and id, e.g. "utilisateur 12".
    pub object: String,
    /// "Succès" or the reason of a refusal.
    pub result: String,
}

/// Appends an entry in the caller's write transaction: the entry exists exactly when the action does. Its
/// indexes (by action, by actor, by object) are written with it.
pub fn record(
    write: &WriteTransaction,
    actor: Option<u64>,
    ip: &str,
    action: &str,
    object: &str,
    result: &str,
) -> Result<(), StoreError> {
    record_at(write, now(), actor, ip, action, object, result)
}

/// `record` with the time given: the national data set's twelve months of history (ids must follow
/// time, so its caller writes the entries oldest first, before any other).
pub fn record_at(
    write: &WriteTransaction,
    at: i64,
    actor: Option<u64>,
    ip: &str,
    action: &str,
    object: &str,
    result: &str,
) -> Result<(), StoreError> {
    let entry = AuditEntry {
        at,
        actor,
        ip: ip.to_owned(),
        action: action.to_owned(),
        object: object.to_owned(),
        result: result.to_owned(),
    };
    let id = next_id(write, "audit")?;
    let bytes = serde_json::to_vec(&entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    write.open_table(AUDIT)?.insert(id, bytes.as_slice())?;
    index(write, id, &entry)?;
    Ok(())
}

/// Writes the index entries of entry `id`.
pub(super) fn index(
    write: &WriteTransaction,
    id: u64,
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    write
        .open_table(AUDIT_BY_ACTION)?
        .insert((entry.action.as_str(), id), ())?;
    if let Some(actor) = entry.actor {
        write.open_table(AUDIT_BY_ACTOR)?.insert((actor, id), ())?;
    }
    if !entry.object.is_empty() {
        write
            .open_table(AUDIT_BY_OBJECT)?
            .insert((entry.object.as_str(), id), ())?;
    }
    Ok(())
}

/// Every entry, newest first (tests and small tools; the pages read `page`).
pub fn newest_first(read: &ReadTransaction) -> Result<Vec<AuditEntry>, StoreError> {
    let Some(table) = super::open_or_empty(read, AUDIT)? else {
        return Ok(Vec::new());
    };
    let mut entries = Vec::new();
    for row in table.iter()?.rev() {
        entries.push(super::decode(row?.1.value())?);
    }
    Ok(entries)
}

/// Removes at most `limit` entries older than `cutoff` (SPEC §7: kept 12 months), oldest first, with their
/// index entries; returns how many. Ids follow time, so the oldest are the first keys: the clean-up calls
/// it in bounded batches, each its own transaction, and never reads the recent entries.
pub fn purge_before(
    write: &WriteTransaction,
    cutoff: i64,
    limit: usize,
) -> Result<usize, StoreError> {
    let mut table = write.open_table(AUDIT)?;
    let mut old = Vec::new();
    for row in table.iter()? {
        let (id, value) = row?;
        let entry: AuditEntry = super::decode(value.value())?;
        if entry.at >= cutoff || old.len() >= limit {
            break;
        }
        old.push((id.value(), entry));
    }
    let mut by_action = write.open_table(AUDIT_BY_ACTION)?;
    let mut by_actor = write.open_table(AUDIT_BY_ACTOR)?;
    let mut by_object = write.open_table(AUDIT_BY_OBJECT)?;
    for (id, entry) in &old {
        table.remove(*id)?;
        by_action.remove((entry.action.as_str(), *id))?;
        if let Some(actor) = entry.actor {
            by_actor.remove((actor, *id))?;
        }
        by_object.remove((entry.object.as_str(), *id))?;
    }
    Ok(old.len())
}

/// What the "Journal" tab filters on; dates are Unix seconds, both bounds included.
#[derive(Debug, Default)]
pub struct Filter<'a> {
    pub action: Option<&'a str>,
    /// Only the entries of these actors (the accounts whose name matches the "Utilisateur" field).
    pub actors: Option<&'a [u64]>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// One page of the journal, newest first: the `count` entries after the first `skip` that pass `filter`,
/// and how many pass in all. Read from the indexes: the dates become a range of ids (ids follow time), the
/// action or the actors a range of their index; only the entries shown are decoded, except when an action
/// and actors are both asked (the action's range is then checked entry by entry).
pub fn page(
    read: &ReadTransaction,
    filter: &Filter<'_>,
    skip: usize,
    count: usize,
) -> Result<(Vec<(u64, AuditEntry)>, usize), StoreError> {
    let Some(table) = super::open_or_empty(read, AUDIT)? else {
        return Ok((Vec::new(), 0));
    };
    let Some((lo, hi)) = id_range(&table, filter.from, filter.to)? else {
        return Ok((Vec::new(), 0));
    };
    // The ids that pass, newest first, without decoding entries where an index answers.
    let ids: Vec<u64> = match (filter.action, filter.actors) {
        (None, None) => {
            use redb::ReadableTableMetadata;
            // Without dates the range is the whole journal: its length is kept by redb (a million entries
            // nationally would be counted one by one otherwise, issue 20).
            let total = if filter.from.is_none() && filter.to.is_none() {
                usize::try_from(table.len()?).unwrap_or(usize::MAX)
            } else {
                table.range(lo..=hi)?.count()
            };
            let mut shown = Vec::new();
            for row in table.range(lo..=hi)?.rev().skip(skip).take(count) {
                let (id, value) = row?;
                shown.push((id.value(), super::decode(value.value())?));
            }
            return Ok((shown, total));
        }
        (Some(action), None) => {
            // One action: counted on its index (keys only), and only the page's entries decoded.
            let Some(index) = super::open_or_empty(read, AUDIT_BY_ACTION)? else {
                return Ok((Vec::new(), 0));
            };
            let total = index.range((action, lo)..=(action, hi))?.count();
            let mut shown = Vec::new();
            for row in index
                .range((action, lo)..=(action, hi))?
                .rev()
                .skip(skip)
                .take(count)
            {
                let id = row?.0.value().1;
                if let Some(value) = table.get(id)? {
                    shown.push((id, super::decode(value.value())?));
                }
            }
            return Ok((shown, total));
        }
        (Some(action), actors) => {
            let Some(index) = super::open_or_empty(read, AUDIT_BY_ACTION)? else {
                return Ok((Vec::new(), 0));
            };
            let mut ids = Vec::new();
            for row in index.range((action, lo)..=(action, hi))?.rev() {
                let id = row?.0.value().1;
                if let Some(actors) = actors {
                    let entry: Option<AuditEntry> = table
                        .get(id)?
                        .map(|v| super::decode(v.value()))
                        .transpose()?;
                    if !entry.is_some_and(|e| e.actor.is_some_and(|a| actors.contains(&a))) {
                        continue;
                    }
                }
                ids.push(id);
            }
            ids
        }
        (None, Some(actors)) => {
            let Some(index) = super::open_or_empty(read, AUDIT_BY_ACTOR)? else {
                return Ok((Vec::new(), 0));
            };
            let mut ids = Vec::new();
            for actor in actors {
                for row in index.range((*actor, lo)..=(*actor, hi))? {
                    ids.push(row?.0.value().1);
                }
            }
            ids.sort_unstable_by(|a, b| b.cmp(a));
            ids
        }
    };
    let total = ids.len();
    let mut shown = Vec::new();
    for id in ids.into_iter().skip(skip).take(count) {
        if let Some(value) = table.get(id)? {
            shown.push((id, super::decode(value.value())?));
        }
    }
    Ok((shown, total))
}

/// The newest `count` entries by `actor` or about `object` (a user's detail page), newest first.
pub fn about(
    read: &ReadTransaction,
    actor: u64,
    object: &str,
    count: usize,
) -> Result<Vec<AuditEntry>, StoreError> {
    let Some(table) = super::open_or_empty(read, AUDIT)? else {
        return Ok(Vec::new());
    };
    let mut ids = Vec::new();
    if let Some(index) = super::open_or_empty(read, AUDIT_BY_ACTOR)? {
        for row in index
            .range((actor, 0)..=(actor, u64::MAX))?
            .rev()
            .take(count)
        {
            ids.push(row?.0.value().1);
        }
    }
    if let Some(index) = super::open_or_empty(read, AUDIT_BY_OBJECT)? {
        for row in index
            .range((object, 0)..=(object, u64::MAX))?
            .rev()
            .take(count)
        {
            ids.push(row?.0.value().1);
        }
    }
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.dedup();
    let mut entries = Vec::new();
    for id in ids.into_iter().take(count) {
        if let Some(value) = table.get(id)? {
            entries.push(super::decode(value.value())?);
        }
    }
    Ok(entries)
}

/// Every action the journal holds, in order (the "Action" filter's options): one seek per action.
pub fn actions(read: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let Some(index) = super::open_or_empty(read, AUDIT_BY_ACTION)? else {
        return Ok(Vec::new());
    };
    let mut actions: Vec<String> = Vec::new();
    loop {
        let next = match actions.last() {
            None => index.iter()?.next(),
            Some(last) => index.range((last.as_str(), u64::MAX)..)?.next(),
        };
        match next {
            Some(row) => {
                let action = row?.0.value().0.to_owned();
                if actions.last() == Some(&action) {
                    break;
                }
                actions.push(action);
            }
            None => break,
        }
    }
    Ok(actions)
}

/// The ids of the entries between two times (included), by binary search on the ids, which follow time:
/// `None` when none.
fn id_range(
    table: &redb::ReadOnlyTable<u64, &[u8]>,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<Option<(u64, u64)>, StoreError> {
    let (Some(first), Some(last)) = (table.first()?, table.last()?) else {
        return Ok(None);
    };
    let (first, last) = (first.0.value(), last.0.value());
    // The first id whose entry is at or after `at`.
    let first_at_or_after = |at: i64| -> Result<Option<u64>, StoreError> {
        let (mut lo, mut hi) = (first, last + 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match table.range(mid..)?.next() {
                Some(row) => {
                    let (id, value) = row?;
                    let entry: AuditEntry = super::decode(value.value())?;
                    if entry.at >= at {
                        hi = mid;
                    } else {
                        lo = id.value() + 1;
                    }
                }
                None => hi = mid,
            }
        }
        Ok((lo <= last).then_some(lo))
    };
    let lo = match from {
        Some(from) => match first_at_or_after(from)? {
            Some(id) => id,
            None => return Ok(None),
        },
        None => first,
    };
    let hi = match to.and_then(|to| to.checked_add(1)) {
        Some(after) => match first_at_or_after(after)? {
            Some(0) => return Ok(None),
            Some(id) => id - 1,
            None => last,
        },
        None => last,
    };
    Ok((lo <= hi).then_some((lo, hi)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::ReadableDatabase;

    /// Entries written at chosen times (`record` takes the clock's).
    fn entry_at(write: &WriteTransaction, at: i64, actor: Option<u64>, action: &str) {
        let id = next_id(write, "audit").unwrap();
        let entry = AuditEntry {
            at,
            actor,
            ip: "127.0.0.1".into(),
            action: action.into(),
            object: format!("utilisateur {}", actor.unwrap_or(0)),
            result: "Succès".into(),
        };
        write
            .open_table(AUDIT)
            .unwrap()
            .insert(id, serde_json::to_vec(&entry).unwrap().as_slice())
            .unwrap();
        index(write, id, &entry).unwrap();
    }

    #[test]
    fn pages_come_from_the_indexes_and_agree_with_a_full_scan() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::open(dir.path()).unwrap();
        let write = db.begin_write().unwrap();
        for n in 0..1_000_i64 {
            let action = [
                "Connexion réussie",
                "Échec de connexion",
                "Activation du compte",
            ][(n % 3) as usize];
            entry_at(&write, 1_000 + n * 10, Some((n % 7) as u64 + 1), action);
        }
        write.commit().unwrap();
        let read = db.begin_read().unwrap();
        let all = newest_first(&read).unwrap();
        let expect = |keep: &dyn Fn(&AuditEntry) -> bool| -> Vec<i64> {
            all.iter().filter(|e| keep(e)).map(|e| e.at).collect()
        };
        let got = |filter: &Filter<'_>, skip: usize, count: usize| -> (Vec<i64>, usize) {
            let (rows, total) = page(&read, filter, skip, count).unwrap();
            (rows.into_iter().map(|(_, e)| e.at).collect(), total)
        };
        // No filter: newest first, total.
        let (rows, total) = got(&Filter::default(), 50, 50);
        assert_eq!(total, 1_000);
        assert_eq!(rows, expect(&|_| true)[50..100].to_vec());
        // Dates: both bounds included.
        let dates = Filter {
            from: Some(2_000),
            to: Some(3_000),
            ..Filter::default()
        };
        let want = expect(&|e| (2_000..=3_000).contains(&e.at));
        assert_eq!(got(&dates, 0, 1_000), (want.clone(), want.len()));
        // Action, with dates.
        let by_action = Filter {
            action: Some("Échec de connexion"),
            ..dates
        };
        let want = expect(&|e| (2_000..=3_000).contains(&e.at) && e.action == "Échec de connexion");
        assert_eq!(got(&by_action, 0, 1_000), (want.clone(), want.len()));
        // Actors, alone and with an action.
        let actors = [2_u64, 5];
        let by_actors = Filter {
            actors: Some(&actors),
            ..Filter::default()
        };
        let want = expect(&|e| e.actor.is_some_and(|a| actors.contains(&a)));
        assert_eq!(got(&by_actors, 10, 20), (want[10..30].to_vec(), want.len()));
        let both = Filter {
            action: Some("Connexion réussie"),
            actors: Some(&actors),
            ..Filter::default()
        };
        let want = expect(&|e| {
            e.actor.is_some_and(|a| actors.contains(&a)) && e.action == "Connexion réussie"
        });
        assert_eq!(got(&both, 0, 1_000), (want.clone(), want.len()));
        // Out of range dates: nothing.
        let none = Filter {
            from: Some(50_000),
            ..Filter::default()
        };
        assert_eq!(got(&none, 0, 50), (Vec::new(), 0));
        assert_eq!(
            actions(&read).unwrap(),
            vec![
                "Activation du compte",
                "Connexion réussie",
                "Échec de connexion"
            ]
        );
        assert_eq!(about(&read, 3, "utilisateur 3", 5).unwrap().len(), 5);
        drop(read);
        // Purged in batches, indexes with them.
        let write = db.begin_write().unwrap();
        assert_eq!(purge_before(&write, 2_000, 60).unwrap(), 60);
        assert_eq!(purge_before(&write, 2_000, 1_000).unwrap(), 40);
        write.commit().unwrap();
        let read = db.begin_read().unwrap();
        let (_, total) = page(&read, &Filter::default(), 0, 1).unwrap();
        assert_eq!(total, 900);
        let (_, total) = page(
            &read,
            &Filter {
                action: Some("Connexion réussie"),
                ..Filter::default()
            },
            0,
            1,
        )
        .unwrap();
        assert_eq!(
            total,
            expect(&|e| e.at >= 2_000 && e.action == "Connexion réussie").len()
        );
    }
}
