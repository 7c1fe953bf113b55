//! Services mandataires (issue 16): who may change what in a service, and the bodies of its "Antennes"
//! (`antennes`) and "Membres" (`membres`) tabs and of the invitation page (`invitation`).
//!
//! Every member sees and manages the service's mesures (the mandataire space, with `Caller::owner`);
//! only its administrateurs change the service's information, antennes and members. That right is read from
//! the service's record inside each write transaction, never from the request.

pub mod antennes;
pub mod invitation;
pub mod membres;
#[cfg(test)]
mod tests;

use redb::{ReadTransaction, WriteTransaction};

use crate::api::{AppError, AppResult};
use crate::db::services::{self, Service};
use crate::rules::account::Role;
use crate::server::auth::Caller;

/// The caller's service as `read` sees it, with the caller still one of its members; else 404 (a
/// mandataire who is not a service's has no such page).
pub fn service_of(read: &ReadTransaction, caller: &Caller) -> AppResult<Service> {
    if caller.user.role != Role::Service {
        return Err(AppError::NotFound);
    }
    services::get(read, caller.owner())?
        .filter(|s| s.is_member(caller.user.id))
        .ok_or(AppError::NotFound)
}

/// The caller's service as the write transaction sees it, when the caller is one of its administrateurs;
/// 403 for a member without the right, 404 for anyone else.
pub fn administrateur_in(write: &WriteTransaction, caller: &Caller) -> AppResult<Service> {
    if caller.user.role != Role::Service {
        return Err(AppError::NotFound);
    }
    let service = services::get_in(write, caller.owner())?
        .filter(|s| s.is_member(caller.user.id))
        .ok_or(AppError::NotFound)?;
    if service.is_administrateur(caller.user.id) {
        Ok(service)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Before a change of the mandataire profile: a service's is changed by its administrateurs only (403
/// otherwise); an individuel's or a préposé's by themselves.
pub fn check_editor(write: &WriteTransaction, caller: &Caller) -> AppResult<()> {
    if caller.user.role == Role::Service {
        administrateur_in(write, caller)?;
    }
    Ok(())
}

/// The audit object of a change of the caller's mandataire profile.
pub fn profile_object(caller: &Caller) -> String {
    match caller.user.role {
        Role::Service => format!("service {}", caller.owner()),
        _ => format!("utilisateur {}", caller.user.id),
    }
}

/// The e-mails a reservation for a service goes to (issue 16): its members with administrateur rights and
/// active accounts, and the antenne's contact address when one was chosen; each once.
pub fn reservation_recipients(
    write: &WriteTransaction,
    service_id: u64,
    antenne: Option<u64>,
) -> AppResult<Vec<String>> {
    let mut to: Vec<String> = Vec::new();
    if let Some(service) = services::get_in(write, service_id)? {
        for membre in service.membres.iter().filter(|m| m.administrateur) {
            if let Some(user) = crate::db::users::get_in(write, membre.user_id)? {
                if user.status == crate::db::users::AccountStatus::Actif
                    && !to.contains(&user.email)
                {
                    to.push(user.email);
                }
            }
        }
    }
    if let Some(email) = antenne
        .map(|id| services::antenne_in(write, id))
        .transpose()?
        .flatten()
        .and_then(|a| a.email)
    {
        if !to.contains(&email) {
            to.push(email);
        }
    }
    Ok(to)
}
