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

/// The browser code and style sheet, which pages name with the version tag (`pkg/emjpm.<tag>.js`…).
const VERSIONED: [&str; 3] = ["pkg/emjpm.js", "pkg/emjpm.wasm", "pkg/emjpm.css"];

/// The version tag of the browser files: 16 hex digits of the SHA-256 of their own hashes (computed at build
/// time by rust-embed), so that a new build gets new names and a name never changes content. `None` in debug
/// builds (`cargo leptos watch` rebuilds the files under a running server) and when they are not embedded.
pub fn version() -> Option<&'static str> {
    static VERSION: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    VERSION
        .get_or_init(|| {
            if cfg!(debug_assertions) {
                return None;
            }
            use sha2::{Digest, Sha256};
            let mut hasher = Sha256::new();
            for name in VERSIONED {
                hasher.update(Site::get(name)?.metadata.sha256_hash());
            }
            let digest = hasher.finalize();
            Some(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
        })
        .as_deref()
}

/// The address pages give a browser file: versioned when a version exists (`/pkg/emjpm.css` otherwise).
pub fn versioned(path: &str) -> String {
    match (version(), path.rsplit_once('.')) {
        (Some(tag), Some((stem, extension))) if VERSIONED.contains(&path) => {
            format!("/{stem}.{tag}.{extension}")
        }
        _ => format!("/{path}"),
    }
}

/// The embedded name of a versioned address, and whether the version is the current one.
fn unversioned(path: &str) -> Option<(String, bool)> {
    let (stem, extension) = path.rsplit_once('.')?;
    let (name, tag) = stem.rsplit_once('.')?;
    let plain = format!("{name}.{extension}");
    (VERSIONED.contains(&plain.as_str()) && tag.len() == 16)
        .then(|| (plain, Some(tag) == version()))
}

/// The embedded file at `path`, compressed when the client accepts it; `None` when there is no such file.
pub fn serve(path: &str, request_headers: &HeaderMap) -> Option<Response<Body>> {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with(".br") || path.ends_with(".gz") {
        return None;
    }
    // A versioned name is cached for good: its content never changes. An older version (a page cached
    // before an upgrade) gets today's file, revalidated like the plain names.
    let (path, immutable) = match unversioned(path) {
        Some((plain, current)) => (plain, current),
        None => (path.to_owned(), false),
    };
    let path = path.as_str();
    let file = Site::get(path)?;
    let etag = etag(&file);
    let mime = file.metadata.mimetype().to_owned();
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(header::ETAG, &etag)
        .header(header::VARY, "Accept-Encoding")
        .header(
            header::CACHE_CONTROL,
            if immutable {
                "public, max-age=31536000, immutable"
            } else {
                // Plain names: browsers revalidate, and get a 304 while nothing changed.
                "no-cache"
            },
        );
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
