//! The audit log ("Journal", SPEC §12): who did what, when, from where, on which object, with what result.
//! Entries hold identifiers only, never secrets or mesure attributes.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::AUDIT;
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

/// Appends an entry in the caller's write transaction: the entry exists exactly when the action does.
pub fn record(
    write: &WriteTransaction,
    actor: Option<u64>,
    ip: &str,
    action: &str,
    object: &str,
    result: &str,
) -> Result<(), StoreError> {
    let entry = AuditEntry {
        at: now(),
        actor,
        ip: ip.to_owned(),
        action: action.to_owned(),
        object: object.to_owned(),
        result: result.to_owned(),
    };
    let id = next_id(write, "audit")?;
    let bytes = serde_json::to_vec(&entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    write.open_table(AUDIT)?.insert(id, bytes.as_slice())?;
    Ok(())
}

/// Every entry, newest first.
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

/// Removes entries older than `cutoff` (SPEC §7: kept 12 months).
pub fn purge_before(write: &WriteTransaction, cutoff: i64) -> Result<(), StoreError> {
    write
        .open_table(AUDIT)?
        .retain(|_, value| super::decode::<AuditEntry>(value).is_ok_and(|e| e.at >= cutoff))?;
    Ok(())
}
