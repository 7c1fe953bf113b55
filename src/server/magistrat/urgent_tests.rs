//! Urgent reservations, the planned judgment date, and reservations waiting too long (issue 18).

use axum::http::Method;
use redb::ReadableDatabase;

use super::tests::{send, world};
use crate::db::{mesures, now, outbox};
use crate::rules::mesure::Status;
use crate::server::mail;
use crate::server::old_reservations;

fn subjects_to(state: &crate::server::AppState, to: &str) -> Vec<String> {
    let read = state.db.begin_read().unwrap();
    outbox::newest_first(&read)
        .unwrap()
        .into_iter()
        .filter(|e| e.to == to)
        .map(|e| e.subject)
        .collect()
}

#[tokio::test]
async fn an_urgent_reservation_is_e_mailed_as_such_and_listed_first() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    let a = w.a.0;
    let reserve = |extra: &str| {
        format!("mandataire={a}&reservation=&nature=tutelle&champ=&genre=H&annee_naissance=1948&numero_rg=&cabinet=2{extra}")
    };
    // A planned judgment date in the past, or not a date: refused with its message, nothing created.
    for (date, message) in [
        (
            "01%2F01%2F2020",
            crate::rules::forms::reservation::JUGEMENT_PAST,
        ),
        ("31%2F02%2F2030", crate::rules::date::DATE_INVALID),
    ] {
        let (_, answer) = send(
            &w.app,
            &Method::POST,
            "/api/magistrat/reserver",
            &w.m,
            &reserve(&format!("&urgente=oui&date_jugement={date}")),
        )
        .await;
        assert!(answer.contains(message), "{answer}");
        assert!(answer.contains("\"urgente\",\"oui\""), "kept: {answer}");
    }
    let (_, answer) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/reserver",
        &w.m,
        &reserve(""),
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    let (_, answer) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/reserver",
        &w.m,
        &reserve("&urgente=oui&date_jugement=15%2F03%2F2099"),
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    let subjects = subjects_to(&w.state, "prepose.a@exemple.fr");
    assert_eq!(subjects[0], mail::SUBJECT_RESERVATION_URGENT);
    assert_eq!(subjects[1], mail::SUBJECT_RESERVATION);
    let read = w.state.db.begin_read().unwrap();
    let body = outbox::newest_first(&read)
        .unwrap()
        .into_iter()
        .find(|e| e.subject == mail::SUBJECT_RESERVATION_URGENT)
        .unwrap()
        .body;
    assert!(
        body.contains("Demande urgente : oui")
            && body.contains("Date prévisionnelle du jugement : 15/03/2099"),
        "{body}"
    );
    drop(read);
    // The mandataire's "Mesures en attente": the urgent one first (R1 of the world was reserved before).
    let (_, list) = send(
        &w.app,
        &Method::POST,
        "/api/mandataire/mesures",
        &w.a.1,
        "etat=en_attente",
    )
    .await;
    let page: serde_json::Value = serde_json::from_str(&list).unwrap();
    let rows = page["data"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{list}");
    assert_eq!(rows[0]["urgente"], true);
    assert_eq!(rows[0]["date_jugement"], "15/03/2099");
    assert!(rows[1..].iter().all(|r| r["urgente"] == false));
    // And the tribunal's "Mesures réservées".
    let (_, reserved) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/mesures",
        &w.m,
        "etat=en_attente",
    )
    .await;
    assert!(
        reserved.contains("\"urgente\":true")
            && reserved.contains("\"date_jugement\":\"15/03/2099\""),
        "{reserved}"
    );
}

#[tokio::test]
async fn a_reservation_waiting_too_long_is_flagged_then_its_magistrat_asked_once() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    let day = 86_400;
    // R1 (reserved by M for A) was reserved 61 days ago: past the 60-day default.
    let write = w.state.db.begin_write().unwrap();
    let previous = mesures::get_in(&write, w.r1).unwrap().unwrap();
    let mut next = previous.clone();
    next.reservation.as_mut().unwrap().reserved_at = now() - 61 * day;
    mesures::replace(&write, &previous, &next, mesures::Author::Other).unwrap();
    write.commit().unwrap();
    let (_, list) = send(
        &w.app,
        &Method::POST,
        "/api/mandataire/mesures",
        &w.a.1,
        "etat=en_attente",
    )
    .await;
    assert!(list.contains("\"ancienne\":true"), "{list}");
    let (_, reserved) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/mesures",
        &w.m,
        "etat=",
    )
    .await;
    assert!(reserved.contains("\"ancienne\":true"), "{reserved}");
    // Not yet twice the delay: no e-mail.
    let before = subjects_to(&w.state, "magistrat.1@exemple.fr").len();
    old_reservations::remind(&w.state, now()).unwrap();
    assert_eq!(
        subjects_to(&w.state, "magistrat.1@exemple.fr").len(),
        before
    );
    // 60 days later (121 days of waiting): one e-mail to the magistrat who reserved, never a second.
    let later = now() + 60 * day;
    let summary = old_reservations::remind(&w.state, later).unwrap();
    assert!(summary.starts_with("1 magistrat"), "{summary}");
    old_reservations::remind(&w.state, later + day).unwrap();
    let subjects = subjects_to(&w.state, "magistrat.1@exemple.fr");
    assert_eq!(
        subjects
            .iter()
            .filter(|s| *s == old_reservations::SUBJECT)
            .count(),
        1
    );
    assert!(subjects_to(&w.state, "magistrat.2@exemple.fr")
        .iter()
        .all(|s| s != old_reservations::SUBJECT));
    // Nothing was deleted; the counters did not move.
    let read = w.state.db.begin_read().unwrap();
    let kept = mesures::get(&read, w.r1).unwrap().unwrap();
    assert_eq!(kept.status, Status::EnAttente);
    assert_eq!(kept.reservation.unwrap().relance_at, Some(later));
}
