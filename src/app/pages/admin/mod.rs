//! Administration (SPEC §7): the tab row, the records the pages show, and the server functions (bodies in
//! `server::admin`, each requiring the admin role).

pub mod backups;
pub mod emails;
pub mod etablissements;
pub mod imports;
pub mod journal;
pub mod tribunaux;
pub mod users;

use leptos::prelude::*;

use crate::api::AppError;

pub use crate::api::admin::{
    AuditRow, BackupsPage as BackupsData, EmailDetail, EmailRow, JournalPage, UserDetail,
    UserFilter, UserRow, UsersPage,
};
use crate::app::components::form::FormReply;

#[server(endpoint = "admin/utilisateurs")]
pub async fn admin_users(filter: UserFilter) -> Result<UsersPage, AppError> {
    crate::server::admin::users_page(filter)
}

#[server(endpoint = "admin/utilisateur")]
pub async fn admin_user(id: u64) -> Result<UserDetail, AppError> {
    crate::server::admin::user_detail(id)
}

#[server(endpoint = "admin/utilisateurs/statut")]
pub async fn set_account_status(
    id: u64,
    #[server(default)] activer: bool,
    #[server(default)] retour: String,
) -> Result<FormReply, AppError> {
    crate::server::admin::set_account_status(id, activer, &retour)
}

/// "Changer de tribunal" of a magistrat (SPEC §7): admins only; the tribunal is typed or picked.
#[server(endpoint = "admin/utilisateurs/tribunal")]
pub async fn change_tribunal(
    id: u64,
    #[server(default)] tribunal: String,
    #[server(default)] tribunal_id: String,
    #[server(default)] tribunal_choix: String,
) -> Result<FormReply, AppError> {
    crate::server::admin::change_tribunal(id, &tribunal, &tribunal_id, &tribunal_choix)
}

#[server(endpoint = "admin/courriels")]
pub async fn admin_emails() -> Result<(bool, Vec<EmailRow>), AppError> {
    crate::server::admin::emails()
}

#[server(endpoint = "admin/courriel")]
pub async fn admin_email(id: u64) -> Result<EmailDetail, AppError> {
    crate::server::admin::email(id)
}

#[server(endpoint = "admin/journal")]
pub async fn admin_journal(
    #[server(default)] action: String,
    #[server(default)] utilisateur: String,
    #[server(default)] du: String,
    #[server(default)] au: String,
    #[server(default)] page: usize,
) -> Result<JournalPage, AppError> {
    crate::server::admin::journal(&action, &utilisateur, &du, &au, page)
}

#[server(endpoint = "admin/sauvegardes")]
pub async fn admin_backups() -> Result<BackupsData, AppError> {
    crate::server::admin::backups::page()
}

/// The admin tab row (SPEC §7); the "Utilisateurs" badge counts accounts waiting for validation.
#[component]
pub fn AdminTabs(current: &'static str, #[prop(optional)] waiting: Option<usize>) -> impl IntoView {
    let tabs = [
        ("utilisateurs", "/admin/utilisateurs", "Utilisateurs"),
        ("tribunaux", "/admin/tribunaux", "Tribunaux"),
        ("etablissements", "/admin/etablissements", "Établissements"),
        ("courriels", "/admin/courriels", "Courriels envoyés"),
        ("journal", "/admin/journal", "Journal"),
        ("sauvegarde", "/admin/sauvegarde", "Sauvegarde"),
    ];
    view! {
        <nav class="tabs" aria-label="Administration">
            <ul>
                {tabs
                    .into_iter()
                    .map(|(key, href, label)| {
                        let badge = (key == "utilisateurs").then_some(waiting).flatten();
                        view! {
                            <li>
                                <a href=href aria-current=(key == current).then_some("page")>
                                    {label}
                                    {badge.map(|n| view! {
                                        " "
                                        <span class="badge">
                                            {n}
                                            <span class="visually-hidden">" en attente de validation"</span>
                                        </span>
                                    })}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
