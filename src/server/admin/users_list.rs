//! The administrators' "Utilisateurs" tab (SPEC §7): counts and the page read from the accounts' status
//! index, so that a list of 13,000 accounts (issue 20) decodes only the 50 it shows; a type filter or a
//! search reads every account of the tab (`filtered_users`), like the export.

use redb::ReadableDatabase;

use super::{filtered_users, tribunal_names};
use crate::api::admin::{UserFilter, UserRow, UsersPage};
use crate::api::AppError;
use crate::db::users::{self, AccountStatus};
use crate::rules::text;
use crate::rules::PAGE_SIZE;
use crate::server::context::Ctx;
use crate::server::time::{local_date, local_timestamp};

pub fn users_page(filter: UserFilter) -> Result<UsersPage, AppError> {
    let Ctx {
        state, caller: me, ..
    } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    // The few accounts not active are counted; the active ones are the rest (redb keeps a table's length).
    let en_attente = users::count_with_status(&read, AccountStatus::EnAttente)?
        + users::count_with_status(&read, AccountStatus::Desactive)?;
    let actifs = users::count(&read)?.saturating_sub(en_attente);
    // The retention's next erasures, announced 30 days ahead (issue 19): deactivated accounts only.
    let (at, years) = (crate::db::now(), state.settings.comptes_desactives_years);
    let deactivated = users::ids_with_status(&read, &[AccountStatus::Desactive], 0, usize::MAX)?;
    let mut due: Vec<(i64, String)> = users::get_many(&read, &deactivated)?
        .iter()
        .filter_map(|u| {
            let when = crate::server::retention::erased_at(u, years)?;
            (when <= at + crate::server::retention::WARNING_SECS).then(|| {
                let nom = format!("{} {}", u.prenom, u.nom);
                (
                    when,
                    format!(
                        "{} ({}) : le {}",
                        nom.trim(),
                        u.identifiant,
                        local_date(when.max(at))
                    ),
                )
            })
        })
        .collect();
    due.sort();
    let a_supprimer = due.into_iter().map(|(_, line)| line).collect();
    let active_tab = filter.onglet != "en-attente";
    let page = filter.page.max(1);
    let (shown, total) = if filter.type_compte.is_empty() && filter.q.trim().is_empty() {
        let total = if active_tab { actifs } else { en_attente };
        let start = crate::rules::page_start(page, total).ok_or(AppError::NotFound)?;
        let statuses: &[AccountStatus] = if active_tab {
            &[AccountStatus::Actif]
        } else {
            &[AccountStatus::EnAttente, AccountStatus::Desactive]
        };
        let ids = users::ids_with_status(&read, statuses, start, PAGE_SIZE)?;
        (users::get_many(&read, &ids)?, total)
    } else {
        let rows = filtered_users(
            users::all(&read)?,
            &filter.onglet,
            &filter.type_compte,
            &filter.q,
        );
        let total = rows.len();
        let start = crate::rules::page_start(page, total).ok_or(AppError::NotFound)?;
        (
            rows.into_iter().skip(start).take(PAGE_SIZE).collect(),
            total,
        )
    };
    let mut names = std::collections::HashMap::new();
    let mut rows = Vec::with_capacity(shown.len());
    for user in &shown {
        rows.push(UserRow {
            id: user.id,
            nom: format!("{} {}", user.prenom, user.nom).trim().to_owned(),
            identifiant: user.identifiant.clone(),
            email: user.email.clone(),
            type_compte: user.role.label().to_owned(),
            tribunaux: tribunal_names(&read, &mut names, user)?.join(", "),
            creation: local_date(user.created_at),
            derniere_connexion: user.last_login.map(local_timestamp),
            actif: user.status == AccountStatus::Actif,
            desactive: user.status == AccountStatus::Desactive,
            soi_meme: user.id == me.user.id,
        });
    }
    let base = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("onglet", if active_tab { "actifs" } else { "en-attente" })
        .append_pair("type", &filter.type_compte)
        .append_pair("q", text::search_input(&filter.q))
        .finish();
    Ok(UsersPage {
        a_supprimer,
        base,
        rows,
        total,
        actifs,
        en_attente,
        page,
        has_next: total > page * PAGE_SIZE,
    })
}
