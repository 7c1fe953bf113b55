//! Read-only JSON endpoints used by the browser code, the benchmarks and the tests (SPEC §10).

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::AppState;
use crate::rules::Suggestion;

/// `GET /api/autocomplete/<kind>?q=…`: at most 10 `{id, label}` objects. Any `q`, even malformed, answers
/// a list (empty when nothing matches), never an error.
pub async fn autocomplete(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let index = match kind.as_str() {
        super::search::communes::KIND => state.communes.clone(),
        super::search::tribunaux::KIND => state.tribunaux.get(),
        super::search::etablissements::KIND => state.etablissements.get(),
        _ => return (StatusCode::NOT_FOUND, Json(Vec::<Suggestion>::new())).into_response(),
    };
    let q = raw
        .as_deref()
        .and_then(|raw| url::form_urlencoded::parse(raw.as_bytes()).find(|(key, _)| key == "q"))
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    (
        [(header::CONTENT_TYPE, "application/json")],
        index.suggest_json(&q),
    )
        .into_response()
}
