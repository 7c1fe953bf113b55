//! Authentication and authorisation (SPEC §4, §12). Server only.
//!
//! Every server function starts with `require` (or `caller` for the public ones): the caller comes from the
//! session cookie only, never from the request's fields; then the function checks the row.

pub mod password;
pub mod session;
pub mod throttle;

use axum::http::{request::Parts, StatusCode};
use leptos::prelude::*;
use leptos::server_fn::ServerFnError;

pub use session::Caller;

use crate::rules::account::Role;
use crate::server::AppState;

/// The request being served, from the Leptos context.
pub fn request_parts() -> Result<Parts, ServerFnError> {
    use_context::<Parts>().ok_or_else(|| ServerFnError::ServerError("requête absente".into()))
}

/// The server's shared state, from the Leptos context.
pub fn app_state() -> Result<AppState, ServerFnError> {
    use_context::<AppState>().ok_or_else(|| ServerFnError::ServerError("état absent".into()))
}

/// True for an ordinary form post (no JavaScript): the browser asks for HTML.
pub fn plain_form_post(parts: &Parts) -> bool {
    parts
        .headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The client address: the connection's, or the proxy's `X-Forwarded-For` last hop when trusted.
pub fn client_ip(state: &AppState, parts: &Parts) -> String {
    if state.settings.trust_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(address) = forwarded {
            return address.to_owned();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "inconnue".to_owned(), |c| c.0.ip().to_string())
}

/// Sets the answer's status (server functions answer 500 by default).
pub fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// A failure the user sees as a French sentence; the detail goes to the log only.
pub fn internal(error: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(%error, "erreur interne d'une fonction serveur");
    ServerFnError::ServerError("Une erreur est survenue. Veuillez réessayer plus tard.".into())
}

/// A missing row, or one out of the caller's scope: 404 "Page introuvable" (SPEC §12: both answer alike).
pub fn not_found() -> ServerFnError {
    set_status(StatusCode::NOT_FOUND);
    ServerFnError::ServerError("Page introuvable".into())
}

/// The logged-in caller, if any.
pub fn caller() -> Result<Option<Caller>, ServerFnError> {
    let state = app_state()?;
    let parts = request_parts()?;
    session::caller(&state, &parts.headers).map_err(internal)
}

/// The caller, when logged in with one of `roles`: else 401 (anonymous; a plain form is sent to the login
/// page) or 403 "Accès refusé". Row checks come after, in each function.
pub fn require(roles: &[Role]) -> Result<Caller, ServerFnError> {
    let parts = request_parts()?;
    match caller()? {
        None => {
            set_status(StatusCode::UNAUTHORIZED);
            if plain_form_post(&parts) {
                leptos_axum::redirect("/connexion");
            }
            Err(ServerFnError::ServerError(
                "Votre session a expiré. Connectez-vous à nouveau.".into(),
            ))
        }
        Some(caller) if roles.contains(&caller.user.role) => Ok(caller),
        Some(_) => {
            set_status(StatusCode::FORBIDDEN);
            Err(ServerFnError::ServerError("Accès refusé".into()))
        }
    }
}

/// Any logged-in caller, whatever the role.
pub fn require_any() -> Result<Caller, ServerFnError> {
    require(&[
        Role::Individuel,
        Role::Prepose,
        Role::Service,
        Role::Magistrat,
        Role::Admin,
        Role::Direction,
    ])
}

/// The role sections of the URL map (SPEC §3) and who may open them.
pub fn section_roles(path: &str) -> Option<&'static [Role]> {
    const MANDATAIRES: &[Role] = &[Role::Individuel, Role::Prepose, Role::Service];
    const MAGISTRATS: &[Role] = &[Role::Magistrat];
    const ADMINS: &[Role] = &[Role::Admin];
    const EVERYONE: &[Role] = &[
        Role::Individuel,
        Role::Prepose,
        Role::Service,
        Role::Magistrat,
        Role::Admin,
        Role::Direction,
    ];
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/mandataire") {
        Some(MANDATAIRES)
    } else if under("/magistrat") {
        Some(MAGISTRATS)
    } else if under("/admin") {
        Some(ADMINS)
    } else if under("/compte") {
        Some(EVERYONE)
    } else {
        None
    }
}

/// A local path `retour` may lead to: starts with one "/", no scheme, no backslash (SPEC §2 "Errors").
pub fn safe_return_path(path: &str) -> Option<&str> {
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    local.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_return_targets() {
        assert_eq!(
            safe_return_path("/mandataire/mesures"),
            Some("/mandataire/mesures")
        );
        assert_eq!(safe_return_path("https://evil.example/"), None);
        assert_eq!(safe_return_path("//evil.example/"), None);
        assert_eq!(safe_return_path("/\\evil.example"), None);
        assert_eq!(safe_return_path("mandataire"), None);
    }

    #[test]
    fn sections_belong_to_their_roles() {
        assert_eq!(
            section_roles("/admin/utilisateurs"),
            Some(&[Role::Admin][..])
        );
        assert!(section_roles("/mandataire/mesures")
            .unwrap()
            .contains(&Role::Prepose));
        assert!(section_roles("/compte/mot-de-passe")
            .unwrap()
            .contains(&Role::Magistrat));
        assert_eq!(section_roles("/administration"), None);
        assert_eq!(section_roles("/connexion"), None);
    }
}
