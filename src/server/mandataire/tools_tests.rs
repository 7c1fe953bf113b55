//! The mandataires' daily tools (issue 17) through the real router: search, delete, "Mes données sont à
//! jour", suspension, the answers to a reservation (acceptance e-mail, refusal) and the daily reminder. Each
//! refusal changes nothing; another mandataire's mesure is a 404.

use axum::http::{Method, StatusCode};
use redb::ReadableDatabase;

use super::tests::{counters, magistrat, mandataire, post, NEW_MESURE};
use crate::db::{mesures, now, outbox, profiles};
use crate::rules::mesure::Status;
use crate::server::test_kit::{self, state};
use crate::server::*;

async fn get(app: &Router, path: &str, cookie: &str) -> (StatusCode, String) {
    let (status, _, body) = test_kit::send(app, Method::POST, path, Some(cookie), Some("")).await;
    (status, body)
}

fn mesure_ids(state: &AppState, owner: u64, status: Status) -> Vec<u64> {
    let read = state.db.begin_read().unwrap();
    mesures::of_owner(&read, owner, status)
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect()
}

fn emails_to(state: &AppState, to: &str, subject: &str) -> Vec<String> {
    let read = state.db.begin_read().unwrap();
    outbox::newest_first(&read)
        .unwrap()
        .into_iter()
        .filter(|e| e.to == to && e.subject == subject)
        .map(|e| e.body)
        .collect()
}

#[tokio::test]
async fn the_search_finds_by_each_field_within_the_callers_mesures_only() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (_, cookie_a) = mandataire(&state, "prepose.a");
    let (_, cookie_b) = mandataire(&state, "prepose.b");
    let app = router(state.clone());
    for (cookie, rg, dossier, cp, commune, annee) in [
        (&cookie_a, "26%2F00417", "D-12", "62100", "Calais", "1948"),
        (
            &cookie_a,
            "26%2F00999",
            "Z-7",
            "62200",
            "Boulogne-sur-Mer",
            "1960",
        ),
        (&cookie_b, "26%2F00418", "D-12", "62100", "Calais", "1948"),
    ] {
        let body = NEW_MESURE
            .replace("numero_rg=", &format!("numero_rg={rg}"))
            .replace("numero_dossier=", &format!("numero_dossier={dossier}"))
            .replace(
                "code_postal=62100&commune=Calais",
                &format!("code_postal={cp}&commune={commune}"),
            )
            .replace("annee_naissance=1957", &format!("annee_naissance={annee}"));
        assert_eq!(
            post(&app, "/api/mandataire/mesure/enregistrer", cookie, &body)
                .await
                .1,
            "\"Done\""
        );
    }
    let search = |q: &str| format!("etat=en_cours&recherche={q}");
    for (q, expected) in [
        ("26%2F004", 1),
        ("d-12", 1),
        ("boulogne", 1),
        ("621", 1),
        ("1960", 1),
        ("", 2),
    ] {
        let (status, body) = post(&app, "/api/mandataire/mesures", &cookie_a, &search(q)).await;
        assert_eq!(status, StatusCode::OK);
        let rows = body.matches("\"numero_dossier\"").count();
        assert_eq!(rows, expected, "{q}: {body}");
        assert!(!body.contains("00418"), "never another's mesure");
    }
    let (_, body) = post(
        &app,
        "/api/mandataire/mesures",
        &cookie_a,
        &search("inexistant"),
    )
    .await;
    assert!(
        body.contains("\"rows\":[]") && body.contains("\"recherche\":\"inexistant\""),
        "{body}"
    );
    // A long search is cut at 100 characters before any work (a 1 MB body is refused before the function).
    let long = "a".repeat(10_000);
    let (status, body) = post(&app, "/api/mandataire/mesures", &cookie_a, &search(&long)).await;
    assert_eq!(status, StatusCode::OK, "{}", &body[..body.len().min(200)]);
    assert!(body.len() < 20_000);
}

#[tokio::test]
async fn a_mistaken_mesure_is_deleted_a_reserved_one_never() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie_a) = mandataire(&state, "prepose.a");
    let (_, cookie_b) = mandataire(&state, "prepose.b");
    let cookie_m = magistrat(&state, 1);
    let app = router(state.clone());
    post(
        &app,
        "/api/mandataire/mesure/enregistrer",
        &cookie_a,
        NEW_MESURE,
    )
    .await;
    let own = mesure_ids(&state, a, Status::EnCours)[0];
    // Another mandataire: 404, nothing changes.
    let (status, _) = post(
        &app,
        "/api/mandataire/mesure/supprimer",
        &cookie_b,
        &format!("id={own}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post(
        &app,
        "/api/mandataire/mesure/suppression",
        &cookie_b,
        &format!("id={own}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(counters(&state, a), (1, 1, 0, 0));
    let (status, body) = post(
        &app,
        "/api/mandataire/mesure/supprimer",
        &cookie_a,
        &format!("id={own}"),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "\"Done\""));
    assert_eq!(counters(&state, a), (0, 0, 0, 0));
    let read = state.db.begin_read().unwrap();
    assert!(mesures::get(&read, own).unwrap().is_none());
    assert!(crate::db::audit::newest_first(&read)
        .unwrap()
        .iter()
        .any(|e| e.action == "Mesure supprimée"));
    drop(read);
    // A reservation accepted by A: the page says why, the post changes nothing.
    let reserve = format!("mandataire={a}&nature=tutelle&champ=&genre=H&annee_naissance=1948&numero_rg=26%2F00123&cabinet=2");
    assert_eq!(
        post(&app, "/api/magistrat/reserver", &cookie_m, &reserve)
            .await
            .1,
        "\"Done\""
    );
    let waiting = mesure_ids(&state, a, Status::EnAttente)[0];
    // Waiting: not deletable from here (404: it is answered by accepting or refusing).
    let (status, _) = post(
        &app,
        "/api/mandataire/mesure/supprimer",
        &cookie_a,
        &format!("id={waiting}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let accept = format!("id={waiting}&date_decision=05%2F03%2F2024&lieu_de_vie=domicile&code_postal=62100&commune=Calais&numero_dossier=");
    assert_eq!(
        post(&app, "/api/mandataire/mesure/accepter", &cookie_a, &accept)
            .await
            .1,
        "\"Done\""
    );
    let (_, page) = post(
        &app,
        "/api/mandataire/mesure/suppression",
        &cookie_a,
        &format!("id={waiting}"),
    )
    .await;
    assert!(page.contains("ne peut pas être supprimée"), "{page}");
    post(
        &app,
        "/api/mandataire/mesure/supprimer",
        &cookie_a,
        &format!("id={waiting}"),
    )
    .await;
    assert_eq!(counters(&state, a), (1, 1, 0, 0));
    let read = state.db.begin_read().unwrap();
    assert!(mesures::get(&read, waiting).unwrap().is_some());
}

#[tokio::test]
async fn up_to_date_sets_only_the_date_and_a_suspension_shows_zero_to_magistrats() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie_a) = mandataire(&state, "prepose.a");
    let cookie_m = magistrat(&state, 1);
    let app = router(state.clone());
    let before = {
        let read = state.db.begin_read().unwrap();
        profiles::mandataire(&read, a).unwrap().unwrap()
    };
    assert_eq!(before.derniere_mise_a_jour, None);
    let (status, _) = post(
        &app,
        "/api/mandataire/donnees-a-jour",
        &cookie_a,
        "retour=%2Fmandataire%2Fcarte",
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let after = {
        let read = state.db.begin_read().unwrap();
        profiles::mandataire(&read, a).unwrap().unwrap()
    };
    assert!(after.derniere_mise_a_jour.is_some_and(|t| now() - t < 60));
    assert_eq!(
        profiles::Mandataire {
            derniere_mise_a_jour: None,
            ..after.clone()
        },
        before,
        "nothing else changed"
    );
    // Suspended with a reason: 0 and the mention for magistrats, the fiche says why.
    let (status, _) = post(
        &app,
        "/api/mandataire/activite/suspendre",
        &cookie_a,
        "motif=Cong%C3%A9+jusqu%27au+15+mars",
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let (_, list) = post(&app, "/api/magistrat/mandataires", &cookie_m, "").await;
    assert!(
        list.contains("\"suspendu\":true") && list.contains("\"disponibilite\":0"),
        "{list}"
    );
    let (_, fiche) = post(&app, "/api/magistrat/fiche", &cookie_m, &format!("id={a}")).await;
    assert!(
        fiche.contains("Activité suspendue depuis le") && fiche.contains("Congé jusqu'au 15 mars"),
        "{fiche}"
    );
    // A reason over 300 characters: refused, still suspended with the first one.
    let long = "x".repeat(301);
    post(
        &app,
        "/api/mandataire/activite/suspendre",
        &cookie_a,
        &format!("motif={long}"),
    )
    .await;
    let read = state.db.begin_read().unwrap();
    let suspension = profiles::mandataire(&read, a)
        .unwrap()
        .unwrap()
        .suspension
        .unwrap();
    assert_eq!(suspension.motif, "Congé jusqu'au 15 mars");
    drop(read);
    post(&app, "/api/mandataire/activite/reprendre", &cookie_a, "").await;
    let (_, list) = post(&app, "/api/magistrat/mandataires", &cookie_m, "").await;
    assert!(
        list.contains("\"suspendu\":false") && list.contains("\"disponibilite\":30"),
        "{list}"
    );
    // A magistrat cannot call them (403).
    let (status, _) = get(&app, "/api/mandataire/activite/reprendre", &cookie_m).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_reservation_refused_with_its_reason_and_one_accepted_tell_the_magistrat() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie_a) = mandataire(&state, "prepose.a");
    let (_, cookie_b) = mandataire(&state, "prepose.b");
    let cookie_m = magistrat(&state, 1);
    let app = router(state.clone());
    let reserve = |rg: &str| {
        format!("mandataire={a}&nature=tutelle&champ=&genre=H&annee_naissance=1948&numero_rg={rg}&cabinet=2")
    };
    post(
        &app,
        "/api/magistrat/reserver",
        &cookie_m,
        &reserve("26%2F00001"),
    )
    .await;
    post(
        &app,
        "/api/magistrat/reserver",
        &cookie_m,
        &reserve("26%2F00002"),
    )
    .await;
    assert_eq!(counters(&state, a), (0, 0, 2, 0));
    let waiting = mesure_ids(&state, a, Status::EnAttente);
    let (first, second) = (waiting[0], waiting[1]);
    // No reason: the message, nothing changed; another mandataire: 404.
    let (_, body) = post(
        &app,
        "/api/mandataire/mesure/refuser",
        &cookie_a,
        &format!("id={first}&motif=++"),
    )
    .await;
    assert!(body.contains("Indiquez le motif du refus"), "{body}");
    let (status, _) = post(
        &app,
        "/api/mandataire/mesure/refuser",
        &cookie_b,
        &format!("id={first}&motif=non"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(counters(&state, a), (0, 0, 2, 0));
    let (_, body) = post(
        &app,
        "/api/mandataire/mesure/refuser",
        &cookie_a,
        &format!("id={first}&motif=Capacit%C3%A9+atteinte"),
    )
    .await;
    assert_eq!(body, "\"Done\"");
    assert_eq!(counters(&state, a), (0, 0, 1, 0));
    let declined = emails_to(
        &state,
        "magistrat.1@exemple.fr",
        crate::server::mail::SUBJECT_DECLINED,
    );
    assert_eq!(declined.len(), 1);
    assert!(
        declined[0].contains("Motif du refus : Capacité atteinte")
            && declined[0].contains("26/00001"),
        "{}",
        declined[0]
    );
    // Refused once: a second answer is a 404.
    let (status, _) = post(
        &app,
        "/api/mandataire/mesure/refuser",
        &cookie_a,
        &format!("id={first}&motif=encore"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, reserved) = post(&app, "/api/magistrat/mesures", &cookie_m, "etat=refusee").await;
    assert!(
        reserved.contains("Refusée") && reserved.contains("Capacité atteinte"),
        "{reserved}"
    );
    // The RG is free again for A: the magistrat may reserve it anew.
    assert_eq!(
        post(
            &app,
            "/api/magistrat/reserver",
            &cookie_m,
            &reserve("26%2F00001")
        )
        .await
        .1,
        "\"Done\""
    );
    // Accepted: the magistrat is told too.
    let accept = format!("id={second}&date_decision=05%2F03%2F2024&lieu_de_vie=domicile&code_postal=62100&commune=Calais&numero_dossier=");
    assert_eq!(
        post(&app, "/api/mandataire/mesure/accepter", &cookie_a, &accept)
            .await
            .1,
        "\"Done\""
    );
    let accepted = emails_to(
        &state,
        "magistrat.1@exemple.fr",
        crate::server::mail::SUBJECT_ACCEPTED,
    );
    assert_eq!(accepted.len(), 1);
    assert!(
        accepted[0].contains("a été acceptée par") && accepted[0].contains("26/00002"),
        "{}",
        accepted[0]
    );
    // The consistency check agrees with the counters.
    let read = state.db.begin_read().unwrap();
    let report = crate::db::check::check(&read).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn the_reminder_goes_once_a_day_to_stale_mandataires_and_not_again_for_15_days() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let day = 24 * 3600;
    let at = now();
    let (stale, _) = mandataire(&state, "prepose.stale");
    let (fresh, _) = mandataire(&state, "prepose.fresh");
    let write = state.db.begin_write().unwrap();
    for (id, updated) in [(stale, at - 31 * day), (fresh, at - 2 * day)] {
        let mut profile = profiles::mandataire_in(&write, id).unwrap().unwrap();
        profile.derniere_mise_a_jour = Some(updated);
        profiles::put_mandataire(&write, id, &profile).unwrap();
    }
    write.commit().unwrap();
    let subject = crate::server::reminders::SUBJECT;
    assert_eq!(
        crate::server::reminders::send(&state, at).unwrap(),
        "1 mandataires relancés"
    );
    let sent = emails_to(&state, "prepose.stale@exemple.fr", subject);
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].contains("/mandataire/mesures") && sent[0].contains("Mes données sont à jour"),
        "{}",
        sent[0]
    );
    assert!(emails_to(&state, "prepose.fresh@exemple.fr", subject).is_empty());
    // The same day again (a restart, the next tick): nothing.
    assert!(crate::server::reminders::send(&state, at + 60)
        .unwrap()
        .contains("déjà"));
    // The next days: not within 15 days of the last reminder.
    for later in 1..15 {
        crate::server::reminders::send(&state, at + later * day).unwrap();
    }
    assert_eq!(
        emails_to(&state, "prepose.stale@exemple.fr", subject).len(),
        1
    );
    crate::server::reminders::send(&state, at + 15 * day).unwrap();
    assert_eq!(
        emails_to(&state, "prepose.stale@exemple.fr", subject).len(),
        2
    );
    assert!(emails_to(&state, "prepose.fresh@exemple.fr", subject).is_empty());
    // 30 days on: the fresh one, stale by then (32 days), gets its first; the other its third.
    crate::server::reminders::send(&state, at + 30 * day).unwrap();
    assert_eq!(
        emails_to(&state, "prepose.stale@exemple.fr", subject).len(),
        3
    );
    assert_eq!(
        emails_to(&state, "prepose.fresh@exemple.fr", subject).len(),
        1
    );
}

#[tokio::test]
async fn the_export_holds_the_callers_mesures_only_and_is_refused_to_others() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (_, cookie_a) = mandataire(&state, "prepose.a");
    let (_, cookie_b) = mandataire(&state, "prepose.b");
    let cookie_m = magistrat(&state, 1);
    let app = router(state.clone());
    for (cookie, rg) in [(&cookie_a, "26%2F00417"), (&cookie_b, "26%2F00418")] {
        let body = NEW_MESURE.replace("numero_rg=", &format!("numero_rg={rg}"));
        post(&app, "/api/mandataire/mesure/enregistrer", cookie, &body).await;
    }
    let (status, headers, body) = test_kit::send(
        &app,
        Method::GET,
        "/mandataire/export/en-cours.csv",
        Some(&cookie_a),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"emjpm-mesures-"));
    assert!(
        body.contains("26/00417") && !body.contains("26/00418"),
        "{body}"
    );
    assert_eq!(body.lines().count(), 2, "header and one mesure");
    let (status, headers, _) = test_kit::send(
        &app,
        Method::GET,
        "/mandataire/export/eteintes.xlsx",
        Some(&cookie_a),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    // A magistrat: 403; nobody: to the login page; an unknown file: 404.
    let (status, _, _) = test_kit::send(
        &app,
        Method::GET,
        "/mandataire/export/en-cours.csv",
        Some(&cookie_m),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = test_kit::send(
        &app,
        Method::GET,
        "/mandataire/export/en-cours.csv",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = test_kit::send(
        &app,
        Method::GET,
        "/mandataire/export/en_attente.csv",
        Some(&cookie_a),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let read = state.db.begin_read().unwrap();
    assert!(crate::db::audit::newest_first(&read)
        .unwrap()
        .iter()
        .any(|e| e.action == "Export des mesures" && e.object.contains("1 mesures")));
}
