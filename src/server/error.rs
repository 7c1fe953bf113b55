//! How server-side failures become the one request error (`api::AppError`): the detail is logged here,
//! once, and the user reads the French sentence of the variant.

use crate::api::AppError;
use crate::db::StoreError;

impl AppError {
    /// A failure of ours: logged with its detail, answered "Une erreur est survenue…" (500).
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "erreur interne d'une fonction serveur");
        AppError::Internal
    }
}

macro_rules! internal_from {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for AppError {
            fn from(error: $error) -> Self {
                AppError::internal(error)
            }
        })*
    };
}

internal_from!(
    StoreError,
    redb::Error,
    redb::TransactionError,
    redb::CommitError,
    redb::StorageError,
    redb::TableError,
    std::io::Error,
    tokio::task::JoinError,
    crate::db::users::CreateUserError,
    crate::db::tribunaux::SaveTribunalError,
    crate::server::StartError,
);
