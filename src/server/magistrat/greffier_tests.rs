//! Greffiers (issue 18): signed up at /inscription/magistrat as "Greffier", validated like the others, then
//! the magistrat's screens and scope, labelled "Greffier" in the header, "Réservée par", the admin's list and
//! the journal.

use axum::http::{Method, StatusCode};
use redb::ReadableDatabase;

use super::tests::{send, world};
use crate::db::users::{self, AccountStatus};
use crate::rules::account::Role;
use crate::server::test_kit;

#[tokio::test]
async fn a_greffier_signs_up_is_validated_then_reserves_labelled_as_greffier() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    // Tribunal 1 of the world, in the reference the sign-up resolves against.
    test_kit::tribunal(&w.state, "Tribunal de proximité de Calais", None);
    crate::server::refresh_tribunaux(&w.state).unwrap();
    let signup = "fonction=greffier&tribunal=Tribunal+de+proximit%C3%A9+de+Calais&tribunal_id=1&cabinet=&identifiant=greffier.calais\
        &mot_de_passe=Bon-Mot-De-Passe-2026&confirmation=Bon-Mot-De-Passe-2026&nom=Lefort&prenom=Thomas\
        &genre=H&email=greffier.calais%40justice.fr";
    let (_, _, answer) = test_kit::send(
        &w.app,
        Method::POST,
        "/api/inscription/magistrat",
        None,
        Some(&signup.replace("fonction=greffier", "fonction=juge")),
    )
    .await;
    assert!(
        answer.contains("Indiquez si vous êtes magistrat ou greffier."),
        "{answer}"
    );
    let (_, _, answer) = test_kit::send(
        &w.app,
        Method::POST,
        "/api/inscription/magistrat",
        None,
        Some(signup),
    )
    .await;
    assert_eq!(answer, "\"Done\"", "{answer}");
    let read = w.state.db.begin_read().unwrap();
    let mut greffier = users::find_by_login(&read, "greffier.calais")
        .unwrap()
        .unwrap();
    drop(read);
    assert_eq!(greffier.role, Role::Greffier);
    assert_eq!(
        greffier.status,
        AccountStatus::EnAttente,
        "validated by an admin"
    );
    greffier.status = AccountStatus::Actif;
    let write = w.state.db.begin_write().unwrap();
    users::put(&write, &greffier).unwrap();
    write.commit().unwrap();
    let cookie = test_kit::sign_in(&w.state, greffier.id);
    // The magistrat's list, with his name labelled.
    let (status, page) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/mandataires",
        &cookie,
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Thomas Lefort (Greffier) – "), "{page}");
    assert!(
        page.contains("Alpha-Propre") && !page.contains("Bravo-Etranger"),
        "{page}"
    );
    // A reservation: "Réservée par" names the greffier as such.
    let new = format!("mandataire={}&reservation=&nature=tutelle&champ=&genre=H&annee_naissance=1948&numero_rg=&cabinet=", w.a.0);
    let (_, answer) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/reserver",
        &cookie,
        &new,
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    let (_, reserved) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/mesures",
        &cookie,
        "etat=",
    )
    .await;
    assert!(
        reserved.contains("\"reservee_par\":\"Thomas Lefort (Greffier)\""),
        "{reserved}"
    );
    // The magistrat of the tribunal sees it too; the mandataire pages stay closed to a greffier.
    let (_, seen) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/mesures",
        &w.m,
        "etat=",
    )
    .await;
    assert!(seen.contains("Thomas Lefort (Greffier)"), "{seen}");
    let (status, _) = send(
        &w.app,
        &Method::POST,
        "/api/mandataire/mesures",
        &cookie,
        "etat=en_cours",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
