//! Administration (SPEC §7): the tab row, the records the pages show, and the server functions (bodies in
//! `server::admin`, each requiring the admin role).

pub mod emails;
pub mod etablissements;
pub mod imports;
pub mod journal;
pub mod tribunaux;
pub mod users;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::app::components::form::FormReply;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserFilter {
    /// "actifs" or "en-attente".
    pub onglet: String,
    /// "", "individuel", "prepose", "service", "magistrat", "admin".
    pub type_compte: String,
    pub q: String,
    pub page: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: u64,
    pub nom: String,
    pub identifiant: String,
    pub email: String,
    pub type_compte: String,
    pub tribunaux: String,
    pub creation: String,
    pub derniere_connexion: Option<String>,
    pub actif: bool,
    pub desactive: bool,
    pub soi_meme: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsersPage {
    pub rows: Vec<UserRow>,
    pub total: usize,
    pub actifs: usize,
    pub en_attente: usize,
    pub page: usize,
    pub has_next: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub date: String,
    pub utilisateur: String,
    pub action: String,
    pub objet: String,
    pub ip: String,
    pub resultat: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: u64,
    pub nom: String,
    pub actif: bool,
    /// A magistrat's account offers "Changer de tribunal".
    pub magistrat: bool,
    pub facts: Vec<(String, String)>,
    pub events: Vec<AuditRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailRow {
    pub id: u64,
    pub date: String,
    pub destinataire: String,
    pub objet: String,
    pub etat: String,
    pub tentatives: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailDetail {
    pub date: String,
    pub destinataire: String,
    pub objet: String,
    pub etat: String,
    pub tentatives: u32,
    pub envoye_le: Option<String>,
    pub erreur: Option<String>,
    pub texte: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalPage {
    pub actions: Vec<String>,
    pub rows: Vec<AuditRow>,
    pub total: usize,
    pub page: usize,
    pub has_next: bool,
}

#[server(endpoint = "admin/utilisateurs")]
pub async fn admin_users(filter: UserFilter) -> Result<UsersPage, ServerFnError> {
    crate::server::admin::users_page(filter)
}

#[server(endpoint = "admin/utilisateur")]
pub async fn admin_user(id: u64) -> Result<Option<UserDetail>, ServerFnError> {
    crate::server::admin::user_detail(id)
}

#[server(endpoint = "admin/utilisateurs/statut")]
pub async fn set_account_status(
    id: u64,
    #[server(default)] activer: bool,
    #[server(default)] retour: String,
) -> Result<FormReply, ServerFnError> {
    crate::server::admin::set_account_status(id, activer, &retour)
}

/// "Changer de tribunal" of a magistrat (SPEC §7): admins only; the tribunal is typed or picked.
#[server(endpoint = "admin/utilisateurs/tribunal")]
pub async fn change_tribunal(
    id: u64,
    #[server(default)] tribunal: String,
    #[server(default)] tribunal_id: String,
    #[server(default)] tribunal_choix: String,
) -> Result<FormReply, ServerFnError> {
    crate::server::admin::change_tribunal(id, &tribunal, &tribunal_id, &tribunal_choix)
}

#[server(endpoint = "admin/courriels")]
pub async fn admin_emails() -> Result<(bool, Vec<EmailRow>), ServerFnError> {
    crate::server::admin::emails()
}

#[server(endpoint = "admin/courriel")]
pub async fn admin_email(id: u64) -> Result<Option<EmailDetail>, ServerFnError> {
    crate::server::admin::email(id)
}

#[server(endpoint = "admin/journal")]
pub async fn admin_journal(
    #[server(default)] action: String,
    #[server(default)] utilisateur: String,
    #[server(default)] du: String,
    #[server(default)] au: String,
    #[server(default)] page: usize,
) -> Result<JournalPage, ServerFnError> {
    crate::server::admin::journal(&action, &utilisateur, &du, &au, page)
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

/// "Page précédente" / "Page suivante" links keeping the query's other parameters.
#[component]
pub fn Pager(base: String, page: usize, has_next: bool) -> impl IntoView {
    let link = move |p: usize| {
        if base.contains('?') {
            format!("{base}&page={p}")
        } else {
            format!("{base}?page={p}")
        }
    };
    view! {
        <nav class="pager" aria-label="Pagination">
            {(page > 1).then(|| view! { <a href=link(page - 1)>"Page précédente"</a> })}
            " "
            {has_next.then(|| view! { <a href=link(page + 1)>"Page suivante"</a> })}
        </nav>
    }
}
