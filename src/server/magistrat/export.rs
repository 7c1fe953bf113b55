//! "Exporter" of the magistrat's "Mandataires" (SPEC §6.6 P2, issue 18): the filtered list as the page shows
//! it (same controls, same order, every page), with the communes' coordinates, as CSV or XLSX
//! (`server::spreadsheet`: formulas neutralised). Only the tribunal's mandataires, as on the page.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use redb::ReadableDatabase;

use crate::api::magistrat::{MandataireQuery, MandataireRow};
use crate::api::AppError;
use crate::server::spreadsheet::{cell, Export, Format};
use crate::server::AppState;

/// The columns: the page's, the distance when sorted by it, and the coordinates.
pub const HEADERS: [&str; 12] = [
    "Type",
    "Nom",
    "Commune",
    "Disponibilité",
    "En cours",
    "Souhaitées",
    "En attente",
    "Mise à jour",
    "Activité suspendue",
    "Distance",
    "Latitude",
    "Longitude",
];

/// One row of the file, neutralised.
pub fn line(row: &MandataireRow) -> Vec<String> {
    let (latitude, longitude) = row
        .position
        .map_or((String::new(), String::new()), |(lat, lon)| {
            (format!("{lat:.5}"), format!("{lon:.5}"))
        });
    [
        row.type_label.clone(),
        row.nom.clone(),
        row.commune.clone(),
        row.disponibilite.to_string(),
        row.en_cours.to_string(),
        row.souhaitees.to_string(),
        row.en_attente.to_string(),
        row.mise_a_jour.clone(),
        if row.suspendu { "Oui" } else { "Non" }.to_owned(),
        row.distance.clone().unwrap_or_default(),
        latitude,
        longitude,
    ]
    .iter()
    .map(|value| cell(value))
    .collect()
}

/// `GET /magistrat/export/mandataires.{csv|xlsx}?<the list's controls>`.
pub async fn download(
    State(state): State<AppState>,
    Path(fichier): Path<String>,
    Query(query): Query<MandataireQuery>,
    request: axum::extract::Request,
) -> Response {
    let (facts, caller) = match crate::server::context::caller_of(
        &request,
        "/magistrat/mandataires",
        crate::server::context::TRIBUNAL_ROLES,
    ) {
        Ok(found) => found,
        Err(answer) => return *answer,
    };
    let format = match fichier.as_str() {
        "mandataires.csv" => Format::Csv,
        "mandataires.xlsx" => Format::Xlsx,
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
            let rows = super::with_space(state, &read, &caller, |space| {
                Ok(super::list(state, space, query, false)?.rows)
            })?;
            let lines: Vec<Vec<String>> = rows.iter().map(line).collect();
            Ok(Export {
                headers: &HEADERS,
                sheet: "Mandataires",
                action: "Export des mandataires",
                object: format!("{object} ({} mandataires)", lines.len()),
                lines,
            })
        },
    )
    .await
}
