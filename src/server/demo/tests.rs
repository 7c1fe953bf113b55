//! `emjpm demo` on a real database: what it creates, its refusals, and running it twice.

use std::path::{Path, PathBuf};

use redb::{ReadableDatabase, ReadableTableMetadata};

use super::*;
use crate::db::mesures;
use crate::db::users::{self, AccountStatus, NewUser};
use crate::db::{etablissements, profiles, tribunaux};
use crate::rules::account::Role;
use crate::rules::mesure::Status;
use crate::server::config::DataDirArg;

fn args(
    dir: &Path,
    tribunaux: Option<PathBuf>,
    etablissements: Option<PathBuf>,
    force: bool,
) -> DemoArgs {
    DemoArgs {
        tribunaux,
        etablissements,
        force,
        data: DataDirArg {
            path: dir.to_owned(),
        },
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("end2end/fixtures")
        .join(name)
}

fn user(read: &redb::ReadTransaction, identifiant: &str) -> users::User {
    users::find_by_login(read, identifiant).unwrap().unwrap()
}

#[test]
fn the_built_in_demo_has_every_role_and_the_promised_mesures() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(&args(dir.path(), None, None, false)).unwrap();
    assert!(!report.already);
    assert_eq!(report.tribunal, "Tribunal de proximité de Calais (démo)");
    let listed: Vec<(&str, &str)> = report
        .accounts
        .iter()
        .map(|a| (a.identifiant.as_str(), a.role.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("demo-individuel", "Mandataire individuel"),
            ("demo-prepose", "Mandataire préposé d'établissement"),
            ("demo-service", "Service mandataire"),
            ("demo-magistrat", "Magistrat"),
            ("demo-greffier", "Greffier"),
            ("demo-admin", "Administrateur"),
        ]
    );
    let printed = report.to_string();
    for account in &report.accounts {
        assert!(printed.contains(&account.mot_de_passe), "{printed}");
    }

    let database = db::open(dir.path()).unwrap();
    let read = database.begin_read().unwrap();
    assert_eq!(db::demo::accounts(&read).unwrap().unwrap(), report.accounts);
    // Every listed password opens its account, which is active.
    for account in &report.accounts {
        let stored = user(&read, &account.identifiant);
        assert_eq!(stored.status, AccountStatus::Actif);
        assert!(password::verify(
            &account.mot_de_passe,
            &stored.password_hash
        ));
    }
    let tribunal_names: Vec<String> = tribunaux::all(&read)
        .unwrap()
        .into_iter()
        .map(|t| t.nom)
        .collect();
    assert!(
        tribunal_names.iter().all(|n| n.ends_with("(démo)")),
        "{tribunal_names:?}"
    );
    assert!(etablissements::all(&read)
        .unwrap()
        .iter()
        .all(|e| e.nom.ends_with("(démo)")));

    let magistrat = user(&read, "demo-magistrat");
    let tribunal_id = profiles::magistrat(&read, magistrat.id)
        .unwrap()
        .unwrap()
        .tribunal_id;
    assert_eq!(
        tribunaux::get(&read, tribunal_id).unwrap().unwrap().nom,
        report.tribunal
    );
    // Five active mandataires on the magistrat's tribunal, each with about twenty mesures en cours, and one
    // sign-up waiting for an administrator.
    let declared = profiles::mandataires_of_tribunal(&read, tribunal_id).unwrap();
    let waiting: Vec<u64> = declared
        .iter()
        .copied()
        .filter(|id| {
            users::get(&read, *id)
                .unwrap()
                .is_some_and(|u| u.status == AccountStatus::EnAttente)
        })
        .collect();
    assert_eq!(waiting, [user(&read, "demo-mjpm-inscrit").id]);
    let scope: Vec<u64> = declared
        .into_iter()
        .filter(|id| !waiting.contains(id))
        .collect();
    // Five mandataires with accounts and the service (keyed by the service, issue 16).
    assert_eq!(scope.len(), 6);
    let now = db::now();
    let mut stale = 0;
    let mut over = 0;
    for owner in &scope {
        let profile = profiles::mandataire(&read, *owner).unwrap().unwrap();
        let en_cours = mesures::count_of_owner_read(&read, *owner, Status::EnCours).unwrap();
        assert_eq!(
            profile.mesures_en_cours, en_cours,
            "the counters match the mesures"
        );
        assert!((17..=21).contains(&en_cours), "{en_cours}");
        assert!(mesures::count_of_owner_read(&read, *owner, Status::Eteinte).unwrap() > 0);
        if now - profile.derniere_mise_a_jour.unwrap() > 30 * 86_400 {
            stale += 1;
        }
        if profile.mesures_en_cours > profile.mesures_souhaitees {
            over += 1;
        }
    }
    assert_eq!((stale, over), (1, 1));
    for identifiant in ["demo-individuel", "demo-prepose"] {
        let owner = user(&read, identifiant).id;
        let profile = profiles::mandataire(&read, owner).unwrap().unwrap();
        assert_eq!(profile.mesures_en_attente, 2);
        let waiting = mesures::of_owner(&read, owner, Status::EnAttente).unwrap();
        assert!(waiting.iter().all(|m| m
            .reservation
            .as_ref()
            .is_some_and(|r| r.magistrat_id == magistrat.id)));
    }
    let prepose = profiles::mandataire(&read, user(&read, "demo-prepose").id)
        .unwrap()
        .unwrap();
    assert_eq!(prepose.etablissements.len(), 2);
    // The magistrat's "Mesures réservées": the waiting ones and those already accepted.
    // The demo service: its founding account administers it; its mesures are spread over two antennes
    // whose counters add up to the service's; its capacity is the antennes' sum.
    let founder = user(&read, "demo-service");
    let service = crate::db::services::get(&read, founder.service.unwrap())
        .unwrap()
        .unwrap();
    assert!(service.is_administrateur(founder.id));
    assert_eq!(service.status, AccountStatus::Actif);
    let antennes = crate::db::services::antennes_of(&read, &service).unwrap();
    assert_eq!(antennes.len(), 2);
    let profile = profiles::mandataire(&read, service.id).unwrap().unwrap();
    assert_eq!(
        antennes.iter().map(|a| a.mesures_en_cours).sum::<u32>(),
        profile.mesures_en_cours
    );
    assert_eq!(
        antennes.iter().map(|a| a.mesures_en_attente).sum::<u32>(),
        2
    );
    assert_eq!(
        antennes.iter().map(|a| a.mesures_souhaitees).sum::<u32>(),
        profile.mesures_souhaitees
    );
    assert!(crate::db::check::check(&read).unwrap().is_consistent());
    assert_eq!(
        mesures::count_reservations(&read, tribunal_id, Status::EnAttente).unwrap(),
        7
    );
    assert!(mesures::count_reservations(&read, tribunal_id, Status::EnCours).unwrap() >= 5);
    drop(read);
    drop(database);

    // Run again: the same accounts, nothing added.
    let again = run(&args(dir.path(), None, None, false)).unwrap();
    assert!(again.already);
    assert_eq!(again.accounts, report.accounts);
    let database = db::open(dir.path()).unwrap();
    let read = database.begin_read().unwrap();
    assert_eq!(read.open_table(tables::USERS).unwrap().len().unwrap(), 10);
}

#[test]
fn a_database_with_other_data_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    // Reference data only (an établissement imported by hand).
    let etablissements = dir.path().join("un.csv");
    let one: String = std::fs::read_to_string(fixture("etablissements.csv"))
        .unwrap()
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&etablissements, one).unwrap();
    let (_, imported) = crate::server::commands::import_etablissements(
        &crate::server::config::ImportEtablissementsArgs {
            import: crate::server::config::ImportArgs {
                file: etablissements,
                data: crate::server::config::DataDirArg {
                    path: dir.path().to_owned(),
                },
            },
            toutes_categories: true,
        },
    )
    .unwrap();
    assert!(imported);
    let refused = run(&args(
        dir.path(),
        Some(fixture("tribunaux.csv")),
        None,
        false,
    ))
    .unwrap_err();
    assert!(
        refused
            .to_string()
            .starts_with("ce dossier de données contient déjà des données"),
        "{refused}"
    );
    {
        let database = db::open(dir.path()).unwrap();
        let read = database.begin_read().unwrap();
        assert!(
            tribunaux::all(&read).unwrap().is_empty(),
            "nothing imported"
        );
        assert!(db::demo::accounts(&read).unwrap().is_none());
    }
    // With --force and the reference files: scenario A's tribunal, the file's établissements.
    let report = run(&args(
        dir.path(),
        Some(fixture("tribunaux.csv")),
        Some(fixture("etablissements.csv")),
        true,
    ))
    .unwrap();
    assert_eq!(report.tribunal, "Tribunal de proximité de Calais");
    assert!(
        report.lines[0].starts_with("Tribunaux : 3 créés"),
        "{:?}",
        report.lines
    );
    let database = db::open(dir.path()).unwrap();
    let read = database.begin_read().unwrap();
    let prepose = profiles::mandataire(&read, user(&read, "demo-prepose").id)
        .unwrap()
        .unwrap();
    assert!(prepose.etablissements.iter().all(|f| f.starts_with("62")));
    assert!(!prepose.etablissements.is_empty());
}

#[test]
fn a_running_server_or_a_missing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = run(&args(
        dir.path(),
        Some(dir.path().join("absent.csv")),
        None,
        false,
    ))
    .unwrap_err();
    assert!(
        missing.to_string().starts_with("impossible de lire"),
        "{missing}"
    );
    let live = db::open(dir.path()).unwrap();
    let refused = run(&args(dir.path(), None, None, false)).unwrap_err();
    assert!(refused
        .to_string()
        .starts_with("le serveur e-MJPM utilise ce dossier"));
    drop(live);
}

/// A page of the real router on `dir`, as an anonymous visitor.
async fn page(dir: &Path, uri: &str) -> String {
    use tower::ServiceExt;
    let app = crate::server::test_kit::app(dir);
    let response = app
        .oneshot(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), axum::http::StatusCode::OK, "{uri}");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8_lossy(&body).into_owned()
}

#[tokio::test]
async fn only_a_demo_database_shows_the_banner_and_the_accounts_and_only_on_connexion() {
    let real = tempfile::tempdir().unwrap();
    for uri in ["/connexion", "/"] {
        let html = page(real.path(), uri).await;
        assert!(!html.contains(crate::rules::account::DEMO_BANNER), "{uri}");
        assert!(!html.contains("Comptes de démonstration"), "{uri}");
    }
    let demo = tempfile::tempdir().unwrap();
    let report = run(&args(demo.path(), None, None, false)).unwrap();
    let connexion = page(demo.path(), "/connexion").await;
    assert!(connexion.contains(crate::rules::account::DEMO_BANNER));
    assert!(connexion.contains("<h2 id=\"comptes-demo\">Comptes de démonstration</h2>"));
    let home = page(demo.path(), "/").await;
    assert!(home.contains(crate::rules::account::DEMO_BANNER));
    for account in &report.accounts {
        assert!(connexion.contains(&account.identifiant));
        assert!(connexion.contains(&account.mot_de_passe));
        assert!(
            !home.contains(&account.mot_de_passe),
            "a password only on /connexion"
        );
    }
}

#[test]
fn a_tribunaux_file_without_an_active_tribunal_creates_no_demo() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fermes.csv");
    std::fs::write(
        &file,
        "type,nom,siret,code_postal,ville,code_insee,date_fermeture,actif\n\
         TI,Tribunal d'instance de Calais,17620111900123,62100,CALAIS,62193,2019-12-31,0\n",
    )
    .unwrap();
    let data = dir.path().join("data");
    let refused = run(&args(&data, Some(file), None, false)).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "aucun tribunal actif dans le fichier des tribunaux : la démonstration a besoin d'au moins un tribunal"
    );
    let database = db::open(&data).unwrap();
    let read = database.begin_read().unwrap();
    assert!(db::demo::accounts(&read).unwrap().is_none(), "no demo mark");
    assert!(db::open_or_empty(&read, tables::USERS)
        .unwrap()
        .is_none_or(|t| t.len().unwrap() == 0));
}

#[test]
fn accounts_that_are_not_the_demo_s_refuse_it_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    {
        let database = db::open(dir.path()).unwrap();
        let write = database.begin_write().unwrap();
        users::create(
            &write,
            NewUser {
                identifiant: "admin".to_owned(),
                email: "admin@exemple.fr".to_owned(),
                role: Role::Admin,
                nom: "Martin".to_owned(),
                prenom: String::new(),
                status: AccountStatus::Actif,
                password_hash: "x".to_owned(),
            },
        )
        .unwrap();
        write.commit().unwrap();
    }
    for force in [false, true] {
        let refused = run(&args(dir.path(), None, None, force)).unwrap_err();
        assert!(
            refused
                .to_string()
                .starts_with("ce dossier de données contient des comptes"),
            "{refused}"
        );
    }
    let database = db::open(dir.path()).unwrap();
    let read = database.begin_read().unwrap();
    assert!(db::demo::accounts(&read).unwrap().is_none());
    assert!(users::find_by_login(&read, "demo-prepose")
        .unwrap()
        .is_none());
}
