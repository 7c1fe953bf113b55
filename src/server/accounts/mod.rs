//! Server-function bodies of the account pages (SPEC §4): sign-up (`signup`), login and logout (`login`),
//! forgotten, reset and changed passwords (`password`). Each state change is one write transaction holding
//! its audit entry and its e-mails.

mod login;
mod passwords;
mod signup;
#[cfg(test)]
mod tests;
pub mod two_factor;
#[cfg(test)]
mod two_factor_tests;

pub use login::{login, logout};
pub use passwords::{change_password, request_reset, reset_link_valid, reset_password};
pub use signup::{sign_up_magistrat, sign_up_mandataire, tribunal_groups, TOO_MANY_TRIBUNAUX};

use crate::api::form::PageFlash;
use crate::api::AppError;
use crate::server::auth::password;
use crate::server::context::Visit;

pub const LOGIN_FAILED: &str = "Identifiant, adresse email ou mot de passe incorrect.";
pub const NOT_YET_ACTIVE: &str =
    "Votre compte n'est pas encore actif, il sera validé très bientôt par l'équipe e-MJPM.";
pub const DEACTIVATED: &str = "Votre compte est désactivé. Contactez l'équipe e-MJPM.";
/// The per-address refusal (SPEC §4.5): the sentence of `AppError::TooManyRequests`.
pub const IP_THROTTLED: &str = AppError::TooManyRequests.message();
pub const RESET_SENT: &str = "Si un compte correspond à cette adresse, un email contenant un lien de réinitialisation vient d'être envoyé. Ce lien est valable 2 heures.";
pub const RESET_LINK_DEAD: &str =
    "Ce lien de réinitialisation n'est plus valable. Faites une nouvelle demande.";
pub const LOGGED_OUT: &str = "Vous êtes déconnecté.";
pub const PASSWORD_RESET_DONE: &str =
    "Votre mot de passe a bien été changé. Vous pouvez vous connecter.";
pub const PASSWORD_CHANGED: &str = "Votre mot de passe a été modifié.";
pub const CURRENT_PASSWORD_WRONG: &str = "Le mot de passe actuel est incorrect.";
const RESET_TOKEN_SECS: i64 = 2 * 3600;

/// A new reset link's token for `user_id`, stored (its SHA-256) in `write`, valid 2 hours: "Mot de passe
/// oublié ?" and the admin's "Envoyer un lien de réinitialisation" (issue 19). Returns the token and its end.
pub(crate) fn issue_reset_token(
    write: &redb::WriteTransaction,
    user_id: u64,
) -> Result<(String, i64), crate::db::StoreError> {
    use crate::server::auth::session;
    let token = session::random_token();
    let expires_at = crate::db::now() + RESET_TOKEN_SECS;
    crate::db::reset_tokens::insert(
        write,
        &session::token_key(&token),
        &crate::db::reset_tokens::ResetToken {
            user_id,
            expires_at,
        },
    )?;
    Ok((token, expires_at))
}

/// What a page finds for it after a redirect (see `flash`).
pub fn page_flash(form: &str) -> Result<PageFlash, AppError> {
    let Visit { state, parts, .. } = Visit::current()?;
    Ok(state.flash.take(&parts, form))
}

/// 429 with the per-address message (SPEC §4.5), as the request's typed error: the pages' script shows
/// its sentence, a plain form gets it as a page (`security::plain_form_errors`).
fn throttled() -> AppError {
    AppError::TooManyRequests
}

pub(crate) async fn hash_password(secret: String) -> Result<String, AppError> {
    password::run_limited(move || password::hash(&secret))
        .await
        .map_err(work_error)?
        .map_err(AppError::internal)
}

pub(crate) async fn verify_password(secret: String, phc: String) -> Result<bool, AppError> {
    password::run_limited(move || password::verify(&secret, &phc))
        .await
        .map_err(work_error)
}

/// A full password queue is "Trop de tentatives" (429); anything else is ours.
fn work_error(error: password::WorkError) -> AppError {
    match error {
        password::WorkError::Busy => AppError::TooManyRequests,
        password::WorkError::Join(error) => AppError::internal(error),
    }
}

/// Checks the current password of a logged-in user (password change, e-mail change), throttled like a
/// login (SPEC §4.5, issue 14 point 8): counted per account and per address before it is verified, taken
/// back when right. `Ok(Err(message))` for a wrong password or one that must wait.
pub(crate) async fn check_current_password(
    state: &crate::server::AppState,
    ip: &str,
    user: &crate::db::users::User,
    typed: String,
) -> Result<Result<(), String>, AppError> {
    use crate::server::auth::throttle::IpEvent;
    if !state.throttle.address_try(IpEvent::FailedLogin, ip) {
        return Err(AppError::TooManyRequests);
    }
    let key = format!("#{}", user.id);
    if let Err(seconds) = state.throttle.account_try(&key) {
        state.throttle.address_uncount(IpEvent::FailedLogin, ip);
        return Ok(Err(format!(
            "Trop de tentatives. Réessayez dans {seconds} secondes."
        )));
    }
    match verify_password(typed, user.password_hash.clone()).await {
        Ok(true) => {
            state.throttle.account_succeeded(&key);
            state.throttle.address_uncount(IpEvent::FailedLogin, ip);
            Ok(Ok(()))
        }
        Ok(false) => Ok(Err(CURRENT_PASSWORD_WRONG.to_owned())),
        Err(error) => {
            state.throttle.account_untry(&key);
            state.throttle.address_uncount(IpEvent::FailedLogin, ip);
            Err(error)
        }
    }
}
