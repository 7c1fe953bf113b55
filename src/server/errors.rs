//! Errors as the operator and the user see them: French sentences, never internals.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// A French reason for an I/O failure, for one-line operator messages.
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::PermissionDenied => "permission refusée".to_owned(),
        ErrorKind::NotFound => "dossier ou fichier introuvable".to_owned(),
        ErrorKind::AlreadyExists => "un fichier du même nom existe déjà".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "système de fichiers en lecture seule".to_owned(),
        ErrorKind::StorageFull => "disque plein".to_owned(),
        ErrorKind::NotADirectory => "un élément du chemin n'est pas un dossier".to_owned(),
        ErrorKind::AddrInUse => "adresse déjà utilisée".to_owned(),
        ErrorKind::AddrNotAvailable => "adresse non disponible sur cette machine".to_owned(),
        _ => format!(
            "erreur système ({})",
            error
                .raw_os_error()
                .map_or("inconnue".to_owned(), |c| c.to_string())
        ),
    }
}

/// A complete, self-contained error page for answers produced outside the Leptos app (a panic caught by
/// the server, a refused cross-site request). It uses the same stylesheet and landmarks as the app.
pub fn static_page(status: StatusCode, title: &str, message: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – e-MJPM</title><link rel=\"stylesheet\" href=\"/pkg/emjpm.css\"></head>\
         <body><a class=\"skip-link\" href=\"#contenu\">Aller au contenu</a>\
         <header class=\"site-header\"><div class=\"container\"><a class=\"brand\" href=\"/\">e-MJPM</a></div></header>\
         <main id=\"contenu\" tabindex=\"-1\"><div class=\"container\"><h1>{title}</h1><p>{message}</p>\
         <p><a href=\"/\">Revenir à l'accueil</a></p></div></main></body></html>"
    );
    (status, Html(html)).into_response()
}

/// The page of a request error, with its status (SPEC §2 "Errors").
pub fn error_page(error: &crate::api::AppError) -> Response {
    let (title, message) = error.page();
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    static_page(status, title, message)
}

/// The 500 page (SPEC §2 "Errors").
pub fn internal_error_page() -> Response {
    error_page(&crate::api::AppError::Internal)
}

/// The answer to a cross-site or origin-less state change (SPEC §12 "Web").
pub fn request_refused_page() -> Response {
    static_page(
        StatusCode::FORBIDDEN,
        "Requête refusée",
        "Cette requête ne provient pas d'e-MJPM : elle a été refusée.",
    )
}
