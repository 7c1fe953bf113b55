//! "Envoyer un lien de réinitialisation" of an account's admin page (issue 19): a user who lost access gets
//! the same link as "Mot de passe oublié ?" (2 hours, single use). With an SMTP server it leaves by e-mail;
//! without one the admin sees the link once, in the page's notice, to hand it over: it is then kept nowhere
//! else (not in "Courriels envoyés", not in the journal, not in the log). Audited with the admin's account.

use crate::api::form::FormReply;
use crate::api::{AppError, AppResult};
use crate::db::audit;
use crate::db::users::{self, AccountStatus};
use crate::server::context::Ctx;
use crate::server::{flash, mail};

pub const NOT_ACTIVE: &str =
    "Ce compte n'est pas actif : activez-le avant de lui envoyer un lien de réinitialisation.";

pub fn send(id: u64) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller: me,
        ip,
        ..
    } = Ctx::admin()?;
    let back = format!("/admin/utilisateurs/{id}");
    let write = crate::server::blocking::begin_write(&state.db)?;
    let user = users::get_in(&write, id)?.ok_or(AppError::NotFound)?;
    if user.status != AccountStatus::Actif {
        drop(write);
        return Ok(flash::stay(&parts, &back, NOT_ACTIVE));
    }
    let (token, expires_at) = crate::server::accounts::issue_reset_token(&write, user.id)?;
    let by_email = state.settings.smtp_url.is_some();
    if by_email {
        mail::queue_reset(
            &write,
            &state.settings,
            &user.email,
            &user.identifiant,
            &token,
            expires_at,
        )?;
    }
    audit::record(
        &write,
        Some(me.user.id),
        &ip,
        "Envoi d'un lien de réinitialisation",
        &format!("utilisateur {id}"),
        if by_email {
            "Courriel"
        } else {
            "Lien affiché"
        },
    )?;
    crate::server::blocking::commit(write)?;
    let notice = if by_email {
        state.mail_wakeup.notify_one();
        format!(
            "Un lien de réinitialisation a été envoyé à {}. Il est valable 2 heures.",
            user.email
        )
    } else {
        let link = state
            .settings
            .link(&format!("/reinitialiser-mot-de-passe?jeton={token}"));
        format!(
            "Aucun serveur SMTP n'est configuré : transmettez vous-même ce lien à {} {} (valable 2 heures, \
             une seule fois ; il ne sera plus affiché) : {link}",
            user.prenom, user.nom
        )
    };
    Ok(flash::stay(&parts, &back, &notice))
}
