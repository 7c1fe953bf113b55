//! The e-mail outbox (SPEC §13): every e-mail is written here in its cause's transaction; the background
//! sender delivers it when SMTP is configured. Without SMTP, the outbox is the delivery ("Courriels envoyés").

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::OUTBOX;
use super::{decode, encode, next_id, now, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailState {
    Pending,
    Sent,
    Failed,
}

impl EmailState {
    /// The "État" column of "Courriels envoyés".
    pub fn label(self) -> &'static str {
        match self {
            EmailState::Pending => "En attente d'envoi",
            EmailState::Sent => "Envoyé",
            EmailState::Failed => "Échec",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Email {
    pub id: u64,
    /// Unix seconds.
    pub created_at: i64,
    pub to: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
    pub state: EmailState,
    pub attempts: u32,
    /// Unix seconds of the next delivery attempt while pending.
    pub next_attempt_at: i64,
    pub sent_at: Option<i64>,
    /// The last SMTP error, for the administrator (never a secret).
    pub last_error: Option<String>,
    /// The text with its secret (a reset link), when `body` shows it masked: kept only until it is sent
    /// by SMTP, or, without SMTP, until the secret expires (issue 14, point 7). Administrators see `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub body: String,
    /// Unix seconds: the secret is worthless after this, and erased.
    pub until: i64,
}

impl Email {
    /// The text to deliver: with its secret while it is kept.
    pub fn text_to_send(&self) -> &str {
        self.secret.as_ref().map_or(&self.body, |s| &s.body)
    }
}

/// Queues an e-mail in the caller's write transaction.
pub fn queue(
    write: &WriteTransaction,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<u64, StoreError> {
    let id = next_id(write, "email")?;
    let created_at = now();
    let email = Email {
        id,
        created_at,
        to: to.to_owned(),
        subject: subject.to_owned(),
        body: body.to_owned(),
        state: EmailState::Pending,
        attempts: 0,
        next_attempt_at: created_at,
        sent_at: None,
        last_error: None,
        secret: None,
    };
    write
        .open_table(OUTBOX)?
        .insert(id, encode(&email)?.as_slice())?;
    Ok(id)
}

/// Queues an e-mail whose text holds a secret: `body` is the text with the secret masked (what is kept and
/// shown), `secret` the text to deliver, kept until it is sent or `until`.
pub fn queue_secret(
    write: &WriteTransaction,
    to: &str,
    subject: &str,
    body: &str,
    secret: Secret,
) -> Result<u64, StoreError> {
    let id = queue(write, to, subject, body)?;
    let mut table = write.open_table(OUTBOX)?;
    let mut email: Email = match table.get(id)? {
        Some(v) => decode(v.value())?,
        None => return Err(StoreError::Corrupt(format!("courriel {id} absent"))),
    };
    email.secret = Some(secret);
    table.insert(id, encode(&email)?.as_slice())?;
    Ok(id)
}

/// Erases the secrets expired at `now` (the hourly clean-up); returns how many.
pub fn forget_expired_secrets(write: &WriteTransaction, now: i64) -> Result<usize, StoreError> {
    let mut table = write.open_table(OUTBOX)?;
    let mut expired = Vec::new();
    for row in table.iter()? {
        let (id, value) = row?;
        let email: Email = decode(value.value())?;
        if email.secret.as_ref().is_some_and(|s| s.until < now) {
            expired.push((id.value(), email));
        }
    }
    for (id, mut email) in expired.iter().cloned() {
        email.secret = None;
        table.insert(id, encode(&email)?.as_slice())?;
    }
    Ok(expired.len())
}

pub fn get(read: &ReadTransaction, id: u64) -> Result<Option<Email>, StoreError> {
    let Some(table) = super::open_or_empty(read, OUTBOX)? else {
        return Ok(None);
    };
    table.get(id)?.map(|v| decode(v.value())).transpose()
}

/// Every e-mail, newest first.
pub fn newest_first(read: &ReadTransaction) -> Result<Vec<Email>, StoreError> {
    let Some(table) = super::open_or_empty(read, OUTBOX)? else {
        return Ok(Vec::new());
    };
    let mut emails = Vec::new();
    for row in table.iter()?.rev() {
        emails.push(decode(row?.1.value())?);
    }
    Ok(emails)
}

/// The e-mails `start..start + count` counted from the newest, newest first: ids follow time, so only
/// those are decoded (the rows before `start` are stepped over, not decoded).
pub fn newest(
    read: &ReadTransaction,
    start: usize,
    count: usize,
) -> Result<Vec<Email>, StoreError> {
    let Some(table) = super::open_or_empty(read, OUTBOX)? else {
        return Ok(Vec::new());
    };
    let mut emails = Vec::with_capacity(count.min(1_000));
    for row in table.iter()?.rev().skip(start).take(count) {
        emails.push(decode(row?.1.value())?);
    }
    Ok(emails)
}

/// How many e-mails the outbox holds (redb keeps a table's length: nothing is read).
pub fn count(read: &ReadTransaction) -> Result<usize, StoreError> {
    use redb::ReadableTableMetadata;
    let Some(table) = super::open_or_empty(read, OUTBOX)? else {
        return Ok(0);
    };
    Ok(usize::try_from(table.len()?).unwrap_or(usize::MAX))
}

/// Pending e-mails whose next attempt is due at `now`, oldest first.
pub fn due(read: &ReadTransaction, now: i64) -> Result<Vec<Email>, StoreError> {
    let Some(table) = super::open_or_empty(read, OUTBOX)? else {
        return Ok(Vec::new());
    };
    let mut emails = Vec::new();
    for row in table.iter()? {
        let email: Email = decode(row?.1.value())?;
        if email.state == EmailState::Pending && email.next_attempt_at <= now {
            emails.push(email);
        }
    }
    Ok(emails)
}

pub fn put(write: &WriteTransaction, email: &Email) -> Result<(), StoreError> {
    write
        .open_table(OUTBOX)?
        .insert(email.id, encode(email)?.as_slice())?;
    Ok(())
}

/// Removes e-mails created before `cutoff` (SPEC §7: kept 90 days).
pub fn purge_before(
    write: &WriteTransaction,
    cutoff: i64,
    limit: usize,
) -> Result<usize, StoreError> {
    // Ids follow time: the old e-mails are the first keys; at most `limit` per call (one batch).
    let mut table = write.open_table(OUTBOX)?;
    let mut old = Vec::new();
    for row in table.iter()? {
        let (id, value) = row?;
        let email: Email = decode(value.value())?;
        if email.created_at >= cutoff || old.len() >= limit {
            break;
        }
        old.push(id.value());
    }
    for id in &old {
        table.remove(*id)?;
    }
    Ok(old.len())
}
