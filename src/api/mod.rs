//! The wire types: everything that crosses between the browser and the server (page data, the forms posted,
//! the form state and replies, the error). Browser-safe; both `app` (which renders them) and `server` (which
//! fills them) import them from here, so that neither half imports the other.

pub mod accounts;
pub mod admin;
pub mod error;
pub mod form;
pub mod magistrat;
pub mod mandataire;
pub mod public;

pub use error::{AppError, AppResult};
