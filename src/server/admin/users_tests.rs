//! Issue 19, user administration: the badge on every tab, "Exporter les utilisateurs", "Envoyer un lien de
//! réinitialisation", "Modifier", and "Télécharger mes données", through the real router.

use axum::http::{Method, StatusCode};
use redb::ReadableDatabase;

use crate::db::users::{self, AccountStatus};
use crate::db::{audit, outbox, profiles, reset_tokens};
use crate::rules::account::Role;
use crate::server::test_kit::{self, send};

struct World {
    state: crate::server::AppState,
    app: axum::Router,
    admin: String,
    prepose: u64,
    magistrat: String,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = crate::server::router(state.clone());
    let admin_id = test_kit::account(&state, test_kit::new_user("admin.test", Role::Admin));
    let admin = test_kit::sign_in(&state, admin_id);
    let prepose = test_kit::account(
        &state,
        users::NewUser {
            nom: "=HYPERLINK(\"x\")".into(),
            ..test_kit::new_user("claire.dupont", Role::Prepose)
        },
    );
    let write = state.db.begin_write().unwrap();
    profiles::put_mandataire(&write, prepose, &test_kit::mandataire_profile()).unwrap();
    write.commit().unwrap();
    for waiting in ["attente.un", "attente.deux"] {
        test_kit::account(
            &state,
            users::NewUser {
                status: AccountStatus::EnAttente,
                ..test_kit::new_user(waiting, Role::Individuel)
            },
        );
    }
    let magistrat_id = test_kit::account(&state, test_kit::new_user("juge", Role::Magistrat));
    let magistrat = test_kit::sign_in(&state, magistrat_id);
    World {
        state,
        app,
        admin,
        prepose,
        magistrat,
        _dir: dir,
    }
}

fn last_action(state: &crate::server::AppState) -> (String, String, String) {
    let read = state.db.begin_read().unwrap();
    let entry = audit::newest_first(&read).unwrap().remove(0);
    (entry.action, entry.object, entry.result)
}

#[tokio::test]
async fn the_badge_counts_the_accounts_waiting_on_every_admin_tab() {
    let w = world();
    let (status, _, answer) = send(
        &w.app,
        Method::POST,
        "/api/admin/en-attente",
        Some(&w.admin),
        Some(""),
    )
    .await;
    assert_eq!((status, answer.as_str()), (StatusCode::OK, "2"));
    for tab in [
        "/admin/tribunaux",
        "/admin/journal",
        "/admin/courriels",
        "/admin/sauvegarde",
        "/admin/etablissements",
    ] {
        let (status, _, page) = send(&w.app, Method::GET, tab, Some(&w.admin), None).await;
        assert_eq!(status, StatusCode::OK, "{tab}");
        let page = page.replace("<!>", "");
        assert!(
            page.contains(r#"<span class="badge">2<span class="visually-hidden"> en attente de validation</span></span>"#),
            "{tab}: {page}"
        );
    }
    let (status, _, _) = send(
        &w.app,
        Method::POST,
        "/api/admin/en-attente",
        Some(&w.magistrat),
        Some(""),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_export_is_the_filtered_list_neutralised_and_audited() {
    let w = world();
    let path = "/admin/utilisateurs/export/utilisateurs.csv?onglet=actifs&type=prepose&q=";
    let (status, headers, body) = send(&w.app, Method::GET, path, Some(&w.admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("utilisateurs.csv"));
    assert!(body.starts_with('\u{feff}'), "UTF-8 with BOM");
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "the header and the one active préposé: {body}"
    );
    assert!(lines[0].starts_with("Nom;Prénom;Identifiant;Adresse email;Type"));
    assert!(
        lines[1].contains("'=HYPERLINK"),
        "formula neutralised: {}",
        lines[1]
    );
    assert!(
        lines[1]
            .contains("claire.dupont;claire.dupont@exemple.fr;Mandataire préposé d'établissement;"),
        "{}",
        lines[1]
    );
    assert_eq!(
        last_action(&w.state),
        (
            "Export des utilisateurs".into(),
            "utilisateurs.csv (1 comptes)".into(),
            "Succès".into()
        )
    );
    // The waiting tab, searched; and the XLSX.
    let path = "/admin/utilisateurs/export/utilisateurs.csv?onglet=en-attente&q=deux";
    let (_, _, body) = send(&w.app, Method::GET, path, Some(&w.admin), None).await;
    assert_eq!(body.lines().count(), 2, "{body}");
    assert!(body.contains("attente.deux") && !body.contains("attente.un"));
    let (status, headers, _) = send(
        &w.app,
        Method::GET,
        "/admin/utilisateurs/export/utilisateurs.xlsx",
        Some(&w.admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    // Only admins; an unknown file name is not found.
    let (status, _, _) = send(
        &w.app,
        Method::GET,
        "/admin/utilisateurs/export/utilisateurs.csv",
        Some(&w.magistrat),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        &w.app,
        Method::GET,
        "/admin/utilisateurs/export/utilisateurs.csv",
        None,
        None,
    )
    .await;
    assert!(status.is_redirection(), "anonymous: to the login page");
    let (status, _, _) = send(
        &w.app,
        Method::GET,
        "/admin/utilisateurs/export/autre.pdf",
        Some(&w.admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_smtp_the_reset_link_is_shown_once_and_kept_nowhere_else() {
    let w = world();
    let emails_before = outbox_count(&w.state);
    let body = format!("id={}", w.prepose);
    let (status, _, answer) = send(
        &w.app,
        Method::POST,
        "/api/admin/utilisateurs/reinitialisation",
        Some(&w.admin),
        Some(&body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(
        answer.contains("Aucun serveur SMTP n'est configuré : transmettez vous-même ce lien"),
        "{answer}"
    );
    let token = answer
        .split("jeton=")
        .nth(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect::<String>()
        })
        .unwrap();
    assert_eq!(token.len(), 43);
    let read = w.state.db.begin_read().unwrap();
    let found = reset_tokens::peek(
        &read,
        &crate::server::auth::session::token_key(&token),
        crate::db::now(),
    )
    .unwrap();
    assert_eq!(found.map(|t| t.user_id), Some(w.prepose), "the link works");
    drop(read);
    assert_eq!(
        outbox_count(&w.state),
        emails_before,
        "not kept in « Courriels envoyés »"
    );
    let (action, object, result) = last_action(&w.state);
    assert_eq!(
        (action.as_str(), result.as_str()),
        ("Envoi d'un lien de réinitialisation", "Lien affiché")
    );
    assert_eq!(object, format!("utilisateur {}", w.prepose));
    assert!(!format!("{action}{object}{result}").contains(&token));
    // The page of the link shows the form.
    let (status, _, page) = send(
        &w.app,
        Method::GET,
        &format!("/reinitialiser-mot-de-passe?jeton={token}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Choisir un nouveau mot de passe"));
    // An account waiting for validation gets no link; others than admins cannot ask.
    let waiting = {
        let read = w.state.db.begin_read().unwrap();
        users::find_by_login(&read, "attente.un")
            .unwrap()
            .unwrap()
            .id
    };
    let (_, _, answer) = send(
        &w.app,
        Method::POST,
        "/api/admin/utilisateurs/reinitialisation",
        Some(&w.admin),
        Some(&format!("id={waiting}")),
    )
    .await;
    assert!(
        answer.contains("activez-le avant de lui envoyer"),
        "{answer}"
    );
    let (status, _, _) = send(
        &w.app,
        Method::POST,
        "/api/admin/utilisateurs/reinitialisation",
        Some(&w.magistrat),
        Some(&body),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        &w.app,
        Method::POST,
        "/api/admin/utilisateurs/reinitialisation",
        Some(&w.admin),
        Some("id=999999"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn outbox_count(state: &crate::server::AppState) -> usize {
    let read = state.db.begin_read().unwrap();
    outbox::newest_first(&read).unwrap().len()
}

#[tokio::test]
async fn an_admin_corrects_an_account_with_the_users_own_rules() {
    let w = world();
    let form = |nom: &str, email: &str, code_postal: &str, telephone: &str| {
        format!(
            "id={}&nom={nom}&prenom=Claire&genre=F&email={email}&adresse=2+rue+Neuve&code_postal={code_postal}\
             &commune=Calais&commune_id=&commune_choix=&telephone={telephone}&telephone_portable=",
            w.prepose
        )
    };
    // Bad values: each message, nothing changed.
    let (status, _, answer) = send(
        &w.app,
        Method::POST,
        "/api/admin/utilisateur/enregistrer",
        Some(&w.admin),
        Some(&form("", "pas-une-adresse", "99999", "12")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(answer.contains("Invalid"), "{answer}");
    for field in ["\"nom\"", "\"email\"", "\"code_postal\"", "\"telephone\""] {
        assert!(answer.contains(field), "{field}: {answer}");
    }
    assert!(
        answer.contains("pas-une-adresse"),
        "the values are kept: {answer}"
    );
    let read = w.state.db.begin_read().unwrap();
    assert_eq!(
        users::get(&read, w.prepose).unwrap().unwrap().email,
        "claire.dupont@exemple.fr"
    );
    drop(read);
    // Another account's e-mail: refused.
    let (_, _, answer) = send(
        &w.app,
        Method::POST,
        "/api/admin/utilisateur/enregistrer",
        Some(&w.admin),
        Some(&form("Dupont", "juge%40exemple.fr", "62100", "0321000000")),
    )
    .await;
    assert!(
        answer.contains("Invalid") && answer.contains("email"),
        "{answer}"
    );
    // Good values: the account, its e-mail index, the profile, the audit entry.
    let (_, _, answer) = send(
        &w.app,
        Method::POST,
        "/api/admin/utilisateur/enregistrer",
        Some(&w.admin),
        Some(&form(
            "Lefebvre",
            "claire.lefebvre%40exemple.fr",
            "62100",
            "0321999999",
        )),
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    let read = w.state.db.begin_read().unwrap();
    let user = users::get(&read, w.prepose).unwrap().unwrap();
    assert_eq!(
        (user.nom.as_str(), user.email.as_str()),
        ("Lefebvre", "claire.lefebvre@exemple.fr")
    );
    assert_eq!(
        users::find_by_login(&read, "claire.lefebvre@exemple.fr")
            .unwrap()
            .map(|u| u.id),
        Some(w.prepose)
    );
    assert!(users::find_by_login(&read, "claire.dupont@exemple.fr")
        .unwrap()
        .is_none());
    let profile = profiles::mandataire(&read, w.prepose).unwrap().unwrap();
    assert_eq!(
        (profile.adresse.as_str(), profile.telephone.as_str()),
        ("2 rue Neuve", "0321999999")
    );
    drop(read);
    assert_eq!(
        last_action(&w.state).0,
        "Modification du compte par un administrateur"
    );
    // The page of the form; others than admins are refused.
    let (status, _, page) = send(
        &w.app,
        Method::GET,
        &format!("/admin/utilisateurs/{}/modifier", w.prepose),
        Some(&w.admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("claire.lefebvre@exemple.fr") && page.contains("2 rue Neuve"));
    let (status, _, _) = send(
        &w.app,
        Method::POST,
        "/api/admin/utilisateur/enregistrer",
        Some(&w.magistrat),
        Some(&form("X", "x%40exemple.fr", "62100", "0321000000")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_user_downloads_their_own_data_and_nothing_secret() {
    let w = world();
    let write = w.state.db.begin_write().unwrap();
    crate::db::mesures::insert(
        &write,
        test_kit::mesure(w.prepose),
        crate::db::mesures::Author::Owner,
    )
    .unwrap();
    write.commit().unwrap();
    let cookie = test_kit::sign_in(&w.state, w.prepose);
    let (status, headers, _) = send(
        &w.app,
        Method::GET,
        "/compte/mes-donnees.zip",
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/zip");
    let read = w.state.db.begin_read().unwrap();
    let caller = crate::server::auth::Caller {
        user: users::get(&read, w.prepose).unwrap().unwrap(),
        session_key: String::new(),
    };
    let files = crate::server::own_data::files(&read, &caller).unwrap();
    drop(read);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "LISEZMOI.txt",
            "compte.json",
            "mesures-en-cours.csv",
            "mesures-en-attente.csv",
            "mesures-eteintes.csv",
            "journal.csv"
        ]
    );
    let text = |name: &str| {
        String::from_utf8(files.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap()
    };
    assert!(text("compte.json").contains("claire.dupont@exemple.fr"));
    assert!(!text("compte.json").contains("argon2"), "no password hash");
    assert_eq!(
        text("mesures-en-cours.csv").lines().count(),
        2,
        "the header and the mesure"
    );
    assert!(
        text("journal.csv").contains("Téléchargement de mes données")
            || last_action(&w.state).0 == "Téléchargement de mes données"
    );
    // A magistrat's archive has the reservations he made.
    let (status, _, _) = send(
        &w.app,
        Method::GET,
        "/compte/mes-donnees.zip",
        Some(&w.magistrat),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = send(&w.app, Method::GET, "/compte/mes-donnees.zip", None, None).await;
    assert!(status.is_redirection());
}

#[tokio::test]
async fn the_emails_tab_is_paged_newest_first_and_for_admins_only() {
    let w = world();
    let write = w.state.db.begin_write().unwrap();
    for n in 0..60 {
        outbox::queue(&write, &format!("n{n:02}@exemple.fr"), "Objet", "Texte").unwrap();
    }
    write.commit().unwrap();
    let page = |body: &'static str| {
        let app = w.app.clone();
        let admin = w.admin.clone();
        async move {
            send(
                &app,
                Method::POST,
                "/api/admin/courriels",
                Some(&admin),
                Some(body),
            )
            .await
        }
    };
    let (status, _, first) = page("").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(first["total"], 60);
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    assert_eq!(first["rows"][0]["destinataire"], "n59@exemple.fr");
    assert_eq!(first["has_next"], true);
    let (_, _, second) = page("page=2").await;
    let second: serde_json::Value = serde_json::from_str(&second).unwrap();
    assert_eq!(second["rows"].as_array().unwrap().len(), 10);
    assert_eq!(second["rows"][9]["destinataire"], "n00@exemple.fr");
    assert_eq!(second["has_next"], false);
    // Past the end: "Page introuvable"; a bad number: refused without a 500; not an admin: 403.
    assert_eq!(page("page=3").await.0, StatusCode::NOT_FOUND);
    let (status, _, _) = page("page=x").await;
    assert!(status.is_client_error(), "{status}");
    let (status, _, _) = send(
        &w.app,
        Method::POST,
        "/api/admin/courriels",
        Some(&w.magistrat),
        Some(""),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
