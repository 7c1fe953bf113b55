//! Baseline security headers (SPEC §12 "Web").

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

/// The Content-Security-Policy of every answer. Pages pass the nonce of their inline hydration script.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(nonce) => format!("script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
    };
    // `cargo leptos watch` reloads pages through a websocket on another port; release builds never do.
    let connect = if cfg!(debug_assertions) {
        "connect-src 'self' ws:"
    } else {
        "connect-src 'self'"
    };
    let tiles = TILE_ORIGIN
        .get()
        .and_then(Option::as_deref)
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; {script}; style-src 'self'; img-src 'self' data:{tiles}; {connect}; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// The map tiles' origin, allowed for images (SPEC §12 "CSP (self, plus the tile host for images)").
static TILE_ORIGIN: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Set once at start-up, before the first page.
pub fn set_tile_origin(origin: Option<String>) {
    let _ = TILE_ORIGIN.set(origin);
}

/// The policy of answers without an inline script, computed once.
static DEFAULT_POLICY: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
    HeaderValue::from_str(&content_security_policy(None)).expect("the policy is plain ASCII")
});

/// Adds the headers every answer carries; a page's own CSP (with its nonce) is kept.
pub async fn headers(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    // The reset page's address holds the token: never sent on as a referrer, never kept by a cache.
    let secret_in_address = matches!(
        request.uri().path(),
        "/reinitialiser-mot-de-passe" | "/invitation"
    );
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if secret_in_address {
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    // No page uses the camera, the microphone, the position, payments, USB or sensors: denied to all.
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), \
             accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=()",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::REFERRER_POLICY) {
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, DEFAULT_POLICY.clone());
    }
    if state.public_url.scheme() == "https" {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// Refuses state-changing requests that do not come from e-MJPM's own pages (SPEC §12 "Web"): every
/// non-GET request needs an `Origin` equal to the public origin (without one, a `Referer` under it), and
/// `Sec-Fetch-Site: cross-site` is always refused. The answer is 403 "Requête refusée"; nothing runs.
pub async fn same_origin_writes(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if is_safe_method(request.method())
        || comes_from(&state.public_url, request.headers())
        || token_proves_origin(request.uri().path(), request.headers())
    {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = request.uri().path(), "requête d'une autre origine refusée");
        super::errors::request_refused_page()
    }
}

/// The reset form is posted from a page served with `Referrer-Policy: no-referrer` (its address holds the
/// token), so browsers send it with `Origin: null` or none. Its token, unguessable and single-use, is what
/// a forged request cannot have: the form is accepted unless the browser says it came from another site.
fn token_proves_origin(path: &str, headers: &axum::http::HeaderMap) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    matches!(path, "/api/reinitialiser" | "/api/invitation/rejoindre")
        && matches!(origin, None | Some("null"))
        && !matches!(site, Some("cross-site" | "same-site"))
}

fn is_safe_method(method: &axum::http::Method) -> bool {
    use axum::http::Method;
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// True when the headers show a request sent by a page of `public_url`'s origin.
pub fn comes_from(public_url: &url::Url, headers: &axum::http::HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if text("sec-fetch-site") == Some("cross-site") {
        return false;
    }
    let expected = public_url.origin().ascii_serialization();
    match (
        text(header::ORIGIN.as_str()),
        text(header::REFERER.as_str()),
    ) {
        (Some(origin), _) => origin == expected,
        (None, Some(referer)) => {
            url::Url::parse(referer).is_ok_and(|r| r.origin().ascii_serialization() == expected)
        }
        (None, None) => false,
    }
}

/// Role sections (SPEC §2 "Errors", §3): an anonymous visitor is sent to `/connexion?retour=<path>`, another
/// role gets 403 "Accès refusé". Pages check again through their server functions, which also check rows.
/// Logged-in answers are never cached (SPEC §12).
pub async fn role_sections(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    // Resolved once by `context::resolve`, which runs just before.
    let facts = request
        .extensions()
        .get::<std::sync::Arc<crate::server::context::RequestFacts>>()
        .cloned();
    let caller = facts.as_ref().and_then(|facts| facts.caller.clone());
    // An admin who must enrol a second factor sees the enrolment page before any admin page (issue 19).
    let under_admin = path == "/admin" || path.starts_with("/admin/");
    if under_admin && facts.is_some_and(|f| f.enrolment_required) {
        return (
            axum::http::StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                crate::server::accounts::two_factor::ENROL_PAGE,
            )],
        )
            .into_response();
    }
    if let Some(roles) = crate::server::auth::section_roles(&path) {
        if is_safe_method(request.method()) {
            match &caller {
                None => {
                    let target = request
                        .uri()
                        .path_and_query()
                        .map_or(path.clone(), |p| p.as_str().to_owned());
                    let location = format!(
                        "/connexion?retour={}",
                        url::form_urlencoded::byte_serialize(target.as_bytes()).collect::<String>()
                    );
                    return (
                        axum::http::StatusCode::SEE_OTHER,
                        [(header::LOCATION, location)],
                    )
                        .into_response();
                }
                Some(caller) if !roles.contains(&caller.user.role) => {
                    return super::errors::error_page(&crate::api::AppError::Forbidden);
                }
                Some(_) => {}
            }
        }
    }
    let mut response = next.run(request).await;
    if caller.is_some() {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A plain form post (no JavaScript) whose server function refused it gets a French page with the status,
/// never the function's serialised answer: 400 "Requête invalide", 403 "Accès refusé", 404 "Page
/// introuvable", 429 "Trop de tentatives…", 500. Redirects (the usual answer to a plain form) pass through.
pub async fn plain_form_errors(request: Request<Body>, next: Next) -> Response {
    let plain_post = !is_safe_method(request.method())
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    let response = next.run(request).await;
    let already_a_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !plain_post || already_a_page {
        return response;
    }
    use crate::api::AppError;
    use axum::http::StatusCode;
    match response.status() {
        StatusCode::FORBIDDEN => super::errors::error_page(&AppError::Forbidden),
        StatusCode::NOT_FOUND => super::errors::error_page(&AppError::NotFound),
        StatusCode::TOO_MANY_REQUESTS => super::errors::static_page(
            StatusCode::TOO_MANY_REQUESTS,
            "Trop de tentatives",
            crate::server::accounts::IP_THROTTLED,
        ),
        StatusCode::BAD_REQUEST => super::errors::error_page(&AppError::BadRequest),
        StatusCode::INTERNAL_SERVER_ERROR => super::errors::error_page(&AppError::Internal),
        _ => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn only_the_public_origin_may_write() {
        let public = url::Url::parse("https://emjpm.example.fr/").unwrap();
        assert!(comes_from(
            &public,
            &headers(&[("origin", "https://emjpm.example.fr")])
        ));
        assert!(comes_from(
            &public,
            &headers(&[("referer", "https://emjpm.example.fr/connexion?x=1")])
        ));
        assert!(!comes_from(
            &public,
            &headers(&[("origin", "https://evil.example")])
        ));
        assert!(
            !comes_from(&public, &headers(&[("origin", "http://emjpm.example.fr")])),
            "scheme counts"
        );
        assert!(!comes_from(
            &public,
            &headers(&[("referer", "https://emjpm.example.fr.evil.example/")])
        ));
        assert!(
            !comes_from(&public, &headers(&[])),
            "no Origin and no Referer"
        );
        assert!(!comes_from(&public, &headers(&[("origin", "null")])));
        assert!(!comes_from(
            &public,
            &headers(&[
                ("origin", "https://emjpm.example.fr"),
                ("sec-fetch-site", "cross-site")
            ])
        ));
    }
}
