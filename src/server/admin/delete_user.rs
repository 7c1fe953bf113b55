//! "Supprimer le compte" (issue 19): a confirmation page saying what goes and what stays, then the erasure
//! (`db::erasure`, the same rules as the retention job) in one write transaction with its audit entry, which
//! keeps the identifiant and nothing else of the account. Never oneself, never the last active admin.

use redb::ReadableDatabase;

use crate::api::admin::DeleteUserPage;
use crate::api::form::FormReply;
use crate::api::{AppError, AppResult};
use crate::db::audit;
use crate::db::erasure::{self, Erasure};
use crate::db::users::{self, AccountStatus, User};
use crate::rules::account::Role;
use crate::server::context::Ctx;
use crate::server::flash;
use crate::server::forms::done;

pub const NOT_YOURSELF: &str = "Vous ne pouvez pas supprimer votre propre compte.";
pub const LAST_ADMIN: &str = "Le dernier administrateur actif ne peut pas être supprimé.";

fn consequences(user: &User) -> Vec<String> {
    let mut said = vec![
        "Le compte, ses sessions et ses liens de réinitialisation sont supprimés définitivement."
            .to_owned(),
    ];
    match user.role {
        Role::Individuel | Role::Prepose => said.extend([
            "Son profil, ses mesures éteintes et refusées, et les notes des magistrats à son sujet sont effacés."
                .to_owned(),
            "Il n'est plus proposé aux magistrats.".to_owned(),
        ]),
        Role::Service => said.push(
            "Le service, ses mesures et ses antennes restent : le compte est retiré du service.".to_owned(),
        ),
        Role::Magistrat | Role::Greffier => said.push(
            "Les mesures réservées restent, avec « Réservée par : compte supprimé » ; ses notes restent pour \
             son tribunal."
                .to_owned(),
        ),
        _ => {}
    }
    said.push(
        "Le journal garde la trace de la suppression avec l'identifiant du compte, sans ses autres données."
            .to_owned(),
    );
    said
}

pub fn page(id: u64) -> AppResult<DeleteUserPage> {
    let Ctx {
        state, caller: me, ..
    } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let user = users::get(&read, id)?.ok_or(AppError::NotFound)?;
    // What `delete` would refuse (it checks again in its write transaction).
    let refus = if id == me.user.id {
        Some(NOT_YOURSELF.to_owned())
    } else {
        erasure::refusal_read(&read, &user)?.map(|r| r.message())
    };
    Ok(DeleteUserPage {
        id,
        nom: format!("{} {}", user.prenom, user.nom).trim().to_owned(),
        identifiant: user.identifiant.clone(),
        consequences: consequences(&user),
        refus,
    })
}

pub fn delete(id: u64) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller: me,
        ip,
        ..
    } = Ctx::admin()?;
    let back = format!("/admin/utilisateurs/{id}/supprimer");
    if id == me.user.id {
        return Ok(flash::stay(&parts, &back, NOT_YOURSELF));
    }
    let write = crate::server::blocking::begin_write(&state.db)?;
    if let Some(user) = users::get_in(&write, id)? {
        if user.role == Role::Admin
            && user.status == AccountStatus::Actif
            && users::count_active_admins_in(&write)? <= 1
        {
            drop(write);
            return Ok(flash::stay(&parts, &back, LAST_ADMIN));
        }
    }
    let user = match erasure::erase(&write, id)? {
        Erasure::Missing => return Err(AppError::NotFound),
        Erasure::Refused(refusal) => {
            drop(write);
            return Ok(flash::stay(&parts, &back, &refusal.message()));
        }
        Erasure::Erased { user, mesures } => {
            audit::record(
                &write,
                Some(me.user.id),
                &ip,
                "Suppression du compte",
                &format!("utilisateur {id}"),
                &format!(
                    "Succès (identifiant {}, {mesures} mesure(s) effacée(s))",
                    user.identifiant
                ),
            )?;
            user
        }
    };
    crate::server::blocking::commit(write)?;
    Ok(done(
        &parts,
        "/admin/utilisateurs",
        Some(&format!("Le compte « {} » est supprimé.", user.identifiant)),
    ))
}
