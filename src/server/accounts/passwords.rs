//! Forgotten, reset and changed passwords (SPEC §4.3).

use redb::ReadableDatabase;

use crate::api::form::{FormReply, FormState};
use crate::api::AppError;
use crate::db::users::{self, AccountStatus};
use crate::db::{audit, now, reset_tokens, sessions};
use crate::rules::account::normalize_email;
use crate::rules::profile::{self as rules};
use crate::server::auth::session;
use crate::server::auth::throttle::IpEvent;
use crate::server::context::{Ctx, Visit};
use crate::server::{flash, mail};

use super::login::LOGIN_PAGE;
use super::*;
use crate::rules::forms::account::new_password;
use crate::server::forms::*;

pub(super) const FORGOT_PAGE: &str = "/mot-de-passe-oublie";
pub(super) const FORGOT_FORM: &str = "mot-de-passe-oublie";

pub async fn request_reset(email: String) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let mut out = FormState::default();
    out.set("email", email.clone());
    let Some(email) = normalize_email(&email)
        .map_err(|m| {
            if email.trim().is_empty() {
                out.fail("email", rules::required("Adresse email"));
            } else {
                out.fail("email", m);
            }
        })
        .ok()
    else {
        return Ok(refuse(&parts, FORGOT_FORM, FORGOT_PAGE, out, &[]));
    };
    if state.throttle.address_blocked(IpEvent::ResetRequest, &ip) {
        return Err(throttled());
    }
    state.throttle.address_counted(IpEvent::ResetRequest, &ip);
    let user = {
        let read = state.db.begin_read()?;
        users::find_by_login(&read, &email)?
    };
    let write = crate::server::blocking::begin_write(&state.db)?;
    match &user {
        Some(user) => {
            let (token, expires_at) = issue_reset_token(&write, user.id)?;
            mail::queue_reset(
                &write,
                &state.settings,
                &user.email,
                &user.identifiant,
                &token,
                expires_at,
            )?;
            audit::record(
                &write,
                Some(user.id),
                &ip,
                "Demande de réinitialisation du mot de passe",
                &format!("utilisateur {}", user.id),
                "Succès",
            )?;
        }
        None => {
            audit::record(
                &write,
                None,
                &ip,
                "Demande de réinitialisation du mot de passe",
                "",
                "Adresse inconnue",
            )?;
        }
    }
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(flash::stay(&parts, FORGOT_PAGE, RESET_SENT))
}

/// True when a reset link can still be used (the page shows the form, or the "plus valable" message).
pub fn reset_link_valid(jeton: &str) -> Result<bool, AppError> {
    let Visit { state, .. } = Visit::current()?;
    let read = state.db.begin_read()?;
    Ok(reset_tokens::peek(&read, &session::token_key(jeton), now())?.is_some())
}

pub(super) const RESET_FORM: &str = "reinitialiser";

pub async fn reset_password(
    jeton: String,
    mot_de_passe: String,
    confirmation: String,
) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let page = format!(
        "/reinitialiser-mot-de-passe?jeton={}",
        url::form_urlencoded::byte_serialize(jeton.as_bytes()).collect::<String>()
    );
    let key = session::token_key(&jeton);
    let mut out = FormState::default();
    let user = {
        let read = state.db.begin_read()?;
        match reset_tokens::peek(&read, &key, now())? {
            Some(token) => users::get(&read, token.user_id)?,
            None => None,
        }
    };
    let Some(user) = user else {
        out.fail("", RESET_LINK_DEAD);
        return Ok(refuse(&parts, RESET_FORM, &page, out, &[]));
    };
    let fields = ["nouveau", "confirmation"];
    new_password(
        &mut out,
        &mot_de_passe,
        &confirmation,
        &user.identifiant,
        &user.email,
        &StateReferences(&state),
    );
    if !out.errors.is_empty() {
        return Ok(refuse(&parts, RESET_FORM, &page, out, &fields));
    }
    let password_hash = hash_password(mot_de_passe).await?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    // Taken inside the write: two concurrent uses cannot both succeed.
    if reset_tokens::take(&write, &key, now())?.is_none() {
        drop(write);
        out.fail("", RESET_LINK_DEAD);
        return Ok(refuse(&parts, RESET_FORM, &page, out, &[]));
    }
    if !change_password_in(
        &write,
        &ip,
        user.id,
        None,
        password_hash,
        None,
        "Réinitialisation du mot de passe",
    )? {
        drop(write);
        out.fail("", RESET_LINK_DEAD);
        return Ok(refuse(&parts, RESET_FORM, &page, out, &[]));
    }
    reset_tokens::remove_for_user(&write, user.id)?;
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(done(&parts, LOGIN_PAGE, Some(PASSWORD_RESET_DONE)))
}

/// Stores a new hash, ends the sessions (all but `keep`), queues "Confirmation du mot de passe" and audits,
/// in the caller's transaction. The account is read again there and only its hash is changed: a concurrent
/// change (deactivation, another password) is never undone. With `verified`, the hash the current password
/// was checked against, `Ok(false)` and nothing written when the account is no longer active or its
/// password changed since.
pub(super) fn change_password_in(
    write: &redb::WriteTransaction,
    ip: &str,
    user_id: u64,
    verified: Option<&str>,
    password_hash: String,
    keep: Option<&str>,
    action: &str,
) -> Result<bool, AppError> {
    let Some(mut current) = users::get_in(write, user_id)? else {
        return Ok(false);
    };
    if let Some(verified) = verified {
        if current.status != AccountStatus::Actif || current.password_hash != verified {
            return Ok(false);
        }
    }
    current.password_hash = password_hash;
    users::put(write, &current)?;
    sessions::remove_for_user(write, user_id, keep)?;
    mail::queue(
        write,
        &current.email,
        mail::SUBJECT_PASSWORD_CHANGED,
        &mail::password_changed_body(now()),
    )?;
    audit::record(
        write,
        Some(user_id),
        ip,
        action,
        &format!("utilisateur {user_id}"),
        "Succès",
    )?;
    Ok(true)
}

pub(super) const CHANGE_PAGE: &str = "/compte/mot-de-passe";
pub(super) const CHANGE_FORM: &str = "mot-de-passe";

pub async fn change_password(
    actuel: String,
    nouveau: String,
    confirmation: String,
) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::any()?;
    let mut out = FormState::default();
    let fields = ["actuel", "nouveau", "confirmation"];
    if actuel.is_empty() {
        out.fail("actuel", rules::required("Mot de passe actuel"));
    } else if let Err(message) =
        super::check_current_password(&state, &ip, &caller.user, actuel).await?
    {
        out.fail("actuel", message);
    }
    new_password(
        &mut out,
        &nouveau,
        &confirmation,
        &caller.user.identifiant,
        &caller.user.email,
        &StateReferences(&state),
    );
    // The confirmation's message comes after the new password's, as in the form.
    out.errors
        .sort_by_key(|(field, _)| fields.iter().position(|f| f == field));
    if !out.errors.is_empty() {
        return Ok(refuse(&parts, CHANGE_FORM, CHANGE_PAGE, out, &fields));
    }
    let password_hash = hash_password(nouveau).await?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    if !change_password_in(
        &write,
        &ip,
        caller.user.id,
        Some(&caller.user.password_hash),
        password_hash,
        Some(&caller.session_key),
        "Changement du mot de passe",
    )? {
        // The password was changed (or the account deactivated) while this one was being checked.
        drop(write);
        out.fail("actuel", CURRENT_PASSWORD_WRONG);
        return Ok(refuse(&parts, CHANGE_FORM, CHANGE_PAGE, out, &fields));
    }
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(flash::stay(&parts, CHANGE_PAGE, PASSWORD_CHANGED))
}
