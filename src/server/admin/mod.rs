//! Server-function bodies of the administration (SPEC §7): users, e-mails sent, journal. Every function
//! starts with `require(&[Role::Admin])`.

pub mod backups;
#[cfg(test)]
mod delete_tests;
pub mod delete_user;
pub mod edit_user;
pub mod etablissements;
pub mod export;
pub mod imports;
pub mod reset_link;
pub mod tribunaux;
pub mod users_list;
#[cfg(test)]
mod users_tests;

use redb::ReadableDatabase;

use crate::api::admin::{AuditRow, EmailDetail, EmailRow, EmailsPage, JournalPage, UserDetail};
use crate::api::form::FormReply;
use crate::db::users::{self, AccountStatus, User};
use crate::db::{audit, outbox, profiles, sessions};
use crate::rules::account::Role;
use crate::rules::text;
use crate::rules::PAGE_SIZE;

use crate::api::{AppError, AppResult};
use crate::server::context::Ctx;
use crate::server::time::local_timestamp;
use crate::server::{flash, mail};

/// The names of an account's tribunaux; `names` keeps those already read (a list reads a few, once).
pub(crate) fn tribunal_names(
    read: &redb::ReadTransaction,
    names: &mut std::collections::HashMap<u64, Option<String>>,
    user: &User,
) -> Result<Vec<String>, AppError> {
    let ids: Vec<u64> = match user.role {
        Role::Individuel | Role::Prepose | Role::Service => {
            profiles::mandataire(read, profile_key(user))?
                .map(|m| m.tribunaux)
                .unwrap_or_default()
        }
        Role::Magistrat | Role::Greffier => profiles::magistrat(read, user.id)?
            .map(|m| vec![m.tribunal_id])
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
            slot.insert(crate::db::tribunaux::get(read, id)?.map(|t| t.nom));
        }
        found.extend(names.get(&id).cloned().flatten());
    }
    Ok(found)
}

/// Whose mandataire profile an account shows: a service member's is the service's (issue 16).
fn profile_key(user: &User) -> u64 {
    match user.role {
        Role::Service => user.service.unwrap_or(user.id),
        _ => user.id,
    }
}

fn matches_type(role: Role, filter: &str) -> bool {
    match filter {
        "individuel" => role == Role::Individuel,
        "prepose" => role == Role::Prepose,
        "service" => role == Role::Service,
        "magistrat" => role == Role::Magistrat,
        "greffier" => role == Role::Greffier,
        "admin" => role == Role::Admin,
        _ => true,
    }
}

/// The number on the "Utilisateurs" tab, on every admin page (issue 19).
pub fn waiting_count() -> AppResult<usize> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    Ok(users::count_waiting(&read)?)
}

/// The accounts of a tab ("Actifs" or "En attente de validation"), of a type, matching the search, newest
/// first: the list and its export (issue 19) read the same.
pub fn filtered_users(all: Vec<User>, onglet: &str, type_compte: &str, q: &str) -> Vec<User> {
    let active_tab = onglet != "en-attente";
    let query = text::fold(text::search_input(q));
    all.into_iter()
        .rev()
        .filter(|user| {
            let in_tab = (user.status == AccountStatus::Actif) == active_tab;
            if !in_tab || !matches_type(user.role, type_compte) {
                return false;
            }
            let haystack = text::fold(&format!(
                "{} {} {} {}",
                user.nom, user.prenom, user.identifiant, user.email
            ));
            query.split_whitespace().all(|w| haystack.contains(w))
        })
        .collect()
}

pub fn user_detail(id: u64) -> AppResult<UserDetail> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let Some(user) = users::get(&read, id)? else {
        return Err(AppError::NotFound);
    };
    let mut facts: Vec<(String, String)> = vec![
        ("Identifiant".into(), user.identifiant.clone()),
        ("Adresse email".into(), user.email.clone()),
        ("Type".into(), user.role.label().into()),
        (
            "État".into(),
            match user.status {
                AccountStatus::Actif => "Actif",
                AccountStatus::EnAttente => "En attente de validation",
                AccountStatus::Desactive => "Désactivé",
            }
            .into(),
        ),
        ("Création".into(), local_timestamp(user.created_at)),
        (
            "Dernière connexion".into(),
            user.last_login.map_or("jamais".into(), local_timestamp),
        ),
    ];
    let names = tribunal_names(&read, &mut Default::default(), &user)?;
    if !names.is_empty() {
        facts.push(("Tribunal(aux)".into(), names.join(", ")));
    }
    if let Some(service) = user
        .service
        .map(|s| crate::db::services::get(&read, s))
        .transpose()?
        .flatten()
    {
        facts.push(("Service".into(), service.nom.clone()));
        facts.push((
            "SIRET".into(),
            crate::rules::service::siret_display(&service.siret),
        ));
        facts.push((
            "Droits dans le service".into(),
            if service.is_administrateur(user.id) {
                "Administrateur du service".into()
            } else {
                "Membre".into()
            },
        ));
    }
    if let Some(m) = profiles::mandataire(&read, profile_key(&user))? {
        facts.push(("Genre".into(), m.genre.label().into()));
        facts.push(("Adresse".into(), m.adresse.clone()));
        facts.push(("Commune".into(), format!("{} {}", m.code_postal, m.commune)));
        facts.push(("Téléphone".into(), m.telephone.clone()));
        if let Some(p) = &m.telephone_portable {
            facts.push(("Téléphone portable".into(), p.clone()));
        }
        facts.push((
            "Mesures en cours / souhaitées".into(),
            format!("{} / {}", m.mesures_en_cours, m.mesures_souhaitees),
        ));
        facts.push((
            "Mesures en attente".into(),
            m.mesures_en_attente.to_string(),
        ));
        if !m.etablissements.is_empty() {
            let labels: Vec<String> = m
                .etablissements
                .iter()
                .map(|f| state.etablissements.label_or_id(f))
                .collect();
            facts.push(("Établissements".into(), labels.join(", ")));
        }
    }
    if let Some(m) = profiles::magistrat(&read, id)? {
        facts.push(("Genre".into(), m.genre.label().into()));
        if !m.cabinet.is_empty() {
            facts.push(("Cabinet".into(), m.cabinet.clone()));
        }
    }
    let object = format!("utilisateur {id}");
    let mut names = std::collections::HashMap::new();
    let events = audit::about(&read, id, &object, 50)?
        .into_iter()
        .map(|e| audit_row(&read, &mut names, e))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(UserDetail {
        id,
        nom: format!("{} {}", user.prenom, user.nom).trim().to_owned(),
        actif: user.status == AccountStatus::Actif,
        magistrat: user.role.is_tribunal(),
        facts,
        events,
    })
}

/// A journal row; each account's identifiant is read once per page (`names`).
fn audit_row(
    read: &redb::ReadTransaction,
    names: &mut std::collections::HashMap<u64, String>,
    e: audit::AuditEntry,
) -> Result<AuditRow, AppError> {
    let actor = match e.actor {
        Some(id) => match names.get(&id) {
            Some(name) => name.clone(),
            None => {
                // A greffier is labelled as such (issue 18).
                let name = users::get(read, id)?.map_or_else(
                    || format!("utilisateur {id}"),
                    |u| match u.role {
                        Role::Greffier => format!("{} (Greffier)", u.identifiant),
                        _ => u.identifiant,
                    },
                );
                names.insert(id, name.clone());
                name
            }
        },
        None => "—".to_owned(),
    };
    Ok(AuditRow {
        date: local_timestamp(e.at),
        utilisateur: actor,
        action: e.action,
        objet: e.object,
        ip: e.ip,
        resultat: e.result,
    })
}

/// "Activer" / "Désactiver" (SPEC §4.2 "Activation", §7): one write transaction with the audit entry, the
/// "Validation du compte" e-mail on activation, the end of the sessions on deactivation.
pub fn set_account_status(id: u64, activer: bool, retour: &str) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller: me,
        ip,
        ..
    } = Ctx::admin()?;
    let back = crate::server::auth::safe_return_path(retour)
        .filter(|p| p.starts_with("/admin/utilisateurs"))
        .unwrap_or("/admin/utilisateurs")
        .to_owned();
    let write = crate::server::blocking::begin_write(&state.db)?;
    let user = {
        use redb::ReadableTable;
        let table = write.open_table(crate::db::tables::USERS)?;
        let bytes = table.get(id)?;
        bytes
            .map(|b| crate::db::decode::<User>(b.value()))
            .transpose()?
    };
    let Some(mut user) = user else {
        return Err(AppError::NotFound);
    };
    let name = format!("{} {}", user.prenom, user.nom).trim().to_owned();
    if !activer && user.id == me.user.id {
        drop(write);
        return Ok(flash::stay(
            &parts,
            &back,
            "Vous ne pouvez pas désactiver votre propre compte.",
        ));
    }
    let notice = if activer {
        let was_active = user.status == AccountStatus::Actif;
        user.status = AccountStatus::Actif;
        user.desactive_le = None;
        users::put(&write, &user)?;
        if !was_active {
            mail::queue(
                &write,
                &user.email,
                mail::SUBJECT_ACTIVATION,
                &mail::activation_body(&state.settings, &user.identifiant),
            )?;
        }
        audit::record(
            &write,
            Some(me.user.id),
            &ip,
            "Activation du compte",
            &format!("utilisateur {id}"),
            "Succès",
        )?;
        format!("Le compte de {name} est activé.")
    } else {
        user.status = AccountStatus::Desactive;
        // The retention delay of deactivated accounts counts from here (issue 19).
        user.desactive_le = Some(crate::db::now());
        users::put(&write, &user)?;
        sessions::remove_for_user(&write, id, None)?;
        audit::record(
            &write,
            Some(me.user.id),
            &ip,
            "Désactivation du compte",
            &format!("utilisateur {id}"),
            "Succès",
        )?;
        format!("Le compte de {name} est désactivé.")
    };
    // A service is visible while one of its administrateurs is active (issue 16): kept in this transaction.
    if let Some(service) = user.service {
        crate::db::services::refresh_status(&write, service)?;
    }
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(flash::stay(&parts, &back, &notice))
}

pub fn change_tribunal(
    id: u64,
    typed: &str,
    picked: &str,
    chosen: &str,
) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller: me,
        ip,
        ..
    } = Ctx::admin()?;
    let back = format!("/admin/utilisateurs/{id}");
    let index = state.tribunaux.get();
    let choice = [chosen, picked].into_iter().find(|c| !c.is_empty());
    let tribunal = match index.resolve(typed, choice) {
        crate::server::search::Resolution::One(entry) => entry,
        crate::server::search::Resolution::Empty => {
            return Ok(flash::stay(
                &parts,
                &back,
                crate::rules::profile::TRIBUNAL_MISSING,
            ))
        }
        crate::server::search::Resolution::None => {
            return Ok(flash::stay(
                &parts,
                &back,
                &format!(
                    "Aucun tribunal ne correspond à « {} ». Vérifiez l'orthographe.",
                    typed.trim()
                ),
            ))
        }
        crate::server::search::Resolution::Several(_) => {
            return Ok(flash::stay(
                &parts,
                &back,
                &format!(
                    "Plusieurs tribunaux correspondent à « {} » : choisissez-le dans la liste.",
                    typed.trim()
                ),
            ))
        }
    };
    let Ok(tribunal_id) = tribunal.id.parse::<u64>() else {
        return Err(AppError::internal("identifiant de tribunal illisible"));
    };
    let write = crate::server::blocking::begin_write(&state.db)?;
    let current = {
        use redb::ReadableTable;
        let table = write.open_table(crate::db::tables::MAGISTRATS)?;
        let found = table.get(id)?;
        found
            .map(|v| crate::db::decode::<profiles::Magistrat>(v.value()))
            .transpose()?
    };
    let Some(mut magistrat) = current else {
        return Err(AppError::NotFound);
    };
    magistrat.tribunal_id = tribunal_id;
    profiles::put_magistrat(&write, id, &magistrat)?;
    audit::record(
        &write,
        Some(me.user.id),
        &ip,
        "Changement de tribunal",
        &format!("utilisateur {id}"),
        &format!("tribunal {tribunal_id}"),
    )?;
    crate::server::blocking::commit(write)?;
    Ok(flash::stay(
        &parts,
        &back,
        &format!("Le tribunal est désormais « {} ».", tribunal.label),
    ))
}

/// "Courriels envoyés", one page of the newest first (the outbox holds 90 days: 100,000 e-mails
/// nationally, issue 20).
pub fn emails(page: usize) -> Result<EmailsPage, AppError> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let total = outbox::count(&read)?;
    let page = page.max(1);
    let start = crate::rules::page_start(page, total).ok_or(AppError::NotFound)?;
    let rows = outbox::newest(&read, start, PAGE_SIZE)?
        .into_iter()
        .map(|e| EmailRow {
            id: e.id,
            date: local_timestamp(e.created_at),
            destinataire: e.to,
            objet: e.subject,
            etat: e.state.label().to_owned(),
            tentatives: e.attempts,
        })
        .collect();
    Ok(EmailsPage {
        smtp: state.settings.smtp_url.is_some(),
        rows,
        total,
        page,
        has_next: total > page * PAGE_SIZE,
    })
}

pub fn email(id: u64) -> AppResult<EmailDetail> {
    let Ctx {
        state, caller, ip, ..
    } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let Some(mut e) = outbox::get(&read, id)? else {
        return Err(AppError::NotFound);
    };
    drop(read);
    // A single-use link (reset, invitation) is shown only where an administrator must forward it by hand (no SMTP), while it is
    // valid, and each reading is audited (issue 14, point 7). Otherwise the masked text.
    let secret = e
        .secret
        .take()
        .filter(|s| state.settings.smtp_url.is_none() && s.until >= crate::db::now());
    if let Some(secret) = secret {
        let write = crate::server::blocking::begin_write(&state.db)?;
        audit::record(
            &write,
            Some(caller.user.id),
            &ip,
            "Lecture d'un courriel contenant un lien à usage unique",
            &format!("courriel {id}"),
            "Succès",
        )?;
        crate::server::blocking::commit(write)?;
        e.body = secret.body;
    }
    Ok(EmailDetail {
        date: local_timestamp(e.created_at),
        destinataire: e.to,
        objet: e.subject,
        etat: e.state.label().to_owned(),
        tentatives: e.attempts,
        envoye_le: e.sent_at.map(local_timestamp),
        erreur: e.last_error,
        texte: e.body,
    })
}

pub fn journal(
    action: &str,
    utilisateur: &str,
    du: &str,
    au: &str,
    page: usize,
) -> Result<JournalPage, AppError> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    // "Utilisateur" matches identifiants: the accounts whose identifiant holds the text.
    let who = text::search_input(utilisateur).to_lowercase();
    let actors: Option<Vec<u64>> = if who.is_empty() {
        None
    } else {
        Some(
            users::all(&read)?
                .into_iter()
                .filter(|u| u.identifiant.contains(&who))
                .map(|u| u.id)
                .collect(),
        )
    };
    let filter = audit::Filter {
        action: Some(action).filter(|a| !a.is_empty()),
        actors: actors.as_deref(),
        from: crate::server::time::day_bounds(du).map(|(first, _)| first),
        to: crate::server::time::day_bounds(au).map(|(_, last)| last),
    };
    let page = page.max(1);
    let skip = (page - 1)
        .checked_mul(PAGE_SIZE)
        .ok_or(AppError::NotFound)?;
    let (entries, total) = audit::page(&read, &filter, skip, PAGE_SIZE)?;
    if page > 1 && skip >= total {
        return Err(AppError::NotFound);
    }
    let mut names = std::collections::HashMap::new();
    let rows = entries
        .into_iter()
        .map(|(_, entry)| audit_row(&read, &mut names, entry))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(JournalPage {
        actions: audit::actions(&read)?,
        has_next: total > skip + PAGE_SIZE,
        rows,
        total,
        page,
    })
}

/// One page of `rows`: (shown, total, page, has_next); a page past the end is `NotFound`.
pub(super) fn page_of<T>(rows: Vec<T>, page: usize) -> AppResult<(Vec<T>, usize, usize, bool)> {
    let total = rows.len();
    let page = page.max(1);
    let start = crate::rules::page_start(page, total).ok_or(AppError::NotFound)?;
    let shown = rows.into_iter().skip(start).take(PAGE_SIZE).collect();
    Ok((shown, total, page, total > start + PAGE_SIZE))
}
