//! The command channel (issue 15) against a running server's state: the commands hand their work over and
//! print the same report; a planted file, a socket open to others and another user's process are refused.

use std::os::unix::fs::PermissionsExt;

use redb::ReadableDatabase;

use crate::server::commands;
use crate::server::config::{BackupArgs, CreateAdminArgs, DataDirArg, ImportArgs};
use crate::server::{channel, test_kit};

fn data(dir: &std::path::Path) -> DataDirArg {
    DataDirArg {
        path: dir.to_owned(),
    }
}

fn admin_args(dir: &std::path::Path) -> CreateAdminArgs {
    CreateAdminArgs {
        identifiant: "admin.canal".into(),
        email: "admin.canal@exemple.fr".into(),
        nom: "Martin".into(),
        prenom: "Claire".into(),
        reinitialiser_2fa: false,
        data: data(dir),
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("end2end/fixtures")
        .join(name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_hand_their_work_to_the_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    channel::listen(state.clone()).unwrap();
    let socket = channel::path(dir.path());
    assert_eq!(
        std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let path = dir.path().to_owned();
    // create-admin: the server creates the account, which logs in at once.
    let message = tokio::task::spawn_blocking(move || {
        std::env::set_var("EMJPM_ADMIN_PASSWORD", "Tribunal-62100");
        commands::create_admin(&admin_args(&path))
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        message,
        "Administrateur « admin.canal » créé (1 administrateur actif au total)."
    );
    let app = crate::server::router(state.clone());
    let (status, headers, _) = test_kit::send(
        &app,
        axum::http::Method::POST,
        "/api/connexion",
        None,
        Some("identifiant=admin.canal&mot_de_passe=Tribunal-62100&retour="),
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(headers
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().contains("emjpm_session=")));
    // An import: the same report as alone, and the live autocomplete knows the new tribunaux.
    let path = dir.path().to_owned();
    let (report, imported) = tokio::task::spawn_blocking(move || {
        commands::import_tribunaux(&ImportArgs {
            file: fixture("tribunaux.csv"),
            data: data(&path),
        })
    })
    .await
    .unwrap()
    .unwrap();
    assert!(imported);
    assert!(
        report.starts_with("3 créés, 0 mis à jour, 0 inchangés"),
        "{report}"
    );
    assert!(!state.tribunaux.get().suggest_json("calais").contains("[]"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_through_the_channel_holds_every_write_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    channel::listen(state.clone()).unwrap();
    let owner = test_kit::account(
        &state,
        test_kit::new_user("prepose", crate::rules::account::Role::Prepose),
    );
    {
        let write = state.db.begin_write().unwrap();
        crate::db::profiles::put_mandataire(&write, owner, &test_kit::mandataire_profile())
            .unwrap();
        write.commit().unwrap();
    }
    // Writers commit mesures all along; each acknowledged creation is counted.
    let acknowledged = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, acknowledged, stop) = (state.db.clone(), acknowledged.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let write = db.begin_write().unwrap();
                crate::db::mesures::insert(
                    &write,
                    test_kit::mesure(owner),
                    crate::db::mesures::Author::Owner,
                )
                .unwrap();
                write.commit().unwrap();
                acknowledged.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    let before = acknowledged.load(std::sync::atomic::Ordering::SeqCst);
    let target = dir.path().join("copie.redb");
    let args = BackupArgs {
        file: target.clone(),
        force: false,
        data: data(dir.path()),
    };
    let report = tokio::task::spawn_blocking(move || commands::backup(&args))
        .await
        .unwrap()
        .unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    assert!(report.starts_with("Sauvegarde écrite :"), "{report}");
    assert!(before > 0);
    // Restored into an empty folder: every creation acknowledged before the backup began, consistent.
    let restored = tempfile::tempdir().unwrap();
    let restore = crate::server::config::RestoreArgs {
        file: target,
        data: data(restored.path()),
    };
    let message = commands::restore(&restore).unwrap();
    assert!(message.starts_with("Sauvegarde restaurée :"), "{message}");
    let copy = crate::db::open(restored.path()).unwrap();
    let read = copy.begin_read().unwrap();
    let held = crate::db::mesures::count_of_owner_read(
        &read,
        owner,
        crate::rules::mesure::Status::EnCours,
    )
    .unwrap();
    assert!(u64::from(held) >= before, "{held} < {before}");
    assert!(crate::db::check::check(&read).unwrap().is_consistent());
    // The restored copy serves.
    drop(read);
    drop(copy);
    let served = test_kit::state(restored.path());
    let (status, _, _) = test_kit::send(
        &crate::server::router(served),
        axum::http::Method::GET,
        "/sante",
        None,
        None,
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::OK);
}

#[test]
fn a_planted_file_or_an_open_socket_is_refused_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let _live = crate::db::open(dir.path()).unwrap();
    let socket = channel::path(dir.path());
    // A plain file where the socket should be.
    std::fs::write(&socket, b"").unwrap();
    std::env::set_var("EMJPM_ADMIN_PASSWORD", "Tribunal-62100");
    let refused = commands::create_admin(&admin_args(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("n'est pas sûr"), "{refused}");
    std::fs::remove_file(&socket).unwrap();
    // A socket of another user (an impostor listening there): refused before connecting. (One of this
    // user's left open to others is closed again by the command itself: the data directory's files are
    // made owner-only before anything else.)
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(&socket, Some(65534), Some(65534)).unwrap();
        let refused = commands::create_admin(&admin_args(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(refused.contains("n'est pas sûr"), "{refused}");
    } else {
        eprintln!("ignoré : il faut être root pour donner le fichier à un autre utilisateur");
    }
    listener.set_nonblocking(true).unwrap();
    assert!(listener.accept().is_err(), "nothing ever connected to it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_user_s_process_cannot_drive_the_server() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("ignoré : il faut être root pour lancer un processus d'un autre utilisateur");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    channel::listen(state.clone()).unwrap();
    let socket = channel::path(dir.path());
    // Opened to everyone on purpose: the peer check alone must refuse.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    let request = r#"{"commande":"create-admin","identifiant":"intrus","email":"intrus@exemple.fr","nom":"X","prenom":"","mot_de_passe":"Tribunal-62100"}"#;
    let script = format!(
        "import socket\ns=socket.socket(socket.AF_UNIX)\ns.connect({:?})\ns.settimeout(5)\ntry:\n  s.sendall({:?}.encode()+b'\\n')\n  print(repr(s.recv(200)))\nexcept OSError:\n  print(repr(b''))",
        socket.to_str().unwrap(),
        request
    );
    let output = tokio::task::spawn_blocking(move || {
        use std::os::unix::process::CommandExt;
        std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .uid(65534)
            .gid(65534)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(said.trim(), "b''", "the server closed without answering");
    let read = state.db.begin_read().unwrap();
    assert!(crate::db::users::find_by_login(&read, "intrus")
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn the_backup_tab_downloads_a_copy_after_the_password_and_audits_it() {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use tower::ServiceExt;
    let dir = tempfile::tempdir().unwrap();
    let state = test_kit::state(dir.path());
    let app = crate::server::router(state.clone());
    let admin = test_kit::account(
        &state,
        crate::db::users::NewUser {
            password_hash: crate::server::auth::password::hash("Tribunal-62100").unwrap(),
            ..test_kit::new_user("admin.test", crate::rules::account::Role::Admin)
        },
    );
    let cookie = test_kit::sign_in(&state, admin);
    let post = |cookie: Option<String>, body: &'static str| {
        let mut request = Request::post("/admin/sauvegarde/telecharger")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        app.clone().oneshot(request.body(Body::from(body)).unwrap())
    };
    // A wrong password: back to the tab with its message; nothing written.
    let answer = post(Some(cookie.clone()), "mot_de_passe=faux")
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()[header::LOCATION], "/admin/sauvegarde");
    // The right one: the file, a redb database that opens as a data directory's.
    let answer = post(Some(cookie.clone()), "mot_de_passe=Tribunal-62100")
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"emjpm-sauvegarde-"));
    let bytes = axum::body::to_bytes(answer.into_body(), usize::MAX)
        .await
        .unwrap();
    let restored = tempfile::tempdir().unwrap();
    std::fs::write(restored.path().join(crate::db::DATABASE_FILE), &bytes).unwrap();
    let copy = crate::db::open(restored.path()).unwrap();
    assert!(
        crate::db::users::find_by_login(&copy.begin_read().unwrap(), "admin.test")
            .unwrap()
            .is_some()
    );
    let read = state.db.begin_read().unwrap();
    let audited: Vec<_> = crate::db::audit::newest_first(&read)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "Téléchargement d'une sauvegarde")
        .collect();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor, Some(admin));
    assert!(audited[0].result.starts_with("Succès ("));
    drop(read);
    assert!(
        std::fs::read_dir(dir.path().join("sauvegardes"))
            .unwrap()
            .next()
            .is_none(),
        "no file left behind"
    );
    // Other roles and anonymous visitors never get it.
    let prepose = test_kit::account(
        &state,
        test_kit::new_user("prepose", crate::rules::account::Role::Prepose),
    );
    let answer = post(Some(test_kit::sign_in(&state, prepose)), "mot_de_passe=x")
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let answer = post(None, "mot_de_passe=x").await.unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert!(answer.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/connexion"));
    // The tab itself lists the automatic backups, for admins only.
    crate::server::jobs::run_now(&state, crate::server::jobs::Job::NightlyBackup).unwrap();
    let (status, _, page) = test_kit::send(
        &app,
        axum::http::Method::GET,
        "/admin/sauvegarde",
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Télécharger une sauvegarde"), "{page}");
    assert!(
        page.contains(&format!("emjpm-{}.redb", crate::server::time::today_iso())),
        "{page}"
    );
    assert!(
        page.contains("Dernière sauvegarde automatique réussie"),
        "{page}"
    );
}

#[test]
fn a_corrupted_or_foreign_file_is_never_restored_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    drop(test_kit::state(dir.path()));
    let counts = || {
        let db = crate::db::open(dir.path()).unwrap();
        let report = crate::db::check::check(&db.begin_read().unwrap()).unwrap();
        (
            report.to_string(),
            crate::db::schema::stored_version(&db).unwrap(),
        )
    };
    let before = counts();
    let restore = |file: std::path::PathBuf| {
        commands::restore(&crate::server::config::RestoreArgs {
            file,
            data: data(dir.path()),
        })
        .unwrap_err()
        .to_string()
    };
    // Not a database at all.
    let junk = dir.path().join("junk.redb");
    std::fs::write(&junk, vec![0x5a_u8; 100_000]).unwrap();
    assert!(restore(junk).contains("n'est pas une base e-MJPM lisible"));
    // A redb database of something else: no schema version.
    let foreign = dir.path().join("foreign.redb");
    {
        let db = redb::Database::create(&foreign).unwrap();
        let write = db.begin_write().unwrap();
        write
            .open_table(redb::TableDefinition::<&str, u64>::new("autre"))
            .unwrap()
            .insert("x", 1)
            .unwrap();
        write.commit().unwrap();
    }
    assert!(restore(foreign).contains("aucune version de schéma"));
    // A copy of e-MJPM whose counters are wrong.
    let broken_dir = tempfile::tempdir().unwrap();
    {
        let state = test_kit::state(broken_dir.path());
        let owner = test_kit::account(
            &state,
            test_kit::new_user("prepose", crate::rules::account::Role::Prepose),
        );
        let write = state.db.begin_write().unwrap();
        let mut profile = test_kit::mandataire_profile();
        profile.mesures_en_cours = 7;
        crate::db::profiles::put_mandataire(&write, owner, &profile).unwrap();
        write.commit().unwrap();
    }
    let refused = restore(broken_dir.path().join(crate::db::DATABASE_FILE));
    assert!(
        refused.contains("ne passe pas la vérification"),
        "{refused}"
    );
    // Nothing changed: the same database, nothing set aside, no temporary file.
    assert_eq!(counts(), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("avant-restauration") || n.contains("restauration-en-cours")),
        "{names:?}"
    );
}
