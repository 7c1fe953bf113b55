//! "Exporter les utilisateurs" (SPEC §7 P2, issue 19): the accounts of the "Utilisateurs" list as it is
//! filtered (tab, type, search; every page), as CSV (UTF-8 with BOM, `;`) or XLSX, formulas neutralised
//! (`server::spreadsheet`). Admins only; audited with the admin's account and the number of rows.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use redb::ReadableDatabase;
use serde::Deserialize;

use crate::api::AppError;
use crate::db::users::{self, AccountStatus, User};
use crate::rules::account::Role;
use crate::server::spreadsheet::{cell, Export, Format};
use crate::server::time::{local_date, local_timestamp};
use crate::server::AppState;

/// The list's controls, named as in its address.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub onglet: String,
    #[serde(default, rename = "type")]
    pub type_compte: String,
    #[serde(default)]
    pub q: String,
}

pub const HEADERS: [&str; 10] = [
    "Nom",
    "Prénom",
    "Identifiant",
    "Adresse email",
    "Type",
    "Tribunal(aux)",
    "État",
    "Création",
    "Dernière connexion",
    "Identifiant interne",
];

fn state_label(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Actif => "Actif",
        AccountStatus::EnAttente => "En attente de validation",
        AccountStatus::Desactive => "Désactivé",
    }
}

/// One row of the file, neutralised.
fn line(user: &User, tribunaux: &str) -> Vec<String> {
    [
        user.nom.clone(),
        user.prenom.clone(),
        user.identifiant.clone(),
        user.email.clone(),
        user.role.label().to_owned(),
        tribunaux.to_owned(),
        state_label(user.status).to_owned(),
        local_date(user.created_at),
        user.last_login.map(local_timestamp).unwrap_or_default(),
        user.id.to_string(),
    ]
    .iter()
    .map(|value| cell(value))
    .collect()
}

/// `GET /admin/utilisateurs/export/utilisateurs.{csv|xlsx}?onglet=…&type=…&q=…`.
pub async fn download(
    State(state): State<AppState>,
    Path(fichier): Path<String>,
    Query(query): Query<ExportQuery>,
    request: axum::extract::Request,
) -> Response {
    let (facts, caller) =
        match crate::server::context::caller_of(&request, "/admin/utilisateurs", &[Role::Admin]) {
            Ok(found) => found,
            Err(answer) => return *answer,
        };
    let format = match fichier.as_str() {
        "utilisateurs.csv" => Format::Csv,
        "utilisateurs.xlsx" => Format::Xlsx,
        _ => return crate::server::errors::error_page(&AppError::NotFound),
    };
    let object = fichier.clone();
    crate::server::spreadsheet::audited_download(
        state,
        caller.user.id,
        facts.ip.clone(),
        format,
        fichier,
        move |state| {
            let read = state.db.begin_read().map_err(AppError::internal)?;
            let mut tribunaux = std::collections::HashMap::new();
            let all = users::all(&read)?;
            let rows = super::filtered_users(all, &query.onglet, &query.type_compte, &query.q);
            let mut lines = Vec::with_capacity(rows.len());
            for user in &rows {
                let names = super::tribunal_names(&read, &mut tribunaux, user)?.join(", ");
                lines.push(line(user, &names));
            }
            Ok(Export {
                headers: &HEADERS,
                sheet: "Utilisateurs",
                action: "Export des utilisateurs",
                object: format!("{object} ({} comptes)", lines.len()),
                lines,
            })
        },
    )
    .await
}
