//! Login and logout (SPEC §4.3, §4.5).

use axum::http::{header, HeaderValue};
use leptos::prelude::*;

use redb::ReadableDatabase;

use crate::api::form::{FormReply, FormState};
use crate::api::AppError;
use crate::db::users::{self, AccountStatus};
use crate::db::{audit, now, sessions};
use crate::rules::profile::{self as rules};
use crate::server::auth::throttle::IpEvent;
use crate::server::auth::{password, session};
use crate::server::context::Visit;
use crate::server::AppState;

use super::*;
use crate::server::forms::*;

pub(super) const LOGIN_PAGE: &str = "/connexion";
pub(super) const LOGIN_FORM: &str = "connexion";
/// The longest identifiant or e-mail address (RFC 5321's 254 characters).
const MAX_LOGIN_CHARS: usize = 254;

pub async fn login(
    identifiant: String,
    mot_de_passe: String,
    retour: String,
) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    // A return path longer than any page's address is not one.
    let retour = if retour.len() > 2048 {
        String::new()
    } else {
        retour
    };
    // An identifiant or an e-mail address has at most 254 characters; the length is checked on the raw
    // text before it is folded.
    let too_long = identifiant.len() > 4 * MAX_LOGIN_CHARS
        || identifiant.trim().chars().count() > MAX_LOGIN_CHARS;
    let account_key = if too_long {
        String::new()
    } else {
        identifiant.trim().to_lowercase()
    };
    let mut out = FormState::default();
    out.set("identifiant", identifiant.clone());
    out.set("retour", retour.clone());
    let login_page = if retour.is_empty() {
        LOGIN_PAGE.to_owned()
    } else {
        format!(
            "{LOGIN_PAGE}?retour={}",
            url::form_urlencoded::byte_serialize(retour.as_bytes()).collect::<String>()
        )
    };
    if identifiant.trim().is_empty() || mot_de_passe.is_empty() {
        if identifiant.trim().is_empty() {
            out.fail(
                "identifiant",
                rules::required("Identifiant ou adresse email"),
            );
        }
        if mot_de_passe.is_empty() {
            out.fail("mot_de_passe", rules::required("Mot de passe"));
        }
        return Ok(refuse(
            &parts,
            LOGIN_FORM,
            &login_page,
            out,
            &["mot_de_passe"],
        ));
    }
    // Each attempt is counted before its password is verified (and taken back if it succeeds): parallel
    // guesses cannot all pass the checks before any of them is counted.
    if !state.throttle.address_try(IpEvent::FailedLogin, &ip) {
        return Err(throttled());
    }
    // No identifiant nor e-mail is that long: simply incorrect, before any other work.
    if too_long {
        out.fail("identifiant", LOGIN_FAILED);
        return Ok(refuse(&parts, LOGIN_FORM, &login_page, out, &[]));
    }
    let user = {
        let read = state.db.begin_read()?;
        users::find_by_login(&read, &account_key)?
    };
    // Counted per account when it exists (whichever of its identifiant or e-mail is typed), else per typed
    // text, which is at most `MAX_LOGIN_CHARS` long.
    let account_key = user.as_ref().map_or(account_key, |u| format!("#{}", u.id));
    if let Err(seconds) = state.throttle.account_try(&account_key) {
        state.throttle.address_uncount(IpEvent::FailedLogin, &ip);
        out.fail(
            "identifiant",
            format!("Trop de tentatives de connexion. Réessayez dans {seconds} secondes."),
        );
        return Ok(refuse(&parts, LOGIN_FORM, &login_page, out, &[]));
    }
    // The same work for an unknown identifiant: a hash is verified either way.
    let phc = user
        .as_ref()
        .map_or_else(|| password::DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let correct = match verify_password(mot_de_passe.clone(), phc).await {
        Ok(correct) => correct && user.is_some(),
        Err(AppError::TooManyRequests) => {
            // Nothing was verified: the attempt is not counted.
            state.throttle.address_uncount(IpEvent::FailedLogin, &ip);
            state.throttle.account_untry(&account_key);
            return Err(throttled());
        }
        Err(error) => return Err(error),
    };
    let Some(user) = user.filter(|_| correct) else {
        record(
            &state,
            None,
            &ip,
            "Échec de connexion",
            "",
            "Identifiant ou mot de passe incorrect",
        )?;
        out.fail("identifiant", LOGIN_FAILED);
        return Ok(refuse(&parts, LOGIN_FORM, &login_page, out, &[]));
    };
    state.throttle.account_succeeded(&account_key);
    state.throttle.address_uncount(IpEvent::FailedLogin, &ip);
    let rehash =
        if password::needs_rehash(&user.password_hash) && user.status == AccountStatus::Actif {
            Some(hash_password(mot_de_passe).await?)
        } else {
            None
        };
    let previous =
        session::cookie(&parts.headers, session::cookie_name(&state)).map(session::token_key);
    let write = crate::server::blocking::begin_write(&state.db)?;
    // The account as it is now: a deactivation or a change of password committed while the password was
    // being verified wins. Only the fields this login changes are written on it.
    let current = users::get_in(&write, user.id)?;
    let refusal = match &current {
        None => Some(LOGIN_FAILED),
        Some(current) if current.password_hash != user.password_hash => Some(LOGIN_FAILED),
        Some(current) => match current.status {
            AccountStatus::EnAttente => Some(NOT_YET_ACTIVE),
            AccountStatus::Desactive => Some(DEACTIVATED),
            AccountStatus::Actif => None,
        },
    };
    let (Some(mut current), None) = (current, refusal) else {
        drop(write);
        let message = refusal.unwrap_or(LOGIN_FAILED);
        record(
            &state,
            Some(user.id),
            &ip,
            "Échec de connexion",
            &format!("utilisateur {}", user.id),
            message,
        )?;
        out.fail("identifiant", message);
        return Ok(refuse(&parts, LOGIN_FORM, &login_page, out, &[]));
    };
    // An admin with a second factor gets the code page instead of a session (issue 19).
    if current.role == crate::rules::account::Role::Admin && current.two_factor_active() {
        drop(write);
        return super::two_factor::ask_for_code(&state, &parts, &ip, current.id, &retour);
    }
    if let Some(previous) = previous {
        sessions::remove(&write, &previous)?;
    }
    let id = session::open(&write, user.id)?;
    current.last_login = Some(now());
    if let Some(phc) = rehash {
        current.password_hash = phc;
    }
    users::put(&write, &current)?;
    audit::record(
        &write,
        Some(user.id),
        &ip,
        "Connexion réussie",
        &format!("utilisateur {}", user.id),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    set_cookie(&session::set_cookie(&state, &id));
    // Under `--double-authentification-obligatoire`, an admin without a second factor enrols first.
    let must_enrol = state.settings.admin_two_factor_required
        && current.role == crate::rules::account::Role::Admin
        && !current.two_factor_active();
    if must_enrol {
        return Ok(done(&parts, super::two_factor::ENROL_PAGE, None));
    }
    let target = crate::server::auth::safe_return_path(&retour)
        .filter(|path| {
            crate::server::auth::section_roles(path).is_none_or(|roles| roles.contains(&user.role))
                && !path.starts_with(LOGIN_PAGE)
        })
        .unwrap_or(user.role.home())
        .to_owned();
    Ok(done(&parts, &target, None))
}

pub(super) fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// One audit entry in its own write transaction (for events that change nothing else).
pub(super) fn record(
    state: &AppState,
    actor: Option<u64>,
    ip: &str,
    action: &str,
    object: &str,
    result: &str,
) -> Result<(), AppError> {
    let write = crate::server::blocking::begin_write(&state.db)?;
    audit::record(&write, actor, ip, action, object, result)?;
    crate::server::blocking::commit(write).map_err(AppError::internal)
}

pub async fn logout() -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    if let Some(caller) = session::caller(&state, &parts.headers)? {
        let write = crate::server::blocking::begin_write(&state.db)?;
        sessions::remove(&write, &caller.session_key)?;
        audit::record(
            &write,
            Some(caller.user.id),
            &ip,
            "Déconnexion",
            &format!("utilisateur {}", caller.user.id),
            "Succès",
        )?;
        crate::server::blocking::commit(write)?;
    }
    set_cookie(&session::clear_cookie(&state));
    Ok(done(&parts, LOGIN_PAGE, Some(LOGGED_OUT)))
}
