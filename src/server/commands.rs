//! Administration commands of the `emjpm` executable other than `serve` (SPEC §14).
//!
//! They open the database themselves when no server runs. redb allows one process per database file: while
//! the server runs, `create-admin`, the imports and `backup` hand their work to it through the command
//! channel (`channel`), and print the same report; `demo`, `restore` and `verifier` refuse.

use std::io::IsTerminal;

use redb::ReadableDatabase;

use super::auth::password;
use super::channel;
use super::config::{CreateAdminArgs, ImportArgs, ImportEtablissementsArgs};
use crate::db::users::{self, AccountStatus, CreateUserError, NewUser};
use crate::db::{self, OpenError};
use crate::rules::account::{normalize_email, normalize_identifiant, Role};

/// A refusal of a command, shown as one French line.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Invalid(String),
    #[error(
        "le serveur e-MJPM utilise ce dossier de données : arrêtez-le, lancez la commande, puis redémarrez-le"
    )]
    ServerRunning,
    #[error(transparent)]
    Start(#[from] super::StartError),
    #[error("{0}")]
    Store(String),
}

impl From<OpenError> for CommandError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::AlreadyOpen(_) => CommandError::ServerRunning,
            other => CommandError::Start(other.into()),
        }
    }
}

/// The administrator's password: `EMJPM_ADMIN_PASSWORD`, else typed twice on the terminal without echo.
fn admin_password() -> Result<String, CommandError> {
    if let Ok(password) = std::env::var("EMJPM_ADMIN_PASSWORD") {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CommandError::Invalid(
            "aucun terminal pour saisir le mot de passe : fournissez-le dans la variable EMJPM_ADMIN_PASSWORD".to_owned(),
        ));
    }
    let read = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|e| {
            CommandError::Invalid(format!(
                "saisie impossible : {}",
                super::errors::io_reason(&e)
            ))
        })
    };
    let first = read("Mot de passe : ")?;
    let second = read("Confirmation du mot de passe : ")?;
    if first != second {
        return Err(CommandError::Invalid(
            "Les mots de passe ne sont pas identiques.".to_owned(),
        ));
    }
    Ok(first)
}

/// `emjpm create-admin`: an active administrator, created in one write transaction with its audit entry —
/// by this process when no server runs, else by the server through the command channel.
pub fn create_admin(args: &CreateAdminArgs) -> Result<String, CommandError> {
    if args.reinitialiser_2fa {
        return super::reset_two_factor::reset(args);
    }
    // The identity is checked before the password is asked for.
    normalize_identifiant(&args.identifiant).map_err(|m| CommandError::Invalid(m.to_owned()))?;
    normalize_email(&args.email).map_err(|m| CommandError::Invalid(m.to_owned()))?;
    create_admin_with_password(args, &admin_password()?)
}

fn create_admin_with_password(
    args: &CreateAdminArgs,
    secret: &str,
) -> Result<String, CommandError> {
    check_admin(
        &args.identifiant,
        &args.email,
        &args.nom,
        &args.prenom,
        secret,
    )?;
    super::prepare_data_dir(&args.data.path)?;
    match db::open(&args.data.path) {
        Ok(database) => create_admin_in(
            &database,
            &args.identifiant,
            &args.email,
            &args.nom,
            &args.prenom,
            secret,
        ),
        Err(OpenError::AlreadyOpen(_)) => via_server(
            &args.data.path,
            &channel::Request::CreateAdmin {
                identifiant: args.identifiant.clone(),
                email: args.email.clone(),
                nom: args.nom.clone(),
                prenom: args.prenom.clone(),
                mot_de_passe: secret.to_owned(),
            },
        )
        .map(|(text, _)| text),
        Err(error) => Err(error.into()),
    }
}

/// The identity and password rules of an administrator: (identifiant, e-mail) normalised.
fn check_admin(
    identifiant: &str,
    email: &str,
    nom: &str,
    prenom: &str,
    secret: &str,
) -> Result<(String, String), CommandError> {
    let identifiant =
        normalize_identifiant(identifiant).map_err(|m| CommandError::Invalid(m.to_owned()))?;
    let email = normalize_email(email).map_err(|m| CommandError::Invalid(m.to_owned()))?;
    if nom.trim().is_empty() || nom.chars().count() > 100 || prenom.chars().count() > 100 {
        return Err(CommandError::Invalid(
            "Le nom est obligatoire et ne doit pas dépasser 100 caractères.".to_owned(),
        ));
    }
    if let Some(message) = password::policy_error(secret, &identifiant, &email) {
        return Err(CommandError::Invalid(message.to_owned()));
    }
    Ok((identifiant, email))
}

/// Creates the administrator in `database` (this process's, or the server's for the channel).
pub fn create_admin_in(
    database: &redb::Database,
    identifiant: &str,
    email: &str,
    nom: &str,
    prenom: &str,
    secret: &str,
) -> Result<String, CommandError> {
    let (identifiant, email) = check_admin(identifiant, email, nom, prenom, secret)?;
    let password_hash = password::hash(secret).map_err(|e| CommandError::Store(e.to_string()))?;
    let store = |e: db::StoreError| CommandError::Store(e.to_string());
    let write = database.begin_write().map_err(|e| store(e.into()))?;
    let user = users::create(
        &write,
        NewUser {
            identifiant,
            email,
            role: Role::Admin,
            nom: nom.trim().to_owned(),
            prenom: prenom.trim().to_owned(),
            status: AccountStatus::Actif,
            password_hash,
        },
    )
    .map_err(|e| match e {
        CreateUserError::Store(e) => store(e),
        taken => CommandError::Invalid(taken.to_string()),
    })?;
    db::audit::record(
        &write,
        None,
        "ligne de commande",
        "Création d'un administrateur",
        &format!("utilisateur {}", user.id),
        "Succès",
    )
    .map_err(store)?;
    write.commit().map_err(|e| store(e.into()))?;
    let read = database.begin_read().map_err(|e| store(e.into()))?;
    let admins = users::count_active_admins(&read).map_err(store)?;
    Ok(format!(
        "Administrateur « {} » créé ({} au total).",
        user.identifiant,
        crate::rules::format::plural(admins, "administrateur actif", "administrateurs actifs")
    ))
}

/// Hands a command to the server that holds the database: its report, and whether it succeeded.
pub(crate) fn via_server(
    data_dir: &std::path::Path,
    request: &channel::Request,
) -> Result<(String, bool), CommandError> {
    let answer =
        channel::send(data_dir, request).map_err(|e| CommandError::Invalid(e.to_string()))?;
    match answer.erreur {
        Some(error) => Err(CommandError::Invalid(error)),
        None => Ok((answer.texte, answer.ok)),
    }
}

/// The bytes of a file named on the command line, or "impossible de lire « <file> » : <reason>".
pub fn read_input(path: &std::path::Path) -> Result<Vec<u8>, CommandError> {
    std::fs::read(path).map_err(|e| {
        CommandError::Invalid(format!(
            "impossible de lire « {} » : {}",
            path.display(),
            super::errors::io_reason(&e)
        ))
    })
}

/// A path named on the command line, made absolute (the server does not share this process's folder).
fn absolute(path: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

fn reference() -> Result<super::reference::ReferenceData, CommandError> {
    super::reference::ReferenceData::load().map_err(|e| CommandError::Store(e.to_string()))
}

/// `emjpm import-tribunaux FILE`: the report of SPEC §9, and whether any line was imported.
pub fn import_tribunaux(args: &ImportArgs) -> Result<(String, bool), CommandError> {
    read_input(&args.file)?;
    super::prepare_data_dir(&args.data.path)?;
    match db::open(&args.data.path) {
        Ok(database) => import_tribunaux_in(&database, &reference()?, &args.file),
        Err(OpenError::AlreadyOpen(_)) => via_server(
            &args.data.path,
            &channel::Request::ImportTribunaux {
                fichier: absolute(&args.file),
            },
        ),
        Err(error) => Err(error.into()),
    }
}

pub fn import_tribunaux_in(
    database: &redb::Database,
    reference: &super::reference::ReferenceData,
    file: &std::path::Path,
) -> Result<(String, bool), CommandError> {
    let bytes = read_input(file)?;
    let report =
        super::imports::tribunaux::import(database, reference, &bytes, None, "ligne de commande")
            .map_err(|e| CommandError::Invalid(e.to_string()))?;
    Ok((report.to_string(), report.imported() > 0))
}

/// `emjpm import-etablissements FILE [--toutes-categories]`: the report, and whether any line was imported.
pub fn import_etablissements(
    args: &ImportEtablissementsArgs,
) -> Result<(String, bool), CommandError> {
    read_input(&args.import.file)?;
    super::prepare_data_dir(&args.import.data.path)?;
    match db::open(&args.import.data.path) {
        Ok(database) => import_etablissements_in(
            &database,
            &reference()?,
            &args.import.file,
            args.toutes_categories,
        ),
        Err(OpenError::AlreadyOpen(_)) => via_server(
            &args.import.data.path,
            &channel::Request::ImportEtablissements {
                fichier: absolute(&args.import.file),
                toutes_categories: args.toutes_categories,
            },
        ),
        Err(error) => Err(error.into()),
    }
}

pub fn import_etablissements_in(
    database: &redb::Database,
    reference: &super::reference::ReferenceData,
    file: &std::path::Path,
    all_categories: bool,
) -> Result<(String, bool), CommandError> {
    let bytes = read_input(file)?;
    let (report, skipped) = super::imports::etablissements::import(
        database,
        reference,
        &bytes,
        all_categories,
        None,
        "ligne de commande",
    )
    .map_err(|e| CommandError::Invalid(e.to_string()))?;
    let mut text = report.to_string();
    if skipped > 0 {
        let (lines, verb) = if skipped == 1 {
            ("ligne", "importée")
        } else {
            ("lignes", "importées")
        };
        text.push_str(&format!(
            "\n{skipped} {lines} d'autres catégories non {verb} (option --toutes-categories pour les garder)."
        ));
    }
    Ok((text, report.imported() > 0))
}

/// `emjpm backup FILE [--force]`: a consistent copy of the database, written while the server serves
/// (through the channel) or by this process when none runs.
pub fn backup(args: &super::config::BackupArgs) -> Result<String, CommandError> {
    let target = absolute(&args.file);
    if !args.data.path.join(db::DATABASE_FILE).exists() {
        return Err(CommandError::Invalid(format!(
            "aucune base de données dans « {} »",
            args.data.path.display()
        )));
    }
    match db::open(&args.data.path) {
        Ok(database) => backup_in(&database, &target, args.force),
        Err(OpenError::AlreadyOpen(_)) => via_server(
            &args.data.path,
            &channel::Request::Backup {
                fichier: target,
                force: args.force,
            },
        )
        .map(|(text, _)| text),
        Err(error) => Err(error.into()),
    }
}

/// Writes the backup of `database` and audits it ("Sauvegarde", with its size).
pub fn backup_in(
    database: &redb::Database,
    target: &std::path::Path,
    force: bool,
) -> Result<String, CommandError> {
    let report = db::backup::write(database, target, force)
        .map_err(|e| CommandError::Invalid(e.to_string()))?;
    let store = |e: db::StoreError| CommandError::Store(e.to_string());
    let write = database.begin_write().map_err(|e| store(e.into()))?;
    db::audit::record(
        &write,
        None,
        "ligne de commande",
        "Sauvegarde",
        &format!("fichier {}", report.path.display()),
        &format!("Succès ({})", db::backup::size_text(report.bytes)),
    )
    .map_err(store)?;
    write.commit().map_err(|e| store(e.into()))?;
    Ok(report.to_string())
}

/// `emjpm restore FILE` (server stopped): checks the file — it opens, its schema is known (an older one is
/// brought forward), it passes the consistency check — on a copy, then keeps the current database aside
/// under a dated name and puts the copy in its place. A refused file changes nothing.
pub fn restore(args: &super::config::RestoreArgs) -> Result<String, CommandError> {
    let data = &args.data.path;
    let live = data.join(db::DATABASE_FILE);
    if live.exists() {
        // Only to learn whether a server holds it; closed at once.
        drop(db::open(data)?);
    }
    super::prepare_data_dir(data)?;
    let candidate = data.join(".restauration-en-cours.redb");
    let io = |e: std::io::Error| {
        CommandError::Invalid(format!(
            "impossible de préparer la restauration : {}",
            super::errors::io_reason(&e)
        ))
    };
    let _ = std::fs::remove_file(&candidate);
    std::fs::copy(&args.file, &candidate).map_err(|e| {
        CommandError::Invalid(format!(
            "impossible de lire « {} » : {}",
            args.file.display(),
            super::errors::io_reason(&e)
        ))
    })?;
    let checked = (|| {
        let database = redb::Database::open(&candidate).map_err(|_| {
            CommandError::Invalid(format!(
                "« {} » n'est pas une base e-MJPM lisible",
                args.file.display()
            ))
        })?;
        let version = db::schema::stored_version(&database)
            .map_err(|e| CommandError::Invalid(e.to_string()))?;
        if version == 0 {
            return Err(CommandError::Invalid(format!(
                "« {} » n'est pas une sauvegarde d'e-MJPM (aucune version de schéma)",
                args.file.display()
            )));
        }
        db::schema::migrate(&database).map_err(|e| CommandError::Invalid(e.to_string()))?;
        let read = database
            .begin_read()
            .map_err(|e| CommandError::Store(db::StoreError::from(e).to_string()))?;
        let report = db::check::check(&read).map_err(|e| CommandError::Store(e.to_string()))?;
        if !report.is_consistent() {
            return Err(CommandError::Invalid(format!(
                "« {} » ne passe pas la vérification ({}) : rien n'a été changé",
                args.file.display(),
                report.problems.join(" ; ")
            )));
        }
        Ok(report)
    })();
    let report = match checked {
        Ok(report) => report,
        Err(error) => {
            let _ = std::fs::remove_file(&candidate);
            return Err(error);
        }
    };
    std::fs::File::open(&candidate)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    let aside = if live.exists() {
        let stamp = jiff::Timestamp::now()
            .to_zoned_datetime(crate::server::time::zone().clone())
            .strftime("%Y%m%d-%H%M%S")
            .to_string();
        let aside = data.join(format!("{}.avant-restauration-{stamp}", db::DATABASE_FILE));
        std::fs::rename(&live, &aside).map_err(io)?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&candidate, &live).map_err(io)?;
    std::fs::File::open(data)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    // The search indexes are rebuilt from the restored database at the next start.
    let _ = std::fs::remove_dir_all(data.join("index"));
    Ok(format!(
        "Sauvegarde restaurée : {report}.{}\nDémarrez le serveur.",
        aside.map_or(String::new(), |a| format!(
            "\nL'ancienne base est gardée sous « {} ».",
            a.display()
        ))
    ))
}

/// `emjpm verifier`: the consistency check of `db::check`, on a stopped server's database. `Ok` with the
/// counts when consistent; `Invalid` listing the problems otherwise (exit code 1).
pub fn verify(args: &super::config::VerifierArgs) -> Result<String, CommandError> {
    use redb::ReadableDatabase;
    if !args.data.path.join(db::DATABASE_FILE).exists() {
        return Err(CommandError::Invalid(format!(
            "aucune base de données dans « {} »",
            args.data.path.display()
        )));
    }
    let database = db::open(&args.data.path)?;
    let read = database
        .begin_read()
        .map_err(|e| CommandError::Store(db::StoreError::from(e).to_string()))?;
    let report = db::check::check(&read).map_err(|e| CommandError::Store(e.to_string()))?;
    if !report.is_consistent() {
        return Err(CommandError::Invalid(format!(
            "base incohérente ({report}) :\n{}",
            report.problems.join("\n")
        )));
    }
    let mut text = format!("Base cohérente : {report}.");
    if args.numeros_de_dossier {
        let table = read
            .open_table(db::tables::MESURES)
            .map_err(|e| CommandError::Store(db::StoreError::from(e).to_string()))?;
        for row in redb::ReadableTable::iter(&table)
            .map_err(|e| CommandError::Store(db::StoreError::from(e).to_string()))?
        {
            let (_, value) =
                row.map_err(|e| CommandError::Store(db::StoreError::from(e).to_string()))?;
            let mesure: db::mesures::Mesure =
                db::decode(value.value()).map_err(|e| CommandError::Store(e.to_string()))?;
            if let Some(dossier) = mesure.numero_dossier {
                text.push('\n');
                text.push_str(&dossier);
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(dir: &std::path::Path, identifiant: &str, email: &str) -> CreateAdminArgs {
        CreateAdminArgs {
            identifiant: identifiant.to_owned(),
            email: email.to_owned(),
            nom: "Martin".to_owned(),
            prenom: "Claire".to_owned(),
            reinitialiser_2fa: false,
            data: super::super::config::DataDirArg {
                path: dir.to_owned(),
            },
        }
    }

    #[test]
    fn creates_an_active_admin_once_and_audits_it() {
        let dir = tempfile::tempdir().unwrap();
        let message = create_admin_with_password(
            &args(dir.path(), " Admin.Calais ", "Admin@Exemple.fr"),
            "Tribunal-62100",
        )
        .unwrap();
        assert_eq!(
            message,
            "Administrateur « admin.calais » créé (1 administrateur actif au total)."
        );
        let again = create_admin_with_password(
            &args(dir.path(), "admin.calais", "autre@exemple.fr"),
            "Tribunal-62100",
        );
        assert_eq!(
            again.unwrap_err().to_string(),
            crate::rules::account::IDENTIFIANT_TAKEN
        );

        let database = db::open(dir.path()).unwrap();
        let read = database.begin_read().unwrap();
        let admin = users::find_by_login(&read, "ADMIN@exemple.fr")
            .unwrap()
            .unwrap();
        assert_eq!(
            (admin.role, admin.status),
            (Role::Admin, AccountStatus::Actif)
        );
        assert!(password::verify("Tribunal-62100", &admin.password_hash));
        let audit = read.open_table(db::tables::AUDIT).unwrap();
        assert_eq!(redb::ReadableTableMetadata::len(&audit).unwrap(), 1);
    }

    #[test]
    fn bad_values_and_a_running_server_are_refused_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let refused = |identifiant: &str, email: &str, secret: &str| {
            create_admin_with_password(&args(dir.path(), identifiant, email), secret)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            refused("ab", "a@b.fr", "Tribunal-62100"),
            crate::rules::account::IDENTIFIANT_INVALID
        );
        assert_eq!(
            refused("admin", "pas-un-email", "Tribunal-62100"),
            crate::rules::account::EMAIL_INVALID
        );
        assert_eq!(
            refused("admin", "a@b.fr", "abc123"),
            crate::rules::password::TOO_SHORT
        );
        assert_eq!(
            refused("admin", "a@b.fr", "azertyuiop123"),
            crate::rules::password::TOO_COMMON
        );
        assert!(
            !dir.path().join(db::DATABASE_FILE).exists(),
            "nothing written for a refused value"
        );

        let live = db::open(dir.path()).unwrap();
        assert!(refused("admin", "a@b.fr", "Tribunal-62100")
            .starts_with("le serveur e-MJPM utilise ce dossier"));
        drop(live);
    }
}
