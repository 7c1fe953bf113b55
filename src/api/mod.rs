//! The wire types: everything that crosses between the browser and the server (page data, the forms posted,
//! the form state and replies, the error). Browser-safe and plain data: the bottom layer, imported by
//! `rules` (which parses the forms), `app` (which renders the pages) and `server` (which fills them), so
//! that neither half imports the other.

pub mod accounts;
pub mod admin;
pub mod error;
pub mod form;
pub mod magistrat;
pub mod mandataire;
pub mod public;
pub mod service;

pub use error::{AppError, AppResult};

use serde::{Deserialize, Serialize};

/// One autocomplete answer, as served by `/api/autocomplete/<kind>` (SPEC §10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Stable identifier: for communes `<code INSEE>-<code postal>`.
    pub id: String,
    /// The text shown to the user, for communes `<code postal> <nom>`.
    pub label: String,
}
