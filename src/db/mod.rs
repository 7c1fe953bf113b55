//! The embedded redb database: opening, schema version and forward migrations.
//!
//! Every table of the product is declared in `tables`; every state change is one write transaction.

pub mod audit;
pub mod backup;
pub mod check;
pub mod decode_cache;
pub mod demo;
pub mod erasure;
pub mod etablissements;
pub mod mesures;
pub mod notes;
pub mod outbox;
pub mod profiles;
pub mod reset_tokens;
pub mod schema;
pub mod scope_versions;
pub mod services;
pub mod sessions;
pub mod tables;
pub mod tribunaux;
pub mod users;

use std::path::{Path, PathBuf};

use redb::Database;

pub use schema::{SchemaError, CURRENT_SCHEMA_VERSION};

/// File name of the database inside the data directory.
pub const DATABASE_FILE: &str = "emjpm.redb";

/// Why the database could not be opened. Each variant displays as one French sentence for the operator.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("la base de données « {0} » est déjà utilisée par un autre processus e-MJPM")]
    AlreadyOpen(PathBuf),
    #[error("impossible d'ouvrir la base de données « {path} » : {reason}")]
    Storage { path: PathBuf, reason: String },
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

/// redb's page cache (issue 20). redb's default (1 GiB) would hold most of a national database (1.2 GB) in
/// the process's memory; the resident-memory budget is 200 MB. Pages outside this cache are read again
/// from the file, which the operating system keeps in its own page cache (not counted as the process's
/// memory), so a smaller cache costs a copy, not a disk read.
pub const CACHE_BYTES: usize = 16 * 1024 * 1024;

/// Opens (or creates) the database of a data directory and brings its schema up to date.
pub fn open(data_dir: &Path) -> Result<Database, OpenError> {
    let path = data_dir.join(DATABASE_FILE);
    // After an unclean stop (power cut, kill -9), redb rebuilds its free-space map from the last committed
    // transaction on open: said once in the log, so that the operator knows why this start took longer.
    let told = std::sync::atomic::AtomicBool::new(false);
    let db = redb::Builder::new()
        .set_cache_size(CACHE_BYTES)
        .set_repair_callback(move |_| {
            if !told.swap(true, std::sync::atomic::Ordering::Relaxed) {
                tracing::warn!(
                    "la base n'avait pas été fermée proprement : remise en état automatique \
                     (toutes les transactions validées sont conservées)"
                );
            }
        })
        .create(&path)
        .map_err(|e| match e {
            redb::DatabaseError::DatabaseAlreadyOpen => OpenError::AlreadyOpen(path.clone()),
            other => OpenError::Storage {
                path: path.clone(),
                reason: storage_reason(&other),
            },
        })?;
    schema::migrate(&db)?;
    Ok(db)
}

/// A French reason for a storage failure; the English detail goes to the log only.
fn storage_reason(error: &redb::DatabaseError) -> String {
    tracing::debug!(%error, "redb refused to open the database");
    match error {
        redb::DatabaseError::Storage(redb::StorageError::Io(io)) => {
            crate::server::errors::io_reason(io)
        }
        redb::DatabaseError::UpgradeRequired(_) => {
            "le format du fichier est trop ancien".to_owned()
        }
        _ => "le fichier est illisible ou endommagé".to_owned(),
    }
}

/// A failure reading or writing records: the storage itself, or a record that does not decode.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("erreur de la base de données : {0}")]
    Storage(#[from] redb::Error),
    #[error("enregistrement illisible : {0}")]
    Corrupt(String),
}

impl From<redb::TableError> for StoreError {
    fn from(e: redb::TableError) -> Self {
        StoreError::Storage(e.into())
    }
}

impl From<redb::StorageError> for StoreError {
    fn from(e: redb::StorageError) -> Self {
        StoreError::Storage(e.into())
    }
}

impl From<redb::TransactionError> for StoreError {
    fn from(e: redb::TransactionError) -> Self {
        StoreError::Storage(e.into())
    }
}

impl From<redb::CommitError> for StoreError {
    fn from(e: redb::CommitError) -> Self {
        StoreError::Storage(e.into())
    }
}

/// What an upsert did to one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upsert {
    Created,
    Updated,
    Unchanged,
}

/// Seconds added to the system clock: always 0, except under `serve --horloge-de-test` (issue 18: the browser
/// suite moves the server's clock forward to watch a reservation grow old and its reminder leave).
static CLOCK_OFFSET: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Moves the clock `now` reads by `seconds` from the system's (the test clock only).
pub fn set_clock_offset(seconds: i64) {
    CLOCK_OFFSET.store(seconds, std::sync::atomic::Ordering::Relaxed);
}

/// Current time in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .saturating_add(CLOCK_OFFSET.load(std::sync::atomic::Ordering::Relaxed))
}

/// The next identifier of a kind of record, taken in the caller's write transaction.
pub fn next_id(write: &redb::WriteTransaction, kind: &str) -> Result<u64, StoreError> {
    use redb::ReadableTable;
    let mut sequences = write.open_table(tables::SEQUENCES)?;
    let id = sequences.get(kind)?.map_or(1, |v| v.value());
    sequences.insert(kind, id + 1)?;
    Ok(id)
}

/// A table of a read transaction; `None` when it was never written (redb then reports it as missing).
pub fn open_or_empty<K: redb::Key + 'static, V: redb::Value + 'static>(
    read: &redb::ReadTransaction,
    definition: redb::TableDefinition<K, V>,
) -> Result<Option<redb::ReadOnlyTable<K, V>>, StoreError> {
    match read.open_table(definition) {
        Ok(table) => Ok(Some(table)),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The stored bytes of a record (JSON, see `tables`).
pub fn encode<T: serde::Serialize>(record: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(record).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A record from its stored bytes.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}
