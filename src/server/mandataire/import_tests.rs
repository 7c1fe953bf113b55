//! The import of mesures (SPEC §5.8, issue 17) through the real router: "Vérifier le fichier" (multipart),
//! the page's preview, "Importer" in one transaction; every refused file imports nothing; an export
//! imported back gives the same mesures.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, StatusCode};
use redb::ReadableDatabase;

use super::tests::{counters, magistrat, mandataire, post, NEW_MESURE};
use crate::db::mesures::{self, Mesure};
use crate::db::{audit, profiles};
use crate::rules::import as rules;
use crate::rules::mesure::{Origin, Status};
use crate::server::mandataire::import::check;
use crate::server::test_kit::{self, state};
use crate::server::*;

const SIRET: &str = "11000000000001";

/// A tribunal "Tribunal judiciaire de Boulogne-sur-Mer" declared by the mandataire `owner`; its id.
fn declare_tribunal(state: &AppState, owner: u64) -> u64 {
    let id = test_kit::tribunal(
        state,
        "Tribunal judiciaire de Boulogne-sur-Mer",
        Some(SIRET),
    );
    let write = state.db.begin_write().unwrap();
    let mut profile = profiles::mandataire_in(&write, owner).unwrap().unwrap();
    profile.tribunaux = vec![id];
    profiles::put_mandataire(&write, owner, &profile).unwrap();
    write.commit().unwrap();
    id
}

/// "Vérifier le fichier": the multipart post; returns the status and the headers (flash cookie).
pub(super) async fn upload(
    app: &Router,
    cookie: &str,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, HeaderMap) {
    let mut body = format!(
        "--X\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--X--\r\n");
    let (status, headers, _) = test_kit::request(
        app,
        Method::POST,
        "/mandataire/import/verifier",
        &[
            ("cookie", cookie),
            ("content-type", "multipart/form-data; boundary=X"),
            ("accept", "text/html"),
        ],
        Body::from(body),
    )
    .await;
    (status, headers)
}

/// The "Importer" page's data as the browser gets it after the redirect (with its flash, if any).
async fn import_page(app: &Router, cookie: &str, headers: &HeaderMap) -> String {
    let flash = headers
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned());
    let cookie = match flash {
        Some(flash) => format!("{cookie}; {flash}"),
        None => cookie.to_owned(),
    };
    post(app, "/api/mandataire/import", &cookie, "").await.1
}

fn jeton_of(page: &str) -> String {
    let start = page.find("\"jeton\":\"").expect(page) + 9;
    page[start..].split('"').next().unwrap().to_owned()
}

fn all_mesures(state: &AppState, owner: u64) -> Vec<Mesure> {
    let read = state.db.begin_read().unwrap();
    [Status::EnCours, Status::Eteinte]
        .into_iter()
        .flat_map(|s| mesures::of_owner(&read, owner, s).unwrap())
        .collect()
}

/// A file in Windows-1252 with commas, headers spelt three ways, values with and without accents.
fn three_rows() -> Vec<u8> {
    let text = "Date de décision,TYPE,champ,CP,Ville,Civilité,Année,Résidence,N° dossier,Numéro RG,Tribunal\r\n\
        05/03/2024,Curatelle renforcée aux biens et à la personne,,62100,Calais,Mme,1957,à domicile,D-1,24/00123,11000000000001\r\n\
        2023-11-20,tutelle,,62200,BOULOGNE SUR MER,Homme,1948,sdf,D-2,,tribunal judiciaire de boulogne sur mer\r\n\
        \r\n\
        01/02/2022,MAJ,,1000,Bourg-en-Bresse,F,1990,Domicile,D-3,,\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    bytes.into_owned()
}

#[tokio::test]
async fn a_checked_file_is_previewed_then_imported_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie) = mandataire(&state, "prepose.a");
    let tribunal = declare_tribunal(&state, a);
    let app = router(state.clone());
    // D-2 exists already: its row is skipped and listed.
    let existing = NEW_MESURE.replace("numero_dossier=", "numero_dossier=D-2");
    post(
        &app,
        "/api/mandataire/mesure/enregistrer",
        &cookie,
        &existing,
    )
    .await;
    assert_eq!(counters(&state, a), (1, 1, 0, 0));
    let (status, headers) = upload(&app, &cookie, "mesures.csv", &three_rows()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/mandataire/import");
    let page = import_page(&app, &cookie, &headers).await;
    assert!(
        page.contains("2 mesures prêtes à être importées."),
        "{page}"
    );
    assert!(
        page.contains("Lignes non importées (numéro de dossier déjà existant) : 3."),
        "{page}"
    );
    assert!(
        page.contains("Bourg-en-Bresse"),
        "the leading zero restored: {page}"
    );
    // Nothing is written before "Importer"; a wrong token imports nothing.
    assert_eq!(counters(&state, a), (1, 1, 0, 0));
    let (_, refused) = post(
        &app,
        "/api/mandataire/import/importer",
        &cookie,
        "jeton=autre",
    )
    .await;
    assert!(refused.contains(rules::IMPORT_EXPIRED), "{refused}");
    assert_eq!(counters(&state, a), (1, 1, 0, 0));
    // The wrong token did not spend the right one.
    let jeton = jeton_of(&import_page(&app, &cookie, &HeaderMap::new()).await);
    let (_, answer) = post(
        &app,
        "/api/mandataire/import/importer",
        &cookie,
        &format!("jeton={jeton}"),
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    assert_eq!(counters(&state, a), (3, 3, 0, 0));
    let imported: Vec<Mesure> = all_mesures(&state, a)
        .into_iter()
        .filter(|m| m.origin == Origin::Import)
        .collect();
    assert_eq!(imported.len(), 2);
    let first = imported
        .iter()
        .find(|m| m.numero_dossier.as_deref() == Some("D-1"))
        .unwrap();
    assert_eq!(first.numero_rg.as_deref(), Some("24/00123"));
    assert_eq!(first.tribunal_id, Some(tribunal), "by its SIRET");
    assert_eq!(
        first.champ,
        Some(crate::rules::mesure::Champ::ProtectionBienPersonne)
    );
    assert_eq!(first.genre, crate::rules::profile::Genre::F);
    let third = imported
        .iter()
        .find(|m| m.numero_dossier.as_deref() == Some("D-3"))
        .unwrap();
    assert_eq!(third.code_postal.as_deref(), Some("01000"));
    assert_eq!(third.date_decision.as_deref(), Some("2022-02-01"));
    // Audited with the counts; the token is spent.
    let read = state.db.begin_read().unwrap();
    let entries = audit::newest_first(&read).unwrap();
    assert!(
        entries.iter().any(|e| e.action == "Import de mesures"
            && e.object.starts_with("2 importée(s), 1 ignorée(s)")),
        "{entries:?}"
    );
    drop(read);
    let (_, again) = post(
        &app,
        "/api/mandataire/import/importer",
        &cookie,
        &format!("jeton={jeton}"),
    )
    .await;
    assert!(again.contains(rules::IMPORT_EXPIRED), "{again}");
    assert_eq!(counters(&state, a), (3, 3, 0, 0));
    // The same file again: every row skipped, nothing to import.
    let (_, headers) = upload(&app, &cookie, "mesures.csv", &three_rows()).await;
    let page = import_page(&app, &cookie, &headers).await;
    assert!(
        page.contains("Aucune mesure à importer. Lignes non importées (numéro de dossier déjà existant) : 2, 3, 5."),
        "{page}"
    );
}

#[tokio::test]
async fn a_file_with_errors_imports_nothing_and_tells_each_line() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie) = mandataire(&state, "prepose.a");
    declare_tribunal(&state, a);
    let app = router(state.clone());
    let mut text = String::from("date_decision;type;code_postal;commune;genre;annee_naissance;lieu_de_vie;numero_dossier;numero_rg;tribunal\n");
    text.push_str("05/03/2024;Tutelle des chats;62100;Calais;X;1957;domicile;;;\n");
    text.push_str("05/03/2024;Tutelle;62100;Lille;F;1957;chez sa fille;;;Tribunal de Paris\n");
    text.push_str("05/03/2024;Tutelle;62100;Calais;F;1957;domicile;;26/1;\n");
    text.push_str("05/03/2024;Tutelle;62100;Calais;F;1957;domicile;;26/1;\n");
    text.push_str("05/03/2024;Tutelle;62100;Calais;F;1957;etablissement;;;\n");
    // Good rows up to line 9,998, then a bad date on line 9,999.
    for _ in 7..=9_998 {
        text.push_str("05/03/2024;Tutelle;62100;Calais;F;1957;domicile;;;\n");
    }
    text.push_str("31/02/2024;Tutelle;62100;Calais;F;1957;domicile;;;\n");
    let (status, headers) = upload(&app, &cookie, "erreurs.csv", text.as_bytes()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = import_page(&app, &cookie, &headers).await;
    for expected in [
        rules::FILE_ERRORS,
        "8 erreurs à corriger.",
        "Ligne 2 : Type de mesure inconnu : écrivez par exemple « Tutelle » ou « Curatelle renforcée » (« Tutelle des chats »)",
        "Ligne 2 : Genre inconnu : « Femme » ou « Homme » (F ou H) (« X »)",
        "Ligne 3 : Lieu de vie inconnu",
        "(« Tribunal de Paris »)",
        "Ligne 5 : Ce numéro RG figure déjà à la ligne 4 pour le même tribunal (« 26/1 »)",
        "Ligne 6 : Choisissez l'établissement dans lequel vit le majeur",
        "Ligne 9999 : Saisissez une date valide au format jj/mm/aaaa (« 31/02/2024 »)",
    ] {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    assert!(
        page.contains("Lille"),
        "the commune refused with its value: {page}"
    );
    assert!(!page.contains("\"apercu\":{"), "no preview: {page}");
    assert_eq!(counters(&state, a), (0, 0, 0, 0));
}

/// A ZIP archive holding one entry of `size` zeros.
fn zip_bomb(size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    out.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    out.write_all(&vec![0u8; size]).unwrap();
    out.finish().unwrap().into_inner()
}

#[tokio::test]
async fn every_refused_file_is_told_in_french_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie) = mandataire(&state, "prepose.a");
    let app = router(state.clone());
    let header = "date_decision;type;code_postal;commune;genre;annee_naissance;lieu_de_vie\n";
    let row = "05/03/2024;Tutelle;62100;Calais;F;1957;domicile\n";
    let mut too_many = String::from(header);
    for _ in 0..10_001 {
        too_many.push_str(row);
    }
    let mut six_mb = String::from(header);
    while six_mb.len() < 6 * 1024 * 1024 {
        six_mb.push_str(row);
    }
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        ("vide.csv", Vec::new(), rules::FILE_MISSING.to_owned()),
        (
            "vide.csv",
            b"\r\n \r\n".to_vec(),
            rules::FILE_EMPTY.to_owned(),
        ),
        (
            "programme.xlsx",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec(),
            rules::FILE_UNREADABLE.to_owned(),
        ),
        (
            "bombe.xlsx",
            zip_bomb(200 * 1024 * 1024),
            rules::FILE_UNREADABLE.to_owned(),
        ),
        (
            "lignes.csv",
            too_many.into_bytes(),
            rules::FILE_TOO_MANY_ROWS.to_owned(),
        ),
        (
            "gros.csv",
            six_mb.into_bytes(),
            rules::FILE_TOO_LARGE.to_owned(),
        ),
        (
            "colonnes.csv",
            format!("{};prenom\n{row}", header.trim_end()).into_bytes(),
            format!("Ligne 1 : {} (« prenom »)", check::COLUMN_UNKNOWN),
        ),
        (
            "manque.csv",
            b"type;commune\nTutelle;Calais\n".to_vec(),
            format!("Ligne 1 : {} (« Date décision »)", check::COLUMN_MISSING),
        ),
        (
            "entete.csv",
            header.as_bytes().to_vec(),
            rules::FILE_NO_ROWS.to_owned(),
        ),
    ];
    for (name, bytes, message) in cases {
        let (status, headers) = if name == "vide.csv" && bytes.is_empty() {
            // No file chosen: the browser sends an empty part without a name.
            upload(&app, &cookie, "", &bytes).await
        } else {
            upload(&app, &cookie, name, &bytes).await
        };
        assert_eq!(status, StatusCode::SEE_OTHER, "{name}");
        let page = import_page(&app, &cookie, &headers).await;
        assert!(
            page.contains(&message),
            "{name}: {message}: {}",
            &page[..page.len().min(2000)]
        );
        assert!(!page.contains("\"apercu\":{"), "{name}");
        assert!(state.pending_imports.preview(a).is_none(), "{name}");
    }
    assert_eq!(counters(&state, a), (0, 0, 0, 0));
}

#[tokio::test]
async fn only_a_mandataire_imports_and_only_into_their_own_mesures() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie_a) = mandataire(&state, "prepose.a");
    let (b, cookie_b) = mandataire(&state, "prepose.b");
    let judge = magistrat(&state, 1);
    let app = router(state.clone());
    let file = b"date_decision;type;code_postal;commune;genre;annee_naissance;lieu_de_vie\n05/03/2024;Tutelle;62100;Calais;F;1957;domicile\n";
    let (status, headers) = upload(&app, &judge, "m.csv", file).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get(header::SET_COOKIE).is_none());
    let (status, headers) = upload(&app, "", "m.csv", file).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/connexion"));
    for path in [
        "/mandataire/import/modele.csv",
        "/mandataire/import/modele.xlsx",
    ] {
        let (status, _, _) = test_kit::send(&app, Method::GET, path, Some(&judge), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        let (status, headers, body) =
            test_kit::send(&app, Method::GET, path, Some(&cookie_a), None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment"));
        assert!(!body.is_empty());
    }
    let (_, _, missing) = test_kit::send(
        &app,
        Method::GET,
        "/mandataire/import/autre.exe",
        Some(&cookie_a),
        None,
    )
    .await;
    assert!(missing.contains("Page introuvable"));
    // A checks a file; B cannot import it with A's token, nor see it.
    upload(&app, &cookie_a, "m.csv", file).await;
    let jeton = jeton_of(&import_page(&app, &cookie_a, &HeaderMap::new()).await);
    let page_b = import_page(&app, &cookie_b, &HeaderMap::new()).await;
    assert!(page_b.contains("\"apercu\":null"), "{page_b}");
    let (_, answer) = post(
        &app,
        "/api/mandataire/import/importer",
        &cookie_b,
        &format!("jeton={jeton}"),
    )
    .await;
    assert!(answer.contains(rules::IMPORT_EXPIRED));
    assert_eq!(counters(&state, b), (0, 0, 0, 0));
    // "Abandonner" forgets it.
    let (_, answer) = post(&app, "/api/mandataire/import/abandonner", &cookie_a, "").await;
    assert_eq!(answer, "\"Done\"");
    let (_, answer) = post(
        &app,
        "/api/mandataire/import/importer",
        &cookie_a,
        &format!("jeton={jeton}"),
    )
    .await;
    assert!(answer.contains(rules::IMPORT_EXPIRED));
    assert_eq!(counters(&state, a), (0, 0, 0, 0));
}

/// What an export must carry over: everything but the identity and the history.
fn comparable(mut m: Mesure) -> Mesure {
    m.id = 0;
    m.owner = 0;
    m.origin = Origin::Saisie;
    m.created_at = 0;
    m
}

#[tokio::test]
async fn an_export_imported_back_gives_the_same_mesures() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path());
    let (a, cookie_a) = mandataire(&state, "prepose.a");
    let (b, cookie_b) = mandataire(&state, "prepose.b");
    let tribunal = declare_tribunal(&state, a);
    declare_tribunal(&state, b);
    let app = router(state.clone());
    for (dossier, rg, extra) in [
        ("=1+1", "26/00417", "&champ=protection_bien"),
        ("D-2", "", "&champ="),
        ("-moins", "RG-7", "&lieu_de_vie=sdf"),
    ] {
        let body = NEW_MESURE
            .replace("&champ=protection_bien_personne", extra)
            .replace(
                "numero_dossier=",
                &format!("numero_dossier={}", urlencode(dossier)),
            )
            .replace("numero_rg=", &format!("numero_rg={}", urlencode(rg)))
            .replace("tribunal=", &format!("tribunal={tribunal}"));
        let body = if extra.contains("lieu_de_vie") {
            body.replace("&lieu_de_vie=domicile", "")
        } else {
            body
        };
        let (_, answer) = post(&app, "/api/mandataire/mesure/enregistrer", &cookie_a, &body).await;
        assert_eq!(answer, "\"Done\"", "{body}");
    }
    // One of them ends: the éteintes' export carries its end.
    let ending = all_mesures(&state, a)
        .into_iter()
        .find(|m| m.numero_dossier.as_deref() == Some("D-2"))
        .unwrap();
    let (_, answer) = post(
        &app,
        "/api/mandataire/mesure/eteindre",
        &cookie_a,
        &format!(
            "id={}&date_fin=01%2F06%2F2024&cause_sortie=deces",
            ending.id
        ),
    )
    .await;
    assert_eq!(answer, "\"Done\"");
    let mut expected: Vec<Mesure> = all_mesures(&state, a).into_iter().map(comparable).collect();
    expected.sort_by_key(|m| m.numero_dossier.clone());
    for format in ["csv", "xlsx"] {
        for list in ["en-cours", "eteintes"] {
            let exported = download(
                &app,
                &cookie_a,
                &format!("/mandataire/export/{list}.{format}"),
            )
            .await;
            let (status, headers) =
                upload(&app, &cookie_b, &format!("{list}.{format}"), &exported).await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            let page = import_page(&app, &cookie_b, &headers).await;
            let jeton = jeton_of(&page);
            let (_, answer) = post(
                &app,
                "/api/mandataire/import/importer",
                &cookie_b,
                &format!("jeton={jeton}"),
            )
            .await;
            assert_eq!(answer, "\"Done\"", "{page}");
        }
        let mut got: Vec<Mesure> = all_mesures(&state, b).into_iter().map(comparable).collect();
        got.sort_by_key(|m| m.numero_dossier.clone());
        assert_eq!(got, expected, "{format}");
        assert_eq!(counters(&state, b), (2, 2, 0, 1));
        // Emptied for the next format.
        let write = state.db.begin_write().unwrap();
        for m in all_mesures(&state, b) {
            mesures::delete(&write, &m, mesures::Author::Owner).unwrap();
        }
        write.commit().unwrap();
    }
}

/// A file as the browser downloads it.
async fn download(app: &Router, cookie: &str, path: &str) -> Vec<u8> {
    use tower::ServiceExt;
    let response = app
        .clone()
        .oneshot(
            axum::http::Request::get(path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
