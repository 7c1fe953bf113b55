//! What a public instance meets (issue 14, points 3, 4, 7, 8, 9 and 10), through the real router: oversized
//! and malformed requests, floods of refused forms, planted cookies, reset links, headers, file modes.
//! The timing and memory figures of the same faults are the limits harness's (`make limites`).

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use redb::ReadableDatabase;
use tower::ServiceExt;

use crate::api::form::{FormState, PageFlash};
use crate::db::users::{self, AccountStatus};
use crate::rules::account::Role;
use crate::server::{router, test_kit};

use test_kit::request as call;

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");
const PAGE: (&str, &str) = ("accept", "text/html");

#[tokio::test]
async fn an_oversized_body_is_413_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_kit::app(dir.path());
    let huge = format!(
        "identifiant={}&mot_de_passe=x&retour=",
        "a".repeat(crate::server::limits::MAX_BODY_BYTES)
    );
    // Declared length, from the pages' script: the typed error.
    let length = huge.len().to_string();
    let (status, _, body) = call(
        &app,
        Method::POST,
        "/api/connexion",
        &[FORM, ("content-length", &length)],
        Body::from(huge.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.contains("\"erreur\":\"PayloadTooLarge\""), "{body}");
    // A plain form: the French page.
    let (status, _, page) = call(
        &app,
        Method::POST,
        "/api/connexion",
        &[FORM, PAGE],
        Body::from(huge.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.contains("Requête trop volumineuse"), "{page}");
    // Without a declared length (chunked): found while reading.
    let (status, _, body) = call(
        &app,
        Method::POST,
        "/api/connexion",
        &[FORM],
        Body::from(huge),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
}

#[tokio::test]
async fn role_sections_answer_401_or_403_before_reading_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = router(state.clone());
    for body in [
        "",
        "id=abc",
        "id=1&id=2",
        "id=18446744073709551616",
        "page=-1",
    ] {
        let (status, _, answer) = call(
            &app,
            Method::POST,
            "/api/mandataire/mesure/reactiver",
            &[FORM],
            Body::from(body),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}: {answer}");
        let (status, headers, _) = call(
            &app,
            Method::POST,
            "/api/admin/tribunal/fermer",
            &[FORM, PAGE],
            Body::from(body),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(headers[header::LOCATION], "/connexion");
    }
    // Another role: 403, whatever the arguments.
    let magistrat = test_kit::account(&state, test_kit::new_user("juge", Role::Magistrat));
    let cookie = test_kit::sign_in(&state, magistrat);
    let (status, _, answer) = call(
        &app,
        Method::POST,
        "/api/mandataire/mesure/reactiver",
        &[FORM, ("cookie", &cookie)],
        Body::from("id=abc"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    // The right role with a bad argument: 400, never 500.
    let prepose = test_kit::account(&state, test_kit::new_user("prepose", Role::Prepose));
    let cookie = test_kit::sign_in(&state, prepose);
    let (status, _, answer) = call(
        &app,
        Method::POST,
        "/api/mandataire/mesure/reactiver",
        &[FORM, ("cookie", &cookie)],
        Body::from("id=abc"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
}

#[tokio::test]
async fn a_control_character_never_reaches_a_header() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_kit::app(dir.path());
    // A line feed in the reset token (`jeton=a%0Ab`) once made the redirect's header fail.
    let (status, headers, body) = call(
        &app,
        Method::POST,
        "/api/reinitialiser",
        &[FORM, PAGE],
        Body::from("jeton=a%0Ab&mot_de_passe=x&confirmation=x"),
    )
    .await;
    assert!(status.is_redirection(), "{status} {body}");
    let location = headers[header::LOCATION].to_str().unwrap();
    assert_eq!(location, "/reinitialiser-mot-de-passe?jeton=a%0Ab");
    assert_eq!(
        crate::server::context::local_target("//evil.example/x"),
        "/"
    );
    assert_eq!(
        crate::server::context::local_target("https://evil.example"),
        "/"
    );
    assert_eq!(
        crate::server::context::local_target("/a b\r\nSet-Cookie: x"),
        "/a%20b%0D%0ASet-Cookie:%20x"
    );
}

#[tokio::test]
async fn an_overlong_identifiant_is_simply_incorrect_and_its_echo_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = router(state.clone());
    let typed = "x".repeat(200_000);
    let (status, _, body) = call(
        &app,
        Method::POST,
        "/api/connexion",
        &[FORM],
        Body::from(format!("identifiant={typed}&mot_de_passe=secret&retour=")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(crate::server::accounts::LOGIN_FAILED),
        "incorrect"
    );
    assert!(
        body.len() < 2 * crate::api::form::MAX_ECHO_CHARS,
        "the echo is cut: {} bytes",
        body.len()
    );
    // Nothing followed for such a text: the throttle's map holds no key for it.
    assert_eq!(state.throttle.held().0, 0);
}

#[test]
fn the_flash_store_is_bounded_and_its_ids_are_the_server_s() {
    let store = crate::server::flash::FlashStore::default();
    let parts = |cookie: Option<&str>| {
        let mut request = Request::builder().uri("/connexion");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(()).unwrap().into_parts().0
    };
    let refused = |size: usize| {
        let mut form = FormState::default();
        form.set("identifiant", "y".repeat(size));
        PageFlash {
            form: Some(form),
            notice: None,
        }
    };
    // 20,000 refused forms of 4 KB each (what a flood of anonymous posts leaves).
    for _ in 0..20_000 {
        store.put_returning_cookie(&parts(None), "connexion", refused(4096));
    }
    let (entries, bytes) = store.held();
    assert!(entries <= 10_000, "{entries}");
    assert!(bytes <= 32 * 1024 * 1024, "{bytes}");
    // A planted id: the victim's refused form goes under a new id, which the planter does not know.
    let planted = format!("emjpm_flash={}", "p".repeat(43));
    let set_cookie = store.put_returning_cookie(&parts(Some(&planted)), "connexion", refused(10));
    assert!(!set_cookie.contains(&"p".repeat(43)), "{set_cookie}");
    assert_eq!(
        store.take(&parts(Some(&planted)), "connexion"),
        PageFlash::default()
    );
    let own = set_cookie.split(';').next().unwrap();
    assert!(store.take(&parts(Some(own)), "connexion").form.is_some());
}

#[tokio::test]
async fn a_sign_up_naming_thousands_of_tribunaux_is_refused_before_any_look_up() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_kit::app(dir.path());
    let mut body: String = (0..10_000).map(|n| format!("tribunaux[]={n}&")).collect();
    body.push_str("type_mandataire=prepose&identifiant=x");
    let (status, _, answer) = call(
        &app,
        Method::POST,
        "/api/inscription",
        &[FORM],
        Body::from(body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(
        answer.contains(crate::server::accounts::TOO_MANY_TRIBUNAUX),
        "{answer}"
    );
    assert!(answer.len() < 20_000, "the echo keeps 100 at most");
}

#[test]
fn reset_links_die_with_a_new_password_a_new_e_mail_or_a_deactivation() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let id = test_kit::account(&state, test_kit::new_user("cible", Role::Prepose));
    let token_alive = |key: &str| {
        let read = state.db.begin_read().unwrap();
        crate::db::reset_tokens::peek(&read, key, 0)
            .unwrap()
            .is_some()
    };
    type Change = fn(&mut users::User);
    let changes: [(&str, Change); 3] = [
        ("mot de passe", |u| {
            u.password_hash = "$argon2id$autre".into()
        }),
        ("adresse", |u| u.email = "nouvelle@exemple.fr".into()),
        ("désactivation", |u| u.status = AccountStatus::Desactive),
    ];
    for (n, (what, change)) in changes.into_iter().enumerate() {
        let key = format!("jeton-{n}");
        let write = state.db.begin_write().unwrap();
        crate::db::reset_tokens::insert(
            &write,
            &key,
            &crate::db::reset_tokens::ResetToken {
                user_id: id,
                expires_at: i64::MAX,
            },
        )
        .unwrap();
        write.commit().unwrap();
        assert!(token_alive(&key));
        let write = state.db.begin_write().unwrap();
        let mut user = users::get_in(&write, id).unwrap().unwrap();
        user.status = AccountStatus::Actif;
        change(&mut user);
        users::put(&write, &user).unwrap();
        write.commit().unwrap();
        assert!(!token_alive(&key), "{what}");
    }
    // Expired ones are purged.
    let write = state.db.begin_write().unwrap();
    crate::db::reset_tokens::insert(
        &write,
        "vieux",
        &crate::db::reset_tokens::ResetToken {
            user_id: id,
            expires_at: 10,
        },
    )
    .unwrap();
    assert_eq!(
        crate::db::reset_tokens::purge_expired(&write, 11).unwrap(),
        1
    );
}

#[tokio::test]
async fn reset_links_are_masked_in_the_outbox_and_each_reading_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = router(state.clone());
    test_kit::account(&state, test_kit::new_user("cible", Role::Prepose));
    let (status, _, _) = call(
        &app,
        Method::POST,
        "/api/mot-de-passe-oublie",
        &[FORM],
        Body::from("email=cible%40exemple.fr"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let email = {
        let read = state.db.begin_read().unwrap();
        crate::db::outbox::newest_first(&read)
            .unwrap()
            .into_iter()
            .find(|e| e.subject == crate::server::mail::SUBJECT_RESET)
            .unwrap()
    };
    assert!(email.body.contains("jeton=[masqué]"), "{}", email.body);
    let secret = email.secret.clone().unwrap();
    assert!(secret.body.contains("jeton="));
    assert!(!secret.body.contains("[masqué]"));
    // Without SMTP an administrator reads the link (to forward it), and the reading is audited.
    let admin = test_kit::account(&state, test_kit::new_user("admin.test", Role::Admin));
    let cookie = test_kit::sign_in(&state, admin);
    let (status, _, page) = call(
        &app,
        Method::GET,
        &format!("/admin/courriels/{}", email.id),
        &[("cookie", &cookie)],
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let token = secret
        .body
        .split("jeton=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    assert!(page.contains(token), "the link is shown to forward it");
    let read = state.db.begin_read().unwrap();
    let audited = crate::db::audit::newest_first(&read)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "Lecture d'un courriel contenant un lien à usage unique")
        .count();
    assert_eq!(audited, 1);
    drop(read);
    // Sent by SMTP (or past its expiry), the secret is erased: the clean-up forgets expired ones.
    let write = state.db.begin_write().unwrap();
    let forgotten = crate::db::outbox::forget_expired_secrets(&write, secret.until + 1).unwrap();
    write.commit().unwrap();
    assert_eq!(forgotten, 1);
    let (_, _, page) = call(
        &app,
        Method::GET,
        &format!("/admin/courriels/{}", email.id),
        &[("cookie", &cookie)],
        Body::empty(),
    )
    .await;
    assert!(!page.contains(token));
    assert!(page.contains("jeton=[masqué]"));
}

#[tokio::test]
async fn pages_far_past_the_end_are_404_and_headers_are_set() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = router(state.clone());
    let admin = test_kit::account(&state, test_kit::new_user("admin.test", Role::Admin));
    let cookie = test_kit::sign_in(&state, admin);
    for path in [
        "/admin/etablissements?page=18446744073709551615",
        "/admin/tribunaux?page=9999999999999999999",
        "/admin/utilisateurs?page=400000000000000000",
        "/admin/journal?page=18446744073709551615",
    ] {
        let (status, _, _) = call(
            &app,
            Method::GET,
            path,
            &[("cookie", &cookie)],
            Body::empty(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, headers, _) = call(&app, Method::GET, "/", &[], Body::empty()).await;
    assert!(headers["permissions-policy"]
        .to_str()
        .unwrap()
        .contains("geolocation=()"));
    let (_, headers, _) = call(
        &app,
        Method::GET,
        "/reinitialiser-mot-de-passe?jeton=abc",
        &[],
        Body::empty(),
    )
    .await;
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn the_autocomplete_is_rate_limited_per_address() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_kit::app(dir.path());
    let mut statuses = Vec::new();
    for _ in 0..60 {
        let (status, _, _) = call(
            &app,
            Method::GET,
            "/api/autocomplete/communes?q=cal",
            &[],
            Body::empty(),
        )
        .await;
        statuses.push(status);
    }
    // 20 a second, 40 in a burst: 60 at once leave some refused, the first ones served.
    assert!(statuses[..40].iter().all(|s| *s == StatusCode::OK));
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS));
    // A search field is read for its first 100 characters only.
    let long = format!("calais{}", " x".repeat(500_000));
    let started = std::time::Instant::now();
    let answer = crate::rules::text::search_input(&long);
    assert!(answer.chars().count() <= 100);
    assert!(started.elapsed() < std::time::Duration::from_millis(50));
}

#[test]
fn the_data_directory_s_files_are_the_owner_s_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("donnees");
    // A folder left open by an earlier version.
    std::fs::create_dir_all(data.join("index")).unwrap();
    std::fs::set_permissions(data.join("index"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let _state = test_kit::state(&data);
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("emjpm.redb")), 0o600);
    assert_eq!(mode(&data.join("index")), 0o700);
    for entry in walk(&data.join("index")) {
        assert_eq!(mode(&entry) & 0o077, 0, "{}", entry.display());
    }
}

fn walk(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn names_refuse_control_characters() {
    use crate::rules::profile::bounded_text;
    assert!(bounded_text("Dupont\r\nBcc: x", "Nom", 100, "Le nom", true).is_err());
    assert!(crate::rules::mesure::numero_dossier("A\u{0}1").is_err());
}

#[tokio::test]
async fn the_reset_form_is_accepted_without_an_origin_and_nothing_else_is() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_kit::app(dir.path());
    let post = |path: &'static str, origin: Option<&'static str>, site: Option<&'static str>| {
        let mut request =
            Request::post(path).header("content-type", "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        app.clone().oneshot(
            request
                .body(Body::from("jeton=x&mot_de_passe=x&confirmation=x"))
                .unwrap(),
        )
    };
    // The page is served with `no-referrer`: its form comes with `Origin: null`.
    let answer = post("/api/reinitialiser", Some("null"), Some("same-origin"))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let answer = post("/api/reinitialiser", None, None).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let answer = post("/api/reinitialiser", Some("null"), Some("cross-site"))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let answer = post("/api/connexion", Some("null"), Some("same-origin"))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
}
