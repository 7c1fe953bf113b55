//! The authorisation machinery's test (SPEC §12): every registered server function is called anonymously
//! as a logged-in mandataire and as a magistrat; only the functions of the explicit public list may answer an
//! anonymous caller, only the admin functions refuse the mandataire, and the mandataire functions refuse the
//! magistrat. A new server function that forgets its
//! `require` fails here.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use tower::ServiceExt;

use super::*;
use crate::db::users::NewUser;
use crate::rules::account::Role;

/// Open to anonymous visitors: sign-up, login, logout, password reset, autocomplete and the page helpers
/// (the flash of a refused form, who is logged in, the landing page's commune search, the retention periods of
/// "Mentions légales").
const PUBLIC: &[&str] = &[
    "/api/formulaire",
    "/api/moi",
    "/api/contact",
    "/api/comptes-demo",
    "/api/demo",
    "/api/guides",
    "/api/guide",
    "/api/communes/localiser",
    "/api/inscription",
    "/api/inscription/magistrat",
    "/api/inscription/tribunaux",
    "/api/connexion",
    "/deconnexion",
    "/api/mot-de-passe-oublie",
    "/api/reinitialiser",
    "/api/reinitialiser/valide",
    "/api/invitation",
    "/api/invitation/rejoindre",
    "/api/conservation",
    "/api/connexion/code",
    "/api/connexion/code/attente",
];

/// For any logged-in user.
const ANY_ROLE: &[&str] = &["/api/compte/mot-de-passe"];

/// A body every function can decode: the union of their required arguments (unknown fields are ignored),
/// so that the call reaches the function's body and its checks.
const UNIVERSAL_BODY: &str = "id=1&form=x&jeton=x&filter[onglet]=&filter[type_compte]=&filter[q]=&filter[page]=1&finess=x&commune=x&etat=en_cours";

use super::test_kit::{self, state};

/// A session cookie of an active mandataire.
fn mandataire_cookie(state: &AppState) -> String {
    cookie_of(state, Role::Prepose)
}

/// A session cookie of a new active account of `role`.
fn cookie_of(state: &AppState, role: Role) -> String {
    let name = format!("{role:?}").to_lowercase();
    let id = test_kit::account(
        state,
        NewUser {
            prenom: "Préposé".into(),
            ..test_kit::new_user(&format!("{name}.test"), role)
        },
    );
    test_kit::sign_in(state, id)
}

async fn call(app: &Router, path: &str, method: &Method, cookie: Option<&str>) -> StatusCode {
    let origin = "http://127.0.0.1:3000";
    let mut request = if *method == Method::GET {
        Request::get(format!("{path}?{UNIVERSAL_BODY}"))
    } else {
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
    }
    .header(header::ORIGIN, origin);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let body = if *method == Method::GET {
        Body::empty()
    } else {
        Body::from(UNIVERSAL_BODY)
    };
    app.clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn every_server_function_checks_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let cookie = mandataire_cookie(&state);
    let magistrat = cookie_of(&state, Role::Magistrat);
    let app = router(state);
    let functions: Vec<(String, Method)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method))
        .collect();
    assert!(functions.len() >= 18, "{functions:?}");
    for (path, method) in &functions {
        let anonymous = call(&app, path, method, None).await;
        let public = PUBLIC.contains(&path.as_str());
        if public {
            assert!(
                !matches!(anonymous, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                "{path} is public yet refused an anonymous caller ({anonymous})"
            );
        } else {
            assert_eq!(
                anonymous,
                StatusCode::UNAUTHORIZED,
                "{path} answered an anonymous caller without being on the public list"
            );
            let mandataire = call(&app, path, method, Some(&cookie)).await;
            if path.starts_with("/api/admin/") {
                assert_eq!(mandataire, StatusCode::FORBIDDEN, "{path} as a mandataire");
            } else if path.starts_with("/api/magistrat/") {
                assert_eq!(mandataire, StatusCode::FORBIDDEN, "{path} as a mandataire");
                let other = call(&app, path, method, Some(&magistrat)).await;
                assert_ne!(other, StatusCode::FORBIDDEN, "{path} as a magistrat");
            } else if path.starts_with("/api/mandataire/") {
                assert_ne!(mandataire, StatusCode::FORBIDDEN, "{path} as a mandataire");
                let other = call(&app, path, method, Some(&magistrat)).await;
                assert_eq!(other, StatusCode::FORBIDDEN, "{path} as a magistrat");
            } else {
                assert!(
                    ANY_ROLE.contains(&path.as_str()),
                    "{path} is neither public, nor for any role, nor admin: add its role's check here"
                );
                assert_ne!(mandataire, StatusCode::FORBIDDEN, "{path} as a mandataire");
            }
        }
    }
}

/// The web import is a plain axum route (multipart upload), checked the same way.
#[tokio::test]
async fn the_web_import_is_for_admins_only() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let cookie = mandataire_cookie(&state);
    let app = router(state);
    for kind in ["tribunaux", "etablissements"] {
        let path = format!("/admin/import/{kind}");
        let anonymous = call(&app, &path, &Method::POST, None).await;
        assert_eq!(anonymous, StatusCode::SEE_OTHER, "{path}");
        let mandataire = call(&app, &path, &Method::POST, Some(&cookie)).await;
        assert_eq!(mandataire, StatusCode::FORBIDDEN, "{path}");
    }
}

/// One import at a time: while another runs, the page says so and nothing is imported.
#[tokio::test]
async fn a_second_import_is_refused_while_one_runs() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let cookie = cookie_of(&state, Role::Admin);
    let busy = state.import_lock.clone().try_lock_owned().unwrap();
    let app = router(state);
    let body = "--X\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"t.csv\"\r\nContent-Type: text/csv\r\n\r\ntype,nom\r\nTJ,Tribunal judiciaire de Test\r\n--X--\r\n";
    let response = app
        .clone()
        .oneshot(
            Request::post("/admin/import/tribunaux")
                .header(header::ORIGIN, "http://127.0.0.1:3000")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let flash = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = app
        .oneshot(
            Request::get("/admin/tribunaux/import")
                .header(header::COOKIE, format!("{cookie}; {flash}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let html = String::from_utf8(
        axum::body::to_bytes(page.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(
        html.contains(crate::server::admin::imports::IMPORT_BUSY),
        "{html}"
    );
    drop(busy);
}
