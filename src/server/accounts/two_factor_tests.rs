//! Issue 19, the admins' second factor through the real router: enrolment (QR code, a first code, recovery
//! codes once), the login's second step (a TOTP code, a recovery code, wrong codes), the mandatory setting.

use axum::http::{HeaderMap, Method, StatusCode};
use redb::ReadableDatabase;

use crate::db::now;
use crate::db::users::{self, NewUser};
use crate::rules::account::Role;
use crate::server::auth::{password, two_factor};
use crate::server::test_kit::{self, send};
use crate::server::AppState;

const PASSWORD: &str = "Bon-Mot-De-Passe-2026";

fn admin(state: &AppState) -> u64 {
    test_kit::account(
        state,
        NewUser {
            password_hash: password::hash(PASSWORD).unwrap(),
            ..test_kit::new_user("admin.test", Role::Admin)
        },
    )
}

/// The value of cookie `name` the answer sets.
fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

async fn login(app: &axum::Router) -> (StatusCode, HeaderMap, String) {
    let body = format!("identifiant=admin.test&mot_de_passe={PASSWORD}&retour=");
    send(app, Method::POST, "/api/connexion", None, Some(&body)).await
}

fn factor(state: &AppState, id: u64) -> Option<users::DeuxFacteurs> {
    users::get(&state.db.begin_read().unwrap(), id)
        .unwrap()
        .unwrap()
        .deux_facteurs
}

/// Enrols `id` through the pages; returns the recovery codes.
async fn enrol(app: &axum::Router, state: &AppState, cookie: &str, id: u64) -> Vec<String> {
    let (_, _, answer) = send(
        app,
        Method::POST,
        "/api/admin/double-authentification/commencer",
        Some(cookie),
        Some(""),
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    let (status, _, page) = send(
        app,
        Method::GET,
        "/compte/double-authentification",
        Some(cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<svg") && page.contains("Saisissez le code à 6 chiffres"),
        "{page}"
    );
    let secret = factor(state, id).unwrap().secret;
    assert!(
        page.contains(&secret[..4]),
        "the secret in text for manual entry"
    );
    // A wrong code: refused, not enrolled.
    let (_, _, answer) = send(
        app,
        Method::POST,
        "/api/admin/double-authentification/confirmer",
        Some(cookie),
        Some("code=000000"),
    )
    .await;
    assert!(
        answer.contains(two_factor_messages::CODE_WRONG) || answer.contains("Code incorrect"),
        "{answer}"
    );
    assert!(factor(state, id).unwrap().actif_depuis.is_none());
    let code = two_factor::code_at(&secret, now()).unwrap();
    let (_, _, answer) = send(
        app,
        Method::POST,
        "/api/admin/double-authentification/confirmer",
        Some(cookie),
        Some(&format!("code={code}")),
    )
    .await;
    assert!(
        answer.contains("La double authentification est activée."),
        "{answer}"
    );
    let enrolled = factor(state, id).unwrap();
    assert!(enrolled.actif_depuis.is_some());
    assert_eq!(enrolled.secours.len(), 10);
    let codes: Vec<String> = answer
        .split("Ils ne seront plus affichés : ")
        .nth(1)
        .unwrap()
        .trim_end_matches("\"}")
        .trim_end_matches('"')
        .split(" ; ")
        .map(|c| c.chars().take(11).collect())
        .collect();
    assert_eq!(codes.len(), 10, "{answer}");
    // The stored codes are hashes, not the codes.
    assert!(!enrolled.secours.iter().any(|h| codes.contains(h)));
    codes
}

mod two_factor_messages {
    pub use crate::server::accounts::two_factor::CODE_WRONG;
}

#[tokio::test]
async fn an_admin_enrols_then_logs_in_with_a_code_or_a_recovery_code() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = crate::server::router(state.clone());
    let id = admin(&state);
    let cookie = test_kit::sign_in(&state, id);
    let codes = enrol(&app, &state, &cookie, id).await;

    // The password alone gives no session: the code page.
    let (status, headers, answer) = login(&app).await;
    assert_eq!((status, answer.as_str()), (StatusCode::OK, "\"Done\""));
    assert!(
        set_cookie(&headers, "emjpm_session").is_none(),
        "no session yet"
    );
    let waiting = set_cookie(&headers, "emjpm_code").unwrap();
    let (_, _, page) = send(&app, Method::GET, "/connexion/code", Some(&waiting), None).await;
    assert!(
        page.contains("Code de vérification") && page.contains("one-time-code"),
        "{page}"
    );
    // A wrong code: refused with its message, audited; the code typed is kept.
    let (_, _, answer) = send(
        &app,
        Method::POST,
        "/api/connexion/code",
        Some(&waiting),
        Some("code=123456"),
    )
    .await;
    assert!(
        answer.contains("Code incorrect") && answer.contains("123456"),
        "{answer}"
    );
    // The next step's code: a session.
    let secret = factor(&state, id).unwrap().secret;
    let code = two_factor::code_at(&secret, now() + 30).unwrap();
    let (_, headers, answer) = send(
        &app,
        Method::POST,
        "/api/connexion/code",
        Some(&waiting),
        Some(&format!("code={code}")),
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    let session = set_cookie(&headers, "emjpm_session").unwrap();
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/admin/utilisateurs",
        Some(&session),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The waiting login is spent; the same code again (a replay) is refused on a new login.
    let (_, _, answer) = send(
        &app,
        Method::POST,
        "/api/connexion/code",
        Some(&waiting),
        Some(&format!("code={code}")),
    )
    .await;
    assert_eq!(answer, "\"Done\"", "sent back to the login page");
    let (_, headers, _) = login(&app).await;
    let waiting = set_cookie(&headers, "emjpm_code").unwrap();
    let (_, _, answer) = send(
        &app,
        Method::POST,
        "/api/connexion/code",
        Some(&waiting),
        Some(&format!("code={code}")),
    )
    .await;
    assert!(
        answer.contains("Code incorrect"),
        "a code serves once: {answer}"
    );
    // A recovery code, once.
    let (_, headers, answer) = send(
        &app,
        Method::POST,
        "/api/connexion/code",
        Some(&waiting),
        Some(&format!("code={}", codes[0])),
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    assert!(set_cookie(&headers, "emjpm_session").is_some());
    assert_eq!(factor(&state, id).unwrap().secours.len(), 9);
    let (_, headers, _) = login(&app).await;
    let waiting = set_cookie(&headers, "emjpm_code").unwrap();
    let (_, _, answer) = send(
        &app,
        Method::POST,
        "/api/connexion/code",
        Some(&waiting),
        Some(&format!("code={}", codes[0])),
    )
    .await;
    assert!(answer.contains("Code incorrect"), "{answer}");
    // The server's owner resets it (`create-admin --reinitialiser-2fa`): the password alone logs in again.
    let said = crate::server::reset_two_factor::reset_in(&state.db, "admin.test").unwrap();
    assert!(
        said.starts_with("Double authentification de « admin.test » réinitialisée"),
        "{said}"
    );
    assert!(factor(&state, id).is_none());
    let (_, headers, _) = login(&app).await;
    assert!(set_cookie(&headers, "emjpm_session").is_some());
    assert!(crate::server::reset_two_factor::reset_in(&state.db, "inconnu").is_err());
    // The journal names the second step, never a code.
    let read = state.db.begin_read().unwrap();
    let entries = crate::db::audit::newest_first(&read).unwrap();
    assert!(entries
        .iter()
        .any(|e| e.result == "Succès (code de secours)"));
    assert!(entries
        .iter()
        .any(|e| e.result == "Code de vérification incorrect"));
    assert!(!entries
        .iter()
        .any(|e| e.result.contains(&codes[1]) || e.object.contains(&secret)));
}

#[tokio::test]
async fn when_mandatory_an_admin_enrols_before_any_admin_page() {
    let dir = tempfile::tempdir().unwrap();
    let args = match crate::server::config::parse([
        "emjpm",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--double-authentification-obligatoire",
    ]) {
        crate::server::config::Parsed::Run(cli) => cli.serve_args(),
        crate::server::config::Parsed::Exit { message, .. } => panic!("{message}"),
    };
    let state = crate::server::build_state(&args).unwrap();
    let app = crate::server::router(state.clone());
    let id = admin(&state);
    // The login opens a session and sends to the enrolment.
    let body = format!("identifiant=admin.test&mot_de_passe={PASSWORD}&retour=");
    let (status, headers, _) = test_kit::request(
        &app,
        Method::POST,
        "/api/connexion",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("accept", "text/html"),
        ],
        axum::body::Body::from(body),
    )
    .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(headers["location"], "/compte/double-authentification");
    let session = set_cookie(&headers, "emjpm_session").unwrap();
    let (status, headers, _) = send(
        &app,
        Method::GET,
        "/admin/utilisateurs",
        Some(&session),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/compte/double-authentification");
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/api/admin/en-attente",
        Some(&session),
        Some(""),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    enrol(&app, &state, &session, id).await;
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/admin/utilisateurs",
        Some(&session),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Mandatory: it cannot be switched off.
    let secret = factor(&state, id).unwrap().secret;
    let code = two_factor::code_at(&secret, now() + 30).unwrap();
    let (_, _, answer) = send(
        &app,
        Method::POST,
        "/api/admin/double-authentification/desactiver",
        Some(&session),
        Some(&format!("code={code}")),
    )
    .await;
    assert!(answer.contains("obligatoire"), "{answer}");
    assert!(factor(&state, id).unwrap().actif_depuis.is_some());
}
