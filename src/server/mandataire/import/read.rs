//! A mandataire's file as a table of text cells, whatever it is: a CSV (UTF-8, Windows-1252 or the UTF-16
//! of Excel's "Texte Unicode"; ";", "," or tab, detected) read with `csv` and `encoding_rs`, or an XLSX
//! workbook's first sheet read cell by cell with `calamine`.
//!
//! A workbook is a ZIP archive: before calamine opens it, every entry is inflated once into nothing with a
//! bound on the total, so that a ZIP bomb stops at `MAX_INFLATED_BYTES` instead of filling the memory; the
//! shared strings' declared count, which calamine reserves at once, is bounded too. The sheet is read as a
//! stream of cells (never as calamine's `Range`, which allocates the rectangle between the first and the
//! last cell: two cells at A1 and XFD1048576 would be 17 billion).

use std::io::{Cursor, Read};

use crate::rules::import::{
    FILE_EMPTY, FILE_OLD_EXCEL, FILE_TOO_MANY_COLUMNS, FILE_TOO_MANY_ROWS, FILE_UNREADABLE,
    MAX_ROWS,
};

/// What the entries of a 5 MB workbook may inflate to: a 10,000-row sheet is about 10 MB of XML.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// More entries than any workbook has.
const MAX_ENTRIES: usize = 1_000;
/// The distinct texts of a full file: 10,000 rows of 15 columns.
const MAX_SHARED_STRINGS: u64 = 200_000;
/// Columns beyond the template's 15 and a few blank or extra ones.
pub const MAX_COLUMNS: usize = 40;
/// The longest cell kept: no column's value is longer (a commune, a tribunal's name).
const MAX_CELL_CHARS: usize = 300;

/// One non-blank row of the file and its number as the user sees it (the spreadsheet's row number, or
/// the CSV's line number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A file's non-blank rows, the header first.
pub type Table = Vec<Row>;

/// Reads a file of at most `rules::import::MAX_FILE_BYTES` (the caller checked) into its rows; `Err` is the
/// French message telling why the file as a whole is refused.
pub fn read_table(bytes: &[u8]) -> Result<Table, &'static str> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FILE_EMPTY);
    }
    let table = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FILE_OLD_EXCEL);
    } else {
        read_csv(bytes)?
    };
    if table.is_empty() {
        return Err(FILE_EMPTY);
    }
    Ok(table)
}

/// The header row plus at most `MAX_ROWS` rows; blank rows do not count.
fn push_row(table: &mut Table, line: usize, cells: Vec<String>) -> Result<(), &'static str> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Ok(());
    }
    if table.len() > MAX_ROWS {
        return Err(FILE_TOO_MANY_ROWS);
    }
    table.push(Row { line, cells });
    Ok(())
}

fn bounded(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((cut, _)) => text[..cut].to_owned(),
        None => text.to_owned(),
    }
}

/// The text of a CSV file: UTF-8 (with or without its BOM), UTF-16 with a BOM, else Windows-1252 (what
/// Excel writes for "CSV (séparateur : point-virgule)" in French). A text with control characters is a
/// binary file renamed.
fn decode(bytes: &[u8]) -> Result<String, &'static str> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        std::str::from_utf8(rest)
            .map_err(|_| FILE_UNREADABLE)?
            .to_owned()
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (encoding, _) = encoding_rs::Encoding::for_bom(bytes).ok_or(FILE_UNREADABLE)?;
        let (text, malformed) = encoding.decode_with_bom_removal(bytes);
        if malformed {
            return Err(FILE_UNREADABLE);
        }
        text.into_owned()
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                text.into_owned()
            }
        }
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        return Err(FILE_UNREADABLE);
    }
    Ok(text)
}

/// ";", "," or tab: the one the header line holds most of (";" when none, as a French Excel writes).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| header.matches(c).count();
    [(b';', count(';')), (b'\t', count('\t')), (b',', count(','))]
        .into_iter()
        .max_by_key(|&(d, n)| (n, d == b';'))
        .map_or(b';', |(d, _)| d)
}

fn read_csv(bytes: &[u8]) -> Result<Table, &'static str> {
    // Line ends made "\n" alone, and the line of each record counted here: `csv` gives a record's start
    // before the blank lines it skipped (and with "\r\n", on the line before).
    let text = decode(bytes)?.replace("\r\n", "\n").replace('\r', "\n");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Table::new();
    let mut record = csv::StringRecord::new();
    // (byte, line) of the last record start found: lines are counted from there.
    let mut counted = (0usize, 1usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => return Err(FILE_UNREADABLE),
        }
        if record.len() > MAX_COLUMNS
            && record
                .iter()
                .skip(MAX_COLUMNS)
                .any(|c| !c.trim().is_empty())
        {
            return Err(FILE_TOO_MANY_COLUMNS);
        }
        let reported = record.position().map_or(0, |p| p.byte() as usize);
        let start = reported
            + text
                .get(reported..)
                .map_or(0, |rest| rest.len() - rest.trim_start_matches('\n').len());
        let start = start.max(counted.0);
        let line = counted.1
            + text
                .get(counted.0..start)
                .map_or(0, |s| s.matches('\n').count());
        counted = (start, line);
        let cells = record.iter().take(MAX_COLUMNS).map(bounded).collect();
        push_row(&mut table, line, cells)?;
    }
    Ok(table)
}

/// Inflates every entry of the archive into nothing, within `MAX_INFLATED_BYTES` in all, and reads the
/// shared strings' declared count: the bounds calamine does not keep.
fn check_archive(bytes: &[u8]) -> Result<(), &'static str> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FILE_UNREADABLE)?;
    if archive.len() > MAX_ENTRIES {
        return Err(FILE_UNREADABLE);
    }
    let mut budget = MAX_INFLATED_BYTES;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|_| FILE_UNREADABLE)?;
        let shared_strings = entry
            .name()
            .is_ok_and(|name| name.ends_with("sharedStrings.xml"));
        let mut limited = (&mut entry).take(budget + 1);
        let inflated = if shared_strings {
            let mut head = vec![0u8; 4096];
            let mut filled = 0;
            while filled < head.len() {
                match limited.read(&mut head[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(_) => return Err(FILE_UNREADABLE),
                }
            }
            if declared_strings(&head[..filled]) > MAX_SHARED_STRINGS {
                return Err(FILE_UNREADABLE);
            }
            filled as u64
                + std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| FILE_UNREADABLE)?
        } else {
            std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| FILE_UNREADABLE)?
        };
        if inflated > budget {
            return Err(FILE_UNREADABLE);
        }
        budget -= inflated;
    }
    Ok(())
}

/// The `uniqueCount` of `<sst …>` at the start of the shared strings (0 when absent).
fn declared_strings(head: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(head);
    let Some(start) = text.find("uniqueCount=\"") else {
        return 0;
    };
    let digits: String = text[start + 13..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    // A number too long to read is too large.
    digits.parse().unwrap_or(u64::MAX)
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, &'static str> {
    use calamine::{Reader, Xlsx};
    check_archive(bytes)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|error| {
        tracing::info!(%error, "classeur illisible");
        FILE_UNREADABLE
    })?;
    let Some(first) = workbook.sheet_names().into_iter().next() else {
        return Err(FILE_EMPTY);
    };
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|_| FILE_UNREADABLE)?;
    let mut table = Table::new();
    let mut current: Option<(u32, Vec<String>)> = None;
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(_) => return Err(FILE_UNREADABLE),
        };
        let (row, column) = cell.get_position();
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if column as usize >= MAX_COLUMNS {
            return Err(FILE_TOO_MANY_COLUMNS);
        }
        match &mut current {
            Some((at, values)) if *at == row => put(values, column as usize, text),
            _ => {
                if let Some((at, values)) = current.take() {
                    push_row(&mut table, at as usize + 1, values)?;
                }
                let mut values = Vec::new();
                put(&mut values, column as usize, text);
                current = Some((row, values));
            }
        }
    }
    if let Some((at, values)) = current {
        push_row(&mut table, at as usize + 1, values)?;
    }
    Ok(table)
}

fn put(values: &mut Vec<String>, column: usize, text: String) {
    if values.len() <= column {
        values.resize(column + 1, String::new());
    }
    values[column] = text;
}

/// A cell as the user reads it: numbers without a useless ".0" (a code postal, a year), dates
/// "jj/mm/aaaa".
fn cell_text(value: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match value {
        DataRef::String(s) => bounded(s),
        DataRef::SharedString(s) => bounded(s),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => if *b { "VRAI" } else { "FAUX" }.to_owned(),
        DataRef::DateTime(d) => {
            if d.is_datetime() {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                format!("{day:02}/{m:02}/{y:04}")
            } else {
                number(d.as_f64())
            }
        }
        DataRef::DateTimeIso(s) => bounded(s),
        DataRef::DurationIso(s) => bounded(s),
        DataRef::Error(_) => "#ERREUR".to_owned(),
        DataRef::Empty => String::new(),
    }
}

fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(table: &Table) -> Vec<(usize, Vec<&str>)> {
        table
            .iter()
            .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn csv_files_are_read_whatever_their_encoding_and_separator() {
        let utf8 = "\u{feff}Type;Commune\r\nTutelle;Saint-Étienne\r\n\r\n;\r\n\r\nCuratelle simple;\"Lille; Nord\"\r\n";
        assert_eq!(
            texts(&read_table(utf8.as_bytes()).unwrap()),
            [
                (1, vec!["Type", "Commune"]),
                (2, vec!["Tutelle", "Saint-Étienne"]),
                (6, vec!["Curatelle simple", "Lille; Nord"]),
            ]
        );
        // Windows-1252, commas: "Étienne" is 0xC9.
        let legacy = b"type,commune\nTutelle,Saint-\xC9tienne\n";
        assert_eq!(
            texts(&read_table(legacy).unwrap())[1],
            (2, vec!["Tutelle", "Saint-Étienne"])
        );
        // Excel's "Texte Unicode": UTF-16 LE with a BOM, tabs.
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "Type\tCommune\nTutelle\tÉvry\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(
            texts(&read_table(&utf16).unwrap())[1],
            (2, vec!["Tutelle", "Évry"])
        );
    }

    #[test]
    fn empty_binary_and_oversized_files_are_refused_as_a_whole() {
        assert_eq!(read_table(b""), Err(FILE_EMPTY));
        assert_eq!(read_table(b" \r\n\r\n"), Err(FILE_EMPTY));
        // A renamed executable, a PNG.
        assert_eq!(
            read_table(b"\x7fELF\x02\x01\x01\0\0\0"),
            Err(FILE_UNREADABLE)
        );
        assert_eq!(
            read_table(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(FILE_UNREADABLE)
        );
        assert_eq!(
            read_table(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
            Err(FILE_OLD_EXCEL)
        );
        assert_eq!(read_table(b"PK\x03\x04garbage"), Err(FILE_UNREADABLE));
        let mut rows = String::from("type\n");
        for _ in 0..MAX_ROWS {
            rows.push_str("tutelle\n");
        }
        assert_eq!(read_table(rows.as_bytes()).unwrap().len(), MAX_ROWS + 1);
        rows.push_str("tutelle\n");
        assert_eq!(read_table(rows.as_bytes()), Err(FILE_TOO_MANY_ROWS));
        let wide = format!("{}x\n", "a;".repeat(MAX_COLUMNS));
        assert_eq!(read_table(wide.as_bytes()), Err(FILE_TOO_MANY_COLUMNS));
    }

    #[test]
    fn a_workbook_is_read_cell_by_cell_with_its_dates_and_numbers() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "Date décision").unwrap();
        sheet.write_string(0, 1, "Code postal").unwrap();
        sheet.write_string(0, 3, "Année").unwrap();
        let date = ExcelDateTime::from_ymd(2024, 3, 5).unwrap();
        sheet
            .write_datetime_with_format(1, 0, &date, &Format::new().set_num_format("dd/mm/yyyy"))
            .unwrap();
        sheet.write_number(1, 1, 1000.0).unwrap();
        sheet.write_number(1, 3, 1957.0).unwrap();
        // A blank row, then one more.
        sheet.write_string(3, 0, "06/03/2024").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        assert_eq!(
            texts(&read_table(&bytes).unwrap()),
            [
                (1, vec!["Date décision", "Code postal", "", "Année"]),
                (2, vec!["05/03/2024", "1000", "", "1957"]),
                (4, vec!["06/03/2024"]),
            ]
        );
    }

    /// A ZIP archive of `entries` (name, content), deflated.
    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            out.start_file(*name, options).unwrap();
            out.write_all(content).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_and_a_forged_string_count_stop_before_calamine() {
        // 80 MB of zeros deflate to about 80 KB: refused once 64 MB are inflated.
        let zeros = vec![0u8; 80 * 1024 * 1024];
        let bomb = archive(&[("xl/worksheets/sheet1.xml", &zeros)]);
        assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
        assert_eq!(read_table(&bomb), Err(FILE_UNREADABLE));
        // calamine would reserve room for 10¹¹ strings.
        let forged = archive(&[(
            "xl/sharedStrings.xml",
            br#"<?xml version="1.0"?><sst xmlns="x" count="1" uniqueCount="100000000000"><si><t>a</t></si></sst>"#,
        )]);
        assert_eq!(read_table(&forged), Err(FILE_UNREADABLE));
        assert_eq!(declared_strings(br#"<sst uniqueCount="12">"#), 12);
    }
}
