//! Reference-data imports (SPEC §9): idempotent upserts, nothing deleted, invalid lines listed, valid ones
//! committed in batches of `BATCH` rows, the audit entry with the last batch, with the report line of the
//! spec.

pub mod etablissements;
pub mod finess;
pub mod geodesy;
pub mod tribunaux;

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::db::{StoreError, Upsert};

/// The outcome of an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Stored records the file does not mention: kept, and counted.
    pub absent: usize,
    pub errors: Vec<LineError>,
}

/// (line number in the file, reason): "Ligne <n> : <motif>".
pub type LineError = (u64, String);

impl ImportReport {
    /// Valid lines of the file.
    pub fn imported(&self) -> usize {
        self.created + self.updated + self.unchanged
    }

    /// "<a> créés, <b> mis à jour, <c> inchangés, <d> absents du fichier, <e> lignes en erreur"
    pub fn summary(&self) -> String {
        format!(
            "{} créés, {} mis à jour, {} inchangés, {} absents du fichier, {} lignes en erreur",
            self.created,
            self.updated,
            self.unchanged,
            self.absent,
            self.errors.len()
        )
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary())?;
        for (line, reason) in &self.errors {
            write!(f, "\nLigne {line} : {reason}")?;
        }
        Ok(())
    }
}

/// Why an import could not run at all (as opposed to lines in error).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("le fichier n'est pas un CSV lisible : {0}")]
    Unreadable(String),
    #[error("colonne obligatoire absente de l'en-tête : « {0} »")]
    MissingColumn(&'static str),
    #[error(transparent)]
    Store(#[from] crate::db::StoreError),
}

/// How one import stores its records: natural key, upsert, and the keys already stored.
pub struct Store<T> {
    /// The audit action, e.g. "Import des tribunaux".
    pub action: &'static str,
    pub key: fn(&T) -> String,
    pub upsert: fn(&redb::WriteTransaction, T) -> Result<Upsert, StoreError>,
    pub stored_keys: fn(&redb::WriteTransaction) -> Result<Vec<String>, StoreError>,
}

/// Rows written per transaction: an import of 24,030 établissements holds the writer for a few
/// milliseconds at a time instead of for the whole file, so that logins, mesures and sessions written
/// meanwhile wait for one batch at most (issue 14, point 5).
pub const BATCH: usize = 1000;

/// Upserts the valid records of a file in batches of `BATCH`, each its own write transaction; the audit
/// entry goes with the last one. The file is read and checked whole before the first batch, so a file in
/// error writes nothing; an import interrupted between batches (a crash) leaves the batches before it,
/// which are idempotent upserts: running the same import again completes it and reports them "inchangés".
/// `errors` are the file's invalid lines, already listed.
pub fn commit<T>(
    database: &redb::Database,
    store: &Store<T>,
    records: Vec<T>,
    errors: Vec<LineError>,
    actor: Option<u64>,
    ip: &str,
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport {
        errors,
        ..ImportReport::default()
    };
    let mut seen = HashSet::new();
    let mut records = records.into_iter().peekable();
    loop {
        let write = database.begin_write().map_err(StoreError::from)?;
        for record in records.by_ref().take(BATCH) {
            seen.insert((store.key)(&record));
            match (store.upsert)(&write, record)? {
                Upsert::Created => report.created += 1,
                Upsert::Updated => report.updated += 1,
                Upsert::Unchanged => report.unchanged += 1,
            }
        }
        if records.peek().is_some() {
            write.commit().map_err(StoreError::from)?;
            continue;
        }
        report.absent = (store.stored_keys)(&write)?
            .iter()
            .filter(|k| !seen.contains(*k))
            .count();
        let result = if report.imported() > 0 {
            "Succès"
        } else {
            "Aucune ligne importée"
        };
        crate::db::audit::record(&write, actor, ip, store.action, &report.summary(), result)?;
        write.commit().map_err(StoreError::from)?;
        return Ok(report);
    }
}

/// A CSV file read whole: its header by column name, its records with their line numbers, and the lines
/// that could not be read.
pub struct CsvFile {
    header: HashMap<String, usize>,
    pub records: Vec<(u64, csv::StringRecord)>,
    pub unreadable: Vec<LineError>,
}

impl CsvFile {
    /// Reads UTF-8 text (a byte-order mark is ignored) separated by `delimiter`, whose header must name
    /// the `required` columns (case and surrounding spaces ignored).
    pub fn read(text: &str, delimiter: u8, required: &[&'static str]) -> Result<Self, ImportError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: HashMap<String, usize> = reader
            .headers()
            .map_err(|e| ImportError::Unreadable(e.to_string()))?
            .iter()
            .enumerate()
            .map(|(i, name)| (name.trim().to_lowercase(), i))
            .collect();
        if let Some(missing) = required.iter().find(|c| !header.contains_key(**c)) {
            return Err(ImportError::MissingColumn(missing));
        }
        let mut records = Vec::new();
        let mut unreadable = Vec::new();
        for record in reader.records() {
            match record {
                Ok(record) => records.push((record.position().map_or(0, |p| p.line()), record)),
                Err(e) => unreadable.push((
                    e.position().map_or(0, |p| p.line()),
                    "ligne illisible".to_owned(),
                )),
            }
        }
        Ok(CsvFile {
            header,
            records,
            unreadable,
        })
    }

    pub fn row<'a>(&'a self, record: &'a csv::StringRecord) -> Row<'a> {
        Row {
            header: &self.header,
            record,
        }
    }
}

/// One line of a file, its fields found by column name.
pub struct Row<'a> {
    header: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl<'a> Row<'a> {
    /// The trimmed field of a column; empty when the column or the field is missing.
    pub fn get(&self, name: &str) -> &'a str {
        self.header
            .get(name)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
            .trim()
    }
}

/// UTF-8 text of an uploaded or given file.
pub fn utf8(bytes: &[u8]) -> Result<&str, ImportError> {
    std::str::from_utf8(bytes)
        .map_err(|_| ImportError::Unreadable("il n'est pas encodé en UTF-8".to_owned()))
}

/// Coordinates from two text fields: both empty gives `fallback`; otherwise both must be valid WGS84.
pub fn coordinates(
    lat: &str,
    lon: &str,
    fallback: Option<(f64, f64)>,
) -> Result<Option<(f64, f64)>, String> {
    match (lat, lon) {
        ("", "") => Ok(fallback),
        (lat, lon) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(la), Ok(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {
                Ok(Some((la, lo)))
            }
            _ => Err(format!("coordonnées invalides « {lat} », « {lon} »")),
        },
    }
}

/// A fresh data directory with its database, and the reference data: what every import test starts from.
#[cfg(test)]
pub(crate) fn test_store() -> (
    tempfile::TempDir,
    redb::Database,
    crate::server::reference::ReferenceData,
) {
    let dir = tempfile::tempdir().unwrap();
    let database = crate::db::open(dir.path()).unwrap();
    (
        dir,
        database,
        crate::server::reference::ReferenceData::load().unwrap(),
    )
}
