//! What every test module of the server builds on: a state on a temporary data directory, accounts of each
//! role with a session, default profiles and mesures to adjust with struct update syntax, and the HTTP
//! calls the browser makes, sent to the real router in-process.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

use crate::db::mesures::Mesure;
use crate::db::profiles::Mandataire;
use crate::db::users::{AccountStatus, NewUser};
use crate::rules::account::Role;
use crate::rules::mesure::{Nature, Origin, Status};
use crate::rules::profile::Genre;
use crate::server::{auth, build_state, config, router, AppState};

/// The state of a server on `dir`, configured as `emjpm --data-dir <dir>` would be.
pub fn state(dir: &Path) -> AppState {
    let args = match config::parse(["emjpm", "--data-dir", dir.to_str().unwrap()]) {
        config::Parsed::Run(cli) => cli.serve_args(),
        config::Parsed::Exit { message, .. } => panic!("{message}"),
    };
    build_state(&args).unwrap()
}

/// The whole HTTP application on `dir`.
pub fn app(dir: &Path) -> Router {
    router(state(dir))
}

/// A new account; returns its id.
pub fn account(state: &AppState, user: NewUser) -> u64 {
    let write = state.db.begin_write().unwrap();
    let id = crate::db::users::create(&write, user).unwrap().id;
    write.commit().unwrap();
    id
}

/// An account of `role` named `identifiant`, active, with a dummy hash (no one logs in with it).
pub fn new_user(identifiant: &str, role: Role) -> NewUser {
    NewUser {
        identifiant: identifiant.to_owned(),
        email: format!("{identifiant}@exemple.fr"),
        role,
        nom: "Test".into(),
        prenom: "Test".into(),
        status: AccountStatus::Actif,
        password_hash: "$argon2id$x".into(),
    }
}

/// The session cookie of a new session of `user_id`.
pub fn sign_in(state: &AppState, user_id: u64) -> String {
    let write = state.db.begin_write().unwrap();
    let session = auth::session::open(&write, user_id).unwrap();
    write.commit().unwrap();
    format!("{}={session}", auth::session::cookie_name(state))
}

/// A préposé's profile in Calais (tribunal 1), 30 mesures souhaitées, no mesure yet.
pub fn mandataire_profile() -> Mandataire {
    Mandataire {
        genre: Genre::F,
        adresse: "1 rue de la Paix".into(),
        code_postal: "62100".into(),
        code_insee: "62193".into(),
        commune: "Calais".into(),
        telephone: "0321000000".into(),
        telephone_portable: None,
        mesures_souhaitees: 30,
        secretariat: false,
        secretariat_etp_centiemes: None,
        informations: String::new(),
        tribunaux: vec![1],
        etablissements: Vec::new(),
        mesures_en_cours: 0,
        mesures_en_attente: 0,
        mesures_eteintes: 0,
        derniere_mise_a_jour: None,
        suspension: None,
        derniere_relance: None,
    }
}

/// A curatelle renforcée en cours of `owner` in Calais, decided on 05/03/2024.
pub fn mesure(owner: u64) -> Mesure {
    Mesure {
        id: 0,
        owner,
        status: Status::EnCours,
        origin: Origin::Saisie,
        nature: Nature::CuratelleRenforcee,
        champ: None,
        date_decision: Some("2024-03-05".into()),
        code_postal: Some("62100".into()),
        code_insee: Some("62193".into()),
        commune: Some("Calais".into()),
        genre: Genre::F,
        annee_naissance: 1950,
        lieu_de_vie: None,
        etablissement: None,
        numero_dossier: None,
        numero_rg: None,
        tribunal_id: None,
        reservation: None,
        date_fin: None,
        cause_sortie: None,
        created_at: 0,
        antenne: None,
    }
}

/// One request to the router, as a same-origin browser sends it; returns the status, headers and body.
pub async fn send(
    app: &Router,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    form_body: Option<&str>,
) -> (StatusCode, HeaderMap, String) {
    let mut headers = Vec::new();
    if let Some(cookie) = cookie {
        headers.push(("cookie", cookie));
    }
    let body = match form_body {
        Some(body) => {
            headers.push(("content-type", "application/x-www-form-urlencoded"));
            Body::from(body.to_owned())
        }
        None => Body::empty(),
    };
    request(app, method, path, &headers, body).await
}

/// One same-origin request with the given headers and body; returns the status, headers and body.
pub async fn request(
    app: &Router,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Body,
) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::ORIGIN, "http://127.0.0.1:3000");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// An active tribunal of Pas-de-Calais named `nom`, stored; returns its id.
pub fn tribunal(state: &AppState, nom: &str, siret: Option<&str>) -> u64 {
    use crate::db::tribunaux;
    use redb::ReadableDatabase;
    let write = state.db.begin_write().unwrap();
    tribunaux::upsert(
        &write,
        tribunaux::Tribunal {
            id: 0,
            kind: crate::rules::tribunal::TribunalType::Judiciaire,
            nom: nom.into(),
            siret: siret.map(str::to_owned),
            adresse: String::new(),
            adresse_complement: String::new(),
            code_postal: "62100".into(),
            ville: "CALAIS".into(),
            code_insee: "62193".into(),
            departement: "62".into(),
            telephone: String::new(),
            email: String::new(),
            juridiction_parente: String::new(),
            date_ouverture: None,
            date_fermeture: None,
            actif: true,
            coordinates: None,
        },
    )
    .unwrap();
    write.commit().unwrap();
    let read = state.db.begin_read().unwrap();
    tribunaux::all(&read)
        .unwrap()
        .into_iter()
        .find(|t| t.nom == nom)
        .unwrap()
        .id
}
