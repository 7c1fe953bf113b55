//! The invitation page (issue 16): the link of "Inviter un membre" opens it; the invitee chooses an
//! identifiant and a password and joins the service at once (the administrateur who invited vouches for
//! them: no validation by the e-MJPM team). The link works once, for 7 days; only its hash is stored.

use redb::ReadableDatabase;

use crate::api::form::FormReply;
use crate::api::service::{InvitationPage, JoinForm};
use crate::api::AppError;
use crate::db::users::{self, AccountStatus, CreateUserError, NewUser};
use crate::db::{audit, now, services};
use crate::rules::account::Role;
use crate::rules::forms::service::{join_echo, parse_join, Join};
use crate::server::auth::session::token_key;
use crate::server::auth::throttle::IpEvent;
use crate::server::context::Visit;
use crate::server::forms::{done, refuse, StateReferences};

pub const LINK_DEAD: &str =
    "Ce lien d'invitation n'est pas valable ou a déjà servi. Demandez à l'administrateur de votre service de vous inviter à nouveau.";
pub const LINK_EXPIRED: &str =
    "Ce lien d'invitation a expiré (il était valable 7 jours). Demandez à l'administrateur de votre service de vous inviter à nouveau.";
pub const JOINED: &str = "Votre compte a été créé. Vous pouvez vous connecter.";
const FORM: &str = "rejoindre";
const PASSWORD_FIELDS: &[&str] = &["mot_de_passe", "confirmation"];
/// The longest token accepted: ours are 43 characters; anything longer is not one, and is not hashed.
const MAX_TOKEN: usize = 100;

fn page_path(jeton: &str) -> String {
    format!(
        "/invitation?jeton={}",
        url::form_urlencoded::byte_serialize(jeton.as_bytes()).collect::<String>()
    )
}

/// What the link opens: the service and the invited address, or why not.
pub fn page(jeton: &str) -> Result<InvitationPage, AppError> {
    let Visit { state, parts, .. } = Visit::current()?;
    let flash = state.flash.take(&parts, FORM);
    if jeton.len() > MAX_TOKEN {
        return Ok(InvitationPage {
            message: Some(LINK_DEAD.to_owned()),
            ..InvitationPage::default()
        });
    }
    let read = state.db.begin_read()?;
    let found = services::invitation(&read, &token_key(jeton))?;
    Ok(match found {
        None => InvitationPage {
            message: Some(LINK_DEAD.to_owned()),
            ..InvitationPage::default()
        },
        Some((_, invitation)) if invitation.expires_at <= now() => InvitationPage {
            message: Some(LINK_EXPIRED.to_owned()),
            ..InvitationPage::default()
        },
        Some((service, invitation)) => InvitationPage {
            service: Some(service.nom),
            email: invitation.email,
            message: None,
            form: flash.form,
        },
    })
}

/// "Créer mon compte" of the invitation page.
pub async fn join(form: JoinForm) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let page = page_path(&form.jeton);
    let dead = |message: &str| {
        let mut out = join_echo(&form);
        out.fail("", message);
        out
    };
    if form.jeton.len() > MAX_TOKEN {
        return Ok(refuse(
            &parts,
            FORM,
            &page,
            dead(LINK_DEAD),
            PASSWORD_FIELDS,
        ));
    }
    let key = token_key(&form.jeton);
    let email = {
        let read = state.db.begin_read()?;
        match services::invitation(&read, &key)? {
            Some((_, invitation)) if invitation.expires_at > now() => invitation.email,
            Some(_) => {
                return Ok(refuse(
                    &parts,
                    FORM,
                    &page,
                    dead(LINK_EXPIRED),
                    PASSWORD_FIELDS,
                ))
            }
            None => {
                return Ok(refuse(
                    &parts,
                    FORM,
                    &page,
                    dead(LINK_DEAD),
                    PASSWORD_FIELDS,
                ))
            }
        }
    };
    let Join {
        identifiant,
        password,
        nom,
        prenom,
    } = match parse_join(&form, &email, &StateReferences(&state)) {
        Ok(join) => join,
        Err(out) => return Ok(refuse(&parts, FORM, &page, out, PASSWORD_FIELDS)),
    };
    if state.throttle.address_blocked(IpEvent::SignUp, &ip) {
        return Err(AppError::TooManyRequests);
    }
    state.throttle.address_counted(IpEvent::SignUp, &ip);
    let password_hash = crate::server::accounts::hash_password(password).await?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    // The link is checked again here: used or expired since the page was read, it is refused.
    let Some((mut service, invitation)) = services::invitation_in(&write, &key)? else {
        drop(write);
        return Ok(refuse(
            &parts,
            FORM,
            &page,
            dead(LINK_DEAD),
            PASSWORD_FIELDS,
        ));
    };
    if invitation.expires_at <= now() {
        drop(write);
        return Ok(refuse(
            &parts,
            FORM,
            &page,
            dead(LINK_EXPIRED),
            PASSWORD_FIELDS,
        ));
    }
    let created = users::create(
        &write,
        NewUser {
            identifiant,
            email: invitation.email.clone(),
            role: Role::Service,
            nom,
            prenom,
            status: AccountStatus::Actif,
            password_hash,
        },
    );
    let user = match created {
        Ok(user) => user,
        Err(CreateUserError::Store(e)) => return Err(AppError::internal(e)),
        Err(taken) => {
            drop(write);
            let mut out = join_echo(&form);
            let field = match taken {
                CreateUserError::EmailTaken => "",
                _ => "identifiant",
            };
            out.fail(field, taken.to_string());
            return Ok(refuse(&parts, FORM, &page, out, PASSWORD_FIELDS));
        }
    };
    services::add_member(&write, &mut service, user.id)?;
    services::remove_invitation(&write, &mut service, &key)?;
    audit::record(
        &write,
        Some(user.id),
        &ip,
        "Invitation acceptée",
        &format!("service {}", service.id),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(done(&parts, "/connexion", Some(JOINED)))
}
