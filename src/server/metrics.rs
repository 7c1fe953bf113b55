//! `/metrics` (issue 15): the Prometheus text format, with `metrics` and `metrics-exporter-prometheus`. Off
//! unless `--metriques-adresses` lists the addresses allowed to read it (a monitoring host); any other
//! address gets the ordinary 404. Per route: request counts by status and durations; storage commits; and,
//! read at each scrape, the e-mails waiting, the open sessions and the age of the newest automatic backup.

use std::sync::OnceLock;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::server::AppState;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder once (at start when enabled, or at the first allowed scrape).
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| PrometheusBuilder::new().install_recorder().ok())
        .as_ref()
}

/// Counts and times each request under a bounded route label (ids folded, unknown paths together).
pub async fn track(request: Request<Body>, next: Next) -> Response {
    if HANDLE.get().is_none() {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status();
    let route = route_label(&path, status);
    metrics::counter!("emjpm_requetes_total", "route" => route.clone(), "statut" => status.as_u16().to_string())
        .increment(1);
    metrics::histogram!("emjpm_requete_duree_secondes", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The route of a path, with a bounded number of values: numbers become ":id", files one label each kind,
/// and every path the site does not know (404) the single label "introuvable".
fn route_label(path: &str, status: StatusCode) -> String {
    if status == StatusCode::NOT_FOUND {
        return "introuvable".to_owned();
    }
    for prefix in ["/pkg/", "/documentation/images/"] {
        if path.starts_with(prefix) {
            return prefix.trim_end_matches('/').to_owned();
        }
    }
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .take(6)
        .map(|s| {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                ":id"
            } else {
                s
            }
        })
        .collect();
    let label = format!("/{}", segments.join("/"));
    if label.len() > 80 {
        "autre".to_owned()
    } else {
        label
    }
}

/// `GET /metrics`.
pub async fn scrape(State(state): State<AppState>, request: Request<Body>) -> Response {
    let allowed = request
        .extensions()
        .get::<std::sync::Arc<crate::server::context::RequestFacts>>()
        .and_then(|facts| facts.ip.parse::<std::net::IpAddr>().ok())
        .is_some_and(|ip| state.settings.metrics_addresses.contains(&ip));
    if !allowed {
        return crate::server::errors::error_page(&crate::api::AppError::NotFound);
    }
    let Some(handle) = install() else {
        return crate::server::errors::internal_error_page();
    };
    let figures = tokio::task::spawn_blocking(move || gauges(&state)).await;
    if let Ok(Ok((pending, sessions, backup_age))) = figures {
        metrics::gauge!("emjpm_courriels_en_attente").set(pending as f64);
        metrics::gauge!("emjpm_sessions_ouvertes").set(sessions as f64);
        metrics::gauge!("emjpm_age_derniere_sauvegarde_secondes").set(backup_age);
    }
    handle.run_upkeep();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}

/// (e-mails waiting, open sessions, seconds since the newest automatic backup or -1 when none).
fn gauges(state: &AppState) -> Result<(usize, u64, f64), crate::db::StoreError> {
    use redb::{ReadableDatabase, ReadableTableMetadata};
    let read = state.db.begin_read()?;
    let pending = crate::db::outbox::due(&read, i64::MAX)?.len();
    let sessions =
        crate::db::open_or_empty(&read, crate::db::tables::SESSIONS)?.map_or(Ok(0), |t| t.len())?;
    let folder = state.data_dir.join(crate::server::jobs::FOLDER);
    let newest = crate::server::jobs::automatic_backups(&folder)
        .last()
        .and_then(|(name, _)| std::fs::metadata(folder.join(name)).ok())
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.elapsed().ok())
        .map_or(-1.0, |age| age.as_secs_f64());
    Ok((pending, sessions, newest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_labels_are_bounded() {
        assert_eq!(
            route_label("/admin/utilisateurs/12", StatusCode::OK),
            "/admin/utilisateurs/:id"
        );
        assert_eq!(route_label("/pkg/emjpm.wasm", StatusCode::OK), "/pkg");
        assert_eq!(
            route_label("/n/importe/quoi", StatusCode::NOT_FOUND),
            "introuvable"
        );
        assert_eq!(
            route_label(&format!("/{}", "a".repeat(200)), StatusCode::OK),
            "autre"
        );
    }

    #[tokio::test]
    async fn only_the_listed_addresses_read_the_metrics() {
        let dir = tempfile::tempdir().unwrap();
        let args = match crate::server::config::parse([
            "emjpm",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--trust-proxy",
            "--metriques-adresses",
            "10.9.9.9",
        ]) {
            crate::server::config::Parsed::Run(cli) => cli.serve_args(),
            crate::server::config::Parsed::Exit { message, .. } => panic!("{message}"),
        };
        let state = crate::server::build_state(&args).unwrap();
        install();
        let app = crate::server::router(state);
        let get = |ip: &'static str| {
            use tower::ServiceExt;
            app.clone().oneshot(
                Request::get("/metrics")
                    .header("x-forwarded-for", ip)
                    .body(Body::empty())
                    .unwrap(),
            )
        };
        let _ = get("10.1.1.1").await.unwrap();
        let refused = get("10.1.1.1").await.unwrap();
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
        let answer = get("10.9.9.9").await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        let text = String::from_utf8(
            axum::body::to_bytes(answer.into_body(), usize::MAX)
                .await
                .unwrap()
                .to_vec(),
        )
        .unwrap();
        for name in [
            "emjpm_requetes_total",
            "emjpm_courriels_en_attente",
            "emjpm_sessions_ouvertes",
            "emjpm_age_derniere_sauvegarde_secondes",
        ] {
            assert!(text.contains(name), "{name} in {text}");
        }
    }
}
