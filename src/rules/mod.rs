//! Pure rules shared by the browser and the server: no I/O, wasm-safe.

pub mod text;

use serde::{Deserialize, Serialize};

/// One autocomplete answer, as served by `/api/autocomplete/<kind>` (SPEC §10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Stable identifier: for communes `<code INSEE>-<code postal>`.
    pub id: String,
    /// The text shown to the user, for communes `<code postal> <nom>`.
    pub label: String,
}

/// Minimum number of characters before the autocomplete asks the server (SPEC §10: "from 2 characters").
pub const AUTOCOMPLETE_MIN_CHARS: usize = 2;
/// At most this many suggestions are shown (SPEC §10: "top 10").
pub const AUTOCOMPLETE_LIMIT: usize = 10;

pub mod account;
pub mod date;
pub mod format;
pub mod mesure;
pub mod password;
pub mod profile;
pub mod tribunal;
