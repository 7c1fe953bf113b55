//! Row-level authorisation across the whole product (SPEC §12, scenario 23), and the magistrat's
//! reservations over HTTP in-process, as the browser calls them.
//!
//! The world: tribunal 1 with the active préposé A, the inactive préposé C and the magistrat M; tribunal 2
//! with the active individuel B and the magistrat M2. A and B each hold a mesure en cours; M reserved R1 for
//! A, M2 reserved R2 for B. Each caller then calls **every registered server function** (and the pages
//! with an id in their path) with the ids of rows outside its scope, and the test fails if an answer shows
//! anything of those rows or if any stored record changed. The same callers reach their own rows.

use axum::http::{Method, StatusCode};
use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};

use crate::db::mesures::{self, Author, Mesure, Reservation};
use crate::db::profiles::{self, Magistrat, Mandataire};
use crate::db::tables::{
    MAGISTRATS, MANDATAIRES, MESURES, OUTBOX, RESERVATIONS_BY_TRIBUNAL, USERS,
};
use crate::db::users::{AccountStatus, NewUser};
use crate::rules::account::Role;
use crate::rules::mesure::{Nature, Origin, Status};
use crate::rules::profile::Genre;
use crate::server::*;

use crate::server::test_kit::{self, state};

/// A user with a session; returns (id, cookie).
pub(super) fn user(
    state: &AppState,
    identifiant: &str,
    nom: &str,
    role: Role,
    status: AccountStatus,
) -> (u64, String) {
    let user_id = test_kit::account(
        state,
        NewUser {
            nom: nom.into(),
            status,
            ..test_kit::new_user(identifiant, role)
        },
    );
    let session = test_kit::sign_in(state, user_id);
    let write = state.db.begin_write().unwrap();
    match role {
        Role::Magistrat | Role::Greffier => profiles::put_magistrat(
            &write,
            user_id,
            &Magistrat {
                genre: Genre::F,
                tribunal_id: if identifiant.ends_with('2') { 2 } else { 1 },
                cabinet: "3B".into(),
            },
        )
        .unwrap(),
        Role::Admin => {}
        _ => profiles::put_mandataire(
            &write,
            user_id,
            &Mandataire {
                mesures_souhaitees: 10,
                secretariat: true,
                secretariat_etp_centiemes: Some(80),
                informations: format!("Informations de {nom}"),
                tribunaux: vec![if identifiant.ends_with('b') { 2 } else { 1 }],
                ..test_kit::mandataire_profile()
            },
        )
        .unwrap(),
    }
    write.commit().unwrap();
    (user_id, session)
}

/// A mesure of `owner`: en cours with a numéro de dossier, or reserved by `magistrat` of `tribunal`.
fn mesure(state: &AppState, owner: u64, marker: &str, reserved_by: Option<(u64, u64)>) -> u64 {
    let write = state.db.begin_write().unwrap();
    let created = mesures::insert(
        &write,
        Mesure {
            id: 0,
            owner,
            status: if reserved_by.is_some() {
                Status::EnAttente
            } else {
                Status::EnCours
            },
            origin: if reserved_by.is_some() {
                Origin::Reservation
            } else {
                Origin::Saisie
            },
            nature: Nature::Tutelle,
            champ: None,
            date_decision: reserved_by.is_none().then(|| "2024-03-05".to_owned()),
            code_postal: reserved_by.is_none().then(|| "62100".to_owned()),
            code_insee: reserved_by.is_none().then(|| "62193".to_owned()),
            commune: reserved_by.is_none().then(|| "Calais".to_owned()),
            genre: Genre::H,
            annee_naissance: 1948,
            lieu_de_vie: reserved_by
                .is_none()
                .then_some(crate::rules::mesure::LieuDeVie::Domicile),
            etablissement: None,
            numero_dossier: reserved_by.is_none().then(|| marker.to_owned()),
            numero_rg: reserved_by.is_some().then(|| marker.to_owned()),
            tribunal_id: reserved_by.map(|(_, t)| t),
            reservation: reserved_by.map(|(magistrat_id, tribunal_id)| Reservation {
                magistrat_id,
                tribunal_id,
                cabinet: None,
                reserved_at: crate::db::now(),
                accepted_at: None,
                refus: None,
                urgente: false,
                date_jugement: None,
                relance_at: None,
            }),
            date_fin: None,
            cause_sortie: None,
            created_at: 0,
            antenne: None,
        },
        Author::Other,
    )
    .unwrap();
    write.commit().unwrap();
    created.id
}

/// Every stored record a caller could change by mistake (sessions and audit entries apart).
fn snapshot(state: &AppState) -> Vec<Vec<u8>> {
    let read = state.db.begin_read().unwrap();
    let mut all = Vec::new();
    for table in [USERS, MANDATAIRES, MAGISTRATS, MESURES, OUTBOX] {
        let table = read.open_table(table).unwrap();
        for row in table.iter().unwrap() {
            let (key, value) = row.unwrap();
            all.push(key.value().to_be_bytes().to_vec());
            all.push(value.value().to_vec());
        }
    }
    let index = read.open_table(RESERVATIONS_BY_TRIBUNAL).unwrap();
    for row in index.iter().unwrap() {
        let (t, s, id) = row.unwrap().0.value();
        all.push(format!("{t}/{s}/{id}").into_bytes());
    }
    all
}

pub(super) async fn send(
    app: &Router,
    method: &Method,
    path: &str,
    cookie: &str,
    body: &str,
) -> (StatusCode, String) {
    // A GET carries its arguments in the query.
    let (path, body) = if *method == Method::GET {
        let separator = if path.contains('?') { '&' } else { '?' };
        (format!("{path}{separator}{body}"), None)
    } else {
        (path.to_owned(), Some(body))
    };
    let cookie = (!cookie.is_empty()).then_some(cookie);
    let (status, _, answer) = test_kit::send(app, method.clone(), &path, cookie, body).await;
    (status, answer)
}

pub(super) struct World {
    pub(super) state: AppState,
    pub(super) app: Router,
    pub(super) a: (u64, String),
    pub(super) b: (u64, String),
    c: u64,
    pub(super) m: String,
    pub(super) m2: String,
    mesure_a: u64,
    mesure_b: u64,
    pub(super) r1: u64,
    r2: u64,
}

pub(super) fn world(dir: &std::path::Path) -> World {
    let state = state(dir);
    let a = user(
        &state,
        "prepose.a",
        "Alpha-Propre",
        Role::Prepose,
        AccountStatus::Actif,
    );
    let b = user(
        &state,
        "individuel.b",
        "Bravo-Etranger",
        Role::Individuel,
        AccountStatus::Actif,
    );
    let c = user(
        &state,
        "prepose.c",
        "Charlie-Inactif",
        Role::Prepose,
        AccountStatus::EnAttente,
    )
    .0;
    let (m_id, m) = user(
        &state,
        "magistrat.1",
        "Mike-Juge",
        Role::Magistrat,
        AccountStatus::Actif,
    );
    let (m2_id, m2) = user(
        &state,
        "magistrat.2",
        "Mike-Autre",
        Role::Magistrat,
        AccountStatus::Actif,
    );
    let mesure_a = mesure(&state, a.0, "DOSSIER-A", None);
    let mesure_b = mesure(&state, b.0, "DOSSIER-B", None);
    let r1 = mesure(&state, a.0, "RG-T1", Some((m_id, 1)));
    let r2 = mesure(&state, b.0, "RG-T2", Some((m2_id, 2)));
    let app = router(state.clone());
    World {
        state,
        app,
        a,
        b,
        c,
        m,
        m2,
        mesure_a,
        mesure_b,
        r1,
        r2,
    }
}

/// Fields every function can decode, with the row ids given: the call reaches each function's checks.
fn body(mesure: u64, mandataire: u64, reservation: String) -> String {
    format!(
        "id={mesure}&mandataire={mandataire}&reservation={reservation}&form=x&jeton=x&filter[onglet]=&\
         filter[type_compte]=&filter[q]=&filter[page]=1&finess=x&commune=x&etat=&page=1&\
         type_mandataire=&lieu=&lieu_id=&acceptation=false&nature=tutelle&genre=H&annee_naissance=1950"
    )
}

/// Server functions without a row argument that change the caller's own profile.
const SELF_ONLY: [&str; 3] = [
    "/api/mandataire/donnees-a-jour",
    "/api/mandataire/activite/suspendre",
    "/api/mandataire/activite/reprendre",
];

#[tokio::test]
async fn no_caller_reaches_rows_outside_its_scope_through_any_function_or_page() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    // A greffier of tribunal 2 (issue 18): the magistrat's scope, no more.
    let (_, g2) = user(
        &w.state,
        "greffier.2",
        "Golf-Greffier",
        Role::Greffier,
        AccountStatus::Actif,
    );
    // (caller, foreign mesure, foreign mandataire, foreign reservation, what must never show).
    type Caller<'a> = (&'a str, &'a String, u64, u64, u64, Vec<&'a str>);
    let callers: Vec<Caller<'_>> = vec![
        (
            "A",
            &w.a.1,
            w.mesure_b,
            w.b.0,
            w.r2,
            vec!["Bravo-Etranger", "Charlie-Inactif", "DOSSIER-B", "RG-T2"],
        ),
        (
            "B",
            &w.b.1,
            w.mesure_a,
            w.a.0,
            w.r1,
            vec!["Alpha-Propre", "Charlie-Inactif", "DOSSIER-A", "RG-T1"],
        ),
        (
            "M",
            &w.m,
            w.mesure_b,
            w.b.0,
            w.r2,
            vec![
                "Bravo-Etranger",
                "Charlie-Inactif",
                "DOSSIER-A",
                "DOSSIER-B",
                "RG-T2",
            ],
        ),
        (
            "G2",
            &g2,
            w.mesure_a,
            w.a.0,
            w.r1,
            vec!["Alpha-Propre", "Charlie-Inactif", "DOSSIER-A", "RG-T1"],
        ),
        (
            "M2",
            &w.m2,
            w.mesure_a,
            w.a.0,
            w.r1,
            vec![
                "Alpha-Propre",
                "Charlie-Inactif",
                "DOSSIER-A",
                "DOSSIER-B",
                "RG-T1",
            ],
        ),
    ];
    let functions: Vec<(String, Method)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method))
        .filter(|(path, _)| path != "/deconnexion")
        // These take no row: they change the caller's own profile, read from the session (issue 17), which
        // is not a forgery; `mandataire::tools_tests` checks that they change nothing else.
        .filter(|(path, _)| !SELF_ONLY.contains(&path.as_str()))
        .collect();
    assert!(functions.len() >= 40, "{functions:?}");
    for (who, cookie, mesure, mandataire, reservation, secrets) in &callers {
        let before = snapshot(&w.state);
        let bodies = [
            body(*mesure, *mandataire, reservation.to_string()),
            body(*reservation, w.c, String::new()),
        ];
        for (path, method) in &functions {
            for sent in &bodies {
                let (status, answer) = send(&w.app, method, path, cookie, sent).await;
                assert_ne!(
                    status,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "{who} {path}: {answer}"
                );
                for secret in secrets {
                    assert!(
                        !answer.contains(secret),
                        "{who} {path} ({sent}) shows « {secret} »: {answer}"
                    );
                }
            }
        }
        let pages = [
            format!("/magistrat/mandataires/{mandataire}"),
            format!("/magistrat/mandataires/{mandataire}/reserver"),
            format!("/magistrat/mandataires/{}/reserver", w.c),
            format!("/magistrat/mesures/{reservation}/modifier"),
            format!("/magistrat/mesures/{reservation}/annuler"),
            format!("/mandataire/mesures/{mesure}/modifier"),
            format!("/mandataire/mesures/{mesure}/fin"),
            format!("/mandataire/mesures/{reservation}/accepter"),
        ];
        for page in &pages {
            let (status, answer) = send(&w.app, &Method::GET, page, cookie, "").await;
            assert!(
                matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{who} GET {page}: {status}"
            );
            for secret in secrets {
                assert!(
                    !answer.contains(secret),
                    "{who} GET {page} shows « {secret} »"
                );
            }
        }
        for page in [
            "/magistrat/mandataires",
            "/magistrat/carte",
            "/magistrat/mesures",
            "/mandataire/mesures",
            "/mandataire/mesures/en-attente",
            "/mandataire/carte",
        ] {
            let (_, answer) = send(&w.app, &Method::GET, page, cookie, "").await;
            for secret in secrets {
                assert!(
                    !answer.contains(secret),
                    "{who} GET {page} shows « {secret} »"
                );
            }
        }
        assert!(
            before == snapshot(&w.state),
            "{who}'s forged calls changed a stored record"
        );
    }
}

#[tokio::test]
async fn a_magistrat_reaches_his_tribunal_s_mandataires_and_reservations() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    let post = |path: &'static str, cookie: String, body: String| {
        let app = w.app.clone();
        async move { send(&app, &Method::POST, path, &cookie, &body).await }
    };
    // The list: A only (B is another tribunal's, C inactive), and the header counts follow.
    let (status, list) = post("/api/magistrat/mandataires", w.m.clone(), "page=1".into()).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(list.contains("Alpha-Propre") && !list.contains("Bravo") && !list.contains("Charlie"));
    assert!(
        list.contains("\"mandataires\":1") && list.contains("\"en_attente\":1"),
        "{list}"
    );
    // Filters: "Préposés" and "62100" keep A; "Individuels" and an unknown code do not.
    let (_, kept) = post(
        "/api/magistrat/mandataires",
        w.m.clone(),
        "type_mandataire=prepose&lieu=62100".into(),
    )
    .await;
    assert!(
        kept.contains("Alpha-Propre") && kept.contains("\"total\":1"),
        "{kept}"
    );
    let (_, none) = post(
        "/api/magistrat/mandataires",
        w.m.clone(),
        "type_mandataire=individuel".into(),
    )
    .await;
    assert!(none.contains("\"total\":0"), "{none}");
    let (_, bad) = post(
        "/api/magistrat/mandataires",
        w.m.clone(),
        "lieu=6210".into(),
    )
    .await;
    assert!(
        bad.contains("Code postal non valide") && bad.contains("\"total\":0"),
        "{bad}"
    );
    // The fiche of A, with the secretariat sentence; B's and C's are 404.
    let (status, fiche) = post("/api/magistrat/fiche", w.m.clone(), format!("id={}", w.a.0)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        fiche.contains("Secrétariat : Oui (0,8 ETP)")
            && fiche.contains("Informations de Alpha-Propre"),
        "{fiche}"
    );
    for id in [w.b.0, w.c] {
        let (status, _) = post("/api/magistrat/fiche", w.m.clone(), format!("id={id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    // The map: A's marker and one commune with A's one mesure en cours (not B's).
    let (_, carte) = post("/api/magistrat/carte", w.m.clone(), String::new()).await;
    assert!(
        carte.contains("Alpha-Propre")
            && carte.contains("\"mesures\":1")
            && !carte.contains("Bravo"),
        "{carte}"
    );
    // "Mesures réservées": R1, never R2; never the numéro de dossier.
    let (_, reserved) = post("/api/magistrat/mesures", w.m.clone(), String::new()).await;
    assert!(
        reserved.contains("RG-T1") && !reserved.contains("RG-T2") && !reserved.contains("DOSSIER"),
        "{reserved}"
    );

    // Edit R1: another RG, kept by the form; then cancel it: en attente drops, the e-mail is queued.
    let edit = format!(
        "mandataire={}&reservation={}&nature=curatelle_simple&champ=&genre=F&annee_naissance=1950&numero_rg=RG-T1-BIS&cabinet=4",
        w.a.0, w.r1
    );
    let (status, answer) = post("/api/magistrat/reserver", w.m.clone(), edit.clone()).await;
    assert_eq!((status, answer.as_str()), (StatusCode::OK, "\"Done\""));
    let read = w.state.db.begin_read().unwrap();
    let edited = mesures::get(&read, w.r1).unwrap().unwrap();
    assert_eq!(edited.numero_rg.as_deref(), Some("RG-T1-BIS"));
    assert_eq!(edited.status, Status::EnAttente);
    assert_eq!(edited.owner, w.a.0);
    drop(read);
    let outbox_before = w
        .state
        .db
        .begin_read()
        .unwrap()
        .open_table(OUTBOX)
        .unwrap()
        .len()
        .unwrap();
    let (status, answer) = post(
        "/api/magistrat/annuler",
        w.m.clone(),
        format!("id={}", w.r1),
    )
    .await;
    assert_eq!((status, answer.as_str()), (StatusCode::OK, "\"Done\""));
    let read = w.state.db.begin_read().unwrap();
    assert!(mesures::get(&read, w.r1).unwrap().is_none());
    assert_eq!(
        profiles::mandataire(&read, w.a.0)
            .unwrap()
            .unwrap()
            .mesures_en_attente,
        0
    );
    let outbox = read.open_table(OUTBOX).unwrap();
    assert_eq!(outbox.len().unwrap(), outbox_before + 1);
    let last = outbox.last().unwrap().unwrap().1.value().to_vec();
    let last = String::from_utf8_lossy(&last);
    assert!(
        last.contains("Annulation d'une réservation de mesure")
            && last.contains("prepose.a@exemple.fr"),
        "{last}"
    );
    drop(outbox);
    drop(read);

    // A new reservation for A, accepted by A: M can no longer edit or cancel it.
    let new = format!("mandataire={}&reservation=&nature=tutelle&champ=&genre=H&annee_naissance=1948&numero_rg=26%2F00123&cabinet=", w.a.0);
    let (_, answer) = post("/api/magistrat/reserver", w.m.clone(), new.clone()).await;
    assert_eq!(answer, "\"Done\"");
    // The same RG again for A in this tribunal: refused with the message, nothing created.
    let (_, again) = post(
        "/api/magistrat/reserver",
        w.m.clone(),
        new.replace("1948", "19X8"),
    )
    .await;
    assert!(
        again.contains(
            "Ce numéro RG existe déjà pour une mesure de ce mandataire dans votre tribunal."
        ) && again.contains("Invalid"),
        "{again}"
    );
    let read = w.state.db.begin_read().unwrap();
    let ids = mesures::reservation_ids(&read, 1, Some(Status::EnAttente)).unwrap();
    assert_eq!(ids.len(), 1);
    drop(read);
    let reserved_id = ids[0];
    let accept = format!(
        "id={reserved_id}&date_decision=05%2F03%2F2024&lieu_de_vie=domicile&code_postal=62100&commune=Calais&numero_dossier="
    );
    let (_, answer) = post("/api/mandataire/mesure/accepter", w.a.1.clone(), accept).await;
    assert_eq!(answer, "\"Done\"");
    let before = snapshot(&w.state);
    let (_, refused) = post(
        "/api/magistrat/annuler",
        w.m.clone(),
        format!("id={reserved_id}"),
    )
    .await;
    assert_eq!(
        refused, "\"Done\"",
        "a refusal is a redirect with its notice"
    );
    let (_, refused) = post(
        "/api/magistrat/reserver",
        w.m.clone(),
        edit.replace(&w.r1.to_string(), &reserved_id.to_string()),
    )
    .await;
    assert_eq!(refused, "\"Done\"");
    assert!(
        before == snapshot(&w.state),
        "an accepted mesure was changed by its tribunal"
    );
    let (_, page) = post(
        "/api/magistrat/annulation",
        w.m.clone(),
        format!("id={reserved_id}"),
    )
    .await;
    assert!(page.contains("Cette mesure a déjà été acceptée par le mandataire : elle ne peut plus être modifiée ni annulée."), "{page}");
    let (_, reserved) = post(
        "/api/magistrat/mesures",
        w.m.clone(),
        "etat=acceptee".into(),
    )
    .await;
    assert!(
        reserved.contains("Acceptée") && reserved.contains("\"total\":1"),
        "{reserved}"
    );
}

#[tokio::test]
async fn the_list_is_sorted_by_disponibilite_and_paged_by_50() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    // 59 more préposés of tribunal 1 whose capacity grows with n: with A (10), 60 in scope.
    let write = w.state.db.begin_write().unwrap();
    for n in 0..59_u32 {
        let user = crate::db::users::create(
            &write,
            NewUser {
                identifiant: format!("prepose.n{n}"),
                email: format!("prepose.n{n}@exemple.fr"),
                role: Role::Prepose,
                nom: format!("Numero{n:02}"),
                prenom: "Test".into(),
                status: AccountStatus::Actif,
                password_hash: "$argon2id$x".into(),
            },
        )
        .unwrap();
        let mut profile = profiles::mandataire(&w.state.db.begin_read().unwrap(), w.a.0)
            .unwrap()
            .unwrap();
        profile.mesures_souhaitees = n;
        profile.mesures_en_cours = 0;
        profile.mesures_en_attente = 0;
        profiles::put_mandataire(&write, user.id, &profile).unwrap();
    }
    write.commit().unwrap();
    let (status, first) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/mandataires",
        &w.m,
        "page=1",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    let rows = first["data"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 50);
    assert_eq!(first["data"]["total"], 60);
    assert_eq!(first["data"]["has_next"], true);
    assert_eq!(first["header"]["mandataires"], 60);
    let disponibilites: Vec<i64> = rows
        .iter()
        .map(|r| r["disponibilite"].as_i64().unwrap())
        .collect();
    assert!(
        disponibilites.windows(2).all(|p| p[0] >= p[1]),
        "{disponibilites:?}"
    );
    assert_eq!(disponibilites[0], 58);
    let (_, second) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/mandataires",
        &w.m,
        "page=2",
    )
    .await;
    let second: serde_json::Value = serde_json::from_str(&second).unwrap();
    assert_eq!(second["data"]["rows"].as_array().unwrap().len(), 10);
    assert_eq!(second["data"]["has_next"], false);
    assert_eq!(second["data"]["rows"][9]["disponibilite"], 0);
}

#[tokio::test]
async fn the_map_counts_equal_the_per_commune_lines() {
    use crate::rules::mesure::Champ;
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    let read = w.state.db.begin_read().unwrap();
    let model = mesures::get(&read, w.mesure_a).unwrap().unwrap();
    drop(read);
    let write = w.state.db.begin_write().unwrap();
    for (n, (champ, insee, commune)) in [
        (Some(Champ::ProtectionBienPersonne), "62193", "Calais"),
        (None, "62041", "Arras"),
        (Some(Champ::ProtectionBien), "62041", "Arras"),
        (Some(Champ::ProtectionPersonne), "62041", "Arras"),
    ]
    .into_iter()
    .enumerate()
    {
        for owner in [w.a.0, w.b.0] {
            mesures::insert(
                &write,
                Mesure {
                    champ,
                    code_insee: Some(insee.into()),
                    commune: Some(commune.into()),
                    numero_dossier: Some(format!("D{n}")),
                    owner,
                    ..model.clone()
                },
                Author::Other,
            )
            .unwrap();
        }
    }
    write.commit().unwrap();
    let read = w.state.db.begin_read().unwrap();
    let counts = mesures::counts_by_commune(&read, &[w.a.0, w.b.0]).unwrap();
    let mut expected = std::collections::HashMap::new();
    for owner in [w.a.0, w.b.0] {
        for (insee, lines) in mesures::map_of_owner(&read, owner).unwrap() {
            *expected.entry(insee).or_insert(0) += u32::try_from(lines.len()).unwrap();
        }
    }
    assert_eq!(counts, expected);
    assert_eq!(
        counts["62193"], 4,
        "A's and B's first mesure, and one more each"
    );
    assert_eq!(counts["62041"], 6);
}
