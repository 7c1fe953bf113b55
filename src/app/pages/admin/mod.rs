//! Administration (SPEC §7): the tab row, the records the pages show, and the server functions (bodies in
//! `server::admin`, each requiring the admin role).

pub mod backups;
pub mod delete_user;
pub mod edit_user;
pub mod emails;
pub mod etablissements;
pub mod imports;
pub mod journal;
pub mod tribunaux;
pub mod users;

use leptos::prelude::*;

use crate::api::AppError;

pub use crate::api::admin::{
    AdminUserEditPage, AdminUserForm, AuditRow, BackupsPage as BackupsData, DeleteUserPage,
    EmailDetail, EmailsPage, JournalPage, UserDetail, UserFilter, UserRow, UsersPage,
};
use crate::app::components::form::FormReply;

#[server(endpoint = "admin/utilisateurs")]
pub async fn admin_users(filter: UserFilter) -> Result<UsersPage, AppError> {
    crate::server::admin::users_list::users_page(filter)
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

/// "Modifier" of an account (issue 19): the page's values.
#[server(endpoint = "admin/utilisateur/formulaire")]
pub async fn load_admin_user_form(id: u64) -> Result<AdminUserEditPage, AppError> {
    crate::server::admin::edit_user::form_page(id)
}

/// "Enregistrer" of "Modifier" (issue 19): admins only.
#[server(endpoint = "admin/utilisateur/enregistrer")]
pub async fn save_admin_user(
    #[server(flatten)] form: AdminUserForm,
) -> Result<FormReply, AppError> {
    crate::server::admin::edit_user::save(form)
}

/// "Supprimer le compte" (issue 19): the confirmation page.
#[server(endpoint = "admin/utilisateur/suppression")]
pub async fn admin_delete_page(id: u64) -> Result<DeleteUserPage, AppError> {
    crate::server::admin::delete_user::page(id)
}

/// "Supprimer le compte" confirmed (issue 19): admins only.
#[server(endpoint = "admin/utilisateurs/supprimer")]
pub async fn delete_user(id: u64) -> Result<FormReply, AppError> {
    crate::server::admin::delete_user::delete(id)
}

/// "Envoyer un lien de réinitialisation" (issue 19): admins only; the account comes from its page.
#[server(endpoint = "admin/utilisateurs/reinitialisation")]
pub async fn send_reset_link(id: u64) -> Result<FormReply, AppError> {
    crate::server::admin::reset_link::send(id)
}

#[server(endpoint = "admin/courriels")]
pub async fn admin_emails(#[server(default)] page: usize) -> Result<EmailsPage, AppError> {
    crate::server::admin::emails(page)
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

/// The accounts waiting for validation: the badge of the tab row.
#[server(endpoint = "admin/en-attente")]
pub async fn admin_waiting() -> Result<usize, AppError> {
    crate::server::admin::waiting_count()
}

/// The admin tab row (SPEC §7); the "Utilisateurs" badge counts the accounts waiting for validation, on
/// every tab (issue 19).
#[component]
pub fn AdminTabs(current: &'static str) -> impl IntoView {
    let waiting = Resource::new(|| (), |_| admin_waiting());
    let tabs = [
        ("utilisateurs", "/admin/utilisateurs", "Utilisateurs"),
        ("tribunaux", "/admin/tribunaux", "Tribunaux"),
        ("etablissements", "/admin/etablissements", "Établissements"),
        ("courriels", "/admin/courriels", "Courriels envoyés"),
        ("journal", "/admin/journal", "Journal"),
        ("sauvegarde", "/admin/sauvegarde", "Sauvegarde"),
        // The admin's own account (issue 19): second factor, password, own data.
        ("compte", "/compte/double-authentification", "Mon compte"),
    ];
    view! {
        <nav class="tabs" aria-label="Administration">
            <ul>
                {tabs
                    .into_iter()
                    .map(|(key, href, label)| {
                        let badge = move || {
                            waiting
                                .get()
                                .and_then(Result::ok)
                                .filter(|n| key == "utilisateurs" && *n > 0)
                                .map(|n| view! {
                                    " "
                                    <span class="badge">
                                        {n}
                                        <span class="visually-hidden">" en attente de validation"</span>
                                    </span>
                                })
                        };
                        view! {
                            <li>
                                <a href=href aria-current=(key == current).then_some("page")>
                                    {label}
                                    <Suspense fallback=|| ()>{badge}</Suspense>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
