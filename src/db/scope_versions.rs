//! A version per tribunal of its magistrats' scope (issue 18): the active mandataires who declared it, as the
//! list, the map and the header show them. Every write path that changes what they show bumps the versions
//! of the tribunaux concerned in its own write transaction: a mandataire profile stored (counters, dates,
//! declared tribunaux: `profiles`), an account's name, role or status (`users::put`, `users::remove`), a
//! service stored (`services::put`). `server::magistrat::scope` keeps the scope decoded and sorted for a
//! version, and uses it only while a read transaction sees that very version.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};

use super::tables::SCOPE_VERSIONS;
use super::StoreError;

/// Bumps the version of each of `tribunaux`.
pub fn bump(write: &WriteTransaction, tribunaux: &[u64]) -> Result<(), StoreError> {
    if tribunaux.is_empty() {
        return Ok(());
    }
    let mut table = write.open_table(SCOPE_VERSIONS)?;
    for &tribunal in tribunaux {
        let version = table.get(tribunal)?.map_or(0, |v| v.value());
        table.insert(tribunal, version.wrapping_add(1))?;
    }
    Ok(())
}

/// Bumps the versions of the tribunaux the mandataire `id` (an account or a service) declared, if any.
pub fn bump_for_mandataire(write: &WriteTransaction, id: u64) -> Result<(), StoreError> {
    match super::profiles::mandataire_in(write, id)? {
        Some(profile) => bump(write, &profile.tribunaux),
        None => Ok(()),
    }
}

/// The version of a tribunal's scope as `read` sees it (0 before any change).
pub fn version(read: &ReadTransaction, tribunal: u64) -> Result<u64, StoreError> {
    let Some(table) = super::open_or_empty(read, SCOPE_VERSIONS)? else {
        return Ok(0);
    };
    Ok(table.get(tribunal)?.map_or(0, |v| v.value()))
}
