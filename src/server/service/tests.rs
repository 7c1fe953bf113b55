//! Services (issue 16), through the real router: who may change what, row by row; the antenne and service
//! counters kept together; refusals with their French messages and nothing changed.

use axum::http::{Method, StatusCode};
use redb::ReadableDatabase;

use crate::db::services::{self, NewService};
use crate::db::{mesures, profiles, users};
use crate::rules::account::Role;
use crate::rules::mesure::Status;
use crate::server::test_kit::{self, send};
use crate::server::{router, AppState};

/// A service on tribunal 1 with an administrateur and a member (no antenne): (service id, admin, member).
fn service(state: &AppState, name: &str) -> (u64, u64, u64) {
    let admin = test_kit::account(
        state,
        test_kit::new_user(&format!("{name}-admin"), Role::Service),
    );
    let member = test_kit::account(
        state,
        test_kit::new_user(&format!("{name}-membre"), Role::Service),
    );
    let write = state.db.begin_write().unwrap();
    let mut service = services::create(
        &write,
        NewService {
            nom: format!("Service {name}"),
            siret: "73282932000074".into(),
            email: format!("{name}@exemple.fr"),
            contact_nom: "Martin".into(),
            contact_prenom: "Anne".into(),
        },
        admin,
    )
    .unwrap();
    services::add_member(&write, &mut service, member).unwrap();
    services::refresh_status(&write, service.id).unwrap();
    profiles::put_mandataire(
        &write,
        service.id,
        &profiles::Mandataire {
            tribunaux: vec![1],
            ..test_kit::mandataire_profile()
        },
    )
    .unwrap();
    write.commit().unwrap();
    (service.id, admin, member)
}

const ANTENNE: &str =
    "nom=Antenne+Nord&adresse=1+rue+Royale&code_postal=62100&commune=Calais&contact=Accueil\
&telephone=0321000000&email=nord%40exemple.fr&mesures_souhaitees=40";

fn antennes_of(state: &AppState, service: u64) -> Vec<services::Antenne> {
    let read = state.db.begin_read().unwrap();
    let record = services::get(&read, service).unwrap().unwrap();
    services::antennes_of(&read, &record).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn only_an_administrateur_changes_antennes_and_members_and_only_of_their_service() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let (service_id, admin, member) = service(&state, "a");
    let (other_id, other_admin, _) = service(&state, "b");
    let (admin_cookie, member_cookie, other_cookie) = (
        test_kit::sign_in(&state, admin),
        test_kit::sign_in(&state, member),
        test_kit::sign_in(&state, other_admin),
    );
    let app = router(state.clone());
    let save = "/api/mandataire/antenne/enregistrer";

    // A member without the right: 403, nothing written.
    let (status, _, _) = send(
        &app,
        Method::POST,
        save,
        Some(&member_cookie),
        Some(ANTENNE),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(antennes_of(&state, service_id).is_empty());
    // The administrateur: created, and the service's capacity is now the antennes' sum.
    let (status, _, _) = send(&app, Method::POST, save, Some(&admin_cookie), Some(ANTENNE)).await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let antenne = antennes_of(&state, service_id).remove(0);
    assert_eq!(antenne.nom, "Antenne Nord");
    {
        let read = state.db.begin_read().unwrap();
        let profile = profiles::mandataire(&read, service_id).unwrap().unwrap();
        assert_eq!(profile.mesures_souhaitees, 40);
    }
    // Another service's administrateur cannot change it (404, like a missing one), nor see it listed.
    let forged = format!("id={}&{ANTENNE}", antenne.id).replace("Nord", "Pirate");
    let (status, _, _) = send(&app, Method::POST, save, Some(&other_cookie), Some(&forged)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(antennes_of(&state, service_id)[0].nom, "Antenne Nord");
    assert!(antennes_of(&state, other_id).is_empty());

    // A member records a mesure on the antenne: the antenne's and the service's counters move together.
    let mesure = format!(
        "date_decision=01%2F03%2F2025&nature=curatelle_renforcee&code_postal=62100&commune=Calais\
         &genre=F&annee_naissance=1950&lieu_de_vie=domicile&antenne={}",
        antenne.id
    );
    let (status, _, body) = send(
        &app,
        Method::POST,
        "/api/mandataire/mesure/enregistrer",
        Some(&member_cookie),
        Some(&mesure),
    )
    .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {body}"
    );
    {
        let read = state.db.begin_read().unwrap();
        let profile = profiles::mandataire(&read, service_id).unwrap().unwrap();
        let antenne = services::antenne(&read, antenne.id).unwrap().unwrap();
        assert_eq!((profile.mesures_en_cours, antenne.mesures_en_cours), (1, 1));
        let (page, total) =
            mesures::page_of_antenne(&read, antenne.id, Status::EnCours, 0, 50).unwrap();
        assert_eq!((page[0].owner, total), (service_id, 1));
        assert!(crate::db::check::check(&read).unwrap().is_consistent());
    }
    // Another service's antenne is refused in the mesure form, with its message.
    let other_antenne = {
        let write = state.db.begin_write().unwrap();
        let mut other = services::get_in(&write, other_id).unwrap().unwrap();
        let id = services::save_antenne(
            &write,
            &mut other,
            services::Antenne {
                id: 0,
                service_id: other_id,
                ..antenne.clone()
            },
        )
        .unwrap();
        write.commit().unwrap();
        id
    };
    let (status, _, body) = send(
        &app,
        Method::POST,
        "/api/mandataire/mesure/enregistrer",
        Some(&member_cookie),
        Some(&mesure.replace(
            &format!("antenne={}", antenne.id),
            &format!("antenne={other_antenne}"),
        )),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains("Choisissez une antenne de votre service dans la liste."),
        "{body}"
    );

    // Deleting an antenne that holds a mesure: refused, saying how many.
    let (_, _, body) = send(
        &app,
        Method::POST,
        "/api/mandataire/antenne/supprimer",
        Some(&admin_cookie),
        Some(&format!("id={}", antenne.id)),
    )
    .await;
    assert!(body.contains("elle compte encore 1 mesure."), "{body}");
    assert_eq!(antennes_of(&state, service_id).len(), 1);

    // Members: a member cannot take the administrateur's right; the last administrateur keeps it.
    let rights = "/api/mandataire/membre/droits";
    let (status, _, _) = send(
        &app,
        Method::POST,
        rights,
        Some(&member_cookie),
        Some(&format!("id={admin}&administrateur=non")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, _, body) = send(
        &app,
        Method::POST,
        rights,
        Some(&admin_cookie),
        Some(&format!("id={admin}&administrateur=non")),
    )
    .await;
    assert!(
        body.contains("Le service doit garder au moins un administrateur"),
        "{body}"
    );
    // Another service's member cannot be touched (404).
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/api/mandataire/membre/retirer",
        Some(&other_cookie),
        Some(&format!("id={member}")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Removed by the administrateur: the account is gone and its session ends at once.
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/api/mandataire/membre/retirer",
        Some(&admin_cookie),
        Some(&format!("id={member}")),
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/api/mandataire/mesures",
        Some(&member_cookie),
        Some("etat=en_cours"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let read = state.db.begin_read().unwrap();
    assert!(users::get(&read, member).unwrap().is_none());
    // The service's mesures stay the service's.
    assert_eq!(
        mesures::count_of_owner_read(&read, service_id, Status::EnCours).unwrap(),
        1
    );
}

/// The token of the newest invitation e-mail to `to`; the stored text has it masked.
fn invitation_token(state: &AppState, to: &str) -> String {
    let read = state.db.begin_read().unwrap();
    let email = crate::db::outbox::newest_first(&read)
        .unwrap()
        .into_iter()
        .find(|e| e.subject == crate::server::mail::SUBJECT_INVITATION && e.to == to)
        .unwrap();
    assert!(email.body.contains("jeton=[masqué]"), "{}", email.body);
    let secret = email.secret.unwrap().body;
    secret
        .split("jeton=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_withdrawn_invitation_is_dead_and_only_an_administrateur_withdraws() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let (service_id, admin, member) = service(&state, "w");
    let (_, other_admin, _) = service(&state, "x");
    let admin_cookie = test_kit::sign_in(&state, admin);
    let member_cookie = test_kit::sign_in(&state, member);
    let other_cookie = test_kit::sign_in(&state, other_admin);
    let app = router(state.clone());
    send(
        &app,
        Method::POST,
        "/api/mandataire/membre/inviter",
        Some(&admin_cookie),
        Some("email=parti%40exemple.fr"),
    )
    .await;
    let token = invitation_token(&state, "parti@exemple.fr");
    let withdraw = "/api/mandataire/membre/invitation/annuler";
    // A member without the right: 403; another service's administrateur: 404 (not their invitation).
    let (status, _, _) = send(
        &app,
        Method::POST,
        withdraw,
        Some(&member_cookie),
        Some("email=parti%40exemple.fr"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        &app,
        Method::POST,
        withdraw,
        Some(&other_cookie),
        Some("email=parti%40exemple.fr"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let read = state.db.begin_read().unwrap();
    assert_eq!(
        services::get(&read, service_id)
            .unwrap()
            .unwrap()
            .invitations
            .len(),
        1
    );
    drop(read);
    let (status, _, _) = send(
        &app,
        Method::POST,
        withdraw,
        Some(&admin_cookie),
        Some("email=PARTI%40exemple.fr"),
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let read = state.db.begin_read().unwrap();
    assert!(services::get(&read, service_id)
        .unwrap()
        .unwrap()
        .invitations
        .is_empty());
    assert!(
        services::invitation(&read, &crate::server::auth::session::token_key(&token))
            .unwrap()
            .is_none()
    );
    drop(read);
    // The link is dead; withdrawing again is 404.
    let join = format!(
        "jeton={token}&identifiant=parti.membre&nom=Durand&prenom=Luc&mot_de_passe=Tuteur%2Fdu%2Fnord9&confirmation=Tuteur%2Fdu%2Fnord9"
    );
    let (_, _, body) = send(
        &app,
        Method::POST,
        "/api/invitation/rejoindre",
        None,
        Some(&join),
    )
    .await;
    assert!(
        body.contains("Ce lien d'invitation n'est pas valable ou a déjà servi."),
        "{body}"
    );
    let (status, _, _) = send(
        &app,
        Method::POST,
        withdraw,
        Some(&admin_cookie),
        Some("email=parti%40exemple.fr"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invitation_works_once_and_a_duplicate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let (service_id, admin, _) = service(&state, "c");
    let admin_cookie = test_kit::sign_in(&state, admin);
    let app = router(state.clone());
    let invite = "/api/mandataire/membre/inviter";
    let (status, _, _) = send(
        &app,
        Method::POST,
        invite,
        Some(&admin_cookie),
        Some("email=nouveau%40exemple.fr"),
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let (_, _, body) = send(
        &app,
        Method::POST,
        invite,
        Some(&admin_cookie),
        Some("email=NOUVEAU%40exemple.fr"),
    )
    .await;
    assert!(
        body.contains("Une invitation est déjà en attente pour cette adresse email."),
        "{body}"
    );
    let (_, _, body) = send(
        &app,
        Method::POST,
        invite,
        Some(&admin_cookie),
        Some("email=c-membre%40exemple.fr"),
    )
    .await;
    assert!(
        body.contains("Un compte avec cette adresse email existe déjà."),
        "{body}"
    );

    let token = invitation_token(&state, "nouveau@exemple.fr");
    let join = format!(
        "jeton={token}&identifiant=nouveau.membre&nom=Durand&prenom=Luc&mot_de_passe=Tuteur%2Fdu%2Fnord9&confirmation=Tuteur%2Fdu%2Fnord9"
    );
    let (status, _, body) = send(
        &app,
        Method::POST,
        "/api/invitation/rejoindre",
        None,
        Some(&join),
    )
    .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {body}"
    );
    let read = state.db.begin_read().unwrap();
    let joined = users::find_by_login(&read, "nouveau.membre")
        .unwrap()
        .unwrap();
    assert_eq!(
        (joined.role, joined.service),
        (Role::Service, Some(service_id))
    );
    assert_eq!(joined.email, "nouveau@exemple.fr");
    let record = services::get(&read, service_id).unwrap().unwrap();
    assert!(record.is_member(joined.id) && !record.is_administrateur(joined.id));
    assert!(record.invitations.is_empty());
    drop(read);
    // Used once: the link is dead.
    let again = join.replace("nouveau.membre", "encore.un");
    let (_, _, body) = send(
        &app,
        Method::POST,
        "/api/invitation/rejoindre",
        None,
        Some(&again),
    )
    .await;
    assert!(
        body.contains("Ce lien d'invitation n'est pas valable ou a déjà servi."),
        "{body}"
    );
}
