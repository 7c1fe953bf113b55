//! The embedded redb database: opening, schema version and forward migrations.
//!
//! Every table of the product is declared in `tables`; every state change is one write transaction.

pub mod schema;
pub mod tables;

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

/// Opens (or creates) the database of a data directory and brings its schema up to date.
pub fn open(data_dir: &Path) -> Result<Database, OpenError> {
    let path = data_dir.join(DATABASE_FILE);
    let db = Database::create(&path).map_err(|e| match e {
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
