//! "Modifier" an account from its admin page (issue 19): identity, e-mail, and an individuel's or a
//! préposé's coordonnées, with the user's own forms' rules and messages (`rules::forms::admin_user`). One
//! write transaction re-reads the account, stores it (the e-mail index and the reset links kept in step by
//! `users::put`), the profile, and the audit entry with the admin's account.

use redb::ReadableDatabase;

use crate::api::admin::{AdminUserEditPage, AdminUserForm};
use crate::api::form::{FormReply, FormState};
use crate::api::{AppError, AppResult};
use crate::db::users::{self, CreateUserError, User};
use crate::db::{audit, profiles};
use crate::rules::account::Role;
use crate::rules::forms::admin_user::{parse_admin_user, Parts};
use crate::server::context::Ctx;
use crate::server::forms::{done, refuse, StateReferences};

pub const FORM: &str = "admin-utilisateur";
pub const SAVED: &str = "Les informations du compte sont enregistrées.";

fn page_of(id: u64) -> String {
    format!("/admin/utilisateurs/{id}/modifier")
}

/// The parts of the form this account has.
fn parts_of(user: &User) -> Parts {
    Parts {
        // A service member's profile is the service's (issue 16): its administrateurs edit it.
        genre: matches!(user.role, Role::Individuel | Role::Prepose) || user.role.is_tribunal(),
        coordonnees: matches!(user.role, Role::Individuel | Role::Prepose),
    }
}

pub fn form_page(id: u64) -> AppResult<AdminUserEditPage> {
    let Ctx { state, parts, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let user = users::get(&read, id)?.ok_or(AppError::NotFound)?;
    let form_parts = parts_of(&user);
    let refused = state.flash.take(&parts, FORM).form;
    let values = match refused {
        Some(form) => form,
        None => {
            let mut values = FormState::default();
            values.set("nom", user.nom.clone());
            values.set("prenom", user.prenom.clone());
            values.set("email", user.email.clone());
            if let Some(m) = profiles::mandataire(&read, id)? {
                values.set("genre", m.genre.code().to_owned());
                values.set("adresse", m.adresse.clone());
                values.set("code_postal", m.code_postal.clone());
                values.set("commune", m.commune.clone());
                values.set("telephone", m.telephone.clone());
                values.set(
                    "telephone_portable",
                    m.telephone_portable.clone().unwrap_or_default(),
                );
            } else if let Some(m) = profiles::magistrat(&read, id)? {
                values.set("genre", m.genre.code().to_owned());
            }
            values
        }
    };
    Ok(AdminUserEditPage {
        id,
        nom: format!("{} {}", user.prenom, user.nom).trim().to_owned(),
        genre: form_parts.genre,
        coordonnees: form_parts.coordonnees,
        service: user.role == Role::Service,
        values,
    })
}

pub fn save(form: AdminUserForm) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller: me,
        ip,
        ..
    } = Ctx::admin()?;
    let id: u64 = form.id.trim().parse().map_err(|_| AppError::NotFound)?;
    let page = page_of(id);
    // The account's kind decides the parts; read again in the write transaction below.
    let kind = {
        let read = state.db.begin_read()?;
        users::get(&read, id)?.ok_or(AppError::NotFound)?
    };
    let edit = match parse_admin_user(&form, parts_of(&kind), &StateReferences(&state)) {
        Ok(edit) => edit,
        Err(out) => return Ok(refuse(&parts, FORM, &page, out, &[])),
    };
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut user = users::get_in(&write, id)?.ok_or(AppError::NotFound)?;
    if parts_of(&user) != parts_of(&kind) {
        // Its kind changed meanwhile: the form is no longer the right one.
        return Err(AppError::NotFound);
    }
    let email_changed = user.email != edit.email;
    user.nom = edit.nom.clone();
    user.prenom = edit.prenom.clone();
    user.email = edit.email.clone();
    match users::put(&write, &user) {
        Ok(()) => {}
        Err(CreateUserError::Store(e)) => return Err(AppError::internal(e)),
        Err(taken) => {
            drop(write);
            let mut out = crate::rules::forms::admin_user::echo(&form);
            out.fail("email", taken.to_string());
            return Ok(refuse(&parts, FORM, &page, out, &[]));
        }
    }
    if let Some(mut profile) = profiles::mandataire_in(&write, id)? {
        if let Some(genre) = edit.genre {
            profile.genre = genre;
        }
        if let Some(c) = &edit.coordonnees {
            profile.adresse = c.adresse.clone();
            profile.code_postal = c.place.code_postal.clone();
            profile.code_insee = c.place.code_insee.clone();
            profile.commune = c.place.commune.clone();
            profile.telephone = c.telephone.clone();
            profile.telephone_portable = c.telephone_portable.clone();
        }
        profiles::put_mandataire_record(&write, id, &profile)?;
    } else if let Some(mut profile) = profiles::magistrat_in(&write, id)? {
        if let Some(genre) = edit.genre {
            profile.genre = genre;
            profiles::put_magistrat(&write, id, &profile)?;
        }
    }
    audit::record(
        &write,
        Some(me.user.id),
        &ip,
        "Modification du compte par un administrateur",
        &format!("utilisateur {id}"),
        if email_changed {
            "Succès (adresse email changée)"
        } else {
            "Succès"
        },
    )?;
    crate::server::blocking::commit(write)?;
    Ok(done(
        &parts,
        &format!("/admin/utilisateurs/{id}"),
        Some(SAVED),
    ))
}
