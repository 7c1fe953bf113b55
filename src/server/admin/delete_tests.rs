//! Issue 19, "Supprimer le compte": what goes, what stays, what is refused, through the real router.

use axum::http::{Method, StatusCode};
use redb::ReadableDatabase;

use crate::db::mesures::{self, Author, Mesure, Reservation};
use crate::db::users::{self, AccountStatus};
use crate::db::{audit, notes, profiles};
use crate::rules::account::Role;
use crate::rules::mesure::Status;
use crate::server::test_kit::{self, send};

async fn erase(
    app: &axum::Router,
    cookie: &str,
    id: u64,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let body = format!("id={id}");
    send(
        app,
        Method::POST,
        "/api/admin/utilisateurs/supprimer",
        Some(cookie),
        Some(&body),
    )
    .await
}

#[tokio::test]
async fn a_mandataire_goes_with_its_closed_mesures_and_notes_only_once_nothing_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = crate::server::router(state.clone());
    let tribunal = test_kit::tribunal(&state, "Tribunal judiciaire de Boulogne", None);
    let admin_id = test_kit::account(&state, test_kit::new_user("admin.test", Role::Admin));
    let admin = test_kit::sign_in(&state, admin_id);
    let juge = test_kit::account(&state, test_kit::new_user("juge", Role::Magistrat));
    let prepose = test_kit::account(&state, test_kit::new_user("claire", Role::Prepose));
    let session = test_kit::sign_in(&state, prepose);
    let write = state.db.begin_write().unwrap();
    profiles::put_magistrat(
        &write,
        juge,
        &profiles::Magistrat {
            genre: crate::rules::profile::Genre::F,
            tribunal_id: tribunal,
            cabinet: String::new(),
        },
    )
    .unwrap();
    profiles::put_mandataire(
        &write,
        prepose,
        &profiles::Mandataire {
            tribunaux: vec![tribunal],
            ..test_kit::mandataire_profile()
        },
    )
    .unwrap();
    let eteinte = Mesure {
        status: Status::Eteinte,
        date_fin: Some("2025-01-10".into()),
        ..test_kit::mesure(prepose)
    };
    mesures::insert(&write, eteinte, Author::Owner).unwrap();
    let reserved = Mesure {
        status: Status::EnAttente,
        reservation: Some(Reservation {
            magistrat_id: juge,
            tribunal_id: tribunal,
            cabinet: None,
            reserved_at: 1,
            accepted_at: None,
            refus: None,
            urgente: false,
            date_jugement: None,
            relance_at: None,
        }),
        ..test_kit::mesure(prepose)
    };
    let reserved = mesures::insert(&write, reserved, Author::Other).unwrap();
    notes::add(&write, prepose, tribunal, juge, "Joignable le mardi").unwrap();
    write.commit().unwrap();

    // Open mesures: refused with how many, nothing changed.
    let (_, _, page) = send(
        &app,
        Method::GET,
        &format!("/admin/utilisateurs/{prepose}/supprimer"),
        Some(&admin),
        None,
    )
    .await;
    assert!(
        page.contains("0 mesure(s) en cours et 1 mesure(s) en attente"),
        "{page}"
    );
    assert!(!page.contains("Cette action est définitive."));
    let (_, _, answer) = erase(&app, &admin, prepose).await;
    assert!(answer.contains("ne peut pas être supprimé"), "{answer}");
    assert!(users::get(&state.db.begin_read().unwrap(), prepose)
        .unwrap()
        .is_some());

    // The magistrat first: his reservation stays, "compte supprimé".
    let (status, _, answer) = erase(&app, &admin, juge).await;
    assert_eq!((status, answer.as_str()), (StatusCode::OK, "\"Done\""));
    let read = state.db.begin_read().unwrap();
    assert!(users::get(&read, juge).unwrap().is_none());
    assert!(profiles::magistrat(&read, juge).unwrap().is_none());
    assert_eq!(
        mesures::get(&read, reserved.id).unwrap().unwrap().status,
        Status::EnAttente
    );
    assert_eq!(
        crate::server::magistrat::staff_name(&read, juge).unwrap(),
        "compte supprimé"
    );
    let entry = audit::newest_first(&read).unwrap().remove(0);
    assert_eq!(entry.action, "Suppression du compte");
    assert_eq!(
        entry.result,
        "Succès (identifiant juge, 0 mesure(s) effacée(s))"
    );
    drop(read);

    // The reservation refused, the mandataire has nothing open: erased with its mesures, profile and notes.
    let write = state.db.begin_write().unwrap();
    let previous = mesures::get_in(&write, reserved.id).unwrap().unwrap();
    let refused = Mesure {
        status: Status::Refusee,
        ..previous.clone()
    };
    mesures::replace(&write, &previous, &refused, Author::Owner).unwrap();
    write.commit().unwrap();
    let (_, _, page) = send(
        &app,
        Method::GET,
        &format!("/admin/utilisateurs/{prepose}/supprimer"),
        Some(&admin),
        None,
    )
    .await;
    assert!(page.contains("Cette action est définitive."), "{page}");
    let (_, _, answer) = erase(&app, &admin, prepose).await;
    assert_eq!(answer, "\"Done\"");
    let read = state.db.begin_read().unwrap();
    assert!(users::get(&read, prepose).unwrap().is_none());
    assert!(users::find_by_login(&read, "claire").unwrap().is_none());
    assert!(profiles::mandataire(&read, prepose).unwrap().is_none());
    assert!(profiles::mandataires_of_tribunal(&read, tribunal)
        .unwrap()
        .is_empty());
    assert!(mesures::get(&read, reserved.id).unwrap().is_none());
    assert_eq!(
        mesures::count_of_owner_read(&read, prepose, Status::Eteinte).unwrap(),
        0
    );
    assert!(notes::of_mandataire(&read, prepose, tribunal)
        .unwrap()
        .is_empty());
    let entry = audit::newest_first(&read).unwrap().remove(0);
    assert_eq!(
        entry.result,
        "Succès (identifiant claire, 2 mesure(s) effacée(s))"
    );
    let report = crate::db::check::check(&read).unwrap();
    assert!(report.is_consistent(), "{:?}", report.problems);
    drop(read);
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/mandataire/mesures",
        Some(&session),
        None,
    )
    .await;
    assert!(status.is_redirection(), "its session ended: {status}");
}

#[tokio::test]
async fn nobody_deletes_themselves_and_only_admins_delete() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = crate::server::router(state.clone());
    let admin_id = test_kit::account(&state, test_kit::new_user("admin.test", Role::Admin));
    let admin = test_kit::sign_in(&state, admin_id);
    let other_admin = test_kit::account(&state, test_kit::new_user("admin.deux", Role::Admin));
    let juge = test_kit::account(&state, test_kit::new_user("juge", Role::Magistrat));
    let juge_cookie = test_kit::sign_in(&state, juge);
    let (_, _, answer) = erase(&app, &admin, admin_id).await;
    assert!(
        answer.contains("Vous ne pouvez pas supprimer votre propre compte."),
        "{answer}"
    );
    let (status, _, _) = erase(&app, &juge_cookie, other_admin).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = erase(&app, &admin, 999_999).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Another admin can go: one active admin stays.
    let (_, _, answer) = erase(&app, &admin, other_admin).await;
    assert_eq!(answer, "\"Done\"");
    let read = state.db.begin_read().unwrap();
    assert_eq!(users::count_active_admins(&read).unwrap(), 1);
    assert_eq!(
        users::get(&read, admin_id).unwrap().unwrap().status,
        AccountStatus::Actif
    );
}
