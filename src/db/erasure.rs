//! Erasing an account (issue 19, RGPD): what goes with it, decided here once for the admin's "Supprimer le
//! compte" and the retention job (accounts deactivated for 2 years), inside the caller's write transaction.
//!
//! - An individuel or a préposé: only without mesures en cours or en attente; their other mesures (éteintes,
//!   refusées), the magistrats' notes about them, their profile (and its tribunal entries) go with the account.
//! - A service member: the account only, like "Retirer du service", unless they are its last administrateur.
//! - A magistrat or greffier: the account and its profile; the reservations they made stay, "Réservée par :
//!   compte supprimé"; the notes they wrote stay for their tribunal.
//! - Any account: its sessions and reset links (`users::delete`). The journal keeps its entries, which name
//!   the account by id.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};

use super::mesures::{self, Author};
use super::tables::{MAGISTRATS, MANDATAIRES, MANDATAIRES_BY_TRIBUNAL, MESURES_BY_OWNER, NOTES};
use super::users::{self, User};
use super::{services, StoreError};
use crate::rules::account::Role;
use crate::rules::mesure::Status;

/// Why an account cannot be erased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A mandataire still holding mesures.
    OpenMesures { en_cours: u32, en_attente: u32 },
    /// The only administrateur of a service.
    LastServiceAdministrateur { service: String },
}

impl Refusal {
    /// The French message the admin reads.
    pub fn message(&self) -> String {
        match self {
            Refusal::OpenMesures {
                en_cours,
                en_attente,
            } => format!(
                "Ce compte ne peut pas être supprimé : le mandataire a encore {en_cours} mesure(s) en cours et \
                 {en_attente} mesure(s) en attente. Elles doivent d'abord être éteintes, refusées ou supprimées."
            ),
            Refusal::LastServiceAdministrateur { service } => format!(
                "Ce compte ne peut pas être supprimé : c'est le seul administrateur du service « {service} ». \
                 Un autre membre doit d'abord recevoir les droits d'administrateur."
            ),
        }
    }
}

/// What `erase` did.
#[derive(Debug)]
pub enum Erasure {
    Missing,
    Refused(Refusal),
    /// The account erased, and how many mesures went with it.
    Erased {
        user: Box<User>,
        mesures: usize,
    },
}

/// The rule, from what either transaction read: a mandataire's open mesures (en cours, en attente), or the
/// service of a member.
fn refusal_of(
    user: &User,
    open: impl Fn(Status) -> Result<u32, StoreError>,
    service: Option<services::Service>,
) -> Result<Option<Refusal>, StoreError> {
    match user.role {
        Role::Individuel | Role::Prepose => {
            let (en_cours, en_attente) = (open(Status::EnCours)?, open(Status::EnAttente)?);
            Ok((en_cours + en_attente > 0).then_some(Refusal::OpenMesures {
                en_cours,
                en_attente,
            }))
        }
        Role::Service => Ok(service.and_then(|service| {
            let others = service
                .membres
                .iter()
                .any(|m| m.administrateur && m.user_id != user.id);
            (service.is_administrateur(user.id) && !others).then_some(
                Refusal::LastServiceAdministrateur {
                    service: service.nom.clone(),
                },
            )
        })),
        _ => Ok(None),
    }
}

/// Whether `user` can be erased, as `write` sees it (the erasure's own check).
pub fn refusal(write: &WriteTransaction, user: &User) -> Result<Option<Refusal>, StoreError> {
    let service = match (user.role, user.service) {
        (Role::Service, Some(id)) => services::get_in(write, id)?,
        _ => None,
    };
    refusal_of(
        user,
        |status| mesures::count_of_owner(write, user.id, status),
        service,
    )
}

/// `refusal` as a read transaction sees it: the confirmation page, which must not hold the writer.
pub fn refusal_read(read: &ReadTransaction, user: &User) -> Result<Option<Refusal>, StoreError> {
    let service = match (user.role, user.service) {
        (Role::Service, Some(id)) => services::get(read, id)?,
        _ => None,
    };
    refusal_of(
        user,
        |status| mesures::count_of_owner_read(read, user.id, status),
        service,
    )
}

/// Erases the account `id` with what goes with it, unless refused.
pub fn erase(write: &WriteTransaction, id: u64) -> Result<Erasure, StoreError> {
    let Some(user) = users::get_in(write, id)? else {
        return Ok(Erasure::Missing);
    };
    if let Some(refusal) = refusal(write, &user)? {
        return Ok(Erasure::Refused(refusal));
    }
    let mut erased_mesures = 0;
    match user.role {
        Role::Individuel | Role::Prepose => {
            for status in [Status::Eteinte, Status::Refusee] {
                let ids = {
                    let index = write.open_table(MESURES_BY_OWNER)?;
                    mesures::ids_of_owner_in(&index, id, status)?
                };
                for mesure_id in ids {
                    if let Some(mesure) = mesures::get_in(write, mesure_id)? {
                        mesures::delete(write, &mesure, Author::Other)?;
                        erased_mesures += 1;
                    }
                }
            }
            remove_notes_about(write, id)?;
            remove_mandataire_profile(write, id)?;
        }
        Role::Service => {
            if let Some(mut service) = user
                .service
                .map(|s| services::get_in(write, s))
                .transpose()?
                .flatten()
            {
                service.membres.retain(|m| m.user_id != id);
                services::put(write, &service)?;
            }
        }
        Role::Magistrat | Role::Greffier => {
            write.open_table(MAGISTRATS)?.remove(id)?;
        }
        Role::Admin | Role::Direction => {}
    }
    users::delete(write, id)?;
    if let Some(service) = user.service {
        services::refresh_status(write, service)?;
    }
    Ok(Erasure::Erased {
        user: Box::new(user),
        mesures: erased_mesures,
    })
}

fn remove_notes_about(write: &WriteTransaction, mandataire: u64) -> Result<(), StoreError> {
    let mut table = write.open_table(NOTES)?;
    let keys: Vec<(u64, u64)> = table
        .range((mandataire, 0)..=(mandataire, u64::MAX))?
        .map(|row| row.map(|(k, _)| k.value()))
        .collect::<Result<_, _>>()?;
    for key in keys {
        table.remove(key)?;
    }
    Ok(())
}

/// The profile and its tribunal entries; the scope versions of those tribunaux bumped.
fn remove_mandataire_profile(write: &WriteTransaction, id: u64) -> Result<(), StoreError> {
    let Some(profile) = super::profiles::mandataire_in(write, id)? else {
        return Ok(());
    };
    write.open_table(MANDATAIRES)?.remove(id)?;
    let mut index = write.open_table(MANDATAIRES_BY_TRIBUNAL)?;
    for tribunal in &profile.tribunaux {
        index.remove((*tribunal, id))?;
    }
    drop(index);
    super::scope_versions::bump(write, &profile.tribunaux)
}
