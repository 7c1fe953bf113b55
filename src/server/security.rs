//! Baseline security headers (SPEC §12 "Web").

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

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
    format!(
        "default-src 'self'; {script}; style-src 'self'; img-src 'self' data:; {connect}; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
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
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
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
