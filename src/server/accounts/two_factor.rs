//! The admins' two-factor login (issue 19): enrolment from "Double authentification" (a QR code drawn on the
//! server, the secret in text for manual entry, confirmed by a first code; 10 recovery codes shown once), the
//! login's second step at `/connexion/code` (a plain form, works without JavaScript; wrong codes throttled
//! like passwords, per address and per account), and switching it off with a code. Every step is audited; no
//! secret, code or token reaches a log or the journal.

use redb::ReadableDatabase;

use crate::api::accounts::TwoFactorPage;
use crate::api::form::{FormReply, FormState};
use crate::api::AppError;
use crate::db::users::{self, AccountStatus, DeuxFacteurs};
use crate::db::{audit, now};
use crate::rules::account::Role;
use crate::server::auth::session;
use crate::server::auth::throttle::IpEvent;
use crate::server::auth::two_factor::{self as factor, MAX_CODE_CHARS};
use crate::server::context::Visit;
use crate::server::flash;
use crate::server::forms::{done, refuse};
use crate::server::AppState;

use super::login::{record, set_cookie, LOGIN_PAGE};

pub const ENROL_PAGE: &str = "/compte/double-authentification";
pub const ENROL_FORM: &str = "double-authentification";
pub const CODE_PAGE: &str = "/connexion/code";
pub const CODE_FORM: &str = "connexion-code";
pub const CODE_WRONG: &str =
    "Code incorrect. Saisissez le code à 6 chiffres affiché par votre application, ou un code de secours.";
pub const CODE_MISSING: &str = "Saisissez le code de vérification.";
pub const LOGIN_EXPIRED: &str =
    "Votre connexion a expiré ou n'a pas commencé : saisissez de nouveau votre identifiant et votre mot de passe.";
pub const DISABLED: &str = "La double authentification est désactivée.";

/// The waiting login's cookie (the code page and its server function read it; it lives 5 minutes).
fn cookie_name(state: &AppState) -> &'static str {
    if state.settings.https() {
        "__Host-emjpm_code"
    } else {
        "emjpm_code"
    }
}

fn pending_cookie(state: &AppState, token: &str, max_age: i64) -> String {
    let secure = if state.settings.https() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        cookie_name(state)
    )
}

/// Called by the login once the password is right: the admin with a second factor gets a waiting login and
/// the code page instead of a session.
pub(super) fn ask_for_code(
    state: &AppState,
    parts: &axum::http::request::Parts,
    ip: &str,
    user_id: u64,
    retour: &str,
) -> Result<FormReply, AppError> {
    let token = state.pending_logins.open(user_id, retour, now());
    set_cookie(&pending_cookie(state, &token, factor::PENDING_SECS));
    record(
        state,
        Some(user_id),
        ip,
        "Connexion : code de vérification demandé",
        &format!("utilisateur {user_id}"),
        "Mot de passe correct",
    )?;
    Ok(done(parts, CODE_PAGE, None))
}

/// "Valider" of `/connexion/code`.
pub async fn login_code(code: String) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let mut out = FormState::default();
    out.set(
        "code",
        code.chars().take(MAX_CODE_CHARS).collect::<String>(),
    );
    let token = session::cookie(&parts.headers, cookie_name(&state)).map(str::to_owned);
    let Some((token, pending)) =
        token.and_then(|t| state.pending_logins.get(&t, now()).map(|p| (t, p)))
    else {
        flash::keep_notice(&parts, LOGIN_EXPIRED);
        return Ok(done(&parts, LOGIN_PAGE, None));
    };
    if code.trim().is_empty() {
        out.fail("code", CODE_MISSING);
        return Ok(refuse(&parts, CODE_FORM, CODE_PAGE, out, &[]));
    }
    if !state.throttle.address_try(IpEvent::FailedLogin, &ip) {
        return Err(AppError::TooManyRequests);
    }
    let account_key = format!("#{}", pending.user_id);
    if let Err(seconds) = state.throttle.account_try(&account_key) {
        state.throttle.address_uncount(IpEvent::FailedLogin, &ip);
        out.fail(
            "code",
            format!("Trop de tentatives de connexion. Réessayez dans {seconds} secondes."),
        );
        return Ok(refuse(&parts, CODE_FORM, CODE_PAGE, out, &[]));
    }
    let at = now();
    let write = crate::server::blocking::begin_write(&state.db)?;
    // The account as it is now: deactivated, or its factor reset, since the password was typed: no session.
    let Some(mut user) = users::get_in(&write, pending.user_id)?
        .filter(|u| u.status == AccountStatus::Actif && u.role == Role::Admin)
    else {
        drop(write);
        state.pending_logins.close(&token);
        flash::keep_notice(&parts, LOGIN_EXPIRED);
        return Ok(done(&parts, LOGIN_PAGE, None));
    };
    let matched = user
        .deux_facteurs
        .as_ref()
        .filter(|f| f.actif_depuis.is_some())
        .and_then(|f| factor::check(f, &code, at));
    let Some(matched) = matched else {
        audit::record(
            &write,
            Some(user.id),
            &ip,
            "Échec de connexion",
            &format!("utilisateur {}", user.id),
            "Code de vérification incorrect",
        )?;
        crate::server::blocking::commit(write)?;
        out.fail("code", CODE_WRONG);
        return Ok(refuse(&parts, CODE_FORM, CODE_PAGE, out, &[]));
    };
    if let Some(f) = user.deux_facteurs.as_mut() {
        factor::spend(f, matched);
    }
    user.last_login = Some(at);
    users::put(&write, &user)?;
    let id = session::open(&write, user.id)?;
    audit::record(
        &write,
        Some(user.id),
        &ip,
        "Connexion réussie",
        &format!("utilisateur {}", user.id),
        match matched {
            factor::Matched::Step(_) => "Succès (double authentification)",
            factor::Matched::Recovery(_) => "Succès (code de secours)",
        },
    )?;
    crate::server::blocking::commit(write)?;
    state.throttle.account_succeeded(&account_key);
    state.throttle.address_uncount(IpEvent::FailedLogin, &ip);
    state.pending_logins.close(&token);
    set_cookie(&pending_cookie(&state, "", 0));
    set_cookie(&session::set_cookie(&state, &id));
    let target = crate::server::auth::safe_return_path(&pending.retour)
        .filter(|path| {
            crate::server::auth::section_roles(path)
                .is_none_or(|roles| roles.contains(&Role::Admin))
                && !path.starts_with(LOGIN_PAGE)
        })
        .unwrap_or(Role::Admin.home())
        .to_owned();
    Ok(done(&parts, &target, None))
}

/// Whether the code page has a waiting login to finish (else it sends back to the login page).
pub fn login_code_waiting() -> Result<bool, AppError> {
    let Visit { state, parts, .. } = Visit::current()?;
    Ok(session::cookie(&parts.headers, cookie_name(&state))
        .and_then(|t| state.pending_logins.get(t, now()))
        .is_some())
}

/// The enrolment page: enrolled or not, and while enrolling the QR code and the secret.
pub fn enrol_page() -> Result<TwoFactorPage, AppError> {
    let Visit { state, caller, .. } = Visit::current()?;
    let caller = caller.ok_or(AppError::Unauthorized)?;
    if caller.user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let user = {
        let read = state.db.begin_read()?;
        users::get(&read, caller.user.id)?.ok_or(AppError::NotFound)?
    };
    let factor_state = user.deux_facteurs.as_ref();
    let enrolling = factor_state.filter(|f| f.actif_depuis.is_none());
    Ok(TwoFactorPage {
        actif_depuis: factor_state
            .and_then(|f| f.actif_depuis)
            .map(crate::server::time::local_date),
        codes_restants: factor_state.map_or(0, |f| f.secours.len()),
        obligatoire: state.settings.admin_two_factor_required,
        qr_svg: enrolling
            .and_then(|f| factor::qr_svg(&factor::otpauth_url(&user.identifiant, &f.secret))),
        secret: enrolling.map(|f| spaced(&f.secret)),
    })
}

/// The secret in groups of four, easier to type.
fn spaced(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The admin, from the session; the enrolment is his own (never another's).
fn admin_caller() -> Result<(Visit, u64), AppError> {
    let visit = Visit::current()?;
    let Some(caller) = visit.caller.clone() else {
        if crate::server::context::plain_form_post(&visit.parts) {
            leptos_axum::redirect(LOGIN_PAGE);
        }
        return Err(AppError::Unauthorized);
    };
    if caller.user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    Ok((visit, caller.user.id))
}

/// "Activer la double authentification": a new secret waits for its first code.
pub fn begin() -> Result<FormReply, AppError> {
    let (
        Visit {
            state, parts, ip, ..
        },
        id,
    ) = admin_caller()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut user = users::get_in(&write, id)?.ok_or(AppError::NotFound)?;
    if user.two_factor_active() {
        drop(write);
        return Ok(done(&parts, ENROL_PAGE, None));
    }
    user.deux_facteurs = Some(DeuxFacteurs {
        secret: factor::new_secret(),
        actif_depuis: None,
        dernier_pas: 0,
        secours: Vec::new(),
    });
    users::put(&write, &user)?;
    audit::record(
        &write,
        Some(id),
        &ip,
        "Double authentification : enrôlement commencé",
        &format!("utilisateur {id}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(done(&parts, ENROL_PAGE, None))
}

/// "Confirmer" of the enrolment: the first code proves the app has the secret; the recovery codes are shown
/// once, in the answer.
pub async fn confirm(code: String) -> Result<FormReply, AppError> {
    let (
        Visit {
            state, parts, ip, ..
        },
        id,
    ) = admin_caller()?;
    let mut out = FormState::default();
    out.set(
        "code",
        code.chars().take(MAX_CODE_CHARS).collect::<String>(),
    );
    if code.trim().is_empty() {
        out.fail("code", CODE_MISSING);
        return Ok(refuse(&parts, ENROL_FORM, ENROL_PAGE, out, &[]));
    }
    if !state.throttle.address_try(IpEvent::FailedLogin, &ip) {
        return Err(AppError::TooManyRequests);
    }
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut user = users::get_in(&write, id)?.ok_or(AppError::NotFound)?;
    let at = now();
    let Some(f) = user
        .deux_facteurs
        .as_mut()
        .filter(|f| f.actif_depuis.is_none())
    else {
        drop(write);
        return Ok(done(&parts, ENROL_PAGE, None));
    };
    // Only a TOTP code confirms: there are no recovery codes yet.
    let Some(matched) = factor::check(f, &code, at) else {
        drop(write);
        out.fail("code", CODE_WRONG);
        return Ok(refuse(&parts, ENROL_FORM, ENROL_PAGE, out, &[]));
    };
    state.throttle.address_uncount(IpEvent::FailedLogin, &ip);
    factor::spend(f, matched);
    let (codes, hashes) = factor::recovery_codes();
    f.secours = hashes;
    f.actif_depuis = Some(at);
    users::put(&write, &user)?;
    audit::record(
        &write,
        Some(id),
        &ip,
        "Double authentification activée",
        &format!("utilisateur {id}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    let notice = format!(
        "La double authentification est activée. Voici vos {} codes de secours, à conserver en lieu sûr : chacun \
         permet une connexion sans votre application, une seule fois. Ils ne seront plus affichés : {}",
        codes.len(),
        codes.join(" ; ")
    );
    Ok(flash::stay(&parts, ENROL_PAGE, &notice))
}

/// "Désactiver la double authentification": a valid code is asked; refused when it is mandatory.
pub async fn disable(code: String) -> Result<FormReply, AppError> {
    let (
        Visit {
            state, parts, ip, ..
        },
        id,
    ) = admin_caller()?;
    let mut out = FormState::default();
    out.set(
        "code",
        code.chars().take(MAX_CODE_CHARS).collect::<String>(),
    );
    if state.settings.admin_two_factor_required {
        out.fail("code", "La double authentification est obligatoire sur ce site : elle ne peut pas être désactivée.");
        return Ok(refuse(&parts, ENROL_FORM, ENROL_PAGE, out, &[]));
    }
    if !state.throttle.address_try(IpEvent::FailedLogin, &ip) {
        return Err(AppError::TooManyRequests);
    }
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut user = users::get_in(&write, id)?.ok_or(AppError::NotFound)?;
    let valid = user
        .deux_facteurs
        .as_ref()
        .filter(|f| f.actif_depuis.is_some())
        .and_then(|f| factor::check(f, &code, now()))
        .is_some();
    if !valid {
        drop(write);
        out.fail("code", CODE_WRONG);
        return Ok(refuse(&parts, ENROL_FORM, ENROL_PAGE, out, &[]));
    }
    state.throttle.address_uncount(IpEvent::FailedLogin, &ip);
    user.deux_facteurs = None;
    users::put(&write, &user)?;
    audit::record(
        &write,
        Some(id),
        &ip,
        "Double authentification désactivée",
        &format!("utilisateur {id}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(flash::stay(&parts, ENROL_PAGE, DISABLED))
}
