//! Mesures (SPEC §8) and their indexes. Every function here works inside the caller's transaction.
//!
//! The invariants live here, by construction: `insert`, `replace` and `delete` are the only writers of a
//! mesure, and each also keeps its indexes, the per-commune summary of "Vue carte", and its owner's counters
//! (en cours, en attente) and "Dernière mise à jour" (SPEC §8.4). Counters move by the change's difference,
//! so a write costs the same whatever the owner's number of mesures; `recount` checks them at start-up.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::{
    MESURES, MESURES_BY_ANTENNE, MESURES_BY_OWNER, MESURES_BY_RG, MESURES_CARTE,
    RESERVATIONS_BY_TRIBUNAL,
};
use super::{decode, encode, next_id, profiles, StoreError};
use crate::rules::mesure::{CauseSortie, Champ, LieuDeVie, Nature, Origin, Status};
use crate::rules::profile::Genre;

/// A magistrat's reservation (SPEC §6.3): who, for which tribunal, when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reservation {
    pub magistrat_id: u64,
    pub tribunal_id: u64,
    pub cabinet: Option<String>,
    /// Unix seconds.
    pub reserved_at: i64,
    pub accepted_at: Option<i64>,
    /// "Refuser la mesure" (issue 17): the mandataire's reason and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refus: Option<Refus>,
    /// "Oui, c'est une demande urgente" (issue 18).
    #[serde(default)]
    pub urgente: bool,
    /// "Date prévisionnelle du jugement" (issue 18), ISO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_jugement: Option<String>,
    /// When the reserving magistrat was asked to confirm or cancel a reservation waiting too long
    /// (issue 18), Unix seconds: once only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relance_at: Option<i64>,
}

/// A declined reservation: why, and when (Unix seconds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refus {
    pub motif: String,
    pub at: i64,
}

/// One mesure. Nothing in it identifies the majeur (SPEC §8.3): birth year, commune, no free text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mesure {
    pub id: u64,
    /// The mandataire's user id.
    pub owner: u64,
    pub status: Status,
    pub origin: Origin,
    pub nature: Nature,
    pub champ: Option<Champ>,
    /// ISO date; `None` while a reservation waits.
    pub date_decision: Option<String>,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    pub commune: Option<String>,
    pub genre: Genre,
    pub annee_naissance: u16,
    pub lieu_de_vie: Option<LieuDeVie>,
    /// FINESS number, for the two établissement lieux de vie only.
    pub etablissement: Option<String>,
    pub numero_dossier: Option<String>,
    /// Upper-case, without spaces.
    pub numero_rg: Option<String>,
    pub tribunal_id: Option<u64>,
    pub reservation: Option<Reservation>,
    pub date_fin: Option<String>,
    pub cause_sortie: Option<CauseSortie>,
    /// Unix seconds.
    pub created_at: i64,
    /// The service's antenne holding the mesure (services only, issue 16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub antenne: Option<u64>,
}

pub(crate) fn status_key(status: Status) -> u8 {
    match status {
        Status::EnAttente => 0,
        Status::EnCours => 1,
        Status::Eteinte => 2,
        Status::Refusee => 3,
    }
}

/// Orders a tab: the newest decision (en cours), end (éteintes) or reservation (en attente) first.
fn rank(mesure: &Mesure) -> u64 {
    let date_number = |iso: Option<&str>| -> u64 {
        iso.map(|d| d.replace('-', ""))
            .and_then(|d| d.parse().ok())
            .unwrap_or(0)
    };
    let recency = match mesure.status {
        Status::EnCours => date_number(mesure.date_decision.as_deref()),
        Status::Eteinte => date_number(mesure.date_fin.as_deref()),
        Status::EnAttente => mesure
            .reservation
            .as_ref()
            .map_or(mesure.created_at, |r| r.reserved_at)
            .max(0) as u64,
        Status::Refusee => mesure
            .reservation
            .as_ref()
            .and_then(|r| r.refus.as_ref())
            .map_or(mesure.created_at, |r| r.at)
            .max(0) as u64,
    };
    u64::MAX - recency
}

/// The key of `mesures_by_antenne`, for a mesure of an antenne.
pub(super) fn antenne_key(mesure: &Mesure) -> Option<(u64, u8, u64, u64)> {
    mesure
        .antenne
        .map(|antenne| (antenne, status_key(mesure.status), rank(mesure), mesure.id))
}

pub(super) fn owner_key(mesure: &Mesure) -> (u64, u8, u64, u64) {
    (
        mesure.owner,
        status_key(mesure.status),
        rank(mesure),
        mesure.id,
    )
}

/// What "Vue carte" needs of a mesure en cours: (nature, champ, birth year).
pub type MapLine = (Nature, Option<Champ>, u16);

pub(super) fn map_entry(mesure: &Mesure) -> Option<(&str, MapLine)> {
    if mesure.status != Status::EnCours {
        return None;
    }
    let insee = mesure.code_insee.as_deref()?;
    Some((insee, (mesure.nature, mesure.champ, mesure.annee_naissance)))
}

/// The summary key of a map line: "nature|champ|birth year" (codes, so that the key reads back).
pub(super) fn line_key((nature, champ, annee): MapLine) -> String {
    format!(
        "{}|{}|{annee}",
        nature.code(),
        champ.map(Champ::code).unwrap_or_default()
    )
}

/// The map line of a summary key; `None` for a key this version does not know.
fn line_of(key: &str) -> Option<MapLine> {
    let mut parts = key.split('|');
    let nature = Nature::from_code(parts.next()?)?;
    let champ = match parts.next()? {
        "" => None,
        code => Some(Champ::from_code(code)?),
    };
    let annee = parts.next()?.parse().ok()?;
    Some((nature, champ, annee))
}

/// Adds a mesure en cours to (or takes it from) the per-commune summary: one counter moves.
fn change_map(write: &WriteTransaction, mesure: &Mesure, add: bool) -> Result<(), StoreError> {
    let Some((insee, line)) = map_entry(mesure) else {
        return Ok(());
    };
    let mut table = write.open_table(MESURES_CARTE)?;
    let line = line_key(line);
    let key = (mesure.owner, insee, line.as_str());
    let count = table.get(key)?.map_or(0, |v| v.value());
    let count = if add {
        count.saturating_add(1)
    } else {
        count.saturating_sub(1)
    };
    if count == 0 {
        table.remove(key)?;
    } else {
        table.insert(key, count)?;
    }
    Ok(())
}

/// The per-commune summary rebuilt from the mesures (schema migration): every mesure en cours counted once.
pub(crate) fn rebuild_map(write: &WriteTransaction) -> Result<(), StoreError> {
    let mesures: Vec<Mesure> = {
        let table = write.open_table(MESURES)?;
        let mut all = Vec::new();
        for row in table.iter()? {
            all.push(decode(row?.1.value())?);
        }
        all
    };
    for mesure in &mesures {
        change_map(write, mesure, true)?;
    }
    Ok(())
}

/// The owner's mesures en cours by commune: (INSEE code, lines), communes in code order.
pub fn map_of_owner(
    read: &ReadTransaction,
    owner: u64,
) -> Result<Vec<(String, Vec<MapLine>)>, StoreError> {
    let Some(table) = super::open_or_empty(read, MESURES_CARTE)? else {
        return Ok(Vec::new());
    };
    let mut communes: Vec<(String, Vec<MapLine>)> = Vec::new();
    for row in table.range((owner, "", "")..(owner + 1, "", ""))? {
        let (key, count) = row?;
        let (_, insee, line) = key.value();
        let Some(line) = line_of(line) else {
            continue;
        };
        if communes.last().is_none_or(|(last, _)| last != insee) {
            communes.push((insee.to_owned(), Vec::new()));
        }
        if let Some((_, lines)) = communes.last_mut() {
            lines.extend(std::iter::repeat_n(line, count.value() as usize));
        }
    }
    Ok(communes)
}

/// One commune of an owner's map: how many mesures en cours, the first `max_lines` distinct lines with
/// their counts (in the summary's order), and how many mesures the other lines hold.
pub struct CommuneLines {
    pub insee: String,
    pub total: u32,
    pub lines: Vec<(MapLine, u32)>,
    pub rest: u32,
}

/// The owner's map by commune, read from the summary's counters: only the lines shown are parsed (a
/// service's 5,000 mesures en cours are thousands of counters, issue 20).
pub fn lines_of_owner(
    read: &ReadTransaction,
    owner: u64,
    max_lines: usize,
) -> Result<Vec<CommuneLines>, StoreError> {
    let Some(table) = super::open_or_empty(read, MESURES_CARTE)? else {
        return Ok(Vec::new());
    };
    let mut communes: Vec<CommuneLines> = Vec::new();
    for row in table.range((owner, "", "")..(owner + 1, "", ""))? {
        let (key, count) = row?;
        let (_, insee, line) = key.value();
        let count = count.value();
        if communes.last().is_none_or(|c| c.insee != insee) {
            communes.push(CommuneLines {
                insee: insee.to_owned(),
                total: 0,
                lines: Vec::new(),
                rest: 0,
            });
        }
        let Some(commune) = communes.last_mut() else {
            continue;
        };
        commune.total = commune.total.saturating_add(count);
        if commune.lines.len() < max_lines {
            if let Some(line) = line_of(line) {
                commune.lines.push((line, count));
            }
        } else {
            commune.rest = commune.rest.saturating_add(count);
        }
    }
    Ok(communes)
}

/// How many mesures en cours these owners have together in each commune: (INSEE code → count), through one
/// opening of the table, summing counters without decoding anything (the magistrat's map reads this for
/// hundreds of mandataires per page).
pub fn counts_by_commune(
    read: &ReadTransaction,
    owners: &[u64],
) -> Result<std::collections::HashMap<String, u32>, StoreError> {
    let mut counts = std::collections::HashMap::new();
    let Some(table) = super::open_or_empty(read, MESURES_CARTE)? else {
        return Ok(counts);
    };
    for &owner in owners {
        for row in table.range((owner, "", "")..(owner + 1, "", ""))? {
            let (key, count) = row?;
            let entry = counts.entry(key.value().1.to_owned()).or_insert(0u32);
            *entry = entry.saturating_add(count.value());
        }
    }
    Ok(counts)
}

/// How many mesures en cours each of these owners has in one commune (owners without any left out), from
/// the map's counters: "Who already works there" of the magistrat's map (issue 18).
pub fn owners_in_commune(
    read: &ReadTransaction,
    owners: &[u64],
    insee: &str,
) -> Result<Vec<(u64, u32)>, StoreError> {
    let mut found = Vec::new();
    let Some(table) = super::open_or_empty(read, MESURES_CARTE)? else {
        return Ok(found);
    };
    for &owner in owners {
        let mut count = 0u32;
        for row in table.range((owner, insee, "")..(owner + 1, "", ""))? {
            let (key, value) = row?;
            if key.value().1 != insee {
                break;
            }
            count = count.saturating_add(value.value());
        }
        if count > 0 {
            found.push((owner, count));
        }
    }
    Ok(found)
}

/// The RG index key: no tribunal counts as tribunal 0 (SPEC §5.3: "no tribunal counting as one value").
/// A declined reservation holds no number: the mandataire may record that RG again.
pub(super) fn rg_key(mesure: &Mesure) -> Option<(u64, u64, &str)> {
    if mesure.status == Status::Refusee {
        return None;
    }
    mesure
        .numero_rg
        .as_deref()
        .map(|rg| (mesure.owner, mesure.tribunal_id.unwrap_or(0), rg))
}

pub(super) fn reservation_key(mesure: &Mesure) -> Option<(u64, u8, u64)> {
    mesure
        .reservation
        .as_ref()
        .map(|r| (r.tribunal_id, status_key(mesure.status), mesure.id))
}

fn add_indexes(write: &WriteTransaction, mesure: &Mesure) -> Result<(), StoreError> {
    write
        .open_table(MESURES_BY_OWNER)?
        .insert(owner_key(mesure), ())?;
    change_map(write, mesure, true)?;
    if let Some(key) = antenne_key(mesure) {
        write.open_table(MESURES_BY_ANTENNE)?.insert(key, ())?;
    }
    if let Some(key) = rg_key(mesure) {
        write.open_table(MESURES_BY_RG)?.insert(key, mesure.id)?;
    }
    if let Some(key) = reservation_key(mesure) {
        write
            .open_table(RESERVATIONS_BY_TRIBUNAL)?
            .insert(key, ())?;
    }
    Ok(())
}

fn remove_indexes(write: &WriteTransaction, mesure: &Mesure) -> Result<(), StoreError> {
    write
        .open_table(MESURES_BY_OWNER)?
        .remove(owner_key(mesure))?;
    change_map(write, mesure, false)?;
    if let Some(key) = antenne_key(mesure) {
        write.open_table(MESURES_BY_ANTENNE)?.remove(key)?;
    }
    if let Some(key) = rg_key(mesure) {
        let mut table = write.open_table(MESURES_BY_RG)?;
        // Only this mesure's own entry: never another's with the same number.
        let owned = table.get(key)?.map(|v| v.value()) == Some(mesure.id);
        if owned {
            table.remove(key)?;
        }
    }
    if let Some(key) = reservation_key(mesure) {
        write.open_table(RESERVATIONS_BY_TRIBUNAL)?.remove(key)?;
    }
    Ok(())
}

/// Who makes a change: the mesure's owner (it is their "Dernière mise à jour", SPEC §8.4) or someone else (a
/// magistrat's reservation, the demo).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Author {
    Owner,
    Other,
}

/// What a mesure adds to its owner's counters: [en cours, en attente, éteintes].
type Weight = [i64; 3];

fn weight(mesure: &Mesure) -> Weight {
    [
        i64::from(mesure.status == Status::EnCours),
        i64::from(mesure.status == Status::EnAttente),
        i64::from(mesure.status == Status::Eteinte),
    ]
}

fn minus(a: Weight, b: Weight) -> Weight {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn negated(a: Weight) -> Weight {
    minus([0; 3], a)
}

/// Moves an owner's counters by a difference and, for their own change, sets "Dernière mise à jour". An
/// owner without a profile (never in the product) has no counters to keep.
fn adjust_owner(
    write: &WriteTransaction,
    owner: u64,
    by: Weight,
    author: Author,
) -> Result<(), StoreError> {
    if by == [0; 3] && author == Author::Other {
        return Ok(());
    }
    let Some(mut profile) = profiles::mandataire_in(write, owner)? else {
        return Ok(());
    };
    let moved =
        |count: u32, by: i64| u32::try_from((i64::from(count) + by).max(0)).unwrap_or(u32::MAX);
    profile.mesures_en_cours = moved(profile.mesures_en_cours, by[0]);
    profile.mesures_en_attente = moved(profile.mesures_en_attente, by[1]);
    profile.mesures_eteintes = moved(profile.mesures_eteintes, by[2]);
    if author == Author::Owner {
        profile.derniere_mise_a_jour = Some(super::now());
    }
    profiles::put_mandataire_record(write, owner, &profile)
}

/// Moves an antenne's counters by a difference (the service's own move with `adjust_owner`).
fn adjust_antenne(
    write: &WriteTransaction,
    antenne: Option<u64>,
    by: Weight,
) -> Result<(), StoreError> {
    let (en_cours, en_attente) = (by[0], by[1]);
    let Some(id) = antenne else {
        return Ok(());
    };
    if (en_cours, en_attente) == (0, 0) {
        return Ok(());
    }
    let Some(mut record) = super::services::antenne_in(write, id)? else {
        return Ok(());
    };
    let moved =
        |count: u32, by: i64| u32::try_from((i64::from(count) + by).max(0)).unwrap_or(u32::MAX);
    record.mesures_en_cours = moved(record.mesures_en_cours, en_cours);
    record.mesures_en_attente = moved(record.mesures_en_attente, en_attente);
    super::services::put_antenne_record(write, &record)
}

/// Stores a new mesure under a fresh id (the given `id` is ignored), with its indexes and its owner's
/// counters, and returns it.
pub fn insert(
    write: &WriteTransaction,
    mut mesure: Mesure,
    author: Author,
) -> Result<Mesure, StoreError> {
    mesure.id = next_id(write, "mesure")?;
    write
        .open_table(MESURES)?
        .insert(mesure.id, encode(&mesure)?.as_slice())?;
    add_indexes(write, &mesure)?;
    adjust_owner(write, mesure.owner, weight(&mesure), author)?;
    adjust_antenne(write, mesure.antenne, weight(&mesure))?;
    Ok(mesure)
}

/// Replaces a stored mesure (same id), keeping its indexes and its owner's counters right.
pub fn replace(
    write: &WriteTransaction,
    previous: &Mesure,
    next: &Mesure,
    author: Author,
) -> Result<(), StoreError> {
    debug_assert_eq!(previous.id, next.id);
    remove_indexes(write, previous)?;
    write
        .open_table(MESURES)?
        .insert(next.id, encode(next)?.as_slice())?;
    add_indexes(write, next)?;
    let (before, after) = (weight(previous), weight(next));
    if previous.antenne == next.antenne {
        adjust_antenne(write, next.antenne, minus(after, before))?;
    } else {
        adjust_antenne(write, previous.antenne, negated(before))?;
        adjust_antenne(write, next.antenne, after)?;
    }
    if previous.owner == next.owner {
        adjust_owner(write, next.owner, minus(after, before), author)
    } else {
        adjust_owner(write, previous.owner, negated(before), Author::Other)?;
        adjust_owner(write, next.owner, after, author)
    }
}

/// Removes a mesure with its indexes, and takes it off its owner's counters.
pub fn delete(write: &WriteTransaction, mesure: &Mesure, author: Author) -> Result<(), StoreError> {
    remove_indexes(write, mesure)?;
    write.open_table(MESURES)?.remove(mesure.id)?;
    let by = negated(weight(mesure));
    adjust_antenne(write, mesure.antenne, by)?;
    adjust_owner(write, mesure.owner, by, author)
}

#[path = "mesures_counts.rs"]
mod counts;
pub(crate) use counts::fill_eteintes;
pub use counts::recount;

#[path = "mesures_read.rs"]
mod read;
pub use read::{
    all_reservation_ids, count_of_antenne, count_of_owner, count_of_owner_read, count_reservations,
    dossiers_of_owner, dossiers_of_owner_in, get, get_in, get_many, ids_of_owner_in, of_owner,
    page_of_antenne, page_of_owner, reservation_ids, rg_holder, rg_holder_read, search_page,
    waiting_reservation_ids,
};

#[cfg(test)]
#[path = "mesures_tests.rs"]
mod tests;
