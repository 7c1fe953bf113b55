//! Pure rules shared by the browser and the server: no I/O, wasm-safe.

pub mod text;

pub use crate::api::Suggestion;

/// Rows a page of the long lists shows (mesures, mandataires, users, journal…).
pub const PAGE_SIZE: usize = 50;

/// The first row of page `page` (1-based; 0 reads as 1) of `total` rows: `None` past the end (the page is
/// a 404), never an overflow, whatever number the address holds.
pub fn page_start(page: usize, total: usize) -> Option<usize> {
    let page = page.max(1);
    let start = (page - 1).checked_mul(PAGE_SIZE)?;
    (page == 1 || start < total).then_some(start)
}

/// Minimum number of characters before the autocomplete asks the server (SPEC §10: "from 2 characters").
pub const AUTOCOMPLETE_MIN_CHARS: usize = 2;
/// At most this many suggestions are shown (SPEC §10: "top 10").
pub const AUTOCOMPLETE_LIMIT: usize = 10;

pub mod account;
pub mod date;
pub mod format;
pub mod forms;
pub mod geo;
pub mod import;
pub mod mesure;
pub mod note;
pub mod password;
pub mod profile;
pub mod search;
pub mod service;
pub mod tribunal;
