//! The read side of the mesures: look-ups by id and by RG number, an owner's or an antenne's pages and
//! counts, a tribunal's reservations. Only `mesures` writes; everything here reads an index range or a few
//! records, never a scan.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};

use super::super::tables::{
    MESURES, MESURES_BY_ANTENNE, MESURES_BY_OWNER, MESURES_BY_RG, RESERVATIONS_BY_TRIBUNAL,
};
use super::super::{decode, StoreError};
use super::{status_key, Mesure};
use crate::rules::mesure::Status;

fn get_from(
    table: &impl ReadableTable<u64, &'static [u8]>,
    id: u64,
) -> Result<Option<Mesure>, StoreError> {
    table.get(id)?.map(|v| decode(v.value())).transpose()
}

pub fn get(read: &ReadTransaction, id: u64) -> Result<Option<Mesure>, StoreError> {
    match super::super::open_or_empty(read, MESURES)? {
        Some(table) => get_from(&table, id),
        None => Ok(None),
    }
}

/// The mesure as the write transaction sees it (after the changes it already made).
pub fn get_in(write: &WriteTransaction, id: u64) -> Result<Option<Mesure>, StoreError> {
    get_from(&write.open_table(MESURES)?, id)
}

/// The id of the owner's mesure holding this RG number in this tribunal, if any.
pub fn rg_holder(
    write: &WriteTransaction,
    owner: u64,
    tribunal_id: Option<u64>,
    rg: &str,
) -> Result<Option<u64>, StoreError> {
    Ok(write
        .open_table(MESURES_BY_RG)?
        .get((owner, tribunal_id.unwrap_or(0), rg))?
        .map(|v| v.value()))
}

/// `rg_holder` for a read transaction (checks told with the other errors, before the write).
pub fn rg_holder_read(
    read: &ReadTransaction,
    owner: u64,
    tribunal_id: Option<u64>,
    rg: &str,
) -> Result<Option<u64>, StoreError> {
    let Some(table) = super::super::open_or_empty(read, MESURES_BY_RG)? else {
        return Ok(None);
    };
    Ok(table
        .get((owner, tribunal_id.unwrap_or(0), rg))?
        .map(|v| v.value()))
}

pub(super) fn count_u32(count: usize) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// The ids of an owner's (or, in `mesures_by_antenne`, an antenne's) mesures in one status, in display
/// order.
pub(super) fn ids_of_owner(
    index: &impl ReadableTable<(u64, u8, u64, u64), ()>,
    owner: u64,
    status: Status,
) -> Result<Vec<u64>, StoreError> {
    let key = status_key(status);
    let mut ids = Vec::new();
    for row in index.range((owner, key, 0, 0)..=(owner, key, u64::MAX, u64::MAX))? {
        ids.push(row?.0.value().3);
    }
    Ok(ids)
}

/// The ids of an owner's mesures in one status, as the write transaction sees them (an erasure, issue 19).
pub fn ids_of_owner_in(
    index: &redb::Table<'_, (u64, u8, u64, u64), ()>,
    owner: u64,
    status: Status,
) -> Result<Vec<u64>, StoreError> {
    ids_of_owner(index, owner, status)
}

/// One page of an owner's mesures in one status, in display order, and how many there are in all: only the
/// page's mesures are read.
pub fn page_of_owner(
    read: &ReadTransaction,
    owner: u64,
    status: Status,
    skip: usize,
    take: usize,
) -> Result<(Vec<Mesure>, usize), StoreError> {
    let (Some(index), Some(table)) = (
        super::super::open_or_empty(read, MESURES_BY_OWNER)?,
        super::super::open_or_empty(read, MESURES)?,
    ) else {
        return Ok((Vec::new(), 0));
    };
    // The total from the owner's counters (kept in each write's transaction, issue 20); only a status
    // without counter is counted on the index.
    let kept = match status {
        Status::EnCours | Status::EnAttente | Status::Eteinte => {
            crate::db::profiles::mandataire(read, owner)?.map(|p| match status {
                Status::EnCours => p.mesures_en_cours,
                Status::EnAttente => p.mesures_en_attente,
                _ => p.mesures_eteintes,
            })
        }
        Status::Refusee => None,
    };
    let key = status_key(status);
    let range = (owner, key, 0, 0)..=(owner, key, u64::MAX, u64::MAX);
    let total = match kept {
        Some(count) => count as usize,
        None => index.range(range.clone())?.count(),
    };
    let mut mesures = Vec::new();
    for row in index.range(range)?.skip(skip).take(take) {
        if let Some(mesure) = get_from(&table, row?.0.value().3)? {
            mesures.push(mesure);
        }
    }
    Ok((mesures, total))
}

/// One page of an antenne's mesures in one status, in display order, and how many there are in all.
pub fn page_of_antenne(
    read: &ReadTransaction,
    antenne: u64,
    status: Status,
    skip: usize,
    take: usize,
) -> Result<(Vec<Mesure>, usize), StoreError> {
    let (Some(index), Some(table)) = (
        super::super::open_or_empty(read, MESURES_BY_ANTENNE)?,
        super::super::open_or_empty(read, MESURES)?,
    ) else {
        return Ok((Vec::new(), 0));
    };
    let ids = ids_of_owner(&index, antenne, status)?;
    let mut mesures = Vec::new();
    for &id in ids.iter().skip(skip).take(take) {
        if let Some(mesure) = get_from(&table, id)? {
            mesures.push(mesure);
        }
    }
    Ok((mesures, ids.len()))
}

/// One page of the mesures of an owner (or, `by_antenne`, of an antenne) in one status that `keep` accepts,
/// in display order, and how many match in all. Every mesure of the list is read once: a search costs in
/// proportion to the owner's mesures (5,000 for a large service: see docs/PERFORMANCE.md).
pub fn search_page(
    read: &ReadTransaction,
    holder: u64,
    by_antenne: bool,
    status: Status,
    keep: impl Fn(&Mesure) -> bool,
    skip: usize,
    take: usize,
) -> Result<(Vec<Mesure>, usize), StoreError> {
    let index = if by_antenne {
        MESURES_BY_ANTENNE
    } else {
        MESURES_BY_OWNER
    };
    let (Some(index), Some(table)) = (
        super::super::open_or_empty(read, index)?,
        super::super::open_or_empty(read, MESURES)?,
    ) else {
        return Ok((Vec::new(), 0));
    };
    let mut page = Vec::new();
    let mut total = 0;
    for id in ids_of_owner(&index, holder, status)? {
        let Some(mesure) = get_from(&table, id)? else {
            continue;
        };
        if keep(&mesure) {
            if total >= skip && page.len() < take {
                page.push(mesure);
            }
            total += 1;
        }
    }
    Ok((page, total))
}

/// How many mesures an antenne holds, in every status (a delete is refused while there are some).
pub fn count_of_antenne(write: &WriteTransaction, antenne: u64) -> Result<usize, StoreError> {
    let index = write.open_table(MESURES_BY_ANTENNE)?;
    let count = index
        .range((antenne, 0, 0, 0)..=(antenne, u8::MAX, u64::MAX, u64::MAX))?
        .count();
    Ok(count)
}

/// An owner's mesures in one status.
pub fn of_owner(
    read: &ReadTransaction,
    owner: u64,
    status: Status,
) -> Result<Vec<Mesure>, StoreError> {
    let (Some(index), Some(table)) = (
        super::super::open_or_empty(read, MESURES_BY_OWNER)?,
        super::super::open_or_empty(read, MESURES)?,
    ) else {
        return Ok(Vec::new());
    };
    let mut mesures = Vec::new();
    for id in ids_of_owner(&index, owner, status)? {
        if let Some(mesure) = get_from(&table, id)? {
            mesures.push(mesure);
        }
    }
    Ok(mesures)
}

/// The numéros de dossier of an owner's mesures, whatever their status: an import skips the rows holding
/// one of them (SPEC §5.8).
fn dossiers_from(
    index: &impl ReadableTable<(u64, u8, u64, u64), ()>,
    table: &impl ReadableTable<u64, &'static [u8]>,
    owner: u64,
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut dossiers = std::collections::HashSet::new();
    for row in index.range((owner, 0, 0, 0)..=(owner, u8::MAX, u64::MAX, u64::MAX))? {
        if let Some(mesure) = get_from(table, row?.0.value().3)? {
            dossiers.extend(mesure.numero_dossier);
        }
    }
    Ok(dossiers)
}

/// `dossiers_from` on the read side.
pub fn dossiers_of_owner(
    read: &ReadTransaction,
    owner: u64,
) -> Result<std::collections::HashSet<String>, StoreError> {
    match (
        super::super::open_or_empty(read, MESURES_BY_OWNER)?,
        super::super::open_or_empty(read, MESURES)?,
    ) {
        (Some(index), Some(table)) => dossiers_from(&index, &table, owner),
        _ => Ok(std::collections::HashSet::new()),
    }
}

/// `dossiers_from` as the write transaction sees it.
pub fn dossiers_of_owner_in(
    write: &WriteTransaction,
    owner: u64,
) -> Result<std::collections::HashSet<String>, StoreError> {
    dossiers_from(
        &write.open_table(MESURES_BY_OWNER)?,
        &write.open_table(MESURES)?,
        owner,
    )
}

/// How many mesures an owner has in one status (from the index alone).
pub fn count_of_owner(
    write: &WriteTransaction,
    owner: u64,
    status: Status,
) -> Result<u32, StoreError> {
    let index = write.open_table(MESURES_BY_OWNER)?;
    let count = ids_of_owner(&index, owner, status)?.len();
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// How many mesures an owner has in one status, read side.
pub fn count_of_owner_read(
    read: &ReadTransaction,
    owner: u64,
    status: Status,
) -> Result<u32, StoreError> {
    let Some(index) = super::super::open_or_empty(read, MESURES_BY_OWNER)? else {
        return Ok(0);
    };
    let count = ids_of_owner(&index, owner, status)?.len();
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// The ids of the mesures a tribunal reserved, in one status or all, newest first.
pub fn reservation_ids(
    read: &ReadTransaction,
    tribunal_id: u64,
    status: Option<Status>,
) -> Result<Vec<u64>, StoreError> {
    let Some(index) = super::super::open_or_empty(read, RESERVATIONS_BY_TRIBUNAL)? else {
        return Ok(Vec::new());
    };
    let (low, high) = match status {
        Some(status) => (status_key(status), status_key(status)),
        None => (0, u8::MAX),
    };
    let mut ids = Vec::new();
    for row in index.range((tribunal_id, low, 0)..=(tribunal_id, high, u64::MAX))? {
        ids.push(row?.0.value().2);
    }
    ids.sort_unstable_by(|a, b| b.cmp(a));
    Ok(ids)
}

/// The ids of every reservation, whatever its tribunal and status (a magistrat's own data, issue 19).
pub fn all_reservation_ids(read: &ReadTransaction) -> Result<Vec<u64>, StoreError> {
    let Some(index) = super::super::open_or_empty(read, RESERVATIONS_BY_TRIBUNAL)? else {
        return Ok(Vec::new());
    };
    let mut ids = Vec::new();
    for row in index.iter()? {
        ids.push(row?.0.value().2);
    }
    Ok(ids)
}

/// The ids of every reservation en attente, whatever its tribunal (the daily check of issue 18).
pub fn waiting_reservation_ids(read: &ReadTransaction) -> Result<Vec<u64>, StoreError> {
    let Some(index) = super::super::open_or_empty(read, RESERVATIONS_BY_TRIBUNAL)? else {
        return Ok(Vec::new());
    };
    let waiting = status_key(Status::EnAttente);
    let mut ids = Vec::new();
    for row in index.iter()? {
        let (_, status, id) = row?.0.value();
        if status == waiting {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// How many reservations of the tribunal are in this status (the "Mesures réservées" badge).
pub fn count_reservations(
    read: &ReadTransaction,
    tribunal_id: u64,
    status: Status,
) -> Result<u32, StoreError> {
    let Some(index) = super::super::open_or_empty(read, RESERVATIONS_BY_TRIBUNAL)? else {
        return Ok(0);
    };
    let key = status_key(status);
    let count = index
        .range((tribunal_id, key, 0)..=(tribunal_id, key, u64::MAX))?
        .count();
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// The mesures of these ids (missing ones skipped), in the given order.
pub fn get_many(read: &ReadTransaction, ids: &[u64]) -> Result<Vec<Mesure>, StoreError> {
    let Some(table) = super::super::open_or_empty(read, MESURES)? else {
        return Ok(Vec::new());
    };
    let mut mesures = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(mesure) = get_from(&table, id)? {
            mesures.push(mesure);
        }
    }
    Ok(mesures)
}
