//! The request context: who is calling, from where, resolved once per request by the `resolve` middleware
//! and put in the request's extensions; server functions take it in one line (`Ctx::mandataire()?`), with
//! the role checked. The caller comes from the session cookie only, never from the request's fields.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{request::Parts, Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::use_context;
use redb::{ReadTransaction, ReadableDatabase};

use crate::api::{AppError, AppResult};
use crate::rules::account::Role;
use crate::server::auth::session::{self, Caller};
use crate::server::AppState;

/// The roles of the mandataire space.
pub const MANDATAIRE_ROLES: &[Role] = &[Role::Individuel, Role::Prepose, Role::Service];
/// The roles of the magistrat space (issue 18: greffiers share it).
pub const TRIBUNAL_ROLES: &[Role] = &[Role::Magistrat, Role::Greffier];
/// Every role: pages of any logged-in user (`/compte`).
pub const ALL_ROLES: &[Role] = &[
    Role::Individuel,
    Role::Prepose,
    Role::Service,
    Role::Magistrat,
    Role::Admin,
    Role::Direction,
    Role::Greffier,
];

/// What the middleware learnt about a request, shared by everything that serves it.
#[derive(Clone, Debug)]
pub struct RequestFacts {
    /// The logged-in caller, if any (an expired session is already removed).
    pub caller: Option<Caller>,
    /// The client address: the connection's, or the proxy's last `X-Forwarded-For` hop when trusted.
    pub ip: String,
    /// The site is served over https (its public address says so): cookies are `Secure` and `__Host-`.
    pub https: bool,
    /// An admin who must enrol a second factor first: the admin pages send him to the enrolment (issue 19).
    pub enrolment_required: bool,
}

/// An admin who must enrol a second factor before anything else (issue 19).
pub fn enrolment_required(state: &AppState, caller: &Caller) -> bool {
    state.settings.admin_two_factor_required
        && caller.user.role == Role::Admin
        && !caller.user.two_factor_active()
}

/// Resolves the request's facts once (one session look-up), for the middlewares after it, the pages and the
/// server functions. A storage failure here is the French 500 page.
pub async fn resolve(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let caller = match session::caller(&state, request.headers()) {
        Ok(caller) => caller,
        Err(error) => {
            tracing::error!(%error, "lecture de la session impossible");
            return super::errors::internal_error_page();
        }
    };
    let ip = client_ip(&state, request.headers(), request.extensions());
    let enrolment_required = caller
        .as_ref()
        .is_some_and(|c| enrolment_required(&state, c));
    request.extensions_mut().insert(Arc::new(RequestFacts {
        caller,
        ip,
        https: state.public_url.scheme() == "https",
        enrolment_required,
    }));
    next.run(request).await
}

/// The client address: the connection's, or the proxy's `X-Forwarded-For` last hop when trusted.
fn client_ip(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
) -> String {
    if state.settings.trust_proxy {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(address) = forwarded.filter(|a| a.len() <= 64) {
            return address.to_owned();
        }
    }
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "inconnue".to_owned(), |c| c.0.ip().to_string())
}

/// True for an ordinary form post (no JavaScript): the browser asks for HTML.
pub fn plain_form_post(parts: &Parts) -> bool {
    parts
        .headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Sets the answer's status when it is not an error (an error sets its own: `AppError::ser`).
pub fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// A request of anyone, logged in or not.
#[derive(Clone)]
pub struct Visit {
    pub state: AppState,
    pub parts: Parts,
    pub caller: Option<Caller>,
    pub ip: String,
}

impl Visit {
    /// The context of the request being served.
    pub fn current() -> AppResult<Visit> {
        let state = use_context::<AppState>().ok_or_else(|| AppError::internal("état absent"))?;
        let parts = use_context::<Parts>().ok_or_else(|| AppError::internal("requête absente"))?;
        let facts = parts
            .extensions
            .get::<Arc<RequestFacts>>()
            .cloned()
            .ok_or_else(|| AppError::internal("contexte de requête absent"))?;
        Ok(Visit {
            state,
            parts,
            caller: facts.caller.clone(),
            ip: facts.ip.clone(),
        })
    }
}

/// A request of a logged-in caller whose role was checked.
#[derive(Clone)]
pub struct Ctx {
    pub state: AppState,
    pub parts: Parts,
    pub caller: Caller,
    pub ip: String,
}

impl Ctx {
    /// The caller, when logged in with one of `roles`: else 401 (anonymous; a plain form is sent to the
    /// login page) or 403. Row checks come after, in each function, inside its write transaction.
    pub fn require(roles: &[Role]) -> AppResult<Ctx> {
        let visit = Visit::current()?;
        match visit.caller {
            None => {
                if plain_form_post(&visit.parts) {
                    leptos_axum::redirect("/connexion");
                }
                Err(AppError::Unauthorized)
            }
            Some(caller) if roles.contains(&caller.user.role) => Ok(Ctx {
                state: visit.state,
                parts: visit.parts,
                caller,
                ip: visit.ip,
            }),
            Some(_) => Err(AppError::Forbidden),
        }
    }

    pub fn mandataire() -> AppResult<Ctx> {
        Self::require(MANDATAIRE_ROLES)
    }

    pub fn magistrat() -> AppResult<Ctx> {
        Self::require(TRIBUNAL_ROLES)
    }

    /// An admin; under `--double-authentification-obligatoire`, one whose second factor is enrolled (issue 19).
    pub fn admin() -> AppResult<Ctx> {
        let cx = Self::require(&[Role::Admin])?;
        if enrolment_required(&cx.state, &cx.caller) {
            return Err(AppError::Forbidden);
        }
        Ok(cx)
    }

    /// Any logged-in caller, whatever the role.
    pub fn any() -> AppResult<Ctx> {
        Self::require(ALL_ROLES)
    }

    /// A read transaction on the database.
    pub fn read(&self) -> AppResult<ReadTransaction> {
        Ok(self.state.db.begin_read()?)
    }
}

/// Sends the browser to `target`, a path of this site. A path is built from what the client sent (a
/// `retour`, a `jeton`): anything that could not stand in a `Location` header (control characters, non-ASCII)
/// is percent-encoded, and a target that is not a local path becomes the home page, so that no request can
/// make the answer's headers fail or point elsewhere.
pub fn redirect(target: &str) {
    leptos_axum::redirect(&local_target(target));
}

/// `target` made safe for a `Location` header on this site (see `redirect`).
pub fn local_target(target: &str) -> String {
    const UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'"');
    let local = target.starts_with('/') && !target.starts_with("//") && !target.starts_with("/\\");
    if !local {
        return "/".to_owned();
    }
    percent_encoding::utf8_percent_encode(target, UNSAFE).to_string()
}

/// The caller of a route served outside Leptos (the import upload, the backup download), when an
/// administrator: else the answer to send — 303 to the login page (coming back to `page`) for an anonymous
/// visitor, 403 for another role.
pub fn admin_of(
    request: &axum::extract::Request,
    page: &str,
) -> Result<(Arc<RequestFacts>, Caller), Box<Response>> {
    caller_of(request, page, &[Role::Admin])
}

/// `admin_of` for any of `roles` (the mesures' export, issue 17).
pub fn caller_of(
    request: &axum::extract::Request,
    page: &str,
    roles: &[Role],
) -> Result<(Arc<RequestFacts>, Caller), Box<Response>> {
    use axum::response::IntoResponse;
    let Some(facts) = request.extensions().get::<Arc<RequestFacts>>().cloned() else {
        return Err(Box::new(super::errors::internal_error_page()));
    };
    match facts.caller.clone() {
        Some(caller) if roles.contains(&caller.user.role) => Ok((facts, caller)),
        Some(_) => Err(Box::new(super::errors::error_page(&AppError::Forbidden))),
        None => Err(Box::new(
            (
                StatusCode::SEE_OTHER,
                [(
                    axum::http::header::LOCATION,
                    format!("/connexion?retour={page}"),
                )],
            )
                .into_response(),
        )),
    }
}
