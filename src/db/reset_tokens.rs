//! Password-reset tokens (SPEC §4.3): stored as the SHA-256 of the token, single use, 2 hours.

use redb::{ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::RESET_TOKENS;
use super::{decode, encode, StoreError};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResetToken {
    pub user_id: u64,
    /// Unix seconds.
    pub expires_at: i64,
}

pub fn insert(write: &WriteTransaction, key: &str, token: &ResetToken) -> Result<(), StoreError> {
    write
        .open_table(RESET_TOKENS)?
        .insert(key, encode(token)?.as_slice())?;
    Ok(())
}

/// Removes the token and returns it when it was still valid at `now`: a token serves once at most.
pub fn take(
    write: &WriteTransaction,
    key: &str,
    now: i64,
) -> Result<Option<ResetToken>, StoreError> {
    let mut table = write.open_table(RESET_TOKENS)?;
    let token = table
        .remove(key)?
        .map(|v| decode::<ResetToken>(v.value()))
        .transpose()?;
    Ok(token.filter(|t| t.expires_at >= now))
}

/// Reads a token without using it (the reset page checks the link before showing the form).
pub fn peek(
    read: &redb::ReadTransaction,
    key: &str,
    now: i64,
) -> Result<Option<ResetToken>, StoreError> {
    let Some(table) = super::open_or_empty(read, RESET_TOKENS)? else {
        return Ok(None);
    };
    let token = table
        .get(key)?
        .map(|v| decode::<ResetToken>(v.value()))
        .transpose()?;
    Ok(token.filter(|t| t.expires_at >= now))
}

/// Removes every token of a user (after a successful reset, the other links die too).
pub fn remove_for_user(write: &WriteTransaction, user_id: u64) -> Result<(), StoreError> {
    let mut table = write.open_table(RESET_TOKENS)?;
    table.retain(|_, value| decode::<ResetToken>(value).is_ok_and(|t| t.user_id != user_id))?;
    Ok(())
}

/// Removes the tokens expired at `now` (the hourly clean-up): an unused link leaves no trace past its life.
pub fn purge_expired(write: &WriteTransaction, now: i64) -> Result<usize, StoreError> {
    let mut table = write.open_table(RESET_TOKENS)?;
    let before = table.len()?;
    table.retain(|_, value| decode::<ResetToken>(value).is_ok_and(|t| t.expires_at >= now))?;
    Ok((before - table.len()?) as usize)
}
