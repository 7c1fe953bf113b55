//! What one request may cost before any work is done for it (issue 14, docs/HARDENING.md): the size of its
//! body, the time to send it, and, for the role sections' server functions, a session. Every refusal is
//! French: a page for a plain form, the typed error for a call made by the pages' script.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::AppError;

/// The largest body of any request but the imports: the biggest form (a mandataire's profile with its
/// établissements) is a few kilobytes; 256 KiB leaves room for any honest use and bounds what a flood of
/// anonymous posts can make the server hold (SPEC §12, issue 14 point 3).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The time a client has to send a body once its headers arrived: a browser sends a form in milliseconds;
/// a client that trickles it is refused (408) instead of holding the request.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(20);

/// The uploads that have their own, larger, limit (`admin::imports::MAX_UPLOAD_BYTES`,
/// `mandataire::import::MAX_BODY_BYTES`).
fn has_own_limit(path: &str) -> bool {
    path.starts_with("/admin/import/") || path == "/mandataire/import/verifier"
}

/// Reads the body whole, within `MAX_BODY_BYTES` and `BODY_TIMEOUT`, before anything else runs: a body
/// declared or found too large is 413, one too slow 408. Nothing downstream can then meet a partial or
/// oversized body.
pub async fn bounded_body(request: Request<Body>, next: Next) -> Response {
    if request.method() == axum::http::Method::GET
        || request.method() == axum::http::Method::HEAD
        || has_own_limit(request.uri().path())
    {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let plain = wants_page(request.headers());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return refusal(&AppError::PayloadTooLarge, plain);
    }
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(error)) => {
            use std::error::Error as _;
            let too_large = error
                .source()
                .is_some_and(|e| e.is::<http_body_util::LengthLimitError>());
            if too_large {
                refusal(&AppError::PayloadTooLarge, plain)
            } else {
                // The client went away in the middle of its body: nobody reads this answer.
                refusal(&AppError::BadRequest, plain)
            }
        }
        Err(_) => timeout_answer(plain),
    }
}

/// The role sections' server functions (`/api/mandataire/…`, `/api/magistrat/…`, `/api/admin/…`,
/// `/api/compte/…`) answer 401 to an anonymous caller and 403 to another role before their arguments are
/// read: a stranger learns nothing from how a malformed request fails. The functions check again.
pub async fn api_sections(request: Request<Body>, next: Next) -> Response {
    let Some(section) = request.uri().path().strip_prefix("/api") else {
        return next.run(request).await;
    };
    let Some(roles) = crate::server::auth::section_roles(section) else {
        return next.run(request).await;
    };
    let caller_role = request
        .extensions()
        .get::<std::sync::Arc<crate::server::context::RequestFacts>>()
        .and_then(|facts| facts.caller.as_ref().map(|c| c.user.role));
    let plain = wants_page(request.headers());
    match caller_role {
        None if plain => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, "/connexion")]).into_response()
        }
        None => refusal(&AppError::Unauthorized, false),
        Some(role) if !roles.contains(&role) => refusal(&AppError::Forbidden, plain),
        Some(_) => next.run(request).await,
    }
}

/// True when the client asked for a page (a plain form, a link), not for data.
fn wants_page(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The error as a French page, or as the server functions' typed body (`{"erreur":…,"message":…}`).
pub fn refusal(error: &AppError, page: bool) -> Response {
    if page {
        return crate::server::errors::error_page(error);
    }
    use leptos::server_fn::error::FromServerFnError;
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        error.ser(),
    )
        .into_response()
}

/// 408: the request took longer than its time (body trickled, or the whole answer over `REQUEST_TIMEOUT`).
pub fn timeout_answer(page: bool) -> Response {
    if page {
        return crate::server::errors::static_page(
            StatusCode::REQUEST_TIMEOUT,
            "Délai dépassé",
            "La requête a pris trop de temps. Veuillez réessayer.",
        );
    }
    (
        StatusCode::REQUEST_TIMEOUT,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        "{\"erreur\":\"Internal\",\"message\":\"La requête a pris trop de temps. Veuillez réessayer.\"}",
    )
        .into_response()
}

/// The longest any request may take, from its headers to its answer: the slowest honest page renders in
/// well under a second; an import has its own task and is not bounded by this (it answers when done).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Bounds the whole handling of a request (but the imports', whose work is long by nature): past
/// `REQUEST_TIMEOUT` the client gets 408 and the handler is dropped (a write transaction not yet committed
/// is aborted: nothing half done).
pub async fn request_deadline(request: Request<Body>, next: Next) -> Response {
    // The reference imports only: a mandataire's file (5 MB, checked in about a second) keeps the deadline.
    if request.uri().path().starts_with("/admin/import/") {
        return next.run(request).await;
    }
    let plain = wants_page(request.headers());
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => timeout_answer(plain),
    }
}
