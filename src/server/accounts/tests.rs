//! Races on accounts (issue 14, faults 1 and 2), through the real router with real argon2id hashes: logins
//! in flight while the account is deactivated or its password changed, and parallel guesses of a password.

use axum::http::{Method, StatusCode};
use redb::{ReadableDatabase, ReadableTable};

use crate::db::users::{self, AccountStatus, NewUser};
use crate::rules::account::Role;
use crate::server::auth::password;
use crate::server::{router, test_kit, AppState};

const PASSWORD: &str = "Bon-Mot-De-Passe-2026";

/// An active préposé whose password is `PASSWORD`; returns its id.
fn account(state: &AppState, identifiant: &str) -> u64 {
    test_kit::account(
        state,
        NewUser {
            password_hash: password::hash(PASSWORD).unwrap(),
            ..test_kit::new_user(identifiant, Role::Prepose)
        },
    )
}

async fn login(app: &axum::Router, identifiant: &str, secret: &str) -> (StatusCode, String) {
    let body = format!("identifiant={identifiant}&mot_de_passe={secret}&retour=");
    let (status, _, answer) =
        test_kit::send(app, Method::POST, "/api/connexion", None, Some(&body)).await;
    (status, answer)
}

/// The sessions of `user_id` in the database.
fn sessions_of(state: &AppState, user_id: u64) -> usize {
    let read = state.db.begin_read().unwrap();
    let table = read.open_table(crate::db::tables::SESSIONS).unwrap();
    table
        .iter()
        .unwrap()
        .filter(|row| {
            let session: crate::db::sessions::Session =
                crate::db::decode(row.as_ref().unwrap().1.value()).unwrap();
            session.user_id == user_id
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_in_flight_never_undo_a_deactivation() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = router(state.clone());
    let id = account(&state, "cible");
    let admin = test_kit::account(&state, test_kit::new_user("admin.test", Role::Admin));
    let admin_cookie = test_kit::sign_in(&state, admin);
    // Logins read the account, then wait for argon2 while the administrator deactivates it.
    let logins: Vec<_> = (0..5)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { login(&app, "cible", PASSWORD).await })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (status, _, answer) = test_kit::send(
        &app,
        Method::POST,
        "/api/admin/utilisateurs/statut",
        Some(&admin_cookie),
        Some(&format!("id={id}&activer=false&retour=")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    for login in logins {
        login.await.unwrap();
    }
    let read = state.db.begin_read().unwrap();
    let user = users::get(&read, id).unwrap().unwrap();
    assert_eq!(
        user.status,
        AccountStatus::Desactive,
        "the deactivation stands"
    );
    drop(read);
    assert_eq!(
        sessions_of(&state, id),
        0,
        "no session survives the deactivation"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_password_in_flight_never_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = router(state.clone());
    let id = account(&state, "victime");
    let new_hash = password::hash("Nouveau-Mot-De-Passe-2026").unwrap();
    // Logins with the old password are verifying it while the password is changed.
    let logins: Vec<_> = (0..5)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { login(&app, "victime", PASSWORD).await })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let write = state.db.begin_write().unwrap();
    let mut user = users::get_in(&write, id).unwrap().unwrap();
    user.password_hash = new_hash.clone();
    users::put(&write, &user).unwrap();
    write.commit().unwrap();
    for login in logins {
        login.await.unwrap();
    }
    let read = state.db.begin_read().unwrap();
    let stored = users::get(&read, id).unwrap().unwrap().password_hash;
    assert_eq!(stored, new_hash, "the new password only");
    assert!(!password::verify(PASSWORD, &stored));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_get_no_more_verifications_than_the_throttle_allows() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = router(state.clone());
    account(&state, "convoitee");
    let guesses: Vec<_> = (0..200)
        .map(|n| {
            let app = app.clone();
            tokio::spawn(async move { login(&app, "convoitee", &format!("Mauvais-{n}")).await })
        })
        .collect();
    let mut answered = 0;
    for guess in guesses {
        let (status, answer) = guess.await.unwrap();
        assert!(
            matches!(status, StatusCode::OK | StatusCode::TOO_MANY_REQUESTS),
            "{status} {answer}"
        );
        answered += 1;
    }
    assert_eq!(answered, 200);
    // Each verified wrong password is one "Échec de connexion" entry of the journal.
    let read = state.db.begin_read().unwrap();
    let verified = crate::db::audit::newest_first(&read)
        .unwrap()
        .iter()
        .filter(|e| e.action == "Échec de connexion")
        .count();
    assert!(
        (1..=5).contains(&verified),
        "{verified} passwords verified for 200 parallel guesses"
    );
    // And the right password, tried now, must wait like any attempt after five failures.
    let (_, answer) = login(&app, "convoitee", PASSWORD).await;
    assert!(
        answer.contains("Trop de tentatives de connexion"),
        "{answer}"
    );
}
