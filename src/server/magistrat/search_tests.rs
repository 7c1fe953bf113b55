//! Finding a mandataire (issue 18): the "Nom" search, "Trier par" (disponibilité, name both ways, distance
//! from three known communes), "Places disponibles uniquement"; bad values fall back to the defaults.

use axum::http::{Method, StatusCode};

use super::tests::{send, user, world};
use crate::db::profiles;
use crate::db::users::AccountStatus;
use crate::rules::account::Role;

/// Three préposés of tribunal 1: (name, code INSEE, code postal, commune, mesures souhaitées).
const PLACED: [(&str, &str, &str, &str, u32); 3] = [
    ("Arras", "62041", "62000", "Arras", 5),
    ("Boulogne", "62160", "62200", "Boulogne-sur-Mer", 0),
    ("Calais", "62193", "62100", "Calais", 3),
];

async fn rows(w: &super::tests::World, query: &str) -> (serde_json::Value, Vec<String>) {
    let (status, body) = send(
        &w.app,
        &Method::POST,
        "/api/magistrat/mandataires",
        &w.m,
        query,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    let names = page["data"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["nom"].as_str().unwrap().to_owned())
        .filter(|n| PLACED.iter().any(|p| *n == format!("Test {}", p.0)))
        .collect();
    (page, names)
}

#[tokio::test]
async fn the_list_is_searched_by_name_sorted_four_ways_and_filtered_on_places() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    for (nom, insee, cp, commune, souhaitees) in PLACED {
        let (id, _) = user(
            &w.state,
            &format!("prepose.{}", nom.to_lowercase()),
            nom,
            Role::Prepose,
            AccountStatus::Actif,
        );
        let write = w.state.db.begin_write().unwrap();
        let mut profile = profiles::mandataire_in(&write, id).unwrap().unwrap();
        profile.code_insee = insee.into();
        profile.code_postal = cp.into();
        profile.commune = commune.into();
        profile.mesures_souhaitees = souhaitees;
        profiles::put_mandataire(&write, id, &profile).unwrap();
        write.commit().unwrap();
    }
    let (_, by_default) = rows(&w, "").await;
    assert_eq!(by_default, ["Test Arras", "Test Calais", "Test Boulogne"]);
    let (_, az) = rows(&w, "tri=nom").await;
    assert_eq!(az, ["Test Arras", "Test Boulogne", "Test Calais"]);
    let (_, za) = rows(&w, "tri=nom_desc").await;
    assert_eq!(za, ["Test Calais", "Test Boulogne", "Test Arras"]);
    // Distance from three known communes: the place typed does not filter, it orders.
    for (lieu, expected, first_label) in [
        ("62200", ["Boulogne", "Calais", "Arras"], "à moins d'1 km"),
        ("Calais", ["Calais", "Boulogne", "Arras"], "à moins d'1 km"),
        ("arras", ["Arras", "Boulogne", "Calais"], "à moins d'1 km"),
    ] {
        let (page, names) = rows(&w, &format!("tri=distance&lieu={lieu}")).await;
        let expected: Vec<String> = expected.iter().map(|n| format!("Test {n}")).collect();
        assert_eq!(names, expected, "{lieu}");
        let first = page["data"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["nom"] == expected[0].as_str())
            .unwrap();
        assert_eq!(first["distance"], first_label, "{lieu}");
        assert!(page["data"]["origine"].is_string(), "{lieu}: {page}");
    }
    let (page, _) = rows(&w, "tri=distance&lieu=62200").await;
    let labels: Vec<&str> = page["data"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["distance"].as_str())
        .collect();
    assert!(labels.contains(&"à 31 km"), "Boulogne–Calais: {labels:?}");
    assert!(page["data"]["base"]
        .as_str()
        .unwrap()
        .contains("tri=distance"));
    // "Nom": word beginnings, accents and case ignored.
    let (_, named) = rows(&w, "nom=TEST+boul").await;
    assert_eq!(named, ["Test Boulogne"]);
    // "Places disponibles uniquement": Boulogne (0) leaves.
    let (_, available) = rows(&w, "disponibles=oui&tri=nom").await;
    assert_eq!(available, ["Test Arras", "Test Calais"]);
    // Bad values: the defaults, no error page.
    let (page, fallback) = rows(&w, "tri=%3Cscript%3E&disponibles=peut-etre").await;
    assert_eq!(fallback, by_default);
    assert_eq!(page["data"]["query"]["tri"], "");
    assert_eq!(page["data"]["query"]["disponibles"], "");
    let (page, _) = rows(&w, &format!("nom={}", "x".repeat(5_000))).await;
    assert_eq!(page["data"]["query"]["nom"].as_str().unwrap().len(), 100);
}

/// A file as the browser downloads it: (status, body as text).
async fn download(app: &crate::server::Router, cookie: &str, path: &str) -> (StatusCode, Vec<u8>) {
    use tower::ServiceExt;
    let response = app
        .clone()
        .oneshot(
            axum::http::Request::get(path)
                .header(axum::http::header::COOKIE, cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, bytes.to_vec())
}

#[tokio::test]
async fn the_export_is_the_filtered_list_of_the_tribunal_only() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    // A name a spreadsheet would run as a formula.
    user(
        &w.state,
        "prepose.formule",
        "=HYPERLINK(\"x\")",
        Role::Prepose,
        AccountStatus::Actif,
    );
    let (status, csv) = download(&w.app, &w.m, "/magistrat/export/mandataires.csv?tri=nom").await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(csv).unwrap();
    assert!(text.starts_with("\u{feff}Type;Nom;Commune;Disponibilité;En cours;Souhaitées;En attente;Mise à jour;Activité suspendue;Distance;Latitude;Longitude\r\n"), "{text}");
    assert!(text.contains("Alpha-Propre"), "{text}");
    assert!(
        !text.contains("Bravo-Etranger"),
        "another tribunal's mandataire: {text}"
    );
    assert!(!text.contains("Charlie-Inactif"), "an inactive one: {text}");
    assert!(text.contains("Test =HYPERLINK"), "{text}");
    assert!(!text.contains(";=HYPERLINK"), "{text}");
    // The filters apply: the name search leaves one line under the header.
    let (_, filtered) = download(&w.app, &w.m, "/magistrat/export/mandataires.csv?nom=alpha").await;
    assert_eq!(
        String::from_utf8(filtered)
            .unwrap()
            .trim_end()
            .lines()
            .count(),
        2
    );
    let (status, xlsx) = download(&w.app, &w.m, "/magistrat/export/mandataires.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert!(xlsx.starts_with(b"PK"));
    // The other tribunal's magistrat gets his own list; a mandataire, 403; anonymous, the login page.
    let (_, other) = download(&w.app, &w.m2, "/magistrat/export/mandataires.csv").await;
    let other = String::from_utf8(other).unwrap();
    assert!(
        other.contains("Bravo-Etranger") && !other.contains("Alpha-Propre"),
        "{other}"
    );
    let (status, _) = download(&w.app, &w.a.1, "/magistrat/export/mandataires.csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = download(&w.app, "", "/magistrat/export/mandataires.csv").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = download(&w.app, &w.m, "/magistrat/export/autre.exe").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn choosing_a_commune_on_the_map_lists_who_works_there_by_count() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    // A holds one mesure en cours in Calais (62193); B (another tribunal) one too; none in Arras.
    let carte = |commune: &str| {
        let app = w.app.clone();
        let cookie = w.m.clone();
        let body = format!("commune={commune}");
        async move {
            let (status, body) =
                send(&app, &Method::POST, "/api/magistrat/carte", &cookie, &body).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            serde_json::from_str::<serde_json::Value>(&body).unwrap()
        }
    };
    let page = carte("62193").await;
    let chosen = &page["data"]["commune_choisie"];
    assert_eq!(chosen["commune"], "Calais");
    let holders = chosen["mandataires"].as_array().unwrap();
    assert_eq!(holders.len(), 1, "{chosen}");
    assert_eq!(holders[0][0], w.a.0);
    assert_eq!(holders[0][2], 1);
    assert!(!page.to_string().contains("Bravo-Etranger"));
    assert!(!page.to_string().contains("DOSSIER-A"), "counts only");
    let page = carte("62041").await;
    assert_eq!(
        page["data"]["commune_choisie"]["mandataires"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // An unknown code: no list, no error.
    let page = carte("x'<").await;
    assert!(page["data"]["commune_choisie"].is_null());
    // The per-commune table links to it.
    let page = carte("").await;
    assert_eq!(page["data"]["communes"][0]["insee"], "62193");
}

#[tokio::test]
async fn the_map_pages_its_tables_and_serves_its_markers_to_its_tribunal_only() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    // 55 more préposés of tribunal 1: the map's "Mandataires" table shows 50, then the rest on page 2.
    for n in 0..55 {
        user(
            &w.state,
            &format!("prepose.carte{n}"),
            &format!("Carte{n:02}"),
            Role::Prepose,
            AccountStatus::Actif,
        );
    }
    let carte = |query: &'static str| {
        let app = w.app.clone();
        let cookie = w.m.clone();
        async move { send(&app, &Method::POST, "/api/magistrat/carte", &cookie, query).await }
    };
    let (status, body) = carte("").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let first: serde_json::Value = serde_json::from_str(&body).unwrap();
    let data = &first["data"];
    let total = data["mandataires"]["total"].as_u64().unwrap();
    assert!(total >= 56, "{data}");
    assert_eq!(data["mandataires"]["rows"].as_array().unwrap().len(), 50);
    assert_eq!(data["mandataires"]["has_next"], true);
    assert_eq!(data["communes"][0]["insee"], "62193");
    assert_eq!(data["communes_total"], 1);
    let couches = data["couches"].as_str().unwrap().to_owned();
    assert!(
        couches.starts_with("/magistrat/carte/couches?"),
        "{couches}"
    );
    let (_, body) = carte("page=2").await;
    let second: serde_json::Value = serde_json::from_str(&body).unwrap();
    let rows = second["data"]["mandataires"]["rows"].as_array().unwrap();
    assert_eq!(rows.len() as u64, total - 50);
    assert_eq!(second["data"]["mandataires"]["has_next"], false);
    // A page past the end is "Page introuvable", as on the list.
    assert_eq!(carte("page_communes=9").await.0, StatusCode::NOT_FOUND);

    // The markers: every listed mandataire (not only the page's) and the commune, with the link's start.
    let (status, json) = download(&w.app, &w.m, &couches).await;
    assert_eq!(status, StatusCode::OK);
    let layers: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let text = layers.to_string();
    assert_eq!(layers[0]["type"], "mandataires");
    assert!(
        text.contains("Alpha-Propre") && text.contains("Test Carte54"),
        "{text}"
    );
    assert!(
        !text.contains("Bravo-Etranger") && !text.contains("Charlie-Inactif"),
        "{text}"
    );
    assert_eq!(layers[1]["type"], "communes");
    assert_eq!(layers[1]["marqueurs"][0][4], "62193");
    assert!(layers[1]["lien"]
        .as_str()
        .unwrap()
        .starts_with("/magistrat/carte?"));
    // The controls apply; bad ones fall back to the defaults.
    let (_, json) = download(&w.app, &w.m, "/magistrat/carte/couches?nom=alpha").await;
    let text = String::from_utf8(json).unwrap();
    assert!(
        text.contains("Alpha-Propre") && !text.contains("Test Carte54"),
        "{text}"
    );
    let (status, _) = download(&w.app, &w.m, "/magistrat/carte/couches?page=x&tri=%00").await;
    assert_eq!(status, StatusCode::OK);
    // The other tribunal's magistrat gets his own; a mandataire 403; anonymous, the login page.
    let (_, other) = download(&w.app, &w.m2, "/magistrat/carte/couches").await;
    let other = String::from_utf8(other).unwrap();
    assert!(
        other.contains("Bravo-Etranger") && !other.contains("Alpha-Propre"),
        "{other}"
    );
    let (status, _) = download(&w.app, &w.a.1, "/magistrat/carte/couches").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = download(&w.app, "", "/magistrat/carte/couches").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
