//! Every file of the site (wasm, JavaScript, CSS, images), embedded in the binary at build time.
//!
//! `cargo leptos build --release --precompress` writes `target/site` (with `.br` and `.gz` copies) before
//! compiling the server, which embeds it. In debug builds rust-embed reads the folder from disk instead, so
//! `cargo leptos watch` serves fresh files.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};

#[derive(rust_embed::Embed)]
#[folder = "target/site"]
#[allow_missing = true]
struct Site;

/// The embedded file at `path`, compressed when the client accepts it; `None` when there is no such file.
pub fn serve(path: &str, request_headers: &HeaderMap) -> Option<Response<Body>> {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with(".br") || path.ends_with(".gz") {
        return None;
    }
    let file = Site::get(path)?;
    let etag = etag(&file);
    let mime = file.metadata.mimetype().to_owned();
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(header::ETAG, &etag)
        .header(header::VARY, "Accept-Encoding")
        // The file names carry no hash: browsers revalidate, and get a 304 while nothing changed.
        .header(header::CACHE_CONTROL, "no-cache");
    if already_has(request_headers, &etag) {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .ok();
    }
    let accepted = request_headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let accepts = |coding: &str| {
        accepted
            .split(',')
            .any(|c| c.split(';').next().unwrap_or("").trim() == coding)
    };
    let mut body = file.data;
    for (coding, extension) in [("br", "br"), ("gzip", "gz")] {
        if accepts(coding) {
            if let Some(compressed) = Site::get(&format!("{path}.{extension}")) {
                body = compressed.data;
                builder =
                    builder.header(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
                break;
            }
        }
    }
    builder.body(Body::from(body.into_owned())).ok()
}

/// A strong validator of an embedded file: its SHA-256, computed at build time.
pub fn etag(file: &rust_embed::EmbeddedFile) -> String {
    format!(
        "\"{}\"",
        file.metadata
            .sha256_hash()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// Whether the client's `If-None-Match` names this version: then the answer is 304 without a body.
pub fn already_has(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag)
}

/// Names of the embedded files, for the start-up check and tests.
pub fn file_names() -> impl Iterator<Item = std::borrow::Cow<'static, str>> {
    Site::iter()
}
