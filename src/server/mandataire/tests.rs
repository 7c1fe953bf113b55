//! The mesure server functions called over HTTP in-process, as the browser calls them: counters under
//! concurrent changes (SPEC §8.4), row-level authorisation (§12, scenario 23), the start-up recount.

use axum::http::StatusCode;
use redb::ReadableDatabase;

use crate::db::mesures;
use crate::db::profiles::{self};
use crate::db::users::{AccountStatus, NewUser};
use crate::rules::account::Role;
use crate::rules::mesure::Status;
use crate::rules::profile::Genre;
use crate::server::*;

use crate::server::test_kit::{self, state};

/// An active préposé with a profile and a session; returns (user id, cookie).
pub(super) fn mandataire(state: &AppState, name: &str) -> (u64, String) {
    let id = test_kit::account(
        state,
        NewUser {
            prenom: name.into(),
            ..test_kit::new_user(name, Role::Prepose)
        },
    );
    let write = state.db.begin_write().unwrap();
    profiles::put_mandataire(&write, id, &test_kit::mandataire_profile()).unwrap();
    write.commit().unwrap();
    (id, test_kit::sign_in(state, id))
}

pub(super) async fn post(
    app: &Router,
    path: &str,
    cookie: &str,
    body: &str,
) -> (StatusCode, String) {
    let (status, _, answer) = test_kit::send(
        app,
        axum::http::Method::POST,
        path,
        Some(cookie),
        Some(body),
    )
    .await;
    (status, answer)
}

pub(super) const NEW_MESURE: &str = "id=&date_decision=05%2F03%2F2024&nature=curatelle_renforcee&champ=protection_bien_personne&code_postal=62100&commune=Calais&genre=F&annee_naissance=1957&lieu_de_vie=domicile&numero_dossier=&numero_rg=&tribunal=";

pub(super) fn counters(state: &AppState, owner: u64) -> (u32, u32, u32, u32) {
    let read = state.db.begin_read().unwrap();
    let profile = profiles::mandataire(&read, owner).unwrap().unwrap();
    let en_cours = mesures::count_of_owner_read(&read, owner, Status::EnCours).unwrap();
    let eteintes = mesures::count_of_owner_read(&read, owner, Status::Eteinte).unwrap();
    (
        profile.mesures_en_cours,
        en_cours,
        profile.mesures_en_attente,
        eteintes,
    )
}

#[tokio::test]
async fn a_mandataire_reaches_only_its_own_mesures() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie_a) = mandataire(&state, "prepose.a");
    let (_, cookie_b) = mandataire(&state, "prepose.b");
    let app = router(state.clone());
    let (status, body) = post(
        &app,
        "/api/mandataire/mesure/enregistrer",
        &cookie_a,
        NEW_MESURE,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, "\"Done\"");
    let read = state.db.begin_read().unwrap();
    let mesure = mesures::of_owner(&read, a, Status::EnCours)
        .unwrap()
        .remove(0);
    drop(read);
    assert_eq!(mesure.commune.as_deref(), Some("Calais"));
    assert_eq!(counters(&state, a), (1, 1, 0, 0));

    // B forges an edit, an end, a reactivation and an acceptance of A's mesure: 404, nothing changes.
    let id = mesure.id;
    let forged_edit = NEW_MESURE
        .replace("id=&", &format!("id={id}&"))
        .replace("1957", "1960");
    for (path, body) in [
        ("/api/mandataire/mesure/enregistrer", forged_edit.clone()),
        (
            "/api/mandataire/mesure/eteindre",
            format!("id={id}&date_fin=01%2F06%2F2024&cause_sortie=deces"),
        ),
        ("/api/mandataire/mesure/reactiver", format!("id={id}")),
        ("/api/mandataire/mesure/accepter", forged_edit.clone()),
        ("/api/mandataire/mesure/fin", format!("id={id}")),
    ] {
        let (status, answer) = post(&app, path, &cookie_b, &body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {answer}");
        assert!(answer.contains("Page introuvable"), "{path}: {answer}");
    }
    let read = state.db.begin_read().unwrap();
    assert_eq!(mesures::get(&read, id).unwrap().unwrap(), mesure);
    drop(read);

    // A's own edit works, and keeps owner, status and origin.
    let (status, body) = post(
        &app,
        "/api/mandataire/mesure/enregistrer",
        &cookie_a,
        &forged_edit,
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "\"Done\""));
    let read = state.db.begin_read().unwrap();
    let edited = mesures::get(&read, id).unwrap().unwrap();
    assert_eq!(edited.annee_naissance, 1960);
    assert_eq!((edited.owner, edited.status), (a, Status::EnCours));
}

#[tokio::test]
async fn bad_values_change_nothing_and_come_back_with_their_messages() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie) = mandataire(&state, "prepose.a");
    let app = router(state.clone());
    // Scenario 12: "Arras" for 62100, année 1850, a future date, "En établissement" without établissement.
    let bad = "id=&date_decision=01%2F01%2F2099&nature=tutelle&champ=&code_postal=62100&commune=Arras&genre=H&annee_naissance=1850&lieu_de_vie=etablissement&etablissement=&numero_dossier=&numero_rg=26_1&tribunal=";
    let (status, body) = post(&app, "/api/mandataire/mesure/enregistrer", &cookie, bad).await;
    assert_eq!(status, StatusCode::OK);
    for message in [
        "La date de décision ne peut pas être dans le futur.",
        "La commune « Arras » ne correspond pas au code postal 62100.",
        "Saisissez une année de naissance à 4 chiffres entre 1900 et",
        "Choisissez l'établissement dans lequel vit le majeur.",
        "Le numéro RG ne peut contenir que des lettres",
    ] {
        assert!(body.contains(message), "{message} missing in {body}");
    }
    assert!(body.contains("\"Arras\""), "the entries are kept: {body}");
    assert_eq!(counters(&state, a), (0, 0, 0, 0));

    // The same RG twice in the same tribunal ("Aucun"): the second is refused.
    let with_rg = NEW_MESURE.replace("numero_rg=&", "numero_rg=26%2F00123&");
    let (_, first) = post(
        &app,
        "/api/mandataire/mesure/enregistrer",
        &cookie,
        &with_rg,
    )
    .await;
    assert_eq!(first, "\"Done\"");
    let lower = with_rg.replace("26%2F00123", "26+%2F+00123");
    let (_, second) = post(&app, "/api/mandataire/mesure/enregistrer", &cookie, &lower).await;
    assert!(second.contains(crate::rules::mesure::RG_TAKEN), "{second}");
    assert_eq!(counters(&state, a), (1, 1, 0, 0));

    // An end date before the decision date is refused.
    let read = state.db.begin_read().unwrap();
    let id = mesures::of_owner(&read, a, Status::EnCours).unwrap()[0].id;
    drop(read);
    let (_, refused) = post(
        &app,
        "/api/mandataire/mesure/eteindre",
        &cookie,
        &format!("id={id}&date_fin=01%2F01%2F2020&cause_sortie="),
    )
    .await;
    assert!(
        refused.contains("La date de fin de mandat ne peut pas être antérieure à la date de décision (05/03/2024)."),
        "{refused}"
    );
    assert_eq!(counters(&state, a), (1, 1, 0, 0));
}

/// Creates, ends and reactivates the same mandataire's mesures from many concurrent requests: the stored
/// counters always equal the recount.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn counters_stay_right_under_concurrent_changes() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie) = mandataire(&state, "prepose.a");
    let app = router(state.clone());
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let (app, cookie) = (app.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            post(
                &app,
                "/api/mandataire/mesure/enregistrer",
                &cookie,
                NEW_MESURE,
            )
            .await
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().1, "\"Done\"");
    }
    let ids: Vec<u64> = {
        let read = state.db.begin_read().unwrap();
        mesures::of_owner(&read, a, Status::EnCours)
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect()
    };
    assert_eq!(ids.len(), 40);
    // End every mesure twice at once (one of each pair must fail), then reactivate half of them twice.
    let mut tasks = Vec::new();
    for &id in ids.iter().chain(ids.iter()) {
        let (app, cookie) = (app.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            post(
                &app,
                "/api/mandataire/mesure/eteindre",
                &cookie,
                &format!("id={id}&date_fin=01%2F06%2F2024&cause_sortie=deces"),
            )
            .await
            .0
        }));
    }
    let mut ended = 0;
    for task in tasks {
        if task.await.unwrap() == StatusCode::OK {
            ended += 1;
        }
    }
    assert_eq!(ended, 40);
    assert_eq!(counters(&state, a), (0, 0, 0, 40));
    let mut tasks = Vec::new();
    for &id in ids.iter().take(20).chain(ids.iter().take(20)) {
        let (app, cookie) = (app.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            post(
                &app,
                "/api/mandataire/mesure/reactiver",
                &cookie,
                &format!("id={id}"),
            )
            .await
            .0
        }));
    }
    let mut reactivated = 0;
    for task in tasks {
        if task.await.unwrap() == StatusCode::OK {
            reactivated += 1;
        }
    }
    assert_eq!(reactivated, 20);
    assert_eq!(counters(&state, a), (20, 20, 0, 20));
    // The map's per-commune summary follows the same changes: 20 mesures en cours, all in Calais.
    let read = state.db.begin_read().unwrap();
    let map = mesures::map_of_owner(&read, a).unwrap();
    drop(read);
    assert_eq!(map.len(), 1);
    assert_eq!((map[0].0.as_str(), map[0].1.len()), ("62193", 20));
    // Nothing for the start-up check to fix.
    assert_eq!(mesures_recount(&state), 0);
}

fn mesures_recount(state: &AppState) -> usize {
    crate::db::mesures::recount(&state.db).unwrap()
}

#[tokio::test]
async fn the_start_up_check_fixes_wrong_counters() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie) = mandataire(&state, "prepose.a");
    let app = router(state.clone());
    post(
        &app,
        "/api/mandataire/mesure/enregistrer",
        &cookie,
        NEW_MESURE,
    )
    .await;
    let write = state.db.begin_write().unwrap();
    let mut profile = profiles::mandataire_in(&write, a).unwrap().unwrap();
    profile.mesures_en_cours = 7;
    profiles::put_mandataire_record(&write, a, &profile).unwrap();
    write.commit().unwrap();
    assert_eq!(mesures_recount(&state), 1);
    assert_eq!(counters(&state, a), (1, 1, 0, 0));
}

/// An active magistrat of tribunal `tribunal_id` with a session cookie.
pub(super) fn magistrat(state: &AppState, tribunal_id: u64) -> String {
    let write = state.db.begin_write().unwrap();
    let user = crate::db::users::create(
        &write,
        NewUser {
            identifiant: format!("magistrat.{tribunal_id}"),
            email: format!("magistrat.{tribunal_id}@exemple.fr"),
            role: Role::Magistrat,
            nom: "Juge".into(),
            prenom: "Marie".into(),
            status: AccountStatus::Actif,
            password_hash: "$argon2id$x".into(),
        },
    )
    .unwrap();
    profiles::put_magistrat(
        &write,
        user.id,
        &profiles::Magistrat {
            genre: Genre::F,
            tribunal_id,
            cabinet: "2".into(),
        },
    )
    .unwrap();
    let session = auth::session::open(&write, user.id).unwrap();
    write.commit().unwrap();
    format!("{}={session}", auth::session::cookie_name(state))
}

#[tokio::test]
async fn a_reservation_is_accepted_by_its_mandataire_only() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie_a) = mandataire(&state, "prepose.a");
    let (b, cookie_b) = mandataire(&state, "prepose.b");
    // B declared tribunal 2 only: out of the magistrat's scope.
    let write = state.db.begin_write().unwrap();
    let mut profile_b = profiles::mandataire_in(&write, b).unwrap().unwrap();
    profile_b.tribunaux = vec![2];
    profiles::put_mandataire(&write, b, &profile_b).unwrap();
    write.commit().unwrap();
    let cookie_m = magistrat(&state, 1);
    let app = router(state.clone());
    let reservation = |owner: u64| {
        format!("mandataire={owner}&nature=tutelle&champ=&genre=H&annee_naissance=1948&numero_rg=26%2F00123&cabinet=2")
    };
    let (status, body) = post(&app, "/api/magistrat/reserver", &cookie_m, &reservation(b)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = post(&app, "/api/magistrat/reserver", &cookie_m, &reservation(a)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "\"Done\""));
    assert_eq!(counters(&state, a), (0, 0, 1, 0));
    // The same RG again for A in this tribunal: refused, nothing created.
    let (_, again) = post(&app, "/api/magistrat/reserver", &cookie_m, &reservation(a)).await;
    assert!(
        again.contains(crate::server::magistrat::reservations::RG_TAKEN_FOR_MANDATAIRE),
        "{again}"
    );
    assert_eq!(counters(&state, a), (0, 0, 1, 0));
    let read = state.db.begin_read().unwrap();
    let waiting = mesures::of_owner(&read, a, Status::EnAttente)
        .unwrap()
        .remove(0);
    let queued = crate::db::outbox::newest_first(&read).unwrap();
    assert!(queued
        .iter()
        .any(|e| e.to == "prepose.a@exemple.fr"
            && e.subject == crate::server::mail::SUBJECT_RESERVATION));
    drop(read);
    let accept = format!("id={}&date_decision=05%2F03%2F2024&lieu_de_vie=domicile&code_postal=62100&commune=Calais&numero_dossier=", waiting.id);
    let (status, _) = post(&app, "/api/mandataire/mesure/accepter", &cookie_b, &accept).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = post(&app, "/api/mandataire/mesure/accepter", &cookie_a, &accept).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "\"Done\""));
    assert_eq!(counters(&state, a), (1, 1, 0, 0));
    let read = state.db.begin_read().unwrap();
    let accepted = mesures::get(&read, waiting.id).unwrap().unwrap();
    assert_eq!(accepted.status, Status::EnCours);
    assert_eq!(accepted.tribunal_id, Some(1));
    assert!(accepted.reservation.unwrap().accepted_at.is_some());
}

#[tokio::test]
async fn the_profile_changes_its_e_mail_only_with_the_current_password() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie) = mandataire(&state, "prepose.a");
    let app = router(state.clone());
    let form = |email: &str, password: &str| {
        format!("nom=Test&prenom=A&genre=F&adresse=1+rue+de+la+Paix&code_postal=62100&commune=Calais&telephone=0321000000&telephone_portable=&email={email}&mot_de_passe_actuel={password}&mesures_souhaitees=30&secretariat=oui&secretariat_etp=0%2C8&informations=")
    };
    let (_, missing) = post(
        &app,
        "/api/mandataire/profil/enregistrer",
        &cookie,
        &form("nouvelle%40exemple.fr", ""),
    )
    .await;
    assert!(
        missing.contains(crate::rules::profile::CURRENT_PASSWORD_NEEDED),
        "{missing}"
    );
    let (_, wrong) = post(
        &app,
        "/api/mandataire/profil/enregistrer",
        &cookie,
        &form("nouvelle%40exemple.fr", "Mauvais-Mot-2026"),
    )
    .await;
    assert!(
        wrong.contains(crate::server::accounts::CURRENT_PASSWORD_WRONG),
        "{wrong}"
    );
    let read = state.db.begin_read().unwrap();
    assert_eq!(
        crate::db::users::get(&read, a).unwrap().unwrap().email,
        "prepose.a@exemple.fr"
    );
    drop(read);
    // The same e-mail needs no password; "0,8" ETP is stored; the capacity did not change, nor the last update.
    let (_, saved) = post(
        &app,
        "/api/mandataire/profil/enregistrer",
        &cookie,
        &form("prepose.a%40exemple.fr", ""),
    )
    .await;
    assert_eq!(saved, "\"Done\"");
    let read = state.db.begin_read().unwrap();
    let profile = profiles::mandataire(&read, a).unwrap().unwrap();
    assert_eq!(
        (profile.secretariat, profile.secretariat_etp_centiemes),
        (true, Some(80))
    );
    assert_eq!(profile.derniere_mise_a_jour, None);
}

#[tokio::test]
async fn acceptance_refuses_bad_values_and_finds_a_cancellation() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie_a) = mandataire(&state, "prepose.a");
    let cookie_m = magistrat(&state, 1);
    let app = router(state.clone());
    for rg in ["26%2F1", "26%2F2"] {
        let reservation = format!("mandataire={a}&nature=tutelle&champ=&genre=H&annee_naissance=1948&numero_rg={rg}&cabinet=");
        let (_, body) = post(&app, "/api/magistrat/reserver", &cookie_m, &reservation).await;
        assert_eq!(body, "\"Done\"");
    }
    assert_eq!(counters(&state, a), (0, 0, 2, 0));
    let read = state.db.begin_read().unwrap();
    let waiting = mesures::of_owner(&read, a, Status::EnAttente).unwrap();
    drop(read);
    // Bad values: nothing changes, the messages come back.
    let bad = format!("id={}&date_decision=01%2F01%2F2099&lieu_de_vie=&code_postal=62100&commune=Arras&numero_dossier=", waiting[0].id);
    let (_, refused) = post(&app, "/api/mandataire/mesure/accepter", &cookie_a, &bad).await;
    for message in [
        crate::rules::mesure::DECISION_IN_FUTURE,
        crate::rules::mesure::LIEU_DE_VIE_MISSING,
        "La commune « Arras » ne correspond pas au code postal 62100.",
    ] {
        assert!(refused.contains(message), "{message} missing in {refused}");
    }
    assert_eq!(counters(&state, a), (0, 0, 2, 0));
    // The tribunal cancels the second one (the way its cancellation does: delete, which keeps the counters) before A accepts.
    let write = state.db.begin_write().unwrap();
    mesures::delete(&write, &waiting[1], mesures::Author::Other).unwrap();
    write.commit().unwrap();
    let accept = format!("id={}&date_decision=05%2F03%2F2024&lieu_de_vie=domicile&code_postal=62100&commune=Calais&numero_dossier=", waiting[1].id);
    let (status, body) = post(&app, "/api/mandataire/mesure/accepter", &cookie_a, &accept).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "\"Done\""));
    assert_eq!(counters(&state, a), (0, 0, 1, 0));
    let read = state.db.begin_read().unwrap();
    assert!(mesures::get(&read, waiting[1].id).unwrap().is_none());
}

#[tokio::test]
async fn tribunaux_and_etablissements_refuse_unknown_text() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie) = mandataire(&state, "prepose.a");
    let app = router(state.clone());
    let (_, tribunal) = post(
        &app,
        "/api/mandataire/tribunaux/ajouter",
        &cookie,
        "tribunal=zzzzqqq&tribunal_id=&tribunal_choix=",
    )
    .await;
    assert!(
        tribunal.contains("Aucun tribunal ne correspond à « zzzzqqq ». Vérifiez l'orthographe."),
        "{tribunal}"
    );
    let (_, empty) = post(
        &app,
        "/api/mandataire/tribunaux/ajouter",
        &cookie,
        "tribunal=&tribunal_id=&tribunal_choix=",
    )
    .await;
    assert!(
        empty.contains("Le champ « Ajouter un tribunal » est obligatoire."),
        "{empty}"
    );
    let (_, etablissement) = post(
        &app,
        "/api/mandataire/etablissements/ajouter",
        &cookie,
        "etablissement=zzzzqqq&etablissement_id=&etablissement_choix=",
    )
    .await;
    assert!(
        etablissement.contains("Aucun établissement ne correspond à « zzzzqqq »."),
        "{etablissement}"
    );
    // Removing a tribunal the mandataire does not have, or the last one, changes nothing.
    let (status, _) = post(&app, "/api/mandataire/tribunaux/retirer", &cookie, "id=99").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, last) = post(&app, "/api/mandataire/tribunaux/retirer", &cookie, "id=1").await;
    assert!(
        last.contains(crate::rules::profile::LAST_TRIBUNAL),
        "{last}"
    );
    let read = state.db.begin_read().unwrap();
    let profile = profiles::mandataire(&read, a).unwrap().unwrap();
    assert_eq!(
        (profile.tribunaux, profile.etablissements),
        (vec![1], Vec::<String>::new())
    );
}
