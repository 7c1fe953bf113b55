//! The one error of the request path. Browser-safe: server functions return it, pages match on its variant
//! (never on its text), and the browser decodes it from the answer. The server sets the HTTP status from the
//! variant in one place (`ser`, when the answer is written); the detail of an internal failure goes to the
//! log only (`server::error`), the user reads the French sentence.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, as the user may learn it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// A missing row, or one out of the caller's scope: both answer alike (SPEC §12). 404.
    NotFound,
    /// Logged in with another role. 403.
    Forbidden,
    /// Not logged in, or the session expired. 401.
    Unauthorized,
    /// A malformed request (missing or undecodable arguments): no user of the pages sends one. 400.
    BadRequest,
    /// A body over the request size limit: refused before it is read whole. 413.
    PayloadTooLarge,
    /// Too much at once: the password work queue is full. Nothing was checked. 429.
    TooManyRequests,
    /// A failure whose detail is in the server's log. 500.
    Internal,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Forbidden => 403,
            AppError::Unauthorized => 401,
            AppError::BadRequest => 400,
            AppError::PayloadTooLarge => 413,
            AppError::TooManyRequests => 429,
            AppError::Internal => 500,
        }
    }

    /// The French sentence shown to the user.
    pub const fn message(&self) -> &'static str {
        match self {
            AppError::NotFound => "Page introuvable",
            AppError::Forbidden => "Accès refusé",
            AppError::Unauthorized => "Votre session a expiré. Connectez-vous à nouveau.",
            AppError::BadRequest => "La requête n'est pas valide.",
            AppError::PayloadTooLarge => "La requête est trop volumineuse.",
            AppError::TooManyRequests => {
                "Trop de tentatives depuis votre connexion. Réessayez dans quelques minutes."
            }
            AppError::Internal => "Une erreur est survenue. Veuillez réessayer plus tard.",
        }
    }
}

impl AppError {
    /// The title and the sentence of the page that shows the error (the app's pages and the server's static
    /// ones say the same).
    pub fn page(&self) -> (&'static str, &'static str) {
        match self {
            AppError::NotFound => (
                "Page introuvable",
                "La page demandée n'existe pas ou vous n'y avez pas accès.",
            ),
            AppError::Forbidden => ("Accès refusé", "Vous n'avez pas accès à cette page."),
            AppError::Unauthorized => ("Session expirée", self.message()),
            AppError::BadRequest => ("Requête invalide", self.message()),
            AppError::PayloadTooLarge => ("Requête trop volumineuse", self.message()),
            AppError::TooManyRequests => ("Trop de tentatives", self.message()),
            AppError::Internal => ("Erreur", self.message()),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// The framework's own failures: bad arguments are the client's fault, the rest is ours (the browser
    /// also lands here when the answer never came).
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            _ => AppError::Internal,
        }
    }

    fn ser(&self) -> leptos::server_fn::Bytes {
        // The one place where an error becomes a status: this runs while the server writes the answer.
        #[cfg(feature = "ssr")]
        if let (Some(response), Ok(status)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(self.status()),
        ) {
            // A redirect already chosen (a plain form sent to the login page) wins over the status.
            let mut parts = response.0.write().unwrap_or_else(|e| e.into_inner());
            if !parts.status.is_some_and(|s| s.is_redirection()) {
                parts.status = Some(status);
            }
        }
        let wire = Wire {
            erreur: self.clone(),
            message: self.message().to_owned(),
        };
        serde_json::to_vec(&wire)
            .map(leptos::server_fn::Bytes::from)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(b"{\"erreur\":\"Internal\"}"))
    }
    fn de(data: leptos::server_fn::Bytes) -> Self {
        serde_json::from_slice::<Wire>(&data).map_or(AppError::Internal, |wire| wire.erreur)
    }
}

/// The error as the answer's body: its variant, and the French sentence for any client that shows it.
#[derive(Serialize, Deserialize)]
struct Wire {
    erreur: AppError,
    #[serde(default)]
    message: String,
}
