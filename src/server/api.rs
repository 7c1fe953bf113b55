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
    facts: Option<axum::Extension<std::sync::Arc<crate::server::context::RequestFacts>>>,
) -> Response {
    if let (Some(limiter), Some(facts)) = (state.autocomplete_limit.as_ref().as_ref(), &facts) {
        if !limiter.admit(&facts.ip) {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                Json(Vec::<Suggestion>::new()),
            )
                .into_response();
        }
    }
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

/// The autocomplete's rate limit per client address (SPEC §10 "throttled per IP"), with `governor`'s
/// keyed GCRA limiter: `per_second` requests a second, twice that in a burst (a user typing fast sends
/// about ten). The addresses it follows are bounded: past `MAX_ADDRESSES`, those back to a full allowance
/// are forgotten.
pub struct AutocompleteLimit {
    limiter: governor::DefaultKeyedRateLimiter<String>,
}

const MAX_ADDRESSES: usize = 50_000;

impl AutocompleteLimit {
    /// `None` when `per_second` is 0 (no limit, for benchmarks from one address).
    pub fn new(per_second: u32) -> Option<AutocompleteLimit> {
        let rate = std::num::NonZeroU32::new(per_second)?;
        let burst = rate.saturating_mul(std::num::NonZeroU32::MIN.saturating_add(1));
        let quota = governor::Quota::per_second(rate).allow_burst(burst);
        Some(AutocompleteLimit {
            limiter: governor::RateLimiter::keyed(quota),
        })
    }

    /// True when `address` may have one more answer now.
    pub fn admit(&self, address: &str) -> bool {
        if self.limiter.len() > MAX_ADDRESSES {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter.check_key(&address.to_owned()).is_ok()
    }
}
