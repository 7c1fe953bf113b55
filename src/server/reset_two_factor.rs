//! `emjpm create-admin --identifiant X --reinitialiser-2fa` (issue 19): the server's owner removes the second
//! factor of an admin who lost it, here on a stopped server's data, or through the running server's command
//! channel (`channel::Request::ResetTwoFactor`), like the other commands.

use super::channel;
use super::commands::CommandError;
use super::config::CreateAdminArgs;
use crate::db::users::{self, CreateUserError};
use crate::db::{self, OpenError};
use crate::rules::account::{normalize_identifiant, Role};

/// `emjpm create-admin --identifiant X --reinitialiser-2fa` (issue 19): the server's owner recovers an
/// admin who lost his second factor; here, or through the running server.
pub fn reset(args: &CreateAdminArgs) -> Result<String, CommandError> {
    let identifiant = normalize_identifiant(&args.identifiant)
        .map_err(|m| CommandError::Invalid(m.to_owned()))?;
    super::prepare_data_dir(&args.data.path)?;
    match db::open(&args.data.path) {
        Ok(database) => reset_in(&database, &identifiant),
        Err(OpenError::AlreadyOpen(_)) => super::commands::via_server(
            &args.data.path,
            &channel::Request::ResetTwoFactor { identifiant },
        )
        .map(|(text, _)| text),
        Err(error) => Err(error.into()),
    }
}

/// Removes the second factor of the admin `identifiant`, audited.
pub fn reset_in(database: &redb::Database, identifiant: &str) -> Result<String, CommandError> {
    let store = |e: db::StoreError| CommandError::Store(e.to_string());
    let write = database.begin_write().map_err(|e| store(e.into()))?;
    let admin = users::find_by_login_in(&write, identifiant)
        .map_err(store)?
        .filter(|u| u.role == Role::Admin);
    let Some(mut admin) = admin else {
        return Err(CommandError::Invalid(format!(
            "Aucun administrateur n'a l'identifiant « {identifiant} »."
        )));
    };
    admin.deux_facteurs = None;
    users::put(&write, &admin).map_err(|e| match e {
        CreateUserError::Store(e) => store(e),
        other => CommandError::Invalid(other.to_string()),
    })?;
    db::audit::record(
        &write,
        None,
        "ligne de commande",
        "Double authentification réinitialisée",
        &format!("utilisateur {}", admin.id),
        "Succès",
    )
    .map_err(store)?;
    write.commit().map_err(|e| store(e.into()))?;
    Ok(format!(
        "Double authentification de « {} » réinitialisée : il pourra l'activer de nouveau après sa connexion.",
        admin.identifiant
    ))
}
