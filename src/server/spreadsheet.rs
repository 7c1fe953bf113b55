//! Spreadsheets the users download (issues 17 and 18): CSV as a French Excel opens it (UTF-8 with a byte-order
//! mark, ";", CRLF) and XLSX (`rust_xlsxwriter`), every cell a text cell neutralised against formula
//! injection.

/// Which list, in which format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// The neutralised text of a cell: a leading apostrophe before what a spreadsheet reads as a formula.
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// CSV: UTF-8 with a byte-order mark, ";" between cells, CRLF line ends (what Excel in French expects).
pub fn csv_bytes(headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(64 + rows.len() * 120);
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(headers).map_err(|e| e.to_string())?;
    for row in rows {
        writer.write_record(row).map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// XLSX: one sheet, the headers in bold, every cell a text cell (never a formula).
pub fn xlsx_bytes(sheet: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet).map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    for (c, title) in headers.iter().enumerate() {
        worksheet
            .write_string_with_format(0, c as u16, *title, &bold)
            .map_err(|e| e.to_string())?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            worksheet
                .write_string(r as u32 + 1, c as u16, value)
                .map_err(|e| e.to_string())?;
        }
    }
    worksheet.autofit();
    workbook.save_to_buffer().map_err(|e| e.to_string())
}

/// The download of a file: its type, `attachment` with `name`, never cached.
pub fn attachment(format: Format, name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// What an export writes: the table's rows (neutralised) and what the journal says of it.
pub struct Export {
    pub headers: &'static [&'static str],
    pub sheet: &'static str,
    pub lines: Vec<Vec<String>>,
    /// The journal's action and object ("Export des mandataires", "mandataires.csv (12 mandataires)").
    pub action: &'static str,
    pub object: String,
}

/// Reads the rows with `rows` off the request threads, writes the file, audits it in its own write
/// transaction for `actor`, and answers it as `emjpm-<date>-<fichier>`; a failure is the French error page.
pub async fn audited_download(
    state: crate::server::AppState,
    actor: u64,
    ip: String,
    format: Format,
    fichier: String,
    rows: impl FnOnce(&crate::server::AppState) -> crate::api::AppResult<Export> + Send + 'static,
) -> axum::response::Response {
    use crate::api::AppError;
    let built = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        let export = rows(&state)?;
        let bytes = match format {
            Format::Csv => csv_bytes(export.headers, &export.lines),
            Format::Xlsx => xlsx_bytes(export.sheet, export.headers, &export.lines),
        }
        .map_err(AppError::internal)?;
        let write = crate::server::blocking::begin_write(&state.db)?;
        crate::db::audit::record(
            &write,
            Some(actor),
            &ip,
            export.action,
            &export.object,
            "Succès",
        )?;
        crate::server::blocking::commit(write)?;
        Ok(bytes)
    })
    .await;
    match built {
        Ok(Ok(bytes)) => {
            let name = format!("emjpm-{}-{}", crate::server::time::today_iso(), fichier);
            attachment(format, &name, bytes)
        }
        Ok(Err(error)) => crate::server::errors::error_page(&error),
        Err(_) => crate::server::errors::internal_error_page(),
    }
}
