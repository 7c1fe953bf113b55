//! Reference-data imports (SPEC §9): idempotent upserts, nothing deleted, invalid lines listed, valid ones
//! committed together in one write transaction, with the report line of the spec.

pub mod tribunaux;

use std::fmt;

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

/// Today as "aaaa-mm-jj" (UTC; tribunal closing dates are whole days, the hour does not matter).
pub fn today_iso() -> String {
    crate::rules::format::iso_date(crate::db::now().div_euclid(86_400))
}
