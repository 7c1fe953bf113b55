//! Tribunaux (SPEC §9): records keyed by id, with a natural-key index for idempotent imports.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::{TRIBUNAUX, TRIBUNAUX_BY_KEY};
use super::{next_id, StoreError, Upsert};
use crate::rules::tribunal::TribunalType;

/// A tribunal as imported or edited; `id` is given by the store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tribunal {
    pub id: u64,
    pub kind: TribunalType,
    pub nom: String,
    pub siret: Option<String>,
    pub adresse: String,
    pub adresse_complement: String,
    pub code_postal: String,
    pub ville: String,
    pub code_insee: String,
    pub departement: String,
    pub telephone: String,
    pub email: String,
    pub juridiction_parente: String,
    /// ISO dates (aaaa-mm-jj) as in the reference file.
    pub date_ouverture: Option<String>,
    pub date_fermeture: Option<String>,
    /// The file's `actif` flag; see `is_active` for what the product offers.
    pub actif: bool,
    /// WGS84; `None` when neither the file nor the commune locates it.
    pub coordinates: Option<(f64, f64)>,
}

impl Tribunal {
    /// The natural key of SPEC §9: (type, SIRET), or (type, nom) without SIRET — a closed tribunal
    /// d'instance and its successor share a SIRET, their types differ.
    pub fn natural_key(&self) -> String {
        match &self.siret {
            Some(siret) => format!("{}|siret:{siret}", self.kind.code()),
            None => format!("{}|nom:{}", self.kind.code(), self.nom.to_lowercase()),
        }
    }

    /// Offered to users: `actif` and no closing date in the past (`today` is aaaa-mm-jj).
    pub fn is_active(&self, today: &str) -> bool {
        self.actif
            && self
                .date_fermeture
                .as_deref()
                .is_none_or(|closed| closed >= today)
    }
}

fn decode(bytes: &[u8]) -> Result<Tribunal, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn store(write: &WriteTransaction, tribunal: &Tribunal) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(tribunal).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    write
        .open_table(TRIBUNAUX)?
        .insert(tribunal.id, bytes.as_slice())?;
    Ok(())
}

/// Creates the tribunal of its natural key, or updates it when a field changed; its id is kept.
pub fn upsert(write: &WriteTransaction, mut tribunal: Tribunal) -> Result<Upsert, StoreError> {
    let key = tribunal.natural_key();
    let existing = write
        .open_table(TRIBUNAUX_BY_KEY)?
        .get(key.as_str())?
        .map(|v| v.value());
    match existing {
        Some(id) => {
            let current = write
                .open_table(TRIBUNAUX)?
                .get(id)?
                .map(|v| decode(v.value()))
                .transpose()?;
            tribunal.id = id;
            if current.as_ref() == Some(&tribunal) {
                return Ok(Upsert::Unchanged);
            }
            store(write, &tribunal)?;
            Ok(Upsert::Updated)
        }
        None => {
            tribunal.id = next_id(write, "tribunal")?;
            write
                .open_table(TRIBUNAUX_BY_KEY)?
                .insert(key.as_str(), tribunal.id)?;
            store(write, &tribunal)?;
            Ok(Upsert::Created)
        }
    }
}

pub fn get(read: &ReadTransaction, id: u64) -> Result<Option<Tribunal>, StoreError> {
    let Some(table) = super::open_or_empty(read, TRIBUNAUX)? else {
        return Ok(None);
    };
    table.get(id)?.map(|v| decode(v.value())).transpose()
}

/// A tribunal as the write transaction sees it.
pub fn get_in(write: &WriteTransaction, id: u64) -> Result<Option<Tribunal>, StoreError> {
    write
        .open_table(TRIBUNAUX)?
        .get(id)?
        .map(|v| decode(v.value()))
        .transpose()
}

/// Why an administrator's tribunal cannot be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveTribunalError {
    #[error("Un tribunal de ce type existe déjà avec ce SIRET (ou ce nom).")]
    DuplicateKey,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<redb::TableError> for SaveTribunalError {
    fn from(e: redb::TableError) -> Self {
        SaveTribunalError::Store(e.into())
    }
}

impl From<redb::StorageError> for SaveTribunalError {
    fn from(e: redb::StorageError) -> Self {
        SaveTribunalError::Store(e.into())
    }
}

/// Creates (id 0) or rewrites a tribunal edited by an administrator, keeping the natural-key index right.
pub fn save(
    write: &WriteTransaction,
    mut tribunal: Tribunal,
) -> Result<Tribunal, SaveTribunalError> {
    let mut keys = write.open_table(TRIBUNAUX_BY_KEY)?;
    let key = tribunal.natural_key();
    let owner = keys.get(key.as_str())?.map(|v| v.value());
    if owner.is_some_and(|owner| owner != tribunal.id) {
        return Err(SaveTribunalError::DuplicateKey);
    }
    if tribunal.id == 0 {
        tribunal.id = next_id(write, "tribunal")?;
    } else {
        let previous = write
            .open_table(TRIBUNAUX)?
            .get(tribunal.id)?
            .map(|v| decode(v.value()))
            .transpose()?;
        if let Some(previous) = previous {
            keys.remove(previous.natural_key().as_str())?;
        }
    }
    keys.insert(key.as_str(), tribunal.id)?;
    drop(keys);
    store(write, &tribunal)?;
    Ok(tribunal)
}

/// Every tribunal, in id order.
static DECODED: std::sync::LazyLock<super::decode_cache::DecodeCache<Tribunal>> =
    std::sync::LazyLock::new(super::decode_cache::DecodeCache::new);

/// Every tribunal, decoded once per stored version (`decode_cache`): the administrators' list reads the
/// 599 of the reference file at each page (issue 20).
pub fn all_shared(read: &ReadTransaction) -> Result<Vec<std::sync::Arc<Tribunal>>, StoreError> {
    let Some(table) = super::open_or_empty(read, TRIBUNAUX)? else {
        return Ok(Vec::new());
    };
    table
        .iter()?
        .map(|row| {
            let (id, bytes) = row?;
            DECODED.decode(id.value(), bytes.value())
        })
        .collect()
}

/// The sorted list of the last call: the addresses of the records it was sorted from, and the list. The
/// list holds those records, so no address in the key can be reused by another record while it is kept.
type SortedByName = Option<(Vec<usize>, std::sync::Arc<Vec<std::sync::Arc<Tribunal>>>)>;
static SORTED_BY_NAME: std::sync::Mutex<SortedByName> = std::sync::Mutex::new(None);

/// Every tribunal in the order of their names (folded: accents and case ignored), sorted again only when a
/// tribunal changed (`all_shared` gives the same record while its bytes are the same): folding 599 names
/// was most of the administrators' "Tribunaux" page (issue 20).
pub fn all_by_name(
    read: &ReadTransaction,
) -> Result<std::sync::Arc<Vec<std::sync::Arc<Tribunal>>>, StoreError> {
    let all = all_shared(read)?;
    let key: Vec<usize> = all
        .iter()
        .map(|t| std::sync::Arc::as_ptr(t) as usize)
        .collect();
    let lock = || SORTED_BY_NAME.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((kept, sorted)) = lock().as_ref() {
        if *kept == key {
            return Ok(std::sync::Arc::clone(sorted));
        }
    }
    let mut sorted = all;
    sorted.sort_by_cached_key(|t| crate::rules::text::fold(&t.nom));
    let sorted = std::sync::Arc::new(sorted);
    *lock() = Some((key, std::sync::Arc::clone(&sorted)));
    Ok(sorted)
}

pub fn all(read: &ReadTransaction) -> Result<Vec<Tribunal>, StoreError> {
    let Some(table) = super::open_or_empty(read, TRIBUNAUX)? else {
        return Ok(Vec::new());
    };
    table.iter()?.map(|row| decode(row?.1.value())).collect()
}

/// The natural keys of every stored tribunal, for the "absents du fichier" count of an import.
pub fn natural_keys(write: &WriteTransaction) -> Result<Vec<String>, StoreError> {
    let table = write.open_table(TRIBUNAUX_BY_KEY)?;
    let keys = table
        .iter()?
        .map(|row| row.map(|(k, _)| k.value().to_owned()))
        .collect::<Result<_, _>>()?;
    Ok(keys)
}
