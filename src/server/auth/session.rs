//! Sessions (SPEC §4.5): a random id (256 bits) in an `HttpOnly`, `SameSite=Lax` cookie (`Secure` and
//! `__Host-` under https); the database keeps its SHA-256 with the user id and the two timestamps that the
//! idle and absolute timeouts count from.

use axum::http::{header, HeaderMap};
use base64::Engine;
use redb::ReadableDatabase;
use sha2::Digest;

use crate::db::sessions::{self, Session};
use crate::db::users::{self, AccountStatus, User};
use crate::db::{now, StoreError};
use crate::server::AppState;

/// `last_seen` is rewritten at most this often: a session does not cost a write transaction per request.
const TOUCH_EVERY_SECS: i64 = 60;

/// A random token of 256 bits, URL-safe: session ids and reset tokens.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored key of a token: its SHA-256, hex.
pub fn token_key(token: &str) -> String {
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The cookie's name: `__Host-` requires `Secure`, so only under https.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.settings.https() {
        "__Host-emjpm_session"
    } else {
        "emjpm_session"
    }
}

/// The `Set-Cookie` value that gives the browser a session id.
pub fn set_cookie(state: &AppState, id: &str) -> String {
    let secure = if state.settings.https() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={id}; Path=/; HttpOnly; SameSite=Lax{secure}",
        cookie_name(state)
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(state: &AppState) -> String {
    let secure = if state.settings.https() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        cookie_name(state)
    )
}

/// The value of cookie `name` in a request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Opens a session for a user in the caller's write transaction; returns the id for the cookie. A new id
/// at each login: an id planted before login never becomes a logged-in one.
pub fn open(write: &redb::WriteTransaction, user_id: u64) -> Result<String, StoreError> {
    let id = random_token();
    let at = now();
    sessions::insert(
        write,
        &token_key(&id),
        &Session {
            user_id,
            created_at: at,
            last_seen: at,
        },
    )?;
    Ok(id)
}

/// A logged-in request: the active account and the key of its session.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user: User,
    pub session_key: String,
}

impl Caller {
    /// Whose mesures and profile the caller works on: a service member's service (issue 16), else the
    /// caller. A service account without a service (never written by the product) gets an id no profile
    /// has, so that every page of the space answers 404 instead of showing someone's data.
    pub fn owner(&self) -> u64 {
        match self.user.role {
            crate::rules::account::Role::Service => self.user.service.unwrap_or(u64::MAX),
            _ => self.user.id,
        }
    }
}

/// The caller of a request, from its session cookie only. A session past a timeout, or of an account that is
/// no longer active, is removed and the request is anonymous.
pub fn caller(state: &AppState, headers: &HeaderMap) -> Result<Option<Caller>, StoreError> {
    let Some(id) = cookie(headers, cookie_name(state)).filter(|id| !id.is_empty()) else {
        return Ok(None);
    };
    let key = token_key(id);
    let read = state.db.begin_read()?;
    let Some(session) = sessions::get(&read, &key)? else {
        return Ok(None);
    };
    let user = users::get(&read, session.user_id)?;
    drop(read);
    let at = now();
    let settings = &state.settings;
    let expired = at - session.last_seen > settings.session_idle_secs
        || at - session.created_at > settings.session_absolute_secs;
    let user = user.filter(|u| u.status == AccountStatus::Actif);
    let Some(user) = user.filter(|_| !expired) else {
        let write = crate::server::blocking::begin_write(&state.db)?;
        sessions::remove(&write, &key)?;
        crate::server::blocking::commit(write)?;
        return Ok(None);
    };
    if at - session.last_seen >= TOUCH_EVERY_SECS {
        let write = crate::server::blocking::begin_write(&state.db)?;
        // Re-read inside the write: a logout racing this request must not be undone.
        let current = sessions::get_for_update(&write, &key)?;
        if let Some(mut current) = current {
            current.last_seen = at;
            sessions::insert(&write, &key, &current)?;
        }
        crate::server::blocking::commit(write)?;
    }
    Ok(Some(Caller {
        user,
        session_key: key,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in base64url");
        let key = token_key(&a);
        assert_eq!(key.len(), 64);
        assert!(!key.contains(&a));
        assert_eq!(key, token_key(&a));
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "autre=1; emjpm_session=abc; x=y".parse().unwrap(),
        );
        assert_eq!(cookie(&headers, "emjpm_session"), Some("abc"));
        assert_eq!(cookie(&headers, "absent"), None);
    }
}
