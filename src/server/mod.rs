//! The server: configuration, start-up, axum wiring. Server function bodies live in the domain modules
//! (`places`, …) and are declared, isomorphically, next to the pages that call them.

pub mod api;
pub mod assets;
pub mod config;
pub mod errors;
pub mod places;
pub mod reference;
pub mod search;
pub mod security;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::catch_panic::CatchPanicLayer;

use crate::app::{shell, App};
use config::ServeArgs;
use reference::ReferenceData;
use search::SearchIndex;

/// Everything a request may need, shared by all of them. Server functions read it with
/// `expect_context::<AppState>()`.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub public_url: Arc<url::Url>,
    pub db: Arc<redb::Database>,
    pub reference: Arc<ReferenceData>,
    pub communes: Arc<SearchIndex>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// A start-up failure, shown to the operator as one French line.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("impossible de créer le dossier de données « {path} » : {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error(transparent)]
    Database(#[from] crate::db::OpenError),
    #[error(transparent)]
    Reference(#[from] reference::ReferenceError),
    #[error(transparent)]
    Search(#[from] search::SearchError),
    #[error("impossible d'écouter sur {address} : {reason}")]
    Listen {
        address: std::net::SocketAddr,
        reason: String,
    },
    #[error("configuration de Leptos invalide : {0}")]
    Leptos(String),
}

/// Creates the data directory if needed, readable by its owner only (SPEC §12 "Privacy").
pub fn prepare_data_dir(path: &Path) -> Result<(), StartError> {
    let fail = |e: std::io::Error| StartError::DataDir {
        path: path.to_owned(),
        reason: errors::io_reason(&e),
    };
    std::fs::create_dir_all(path).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).map_err(fail)?;
    }
    Ok(())
}

/// Opens the data directory and builds the shared state, without listening yet.
pub fn build_state(args: &ServeArgs) -> Result<AppState, StartError> {
    prepare_data_dir(&args.data_dir)?;
    let db = crate::db::open(&args.data_dir)?;
    let started = std::time::Instant::now();
    let reference = ReferenceData::load()?;
    let communes = search::communes::open(&args.data_dir.join("index"), &reference)?;
    tracing::info!(
        communes = reference.communes.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "données de référence chargées"
    );
    let mut leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| StartError::Leptos(e.to_string()))?
        .leptos_options;
    leptos_options.site_addr = args.listen;
    Ok(AppState {
        leptos_options,
        public_url: Arc::new(args.public_url()),
        db: Arc::new(db),
        reference: Arc::new(reference),
        communes: Arc::new(communes),
    })
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let provide_state = move || provide_context(context_state.clone());
    let options = state.leptos_options.clone();
    Router::new()
        .route("/sante", get(|| async { "ok" }))
        .route("/api/autocomplete/{kind}", get(api::autocomplete))
        .leptos_routes_with_context(&state, routes, provide_state, move || {
            shell(options.clone())
        })
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(CatchPanicLayer::custom(|_| errors::internal_error_page()))
        .with_state(state)
}

/// Embedded files first; anything else is rendered by the app, whose router answers "Page introuvable".
async fn fallback(State(state): State<AppState>, request: Request<Body>) -> Response {
    if let Some(response) = assets::serve(request.uri().path(), request.headers()) {
        return response;
    }
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_to_stream_with_context(
        move || provide_context(state.clone()),
        move || shell(options.clone()),
    );
    let mut response = render(request).await.into_response();
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}

/// `emjpm serve`: runs until SIGINT or SIGTERM, then finishes the requests under way and closes the database.
pub async fn serve(args: ServeArgs) -> Result<(), StartError> {
    let state = build_state(&args)?;
    if assets::file_names().next().is_none() {
        tracing::warn!(
            "aucun fichier du site n'est intégré : construisez avec « cargo leptos build »"
        );
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| StartError::Listen {
            address: args.listen,
            reason: errors::io_reason(&e),
        })?;
    let address = listener.local_addr().map_err(|e| StartError::Listen {
        address: args.listen,
        reason: errors::io_reason(&e),
    })?;
    tracing::info!(
        "e-MJPM écoute sur http://{address} (adresse publique {}, données dans {})",
        state.public_url,
        args.data_dir.display()
    );
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| StartError::Listen {
        address,
        reason: errors::io_reason(&e),
    })?;
    tracing::info!("e-MJPM arrêté proprement");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("arrêt demandé : fin des requêtes en cours");
}
