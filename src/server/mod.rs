//! The server: configuration, start-up, axum wiring. Server function bodies live in the domain modules
//! (`places`, …) and are declared, isomorphically, next to the pages that call them.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
#[cfg(test)]
mod authorization_tests;
pub mod blocking;
pub mod channel;
#[cfg(test)]
mod channel_tests;
pub mod commands;
pub mod config;
pub mod context;
pub mod demo;
pub mod error;
pub mod errors;
pub mod flash;
pub mod forms;
pub mod guides;
#[cfg(test)]
mod hardening_tests;
pub mod imports;
pub mod jobs;
pub mod limits;
pub mod listen;
pub mod magistrat;
pub mod mail;
pub mod mandataire;
pub mod metrics;
pub mod national;
pub mod old_reservations;
pub mod own_data;
pub mod places;
pub mod reference;
pub mod reminders;
pub mod reset_two_factor;
pub mod retention;
pub mod search;
pub mod security;
pub mod service;
pub mod spreadsheet;
pub mod test_clock;
#[cfg(test)]
pub mod test_kit;
pub mod time;
pub mod writer;

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
use search::{LiveIndex, SearchIndex};

/// Everything a request may need, shared by all of them. Server functions read it with
/// `expect_context::<AppState>()`. A handle: axum, the middleware and leptos clone the state several times a
/// request, and a clone of the 24 fields (their reference counts, on both cores) took a fifth of an
/// autocomplete's time (issue 20); now one count.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What `AppState` shares.
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub public_url: Arc<url::Url>,
    pub db: Arc<redb::Database>,
    pub reference: Arc<ReferenceData>,
    pub communes: Arc<SearchIndex>,
    /// Active tribunaux; rebuilt when the stored tribunaux change (start-up, import, edit).
    pub tribunaux: Arc<LiveIndex>,
    /// Open établissements; rebuilt when the stored ones change (start-up, import, closing).
    pub etablissements: Arc<LiveIndex>,
    /// The data directory (database, search indexes).
    pub data_dir: Arc<PathBuf>,
    /// One import at a time (SPEC §9 "Un import est déjà en cours.").
    pub import_lock: Arc<tokio::sync::Mutex<()>>,
    /// The mandataires' checked files waiting for "Importer" (issue 17).
    pub pending_imports: Arc<mandataire::import::pending::PendingImports>,
    pub settings: Arc<config::Settings>,
    pub flash: Arc<flash::FlashStore>,
    pub throttle: Arc<auth::throttle::Throttle>,
    /// The scheduled jobs' state (which run, the last automatic backup).
    pub jobs: Arc<jobs::Jobs>,
    /// The autocomplete's rate limit per address; `None` when disabled (0).
    pub autocomplete_limit: Arc<Option<api::AutocompleteLimit>>,
    /// Wakes the e-mail sender when a transaction queued an e-mail.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    /// The demo accounts of a database made by `emjpm demo` (banner, /connexion); `None` otherwise.
    pub demo_accounts: Arc<Option<Vec<crate::rules::account::DemoAccount>>>,
    /// Each tribunal's scope of mandataires, kept for its version (issue 18).
    pub scope_memo: Arc<magistrat::scope::ScopeMemo>,
    /// "Vue carte"'s counts per tribunal, list controls and scope version (issue 20).
    pub map_memo: Arc<magistrat::map::MapMemo>,
    /// Admin logins whose password was right, waiting for their second factor (issue 19).
    pub pending_logins: Arc<auth::two_factor::PendingLogins>,
    /// Group commit of the writes that use it (issue 20): `writer::Writer`.
    pub writer: writer::Writer,
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
    #[error(transparent)]
    Store(#[from] crate::db::StoreError),
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
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file-creation mask. Everything this process creates from now on
    // (the database, the search indexes, backups) is its owner's only, whoever created the folder.
    unsafe {
        libc::umask(0o077);
    }
    std::fs::create_dir_all(path).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).map_err(fail)?;
        // Files made by an earlier version, before the mask: closed to others too.
        restrict_tree(path).map_err(fail)?;
    }
    Ok(())
}

/// Removes the group's and others' rights on everything under `path` (files 0600, folders 0700 at most).
#[cfg(unix)]
fn restrict_tree(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.file_type().is_symlink() {
            continue;
        }
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode & 0o700))?;
        }
        if meta.is_dir() {
            restrict_tree(&entry.path())?;
        }
    }
    Ok(())
}

/// Opens the data directory and builds the shared state, without listening yet.
pub fn build_state(args: &ServeArgs) -> Result<AppState, StartError> {
    prepare_data_dir(&args.data.path)?;
    let db = crate::db::open(&args.data.path)?;
    resident("base ouverte");
    warn_if_no_admin(&db);
    // SPEC §8.4: the stored counters are checked against the mesures at each start.
    match crate::db::mesures::recount(&db) {
        Ok(0) => {}
        Ok(fixed) => tracing::warn!(fixed, "compteurs de mesures corrigés"),
        Err(error) => tracing::error!(%error, "vérification des compteurs de mesures impossible"),
    }
    resident("compteurs vérifiés");
    let settings = config::Settings::from_args(args);
    security::set_tile_origin(settings.tile_origin());
    let started = std::time::Instant::now();
    let reference = ReferenceData::load()?;
    resident("données de référence");
    let communes = search::communes::open(&args.data.path.join("index"), &reference)?;
    resident("recherche des communes");
    let (stored_tribunaux, etablissements, demo_accounts) = {
        use redb::ReadableDatabase;
        let read = db.begin_read().map_err(crate::db::StoreError::from)?;
        (
            crate::db::tribunaux::all(&read)?,
            search::etablissements::open_stored(&args.data.path.join("index"), &read)?,
            crate::db::demo::accounts(&read)?,
        )
    };
    resident("recherche des établissements");
    let tribunaux = search::tribunaux::open(
        &args.data.path.join("index"),
        &stored_tribunaux,
        &crate::server::time::today_iso(),
    )?;
    tracing::info!(
        communes = reference.communes.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "données de référence chargées"
    );
    let mut leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| StartError::Leptos(e.to_string()))?
        .leptos_options;
    leptos_options.site_addr = args.listen;
    // Site files are served from the binary (assets.rs), never from `site_root`; but Leptos looks there once
    // for an optional wasm-split manifest. Pointing it inside the data directory keeps the promise that the
    // binary reads no file outside it.
    leptos_options.site_root = args
        .data
        .path
        .join("site")
        .to_string_lossy()
        .into_owned()
        .into();
    if leptos_options.output_name.is_empty() {
        // Built by plain `cargo` (tests) rather than cargo-leptos, which bakes the name in.
        leptos_options.output_name = "emjpm".into();
    }
    // Pages name the browser code `emjpm.<version>.js` / `.wasm` (the hydration script appends the
    // extensions to this name), served as immutable by `assets` (issue 20).
    if let Some(tag) = assets::version() {
        leptos_options.output_name = format!("emjpm.{tag}").into();
    }
    let autocomplete_limit = api::AutocompleteLimit::new(settings.autocomplete_per_second);
    let db = Arc::new(db);
    Ok(AppState(Arc::new(Shared {
        writer: writer::Writer::start(&db),
        leptos_options,
        public_url: Arc::new(args.public_url()),
        settings: Arc::new(settings),
        flash: Arc::default(),
        throttle: Arc::default(),
        jobs: Arc::default(),
        autocomplete_limit: Arc::new(autocomplete_limit),
        mail_wakeup: Arc::default(),
        db,
        reference: Arc::new(reference),
        communes: Arc::new(communes),
        tribunaux: Arc::new(LiveIndex::new(tribunaux)),
        etablissements: Arc::new(LiveIndex::new(etablissements)),
        data_dir: Arc::new(args.data.path.clone()),
        import_lock: Arc::default(),
        pending_imports: Arc::default(),
        demo_accounts: Arc::new(demo_accounts),
        scope_memo: Arc::default(),
        map_memo: Arc::default(),
        pending_logins: Arc::default(),
    })))
}

/// Rebuilds the tribunaux autocomplete from the database (after an import or an edit) and swaps it in.
pub fn refresh_tribunaux(state: &AppState) -> Result<(), StartError> {
    use redb::ReadableDatabase;
    let _one_at_a_time = state
        .tribunaux
        .rebuilding
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let stored = {
        let read = state.db.begin_read().map_err(crate::db::StoreError::from)?;
        crate::db::tribunaux::all(&read)?
    };
    let index = search::tribunaux::open(
        &state.data_dir.join("index"),
        &stored,
        &crate::server::time::today_iso(),
    )?;
    state.tribunaux.replace(index);
    Ok(())
}

/// Rebuilds the établissements autocomplete from the database and swaps it in.
pub fn refresh_etablissements(state: &AppState) -> Result<(), StartError> {
    use redb::ReadableDatabase;
    let _one_at_a_time = state
        .etablissements
        .rebuilding
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let index = {
        let read = state.db.begin_read().map_err(crate::db::StoreError::from)?;
        search::etablissements::open_stored(&state.data_dir.join("index"), &read)?
    };
    state.etablissements.replace(index);
    Ok(())
}

/// The process's resident memory at a step of the start-up, in the log (issue 20: the budget is 200 MB, and
/// the operator sees what each step costs).
fn resident(step: &str) {
    let kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });
    if let Some(kb) = kb {
        tracing::debug!(
            step,
            resident_mib = kb / 1024,
            "mémoire résidente au démarrage"
        );
    }
}

/// SPEC §14: the operator is told how to create the first administrator.
fn warn_if_no_admin(db: &redb::Database) {
    use redb::ReadableDatabase;
    let admins = db
        .begin_read()
        .map_err(crate::db::StoreError::from)
        .and_then(|read| crate::db::users::count_active_admins(&read));
    match admins {
        Ok(0) => eprintln!("Aucun administrateur : lancez « emjpm create-admin »."),
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "comptage des administrateurs impossible"),
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let provide_state = move || provide_context(context_state.clone());
    let options = state.leptos_options.clone();
    Router::new()
        .route("/sante", get(health))
        .route("/metrics", get(metrics::scrape))
        .route("/api/autocomplete/{kind}", get(api::autocomplete))
        .route(
            "/admin/import/{kind}",
            axum::routing::post(admin::imports::import_upload).layer(
                axum::extract::DefaultBodyLimit::max(admin::imports::MAX_UPLOAD_BYTES + 64 * 1024),
            ),
        )
        .route(
            "/admin/sauvegarde/telecharger",
            axum::routing::post(admin::backups::download),
        )
        .route(
            "/mandataire/export/{fichier}",
            get(mandataire::export::download),
        )
        .route(
            "/magistrat/export/{fichier}",
            get(magistrat::export::download),
        )
        .route("/magistrat/carte/couches", get(magistrat::map::layers))
        .route(
            "/admin/utilisateurs/export/{fichier}",
            get(admin::export::download),
        )
        .route("/compte/mes-donnees.zip", get(own_data::download))
        .route(
            "/mandataire/import/verifier",
            axum::routing::post(mandataire::import::verify).layer(
                axum::extract::DefaultBodyLimit::max(mandataire::import::MAX_BODY_BYTES),
            ),
        )
        .route(
            "/mandataire/import/{fichier}",
            get(mandataire::import::template::download),
        )
        .leptos_routes_with_context(&state, routes, provide_state, move || {
            shell(options.clone())
        })
        .fallback(fallback)
        // Outermost last: the panic net, the headers every answer carries, the request's deadline, the
        // origin check and the body's bounds before anything reads the request; then who is calling.
        .layer(axum::middleware::from_fn(security::role_sections))
        .layer(axum::middleware::from_fn(limits::api_sections))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::resolve,
        ))
        .layer(axum::middleware::from_fn(security::plain_form_errors))
        .layer(axum::middleware::from_fn(limits::bounded_body))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::same_origin_writes,
        ))
        .layer(axum::middleware::from_fn(limits::request_deadline))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(compression())
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(panic_layer())
        .with_state(state)
}

/// Pages and JSON compressed when the browser accepts it (issue 20): brotli, else gzip, at a low level
/// (the two cores also render the pages). Embedded files arrive already compressed (`assets`: built with
/// `--precompress`) and keep their encoding; archives and spreadsheets are compressed already.
fn compression(
) -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    use tower_http::compression::{CompressionLayer, CompressionLevel, DefaultPredicate};
    let predicate = DefaultPredicate::new()
        .and(SizeAbove::new(1024))
        .and(NotForContentType::new("application/zip"))
        .and(NotForContentType::new("application/vnd.openxmlformats"))
        .and(NotForContentType::new("application/octet-stream"));
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(CompressionLevel::Precise(4))
        .compress_when(predicate)
}

/// Turns a panic in a handler into the French 500 page: never internals, and the server keeps serving.
pub fn panic_layer() -> CatchPanicLayer<fn(Box<dyn std::any::Any + Send>) -> Response> {
    fn on_panic(_: Box<dyn std::any::Any + Send>) -> Response {
        tracing::error!("une requête a provoqué une erreur interne (panic)");
        errors::internal_error_page()
    }
    CatchPanicLayer::custom(on_panic as fn(Box<dyn std::any::Any + Send>) -> Response)
}

/// `/sante`: "ok" only when the database answers a read (a load balancer or a supervisor relies on it);
/// else 503 "base de données indisponible".
async fn health(State(state): State<AppState>) -> Response {
    use redb::ReadableDatabase;
    let readable = state
        .db
        .begin_read()
        .map_err(crate::db::StoreError::from)
        .and_then(|read| crate::db::open_or_empty(&read, crate::db::tables::META).map(|_| ()));
    match readable {
        Ok(()) => "ok".into_response(),
        Err(error) => {
            tracing::error!(%error, "/sante : la base ne répond pas");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "base de données indisponible",
            )
                .into_response()
        }
    }
}

/// Embedded files first; anything else is rendered by the app, whose router answers "Page introuvable".
async fn fallback(State(state): State<AppState>, request: Request<Body>) -> Response {
    if let Some(response) = assets::serve(request.uri().path(), request.headers()) {
        return response;
    }
    if let Some(name) = request.uri().path().strip_prefix("/documentation/images/") {
        if let Some(response) = guides::image(name, request.headers()) {
            return response;
        }
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
    auth::password::release_large_allocations();
    let state = build_state(&args)?;
    if assets::file_names().next().is_none() {
        tracing::warn!(
            "aucun fichier du site n'est intégré : construisez avec « cargo leptos build »"
        );
    }
    if state.settings.smtp_url.is_none() {
        tracing::info!(
            "aucun serveur SMTP configuré : les courriels restent dans « Courriels envoyés »"
        );
    }
    tokio::spawn(mail::run_sender(state.clone()));
    if let Some(path) = state.settings.test_clock.clone() {
        tokio::spawn(test_clock::follow(path));
    }
    tokio::spawn(jobs::run(state.clone()));
    if !state.settings.metrics_addresses.is_empty() && metrics::install().is_none() {
        tracing::error!("/metrics indisponible : enregistreur de métriques non installé");
    }
    // The command channel: `emjpm create-admin`, imports and backups while the server runs.
    if let Err(error) = channel::listen(state.clone()) {
        tracing::error!(
            reason = errors::io_reason(&error),
            "canal de commande indisponible : les commandes refuseront tant que le serveur tourne"
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
        args.data.path.display()
    );
    let max_connections = listen::connection_cap(args.connexions_max as usize);
    tracing::info!(max_connections, "connexions simultanées au plus");
    listen::serve(listener, router(state), max_connections, shutdown_signal()).await;
    channel::remove(&args.data.path);
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

#[cfg(test)]
mod router_tests;
