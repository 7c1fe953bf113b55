//! "Télécharger le modèle" (SPEC §5.8): the import's columns with one example row, as an XLSX workbook
//! (with the accepted values in drop-down lists and on a second sheet) and as a CSV (UTF-8 with a BOM,
//! ";", as Excel in French writes it).

use axum::extract::{Path, State};
use axum::response::Response;
use redb::ReadableDatabase;

use crate::rules::account::Role;
use crate::rules::import::Column;
use crate::rules::mesure::{CauseSortie, Champ, LieuDeVie, Nature};
use crate::rules::profile::Genre;
use crate::server::spreadsheet::{self, Format};
use crate::server::AppState;

/// The template's columns: the export's, plus "Antenne" for a service.
pub fn columns(service: bool) -> Vec<Column> {
    // `Column::ALL` lists the mesure's columns first, up to "Tribunal".
    let last = Column::ALL
        .iter()
        .position(|&c| c == Column::Tribunal)
        .unwrap_or(0);
    let mut columns = Column::ALL[..=last].to_vec();
    if service {
        columns.push(Column::Antenne);
    }
    columns
}

/// The example row, for `tribunal` (the mandataire's first) and `antenne` (a service's first).
pub fn example(tribunal: &str, antenne: Option<&str>) -> Vec<String> {
    let mut row: Vec<String> = [
        "05/03/2024",
        Nature::CuratelleRenforcee.label(),
        Champ::ProtectionBienPersonne.label(),
        "62100",
        "Calais",
        Genre::F.label(),
        "1957",
        LieuDeVie::Domicile.label(),
        "",
        "EXEMPLE (ligne à remplacer)",
        "24/00123",
        tribunal,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    if let Some(antenne) = antenne {
        row.push(antenne.to_owned());
    }
    row
}

/// The lists a cell's value is chosen from: (column, values).
fn lists() -> Vec<(Column, Vec<&'static str>)> {
    vec![
        (
            Column::Type,
            Nature::ALL.iter().map(|n| n.label()).collect(),
        ),
        (
            Column::Champ,
            Champ::ALL.iter().map(|c| c.label()).collect(),
        ),
        (
            Column::Genre,
            Genre::ALL.iter().map(|g| g.label()).collect(),
        ),
        (
            Column::LieuDeVie,
            LieuDeVie::ALL.iter().map(|l| l.label()).collect(),
        ),
        (
            Column::CauseSortie,
            CauseSortie::ALL.iter().map(|c| c.label()).collect(),
        ),
    ]
}

/// The workbook: "Mesures" (first: the import reads the first sheet) and "Valeurs possibles".
pub fn xlsx(columns: &[Column], example: &[String]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Formula, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = workbook.add_worksheet();
    sheet.set_name("Mesures")?;
    for (c, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, column.title(), &bold)?;
        // Text cells: a code postal keeps its leading zero, a RG "24/00123" is not a date.
        sheet.set_column_format(c as u16, &text)?;
    }
    for (c, value) in example.iter().enumerate() {
        sheet.write_string(1, c as u16, value)?;
    }
    for (position, (column, values)) in lists().iter().enumerate() {
        let Some(c) = columns.iter().position(|x| x == column) else {
            continue;
        };
        let letter = (b'A' + position as u8) as char;
        let range = format!(
            "='Valeurs possibles'!${letter}$2:${letter}${}",
            values.len() + 1
        );
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(range))
            .ignore_blank(true)
            // Synonyms ("Mme", "domicile") are accepted by the import: a warning, not a stop.
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("Valeur inhabituelle")?
            .set_error_message("Choisissez de préférence une valeur de la liste.")?;
        sheet.add_data_validation(1, c as u16, rules_rows(), c as u16, &validation)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    let values = workbook.add_worksheet();
    values.set_name("Valeurs possibles")?;
    for (c, (column, list)) in lists().iter().enumerate() {
        values.write_string_with_format(0, c as u16, column.title(), &bold)?;
        for (r, value) in list.iter().enumerate() {
            values.write_string(r as u32 + 1, c as u16, *value)?;
        }
    }
    values.autofit();
    workbook.save_to_buffer()
}

/// The last row the drop-down lists cover: the import's limit.
fn rules_rows() -> u32 {
    crate::rules::import::MAX_ROWS as u32
}

/// `GET /mandataire/import/modele.{csv|xlsx}`.
pub async fn download(
    State(state): State<AppState>,
    Path(fichier): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (_, caller) = match crate::server::context::caller_of(
        &request,
        super::PAGE,
        &[Role::Individuel, Role::Prepose, Role::Service],
    ) {
        Ok(found) => found,
        Err(answer) => return *answer,
    };
    let format = match fichier.as_str() {
        "modele.csv" => Format::Csv,
        "modele.xlsx" => Format::Xlsx,
        _ => return crate::server::errors::error_page(&crate::api::AppError::NotFound),
    };
    let work_state = state.clone();
    let built = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let read = work_state.db.begin_read().map_err(|e| e.to_string())?;
        let owner = caller.owner();
        let service = caller.user.role == Role::Service;
        let tribunal = crate::db::profiles::mandataire(&read, owner)
            .map_err(|e| e.to_string())?
            .and_then(|p| p.tribunaux.first().copied())
            .and_then(|id| crate::db::tribunaux::get(&read, id).ok().flatten())
            .map(|t| t.nom)
            .unwrap_or_default();
        let antenne = if service {
            let found = crate::db::services::get(&read, owner).map_err(|e| e.to_string())?;
            let first = match found {
                Some(s) => crate::db::services::antennes_of(&read, &s)
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .next()
                    .map(|a| a.nom),
                None => None,
            };
            Some(first.unwrap_or_default())
        } else {
            None
        };
        let columns = columns(service);
        let example = example(&tribunal, antenne.as_deref());
        match format {
            Format::Csv => {
                let titles: Vec<&str> = columns.iter().map(|c| c.title()).collect();
                spreadsheet::csv_bytes(&titles, &[example])
            }
            Format::Xlsx => xlsx(&columns, &example).map_err(|e| e.to_string()),
        }
    })
    .await;
    let bytes = match built {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(reason)) => {
            tracing::error!(%reason, "modèle d'import impossible");
            return crate::server::errors::internal_error_page();
        }
        Err(_) => return crate::server::errors::internal_error_page(),
    };
    crate::server::spreadsheet::attachment(format, &format!("emjpm-{fichier}"), bytes)
}
