//! Server-side sessions (SPEC §4.5). The table is keyed by the SHA-256 of the session id: the id itself
//! lives only in the user's cookie, so a copy of the database opens no session.

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::SESSIONS;
use super::{decode, encode, StoreError};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub user_id: u64,
    /// Unix seconds: the absolute timeout counts from here.
    pub created_at: i64,
    /// Unix seconds of the last request seen (refreshed at most once a minute): the idle timeout counts
    /// from here.
    pub last_seen: i64,
}

pub fn insert(write: &WriteTransaction, key: &str, session: &Session) -> Result<(), StoreError> {
    write
        .open_table(SESSIONS)?
        .insert(key, encode(session)?.as_slice())?;
    Ok(())
}

pub fn get(read: &ReadTransaction, key: &str) -> Result<Option<Session>, StoreError> {
    let Some(table) = super::open_or_empty(read, SESSIONS)? else {
        return Ok(None);
    };
    table.get(key)?.map(|v| decode(v.value())).transpose()
}

pub fn remove(write: &WriteTransaction, key: &str) -> Result<(), StoreError> {
    write.open_table(SESSIONS)?.remove(key)?;
    Ok(())
}

/// Ends every session of a user but `keep` (the caller's own, on a password change); returns how many.
pub fn remove_for_user(
    write: &WriteTransaction,
    user_id: u64,
    keep: Option<&str>,
) -> Result<usize, StoreError> {
    let mut table = write.open_table(SESSIONS)?;
    let mut doomed = Vec::new();
    for row in table.iter()? {
        let (key, value) = row?;
        let session: Session = decode(value.value())?;
        if session.user_id == user_id && Some(key.value()) != keep {
            doomed.push(key.value().to_owned());
        }
    }
    for key in &doomed {
        table.remove(key.as_str())?;
    }
    Ok(doomed.len())
}

/// Removes sessions past either timeout; returns how many.
pub fn remove_expired(
    write: &WriteTransaction,
    now: i64,
    idle_secs: i64,
    absolute_secs: i64,
) -> Result<usize, StoreError> {
    let mut table = write.open_table(SESSIONS)?;
    let before = table.len()?;
    table.retain(|_, value| {
        decode::<Session>(value)
            .is_ok_and(|s| now - s.last_seen <= idle_secs && now - s.created_at <= absolute_secs)
    })?;
    Ok(usize::try_from(before - table.len()?).unwrap_or(0))
}

/// Reads a session inside a write transaction, to update it without losing a concurrent removal.
pub fn get_for_update(write: &WriteTransaction, key: &str) -> Result<Option<Session>, StoreError> {
    let table = write.open_table(SESSIONS)?;
    let session = table.get(key)?.map(|v| decode(v.value())).transpose()?;
    Ok(session)
}
