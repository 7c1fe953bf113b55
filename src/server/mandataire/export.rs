//! "Exporter" of "Mesures en cours" and "Mesures éteintes" (SPEC §5.8, issue 17): the caller's mesures only,
//! as CSV (UTF-8 with a BOM and ";", so that a French Excel opens it as is) or XLSX (`rust_xlsxwriter`).
//!
//! The headers are the import's column titles (`rules::import::Column::title`: "Date décision" is
//! `date_decision` once normalised), so that an export imported back gives the same mesures. A cell that a spreadsheet would read
//! as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is neutralised with a leading apostrophe,
//! which the import removes.

use axum::extract::{Path, State};
use axum::response::Response;
use redb::ReadableDatabase;

use crate::db::mesures::{self, Mesure};
use crate::db::{audit, services};
use crate::rules::account::Role;
use crate::rules::date::display_iso;
use crate::rules::mesure::Status;
use crate::server::spreadsheet::{cell, csv_bytes, xlsx_bytes, Format};
use crate::server::AppState;

/// The most mesures one export holds: far above any mandataire (a service holds a few thousand).
pub const MAX_ROWS: usize = 100_000;

/// `en-cours.csv`, `eteintes.xlsx`…; `None` for anything else.
pub fn parse_file(name: &str) -> Option<(Status, Format)> {
    let (list, extension) = name.rsplit_once('.')?;
    let status = match list {
        "en-cours" => Status::EnCours,
        "eteintes" => Status::Eteinte,
        _ => return None,
    };
    let format = match extension {
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        _ => return None,
    };
    Some((status, format))
}

/// The header row and the rows of the export, every cell already neutralised.
pub fn table(
    mesures: &[Mesure],
    status: Status,
    tribunal_name: &mut dyn FnMut(Option<u64>) -> String,
    antennes: Option<&[(u64, String)]>,
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    // The import's columns (`rules::import::Column`), so that an export imported back gives the same mesures.
    use crate::rules::import::Column;
    let mut columns = super::import::template::columns(false);
    if status == Status::Eteinte {
        columns.extend([Column::DateFin, Column::CauseSortie]);
    }
    if antennes.is_some() {
        columns.push(Column::Antenne);
    }
    let headers: Vec<&'static str> = columns.iter().map(|c| c.title()).collect();
    let rows = mesures
        .iter()
        .map(|m| {
            let mut row = vec![
                m.date_decision
                    .as_deref()
                    .map(display_iso)
                    .unwrap_or_default(),
                m.nature.label().to_owned(),
                m.champ.map(|c| c.label().to_owned()).unwrap_or_default(),
                m.code_postal.clone().unwrap_or_default(),
                m.commune.clone().unwrap_or_default(),
                m.genre.label().to_owned(),
                m.annee_naissance.to_string(),
                m.lieu_de_vie
                    .map(|l| l.label().to_owned())
                    .unwrap_or_default(),
                m.etablissement.clone().unwrap_or_default(),
                m.numero_dossier.clone().unwrap_or_default(),
                m.numero_rg.clone().unwrap_or_default(),
                tribunal_name(
                    m.tribunal_id
                        .or_else(|| m.reservation.as_ref().map(|r| r.tribunal_id)),
                ),
            ];
            if status == Status::Eteinte {
                row.push(m.date_fin.as_deref().map(display_iso).unwrap_or_default());
                row.push(
                    m.cause_sortie
                        .map(|c| c.label().to_owned())
                        .unwrap_or_default(),
                );
            }
            if let Some(names) = antennes {
                row.push(super::lists::antenne_label(Some(names), m.antenne));
            }
            row.iter().map(|value| cell(value)).collect()
        })
        .collect();
    (headers, rows)
}

/// `GET /mandataire/export/{fichier}`: the caller's list as a file, audited with its count.
pub async fn download(
    State(state): State<AppState>,
    Path(fichier): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let page = "/mandataire/mesures";
    let (facts, caller) = match crate::server::context::caller_of(
        &request,
        page,
        &[Role::Individuel, Role::Prepose, Role::Service],
    ) {
        Ok(found) => found,
        Err(answer) => return *answer,
    };
    let Some((status, format)) = parse_file(&fichier) else {
        return crate::server::errors::error_page(&crate::api::AppError::NotFound);
    };
    let work_state = state.clone();
    let object = fichier.clone();
    let built = tokio::task::spawn_blocking(move || -> Result<(Vec<u8>, usize), String> {
        let read = work_state.db.begin_read().map_err(|e| e.to_string())?;
        let owner = caller.owner();
        let mut list = mesures::of_owner(&read, owner, status).map_err(|e| e.to_string())?;
        list.truncate(MAX_ROWS);
        let antennes = if caller.user.role == Role::Service {
            match services::get(&read, owner).map_err(|e| e.to_string())? {
                Some(service) => Some(
                    services::antennes_of(&read, &service)
                        .map_err(|e| e.to_string())?
                        .into_iter()
                        .map(|a| (a.id, a.nom))
                        .collect::<Vec<_>>(),
                ),
                None => None,
            }
        } else {
            None
        };
        let mut names = super::TribunalNames::new(&read);
        let mut tribunal_name = |id: Option<u64>| names.name(id);
        let (headers, rows) = table(&list, status, &mut tribunal_name, antennes.as_deref());
        let sheet = if status == Status::EnCours {
            "Mesures en cours"
        } else {
            "Mesures éteintes"
        };
        let bytes = match format {
            Format::Csv => csv_bytes(&headers, &rows)?,
            Format::Xlsx => xlsx_bytes(sheet, &headers, &rows)?,
        };
        let write = work_state.db.begin_write().map_err(|e| e.to_string())?;
        audit::record(
            &write,
            Some(caller.user.id),
            &facts.ip,
            "Export des mesures",
            &format!("{object} ({} mesures)", rows.len()),
            "Succès",
        )
        .map_err(|e| e.to_string())?;
        write.commit().map_err(|e| e.to_string())?;
        Ok((bytes, rows.len()))
    })
    .await;
    let bytes = match built {
        Ok(Ok((bytes, _))) => bytes,
        Ok(Err(reason)) => {
            tracing::error!(%reason, "export des mesures impossible");
            return crate::server::errors::internal_error_page();
        }
        Err(_) => return crate::server::errors::internal_error_page(),
    };
    let name = format!(
        "emjpm-mesures-{}-{}",
        crate::server::time::today_iso(),
        fichier
    );
    crate::server::spreadsheet::attachment(format, &name, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::test_kit;

    #[test]
    fn formulas_are_neutralised_and_the_file_names_are_the_four_known() {
        for risky in ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(cell(risky), format!("'{risky}"));
        }
        assert_eq!(cell("26/00417"), "26/00417");
        assert_eq!(
            parse_file("en-cours.csv"),
            Some((Status::EnCours, Format::Csv))
        );
        assert_eq!(
            parse_file("eteintes.xlsx"),
            Some((Status::Eteinte, Format::Xlsx))
        );
        for bad in [
            "en-cours",
            "en_attente.csv",
            "en-cours.exe",
            "../en-cours.csv",
            "",
        ] {
            assert_eq!(parse_file(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_csv_opens_in_french_excel_and_the_xlsx_is_a_workbook() {
        let mut first = test_kit::mesure(1);
        first.numero_dossier = Some("=HYPERLINK(\"x\")".into());
        first.numero_rg = Some("26/00417".into());
        let (headers, rows) = table(&[first], Status::EnCours, &mut |_| String::new(), None);
        let csv = csv_bytes(&headers, &rows).unwrap();
        assert!(csv.starts_with("\u{feff}Date décision;Type;".as_bytes()));
        let text = String::from_utf8(csv).unwrap();
        assert!(text.contains("05/03/2024;Curatelle renforcée;"), "{text}");
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.ends_with("\r\n"));
        let xlsx = xlsx_bytes("Mesures en cours", &headers, &rows).unwrap();
        assert!(xlsx.starts_with(b"PK"), "a zip archive");
    }
}
