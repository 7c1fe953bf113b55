//! Établissements (FINESS, SPEC §9): keyed by their FINESS ET number.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::ETABLISSEMENTS;
use super::{StoreError, Upsert};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Etablissement {
    /// FINESS ET: 9 characters (2A/2B in Corsica).
    pub finess: String,
    pub finess_ej: String,
    /// rslongue, else rs.
    pub nom: String,
    pub adresse: String,
    pub code_postal: String,
    pub ville: String,
    pub code_insee: String,
    pub telephone: String,
    pub categorie: String,
    pub categorie_libelle: String,
    pub siret: String,
    pub coordinates: Option<(f64, f64)>,
    /// Closed by an administrator: hidden from the autocomplete; an import never reopens it.
    pub ferme: bool,
}

fn decode(bytes: &[u8]) -> Result<Etablissement, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Creates or updates by FINESS number; the `ferme` flag set by an administrator is kept.
pub fn upsert(
    write: &WriteTransaction,
    mut etablissement: Etablissement,
) -> Result<Upsert, StoreError> {
    let mut table = write.open_table(ETABLISSEMENTS)?;
    let current = table
        .get(etablissement.finess.as_str())?
        .map(|v| decode(v.value()))
        .transpose()?;
    if let Some(current) = &current {
        etablissement.ferme = current.ferme;
        if *current == etablissement {
            return Ok(Upsert::Unchanged);
        }
    }
    let bytes =
        serde_json::to_vec(&etablissement).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    table.insert(etablissement.finess.as_str(), bytes.as_slice())?;
    Ok(if current.is_some() {
        Upsert::Updated
    } else {
        Upsert::Created
    })
}

pub fn get(read: &ReadTransaction, finess: &str) -> Result<Option<Etablissement>, StoreError> {
    let Some(table) = super::open_or_empty(read, ETABLISSEMENTS)? else {
        return Ok(None);
    };
    table.get(finess)?.map(|v| decode(v.value())).transpose()
}

/// Closes (or reopens) an établissement; returns it, or `None` when the number is unknown.
pub fn set_closed(
    write: &WriteTransaction,
    finess: &str,
    closed: bool,
) -> Result<Option<Etablissement>, StoreError> {
    let mut table = write.open_table(ETABLISSEMENTS)?;
    let current = table.get(finess)?.map(|v| decode(v.value())).transpose()?;
    let Some(mut etablissement) = current else {
        return Ok(None);
    };
    etablissement.ferme = closed;
    let bytes = super::encode(&etablissement)?;
    table.insert(finess, bytes.as_slice())?;
    Ok(Some(etablissement))
}

/// Every établissement, one at a time: the autocomplete's start-up reads 100,000 without holding them all
/// decoded at once (issue 20).
pub fn for_each(
    read: &ReadTransaction,
    mut each: impl FnMut(Etablissement),
) -> Result<(), StoreError> {
    let Some(table) = super::open_or_empty(read, ETABLISSEMENTS)? else {
        return Ok(());
    };
    for row in table.iter()? {
        each(decode(row?.1.value())?);
    }
    Ok(())
}

pub fn all(read: &ReadTransaction) -> Result<Vec<Etablissement>, StoreError> {
    let Some(table) = super::open_or_empty(read, ETABLISSEMENTS)? else {
        return Ok(Vec::new());
    };
    table.iter()?.map(|row| decode(row?.1.value())).collect()
}

/// The établissements from `skip` in FINESS order, at most `count`, and how many there are: only those
/// shown are decoded (the administrators' list of 100,000, issue 20).
pub fn page(
    read: &ReadTransaction,
    skip: usize,
    count: usize,
) -> Result<(Vec<Etablissement>, usize), StoreError> {
    use redb::ReadableTableMetadata;
    let Some(table) = super::open_or_empty(read, ETABLISSEMENTS)? else {
        return Ok((Vec::new(), 0));
    };
    let total = usize::try_from(table.len()?).unwrap_or(usize::MAX);
    let shown = table
        .iter()?
        .skip(skip)
        .take(count)
        .map(|row| decode(row?.1.value()))
        .collect::<Result<_, _>>()?;
    Ok((shown, total))
}

/// Every FINESS number stored, for the "absents du fichier" count.
pub fn finess_numbers(write: &WriteTransaction) -> Result<Vec<String>, StoreError> {
    let table = write.open_table(ETABLISSEMENTS)?;
    let numbers = table
        .iter()?
        .map(|row| row.map(|(k, _)| k.value().to_owned()))
        .collect::<Result<_, _>>()?;
    Ok(numbers)
}
