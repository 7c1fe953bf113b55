//! Accounts (SPEC §4): creation with unique identifiant and e-mail, look-ups.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::{USERS, USERS_BY_EMAIL, USERS_BY_IDENTIFIANT, USERS_BY_STATUS};
use super::{next_id, now, StoreError};
use crate::rules::account::Role;

/// Where an account stands: created by sign-up (waiting), active, or deactivated by an admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    EnAttente,
    Actif,
    Desactive,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    /// Lower-case.
    pub identifiant: String,
    /// Lower-case.
    pub email: String,
    pub role: Role,
    pub nom: String,
    pub prenom: String,
    pub status: AccountStatus,
    /// argon2id PHC string; never shown, never logged.
    pub password_hash: String,
    /// Unix seconds.
    pub created_at: i64,
    pub last_login: Option<i64>,
    /// The service a `Role::Service` account belongs to (issue 16): its mesures are the service's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<u64>,
    /// When the account was deactivated (Unix seconds; issue 19): erased after the retention delay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desactive_le: Option<i64>,
    /// The admin's second factor (issue 19); never shown, never exported, never logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deux_facteurs: Option<DeuxFacteurs>,
}

/// A TOTP second factor (RFC 6238): its secret, whether the enrolment was confirmed, the last time step
/// accepted (a code is accepted once), and the SHA-256 of the recovery codes not used yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeuxFacteurs {
    /// Base32, as the authenticator app reads it.
    pub secret: String,
    /// Unix seconds of the confirmation; `None` while the enrolment waits for its first code.
    pub actif_depuis: Option<i64>,
    #[serde(default)]
    pub dernier_pas: u64,
    #[serde(default)]
    pub secours: Vec<String>,
}

impl User {
    /// The second factor is enrolled and confirmed.
    pub fn two_factor_active(&self) -> bool {
        self.deux_facteurs
            .as_ref()
            .is_some_and(|d| d.actif_depuis.is_some())
    }
}

/// What a new account needs; identifiant and e-mail already normalised.
pub struct NewUser {
    pub identifiant: String,
    pub email: String,
    pub role: Role,
    pub nom: String,
    pub prenom: String,
    pub status: AccountStatus,
    pub password_hash: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("{}", crate::rules::account::IDENTIFIANT_TAKEN)]
    IdentifiantTaken,
    #[error("{}", crate::rules::account::EMAIL_TAKEN)]
    EmailTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<E: Into<redb::Error>> From<E> for CreateUserError {
    fn from(e: E) -> Self {
        CreateUserError::Store(StoreError::from(e.into()))
    }
}

/// Creates an account in the caller's write transaction; refuses a taken identifiant or e-mail.
pub fn create(write: &WriteTransaction, new: NewUser) -> Result<User, CreateUserError> {
    let mut by_identifiant = write.open_table(USERS_BY_IDENTIFIANT)?;
    let mut by_email = write.open_table(USERS_BY_EMAIL)?;
    if by_identifiant.get(new.identifiant.as_str())?.is_some() {
        return Err(CreateUserError::IdentifiantTaken);
    }
    if by_email.get(new.email.as_str())?.is_some() {
        return Err(CreateUserError::EmailTaken);
    }
    let id = next_id(write, "user")?;
    let user = User {
        id,
        identifiant: new.identifiant,
        email: new.email,
        role: new.role,
        nom: new.nom,
        prenom: new.prenom,
        status: new.status,
        password_hash: new.password_hash,
        created_at: now(),
        last_login: None,
        service: None,
        desactive_le: None,
        deux_facteurs: None,
    };
    by_identifiant.insert(user.identifiant.as_str(), id)?;
    by_email.insert(user.email.as_str(), id)?;
    write
        .open_table(USERS_BY_STATUS)?
        .insert((status_code(user.status), id), ())?;
    let bytes = serde_json::to_vec(&user).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    write.open_table(USERS)?.insert(id, bytes.as_slice())?;
    Ok(user)
}

fn decode(bytes: &[u8]) -> Result<User, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub fn get(read: &ReadTransaction, id: u64) -> Result<Option<User>, StoreError> {
    let Some(table) = super::open_or_empty(read, USERS)? else {
        return Ok(None);
    };
    table.get(id)?.map(|v| decode(v.value())).transpose()
}

/// What a list of people shows of an account. Decoded from the stored record without the fields it does not
/// need (serde skips them without allocating): the magistrat's list reads hundreds per page.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct UserHead {
    pub id: u64,
    pub role: Role,
    pub nom: String,
    pub prenom: String,
    pub status: AccountStatus,
}

impl From<&User> for UserHead {
    fn from(user: &User) -> Self {
        UserHead {
            id: user.id,
            role: user.role,
            nom: user.nom.clone(),
            prenom: user.prenom.clone(),
            status: user.status,
        }
    }
}

static HEADS: std::sync::LazyLock<super::decode_cache::DecodeCache<UserHead>> =
    std::sync::LazyLock::new(super::decode_cache::DecodeCache::new);

/// The heads of these accounts (missing ones skipped), in order, through one opening of the table.
pub fn heads(
    read: &ReadTransaction,
    ids: &[u64],
) -> Result<Vec<std::sync::Arc<UserHead>>, StoreError> {
    let Some(table) = super::open_or_empty(read, USERS)? else {
        return Ok(Vec::new());
    };
    let mut heads = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(value) = table.get(id)? {
            heads.push(HEADS.decode(id, value.value())?);
        }
    }
    Ok(heads)
}

/// The account whose identifiant or e-mail is `login`, ignoring case and surrounding spaces (SPEC §4.3).
pub fn find_by_login(read: &ReadTransaction, login: &str) -> Result<Option<User>, StoreError> {
    let key = login.trim().to_lowercase();
    let index = if key.contains('@') {
        USERS_BY_EMAIL
    } else {
        USERS_BY_IDENTIFIANT
    };
    let Some(table) = super::open_or_empty(read, index)? else {
        return Ok(None);
    };
    let Some(id) = table.get(key.as_str())?.map(|v| v.value()) else {
        return Ok(None);
    };
    get(read, id)
}

/// `find_by_login` as the write transaction sees it.
pub fn find_by_login_in(write: &WriteTransaction, login: &str) -> Result<Option<User>, StoreError> {
    let key = login.trim().to_lowercase();
    let index = if key.contains('@') {
        USERS_BY_EMAIL
    } else {
        USERS_BY_IDENTIFIANT
    };
    let id = write
        .open_table(index)?
        .get(key.as_str())?
        .map(|v| v.value());
    match id {
        Some(id) => get_in(write, id),
        None => Ok(None),
    }
}

/// Whether an account uses this identifiant or e-mail (normalised), as the write transaction sees it.
pub fn login_taken_in(write: &WriteTransaction, login: &str) -> Result<bool, StoreError> {
    let index = if login.contains('@') {
        USERS_BY_EMAIL
    } else {
        USERS_BY_IDENTIFIANT
    };
    Ok(write.open_table(index)?.get(login)?.is_some())
}

/// The account as the write transaction sees it.
pub fn get_in(write: &WriteTransaction, id: u64) -> Result<Option<User>, StoreError> {
    write
        .open_table(USERS)?
        .get(id)?
        .map(|v| super::decode(v.value()))
        .transpose()
}

/// Rewrites an existing account (status, password hash, last login…); identifiant and e-mail indexes are
/// kept in step when they change.
pub fn put(write: &WriteTransaction, user: &User) -> Result<(), CreateUserError> {
    let mut table = write.open_table(USERS)?;
    let previous: Option<User> = table.get(user.id)?.map(|v| decode(v.value())).transpose()?;
    if let Some(previous) = &previous {
        if previous.email != user.email {
            let mut by_email = write.open_table(USERS_BY_EMAIL)?;
            if by_email.get(user.email.as_str())?.is_some() {
                return Err(CreateUserError::EmailTaken);
            }
            by_email.remove(previous.email.as_str())?;
            by_email.insert(user.email.as_str(), user.id)?;
        }
    }
    let bytes = serde_json::to_vec(user).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    table.insert(user.id, bytes.as_slice())?;
    if previous.as_ref().map(|p| p.status) != Some(user.status) {
        let mut by_status = write.open_table(USERS_BY_STATUS)?;
        if let Some(previous) = &previous {
            by_status.remove((status_code(previous.status), user.id))?;
        }
        by_status.insert((status_code(user.status), user.id), ())?;
    }
    // A reset link sent before a change of password or e-mail, or to an account no longer active, must
    // not work afterwards (issue 14, point 8): revoked here, by construction, whatever the caller.
    let revoke = previous.as_ref().is_some_and(|previous| {
        previous.email != user.email
            || previous.password_hash != user.password_hash
            || user.status != AccountStatus::Actif
    });
    drop(table);
    if revoke {
        super::reset_tokens::remove_for_user(write, user.id)?;
    }
    // What the magistrats' lists show of a mandataire changed (issue 18): the scope versions of its tribunaux.
    let shown = |u: &User| (u.prenom.clone(), u.nom.clone(), u.role, u.status);
    if previous.as_ref().is_none_or(|p| shown(p) != shown(user)) {
        super::scope_versions::bump_for_mandataire(write, user.id)?;
    }
    Ok(())
}

/// Deletes an account with its identifiant and e-mail entries, its sessions and reset links (a member
/// removed from a service, issue 16). Its audit entries stay: they name it by id.
pub fn delete(write: &WriteTransaction, id: u64) -> Result<Option<User>, StoreError> {
    let Some(user) = get_in(write, id)? else {
        return Ok(None);
    };
    super::scope_versions::bump_for_mandataire(write, id)?;
    write.open_table(USERS)?.remove(id)?;
    write
        .open_table(USERS_BY_STATUS)?
        .remove((status_code(user.status), id))?;
    write
        .open_table(USERS_BY_IDENTIFIANT)?
        .remove(user.identifiant.as_str())?;
    write
        .open_table(USERS_BY_EMAIL)?
        .remove(user.email.as_str())?;
    super::sessions::remove_for_user(write, id, None)?;
    super::reset_tokens::remove_for_user(write, id)?;
    Ok(Some(user))
}

/// The key of an account's status in `users_by_status`.
pub(crate) fn status_code(status: AccountStatus) -> u8 {
    match status {
        AccountStatus::EnAttente => 0,
        AccountStatus::Actif => 1,
        AccountStatus::Desactive => 2,
    }
}

/// How many accounts there are (redb keeps the length).
pub fn count(read: &ReadTransaction) -> Result<usize, StoreError> {
    use redb::ReadableTableMetadata;
    let Some(table) = super::open_or_empty(read, USERS)? else {
        return Ok(0);
    };
    Ok(usize::try_from(table.len()?).unwrap_or(usize::MAX))
}

/// How many accounts have this status: their keys counted, nothing decoded.
pub fn count_with_status(
    read: &ReadTransaction,
    status: AccountStatus,
) -> Result<usize, StoreError> {
    let Some(index) = super::open_or_empty(read, USERS_BY_STATUS)? else {
        return Ok(0);
    };
    let code = status_code(status);
    Ok(index.range((code, 0)..=(code, u64::MAX))?.count())
}

/// The ids of the accounts with one of these statuses, newest first, after skipping `skip`, at most
/// `count`: an admin tab's page read from the index (issue 20).
pub fn ids_with_status(
    read: &ReadTransaction,
    statuses: &[AccountStatus],
    skip: usize,
    count: usize,
) -> Result<Vec<u64>, StoreError> {
    let Some(index) = super::open_or_empty(read, USERS_BY_STATUS)? else {
        return Ok(Vec::new());
    };
    if let [status] = statuses {
        let code = status_code(*status);
        return index
            .range((code, 0)..=(code, u64::MAX))?
            .rev()
            .skip(skip)
            .take(count)
            .map(|row| Ok(row?.0.value().1))
            .collect();
    }
    // Several statuses (small ones: waiting and deactivated): merged, newest first.
    let mut ids = Vec::new();
    for status in statuses {
        let code = status_code(*status);
        for row in index.range((code, 0)..=(code, u64::MAX))? {
            ids.push(row?.0.value().1);
        }
    }
    ids.sort_unstable_by(|a, b| b.cmp(a));
    Ok(ids.into_iter().skip(skip).take(count).collect())
}

/// These accounts (missing ones skipped), in order.
pub fn get_many(read: &ReadTransaction, ids: &[u64]) -> Result<Vec<User>, StoreError> {
    let Some(table) = super::open_or_empty(read, USERS)? else {
        return Ok(Vec::new());
    };
    let mut users = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(value) = table.get(id)? {
            users.push(decode(value.value())?);
        }
    }
    Ok(users)
}

/// The status index rebuilt from the accounts (schema 12).
pub(crate) fn rebuild_status_index(write: &WriteTransaction) -> Result<(), StoreError> {
    let entries: Vec<(u8, u64)> = {
        let table = write.open_table(USERS)?;
        let mut entries = Vec::new();
        for row in table.iter()? {
            let (id, bytes) = row?;
            let head: UserHead = super::decode(bytes.value())?;
            entries.push((status_code(head.status), id.value()));
        }
        entries
    };
    let mut index = write.open_table(USERS_BY_STATUS)?;
    index.retain(|_, _| false)?;
    for key in entries {
        index.insert(key, ())?;
    }
    Ok(())
}

/// Every account, by id.
pub fn all(read: &ReadTransaction) -> Result<Vec<User>, StoreError> {
    let Some(table) = super::open_or_empty(read, USERS)? else {
        return Ok(Vec::new());
    };
    let mut users = Vec::new();
    for row in table.iter()? {
        users.push(decode(row?.1.value())?);
    }
    Ok(users)
}

/// How many accounts wait for an admin's validation (the "Utilisateurs" badge of every admin tab, issue 19),
/// counted on the status index.
pub fn count_waiting(read: &ReadTransaction) -> Result<usize, StoreError> {
    count_with_status(read, AccountStatus::EnAttente)
}

/// Active administrators' e-mails (they receive "Nouvelle inscription"), read in the sign-up's transaction.
pub fn active_admin_emails_in(write: &WriteTransaction) -> Result<Vec<String>, StoreError> {
    let table = write.open_table(USERS)?;
    let mut emails = Vec::new();
    for row in table.iter()? {
        let user = decode(row?.1.value())?;
        if user.role == Role::Admin && user.status == AccountStatus::Actif {
            emails.push(user.email);
        }
    }
    Ok(emails)
}

/// Number of active administrators as the write transaction sees them (nobody deletes the last one).
pub fn count_active_admins_in(write: &WriteTransaction) -> Result<usize, StoreError> {
    let table = write.open_table(USERS)?;
    let mut count = 0;
    for row in table.iter()? {
        let head: UserHead = super::decode(row?.1.value())?;
        if head.role == Role::Admin && head.status == AccountStatus::Actif {
            count += 1;
        }
    }
    Ok(count)
}

/// Number of active administrators: the start-up hint appears when there is none.
pub fn count_active_admins(read: &ReadTransaction) -> Result<usize, StoreError> {
    let Some(table) = super::open_or_empty(read, USERS)? else {
        return Ok(0);
    };
    let mut count = 0;
    for row in table.iter()? {
        let user = decode(row?.1.value())?;
        if user.role == Role::Admin && user.status == AccountStatus::Actif {
            count += 1;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::ReadableDatabase;

    fn new_user(identifiant: &str, email: &str) -> NewUser {
        NewUser {
            identifiant: identifiant.to_owned(),
            email: email.to_owned(),
            role: Role::Admin,
            nom: "Martin".to_owned(),
            prenom: "Claire".to_owned(),
            status: AccountStatus::Actif,
            password_hash: "$argon2id$…".to_owned(),
        }
    }

    #[test]
    fn identifiant_and_email_are_unique_and_found_ignoring_case() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::open(dir.path()).unwrap();
        let write = db.begin_write().unwrap();
        let created = create(&write, new_user("claire.martin", "claire@exemple.fr")).unwrap();
        assert!(matches!(
            create(&write, new_user("claire.martin", "autre@exemple.fr")),
            Err(CreateUserError::IdentifiantTaken)
        ));
        assert!(matches!(
            create(&write, new_user("autre", "claire@exemple.fr")),
            Err(CreateUserError::EmailTaken)
        ));
        write.commit().unwrap();

        let read = db.begin_read().unwrap();
        assert_eq!(
            find_by_login(&read, "  Claire.Martin ")
                .unwrap()
                .unwrap()
                .id,
            created.id
        );
        assert_eq!(
            find_by_login(&read, "CLAIRE@EXEMPLE.FR")
                .unwrap()
                .unwrap()
                .id,
            created.id
        );
        assert!(find_by_login(&read, "inconnu").unwrap().is_none());
        assert_eq!(count_active_admins(&read).unwrap(), 1);
    }
}
