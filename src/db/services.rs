//! Services mandataires (issue 16): the service, its members, its antennes and its waiting invitations.
//!
//! A service is a mandataire whose profile (`profiles::Mandataire`, in `mandataires`) is keyed by the
//! service's id, not by a user's: its mesures, counters and tribunaux belong to the service, and every
//! member works on them. The id comes from the "user" sequence so that it can never be a user's id too.
//! The service's status is derived, by construction, from its members: it is active while one of its
//! administrateurs has an active account (`refresh_status`, called by every change of a member).

use std::sync::Arc;

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::{ANTENNES, INVITATIONS, SERVICES};
use super::users::{self, AccountStatus, UserHead};
use super::{decode, encode, next_id, profiles, StoreError};
use crate::rules::account::Role;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Membre {
    pub user_id: u64,
    /// "Administrateur du service": changes the service's information, antennes and members.
    pub administrateur: bool,
}

/// An invitation sent and not yet used; the token's hash is the key of `invitations`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    pub token_key: String,
    /// Unix seconds.
    pub expires_at: i64,
    pub invited_by: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: u64,
    /// "Nom du service".
    pub nom: String,
    pub siret: String,
    /// The service's contact e-mail (shown to magistrats); each member logs in with their own.
    pub email: String,
    pub contact_nom: String,
    pub contact_prenom: String,
    pub status: AccountStatus,
    pub membres: Vec<Membre>,
    /// Antenne ids, in creation order.
    pub antennes: Vec<u64>,
    pub invitations: Vec<Invitation>,
}

impl Service {
    pub fn is_administrateur(&self, user_id: u64) -> bool {
        self.membres
            .iter()
            .any(|m| m.user_id == user_id && m.administrateur)
    }

    pub fn is_member(&self, user_id: u64) -> bool {
        self.membres.iter().any(|m| m.user_id == user_id)
    }

    /// Invitations still valid at `at`.
    pub fn waiting_invitations(&self, at: i64) -> impl Iterator<Item = &Invitation> {
        self.invitations.iter().filter(move |i| i.expires_at > at)
    }
}

/// A branch office with its own capacity and counters (kept by `mesures` like the owner's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Antenne {
    pub id: u64,
    pub service_id: u64,
    pub nom: String,
    pub adresse: String,
    pub code_postal: String,
    pub code_insee: String,
    pub commune: String,
    /// "Contact": the person to ask for.
    pub contact: String,
    pub telephone: String,
    pub email: Option<String>,
    pub mesures_souhaitees: u32,
    pub mesures_en_cours: u32,
    pub mesures_en_attente: u32,
}

/// What a new service needs (its founding account is created by the caller, in the same transaction).
pub struct NewService {
    pub nom: String,
    pub siret: String,
    pub email: String,
    pub contact_nom: String,
    pub contact_prenom: String,
}

/// Creates a service whose first member, `founder`, is its administrateur; the account is linked to it.
pub fn create(
    write: &WriteTransaction,
    new: NewService,
    founder: u64,
) -> Result<Service, StoreError> {
    let id = next_id(write, "user")?;
    let service = Service {
        id,
        nom: new.nom,
        siret: new.siret,
        email: new.email,
        contact_nom: new.contact_nom,
        contact_prenom: new.contact_prenom,
        status: AccountStatus::EnAttente,
        membres: vec![Membre {
            user_id: founder,
            administrateur: true,
        }],
        antennes: Vec::new(),
        invitations: Vec::new(),
    };
    join(write, founder, id)?;
    put(write, &service)?;
    Ok(service)
}

/// Links an account to its service.
fn join(write: &WriteTransaction, user_id: u64, service_id: u64) -> Result<(), StoreError> {
    let Some(mut user) = users::get_in(write, user_id)? else {
        return Ok(());
    };
    user.service = Some(service_id);
    users::put(write, &user).map_err(|e| match e {
        users::CreateUserError::Store(e) => e,
        other => StoreError::Corrupt(other.to_string()),
    })
}

pub fn put(write: &WriteTransaction, service: &Service) -> Result<(), StoreError> {
    write
        .open_table(SERVICES)?
        .insert(service.id, encode(service)?.as_slice())?;
    // Its name and status are what the magistrats' lists show of it (issue 18).
    super::scope_versions::bump_for_mandataire(write, service.id)
}

pub fn get(read: &ReadTransaction, id: u64) -> Result<Option<Service>, StoreError> {
    let Some(table) = super::open_or_empty(read, SERVICES)? else {
        return Ok(None);
    };
    table.get(id)?.map(|v| decode(v.value())).transpose()
}

/// The service as the write transaction sees it.
pub fn get_in(write: &WriteTransaction, id: u64) -> Result<Option<Service>, StoreError> {
    write
        .open_table(SERVICES)?
        .get(id)?
        .map(|v| decode(v.value()))
        .transpose()
}

/// Every service.
pub fn all(read: &ReadTransaction) -> Result<Vec<Service>, StoreError> {
    let Some(table) = super::open_or_empty(read, SERVICES)? else {
        return Ok(Vec::new());
    };
    let mut all = Vec::new();
    for row in table.iter()? {
        all.push(decode(row?.1.value())?);
    }
    Ok(all)
}

/// The magistrat's list reads services where it reads accounts: a head named after the service (no first
/// name), of role `Service`, with the service's derived status.
pub fn heads(read: &ReadTransaction, ids: &[u64]) -> Result<Vec<Arc<UserHead>>, StoreError> {
    let Some(table) = super::open_or_empty(read, SERVICES)? else {
        return Ok(Vec::new());
    };
    let mut heads = Vec::new();
    for &id in ids {
        if let Some(value) = table.get(id)? {
            let service: Service = decode(value.value())?;
            heads.push(Arc::new(head(&service)));
        }
    }
    Ok(heads)
}

pub fn head(service: &Service) -> UserHead {
    UserHead {
        id: service.id,
        role: Role::Service,
        nom: service.nom.clone(),
        prenom: String::new(),
        status: service.status,
    }
}

/// Recomputes the service's status from its members' accounts: active while one administrateur is.
/// Returns the service as stored.
pub fn refresh_status(
    write: &WriteTransaction,
    service_id: u64,
) -> Result<Option<Service>, StoreError> {
    let Some(mut service) = get_in(write, service_id)? else {
        return Ok(None);
    };
    let mut status = AccountStatus::EnAttente;
    for membre in service.membres.iter().filter(|m| m.administrateur) {
        match users::get_in(write, membre.user_id)?.map(|u| u.status) {
            Some(AccountStatus::Actif) => {
                status = AccountStatus::Actif;
                break;
            }
            Some(AccountStatus::Desactive) => status = AccountStatus::Desactive,
            _ => {}
        }
    }
    if service.status != status {
        service.status = status;
        put(write, &service)?;
    }
    Ok(Some(service))
}

/// Adds a member (an invitation used) and links the account.
pub fn add_member(
    write: &WriteTransaction,
    service: &mut Service,
    user_id: u64,
) -> Result<(), StoreError> {
    service.membres.push(Membre {
        user_id,
        administrateur: false,
    });
    join(write, user_id, service.id)?;
    put(write, service)
}

// ---- Invitations ------------------------------------------------------------------------------------

/// Records a waiting invitation under its token's hash.
pub fn add_invitation(
    write: &WriteTransaction,
    service: &mut Service,
    invitation: Invitation,
) -> Result<(), StoreError> {
    write
        .open_table(INVITATIONS)?
        .insert(invitation.token_key.as_str(), service.id)?;
    service.invitations.push(invitation);
    put(write, service)
}

/// Forgets an invitation (used, withdrawn or expired).
pub fn remove_invitation(
    write: &WriteTransaction,
    service: &mut Service,
    token_key: &str,
) -> Result<(), StoreError> {
    write.open_table(INVITATIONS)?.remove(token_key)?;
    service.invitations.retain(|i| i.token_key != token_key);
    put(write, service)
}

/// Forgets the service's expired invitations (done whenever the list is written).
pub fn forget_expired(
    write: &WriteTransaction,
    service: &mut Service,
    at: i64,
) -> Result<(), StoreError> {
    let expired: Vec<String> = service
        .invitations
        .iter()
        .filter(|i| i.expires_at <= at)
        .map(|i| i.token_key.clone())
        .collect();
    if expired.is_empty() {
        return Ok(());
    }
    let mut table = write.open_table(INVITATIONS)?;
    for key in &expired {
        table.remove(key.as_str())?;
    }
    drop(table);
    service.invitations.retain(|i| i.expires_at > at);
    put(write, service)
}

/// The service an invitation token's hash opens, with the invitation (expired ones included: the page
/// says so).
pub fn invitation(
    read: &ReadTransaction,
    token_key: &str,
) -> Result<Option<(Service, Invitation)>, StoreError> {
    let Some(table) = super::open_or_empty(read, INVITATIONS)? else {
        return Ok(None);
    };
    let Some(service_id) = table.get(token_key)?.map(|v| v.value()) else {
        return Ok(None);
    };
    let Some(service) = get(read, service_id)? else {
        return Ok(None);
    };
    let invitation = service
        .invitations
        .iter()
        .find(|i| i.token_key == token_key)
        .cloned();
    Ok(invitation.map(|i| (service, i)))
}

/// `invitation` as the write transaction sees it.
pub fn invitation_in(
    write: &WriteTransaction,
    token_key: &str,
) -> Result<Option<(Service, Invitation)>, StoreError> {
    let Some(service_id) = write
        .open_table(INVITATIONS)?
        .get(token_key)?
        .map(|v| v.value())
    else {
        return Ok(None);
    };
    let Some(service) = get_in(write, service_id)? else {
        return Ok(None);
    };
    let invitation = service
        .invitations
        .iter()
        .find(|i| i.token_key == token_key)
        .cloned();
    Ok(invitation.map(|i| (service, i)))
}

// ---- Antennes ---------------------------------------------------------------------------------------

pub fn antenne(read: &ReadTransaction, id: u64) -> Result<Option<Antenne>, StoreError> {
    let Some(table) = super::open_or_empty(read, ANTENNES)? else {
        return Ok(None);
    };
    table.get(id)?.map(|v| decode(v.value())).transpose()
}

pub fn antenne_in(write: &WriteTransaction, id: u64) -> Result<Option<Antenne>, StoreError> {
    write
        .open_table(ANTENNES)?
        .get(id)?
        .map(|v| decode(v.value()))
        .transpose()
}

/// The service's antennes, in its order.
pub fn antennes_of(read: &ReadTransaction, service: &Service) -> Result<Vec<Antenne>, StoreError> {
    let Some(table) = super::open_or_empty(read, ANTENNES)? else {
        return Ok(Vec::new());
    };
    let mut all = Vec::with_capacity(service.antennes.len());
    for &id in &service.antennes {
        if let Some(value) = table.get(id)? {
            all.push(decode(value.value())?);
        }
    }
    Ok(all)
}

/// Stores an antenne record as it is (counters included): the counters' writer is `mesures`.
pub fn put_antenne_record(write: &WriteTransaction, antenne: &Antenne) -> Result<(), StoreError> {
    write
        .open_table(ANTENNES)?
        .insert(antenne.id, encode(antenne)?.as_slice())?;
    Ok(())
}

/// Creates (id 0) or changes an antenne's declared fields, keeping its counters, then the service's
/// capacity (the sum of its antennes'). Returns the antenne's id.
pub fn save_antenne(
    write: &WriteTransaction,
    service: &mut Service,
    mut antenne: Antenne,
) -> Result<u64, StoreError> {
    if antenne.id == 0 {
        antenne.id = next_id(write, "antenne")?;
        antenne.mesures_en_cours = 0;
        antenne.mesures_en_attente = 0;
        service.antennes.push(antenne.id);
        put(write, service)?;
    } else if let Some(stored) = antenne_in(write, antenne.id)? {
        antenne.mesures_en_cours = stored.mesures_en_cours;
        antenne.mesures_en_attente = stored.mesures_en_attente;
    }
    antenne.service_id = service.id;
    put_antenne_record(write, &antenne)?;
    sync_capacity(write, service)?;
    Ok(antenne.id)
}

/// Removes an antenne that holds no mesure (the caller checked it in this transaction).
pub fn delete_antenne(
    write: &WriteTransaction,
    service: &mut Service,
    id: u64,
) -> Result<(), StoreError> {
    write.open_table(ANTENNES)?.remove(id)?;
    service.antennes.retain(|a| *a != id);
    put(write, service)?;
    sync_capacity(write, service)
}

/// The service's "Nombre de mesures souhaitées" is the sum of its antennes' once it has antennes (issue 16:
/// the service's disponibilité is the sum); without antennes it is the one declared for the service.
pub fn sync_capacity(write: &WriteTransaction, service: &Service) -> Result<(), StoreError> {
    if service.antennes.is_empty() {
        return Ok(());
    }
    let mut total = 0_u32;
    for &id in &service.antennes {
        if let Some(antenne) = antenne_in(write, id)? {
            total = total.saturating_add(antenne.mesures_souhaitees);
        }
    }
    let Some(mut profile) = profiles::mandataire_in(write, service.id)? else {
        return Ok(());
    };
    if profile.mesures_souhaitees != total {
        profile.mesures_souhaitees = total;
        profile.derniere_mise_a_jour = Some(super::now());
        profiles::put_mandataire_record(write, service.id, &profile)?;
    }
    Ok(())
}
