//! Notes on a fiche (issue 18): written and deleted by the tribunal's magistrats and greffiers, invisible to
//! the mandataire and to another tribunal (404), refused when too long or with control characters (the text
//! kept), audited without their text.

use axum::http::{Method, StatusCode};
use redb::ReadableDatabase;

use super::tests::{send, user, world};
use crate::db::users::AccountStatus;
use crate::db::{audit, notes};
use crate::rules::account::Role;
use crate::rules::note as rules;

#[tokio::test]
async fn notes_stay_inside_the_tribunal_of_their_author() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    let (_, greffier) = user(
        &w.state,
        "greffier.1",
        "Golf",
        Role::Greffier,
        AccountStatus::Actif,
    );
    let a = w.a.0;
    let fiche = |cookie: String| {
        let app = w.app.clone();
        async move {
            send(
                &app,
                &Method::POST,
                "/api/magistrat/fiche",
                &cookie,
                &format!("id={a}"),
            )
            .await
        }
    };
    // Refused: empty, too long, control characters; the text comes back, nothing stored.
    for (texte, message) in [
        ("   ".to_owned(), rules::MISSING),
        ("é".repeat(2_001), rules::TOO_LONG),
        ("a\u{7}b".to_owned(), rules::INVALID),
    ] {
        let body = format!("mandataire={a}&texte={}", urlencode(&texte));
        let (status, answer) = send(
            &w.app,
            &Method::POST,
            "/api/magistrat/note/ajouter",
            &w.m,
            &body,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(answer.contains(message), "{answer}");
        if texte.trim().len() > 3 {
            assert!(
                answer.contains(&texte[..4].replace('\u{7}', "\\u0007")),
                "the text kept: {}",
                &answer[..200.min(answer.len())]
            );
        }
    }
    let read = w.state.db.begin_read().unwrap();
    assert!(notes::of_mandataire(&read, a, 1).unwrap().is_empty());
    drop(read);
    // The magistrat writes one, the greffier of the same tribunal reads it and deletes it.
    let body = format!(
        "mandataire={a}&texte={}",
        urlencode("Très réactive, joignable le mardi.")
    );
    let (_, answer) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/note/ajouter",
        &w.m,
        &body,
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    let (_, page) = fiche(greffier.clone()).await;
    assert!(
        page.contains("Très réactive, joignable le mardi."),
        "{page}"
    );
    assert!(
        page.contains("Ajouté le : ") && page.contains("Mike-Juge"),
        "{page}"
    );
    // Never for the other tribunal's magistrat (the fiche is out of his scope) nor for the mandataire.
    let (status, _) = fiche(w.m2.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, own) = send(
        &w.app,
        &Method::POST,
        "/api/mandataire/informations",
        &w.a.1,
        "",
    )
    .await;
    assert!(!own.contains("Très réactive"), "{own}");
    let read = w.state.db.begin_read().unwrap();
    let note = notes::of_mandataire(&read, a, 1).unwrap().remove(0);
    assert!(notes::of_mandataire(&read, a, 2).unwrap().is_empty());
    // Audited, without the text.
    let entries = audit::newest_first(&read).unwrap();
    let added = entries.iter().find(|e| e.action == "Note ajoutée").unwrap();
    assert!(!added.object.contains("réactive"));
    drop(read);
    // The other tribunal cannot delete it (404, nothing changes); a note on someone out of scope neither.
    let delete = format!("mandataire={a}&id={}", note.id);
    let (status, _) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/note/supprimer",
        &w.m2,
        &delete,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let body = format!("mandataire={}&texte=x", w.b.0);
    let (status, _) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/note/ajouter",
        &w.m,
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/note/supprimer",
        &w.a.1,
        &delete,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, answer) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/note/supprimer",
        &greffier,
        &delete,
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    let read = w.state.db.begin_read().unwrap();
    assert!(notes::of_mandataire(&read, a, 1).unwrap().is_empty());
    assert!(audit::newest_first(&read)
        .unwrap()
        .iter()
        .any(|e| e.action == "Note supprimée"));
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
