//! Each row of a mandataire's file checked as the mesure form checks it (SPEC §5.3 through
//! `rules::forms::mesure::parse_mesure`, the same messages): the cells are first read as the form's values
//! (a label, a code or a synonym, accents and case ignored), then the form's rules decide. A row whose
//! numéro de dossier the mandataire already has is skipped, not checked (SPEC §5.8).

use std::collections::{HashMap, HashSet};

use super::read::{Row, Table};
use crate::api::form::FormState;
use crate::api::mandataire::MesureForm;
use crate::db::mesures::Mesure;
use crate::rules::forms::mesure::{parse_mesure, MesureContext};
use crate::rules::forms::References;
use crate::rules::import::{self as rules, line_message, Column, REPORT_LINES};
use crate::rules::mesure::{end_date, Origin, Status};

pub const COLUMN_UNKNOWN: &str =
    "Colonne inconnue : renommez-la comme dans le modèle ou supprimez-la";
pub const COLUMN_TWICE: &str = "Cette colonne figure deux fois";
pub const COLUMN_MISSING: &str = "Colonne obligatoire absente du fichier";
pub const UNTITLED: &str =
    "Valeur dans une colonne sans titre : donnez un titre à la colonne ou videz-la";
pub const TYPE_UNKNOWN: &str =
    "Type de mesure inconnu : écrivez par exemple « Tutelle » ou « Curatelle renforcée »";
pub const CHAMP_UNKNOWN: &str =
    "Champ inconnu : « Aux biens », « À la personne » ou « Aux biens et à la personne »";
pub const CHAMP_CONFLICT: &str = "Le champ ne correspond pas à celui écrit dans le type";
pub const GENRE_UNKNOWN: &str = "Genre inconnu : « Femme » ou « Homme » (F ou H)";
pub const LIEU_UNKNOWN: &str = "Lieu de vie inconnu : « À domicile », « En établissement », « En établissement avec conservation du domicile » ou « SDF »";
pub const TRIBUNAL_UNKNOWN: &str = "Ce tribunal ne figure pas parmi vos tribunaux (« Mes informations ») : écrivez son nom ou son SIRET";
pub const ANTENNE_UNKNOWN: &str = "Cette antenne n'existe pas dans votre service";
pub const NO_ANTENNES: &str =
    "Seuls les services mandataires ont des antennes : laissez cette colonne vide";
pub const CAUSE_UNKNOWN: &str = "Cause de sortie inconnue";
pub const CAUSE_WITHOUT_END: &str =
    "Une cause de sortie demande une date de fin de mandat dans la même ligne";

/// A tribunal the mandataire declared: what the "Tribunal" column may name.
#[derive(Clone, Debug)]
pub struct TribunalChoice {
    pub id: u64,
    pub nom: String,
    pub siret: Option<String>,
}

/// What the rows are checked against, beyond the reference data.
pub struct ImportContext<'a> {
    pub owner: u64,
    /// Today in the jurisdiction, ISO.
    pub today: &'a str,
    pub current_year: i64,
    pub tribunaux: &'a [TribunalChoice],
    /// A service's antennes (id, name); `None` for other mandataires.
    pub antennes: Option<&'a [(u64, String)]>,
    /// The numéros de dossier the mandataire already has.
    pub dossiers: &'a HashSet<String>,
    /// Created-at time of the new mesures (Unix seconds).
    pub now: i64,
}

/// The outcome of a file: the mesures to create, the skipped lines, and the report's first error lines
/// with their total.
#[derive(Debug, Default)]
pub struct Checked {
    /// (line, mesure with id 0).
    pub rows: Vec<(usize, Mesure)>,
    pub skipped: Vec<usize>,
    pub errors: Vec<String>,
    pub error_count: usize,
}

impl Checked {
    /// Counts an error and keeps its line while the report has room.
    pub fn fail(&mut self, line: usize, message: &str, value: &str) {
        self.error_count += 1;
        if self.errors.len() < REPORT_LINES {
            self.errors.push(line_message(line, message, value));
        }
    }
}

/// The form field each column feeds, to tell a refused field's value.
fn column_of_field(field: &str) -> Option<Column> {
    Some(match field {
        "date_decision" => Column::DateDecision,
        "nature" => Column::Type,
        "champ" => Column::Champ,
        "code_postal" => Column::CodePostal,
        "commune" => Column::Commune,
        "genre" => Column::Genre,
        "annee_naissance" => Column::AnneeNaissance,
        "lieu_de_vie" => Column::LieuDeVie,
        "etablissement" => Column::Finess,
        "numero_dossier" => Column::NumeroDossier,
        "numero_rg" => Column::NumeroRg,
        "tribunal" => Column::Tribunal,
        _ => return None,
    })
}

/// The header's columns by position; `None` for an untitled one.
fn read_header(header: &Row, checked: &mut Checked) -> Vec<Option<Column>> {
    let mut seen = HashSet::new();
    let columns: Vec<Option<Column>> = header
        .cells
        .iter()
        .map(|title| {
            let title = rules::unneutralise(title).trim();
            if title.is_empty() {
                return None;
            }
            match Column::from_header(title) {
                Some(column) if !seen.insert(column) => {
                    checked.fail(header.line, COLUMN_TWICE, title);
                    None
                }
                Some(column) => Some(column),
                None => {
                    checked.fail(header.line, COLUMN_UNKNOWN, title);
                    None
                }
            }
        })
        .collect();
    for required in Column::REQUIRED {
        if !seen.contains(&required) {
            checked.fail(header.line, COLUMN_MISSING, required.title());
        }
    }
    columns
}

/// Checks every row of `table` (its first row is the header); `rg_taken` tells whether the mandataire
/// already holds a numéro RG for a tribunal (`None`: no tribunal), as stored.
pub fn check(
    table: &Table,
    cx: &ImportContext<'_>,
    refs: &impl References,
    rg_taken: impl Fn(Option<u64>, &str) -> bool,
) -> Checked {
    let mut checked = Checked::default();
    let Some((header, rows)) = table.split_first() else {
        return checked;
    };
    let columns = read_header(header, &mut checked);
    if checked.error_count > 0 {
        return checked;
    }
    let tribunal_ids: Vec<u64> = cx.tribunaux.iter().map(|t| t.id).collect();
    let context = MesureContext {
        today: cx.today,
        current_year: cx.current_year,
        tribunaux: &tribunal_ids,
        reserved_tribunal: None,
    };
    let mut dossiers_in_file: HashSet<String> = HashSet::new();
    let mut rg_in_file: HashMap<(Option<u64>, String), usize> = HashMap::new();
    for row in rows {
        let mut cells: HashMap<Column, &str> = HashMap::new();
        for (index, cell) in row.cells.iter().enumerate() {
            let value = rules::unneutralise(cell).trim();
            match columns.get(index).copied().flatten() {
                Some(column) => {
                    cells.insert(column, value);
                }
                None if !value.is_empty() => checked.fail(row.line, UNTITLED, value),
                None => {}
            }
        }
        let cell = |column: Column| cells.get(&column).copied().unwrap_or("");
        let dossier = cell(Column::NumeroDossier);
        if !dossier.is_empty()
            && (cx.dossiers.contains(dossier) || !dossiers_in_file.insert(dossier.to_owned()))
        {
            checked.skipped.push(row.line);
            continue;
        }
        if let Some((line, mesure)) =
            check_row(row.line, &cell, cx, &context, refs, &rg_taken, &mut checked)
        {
            if let Some(rg) = &mesure.numero_rg {
                let key = (mesure.tribunal_id, rg.clone());
                if let Some(first) = rg_in_file.get(&key) {
                    let message = format!(
                        "Ce numéro RG figure déjà à la ligne {first} pour le même tribunal"
                    );
                    checked.fail(line, &message, cell(Column::NumeroRg));
                    continue;
                }
                rg_in_file.insert(key, line);
            }
            checked.rows.push((line, mesure));
        }
    }
    if checked.error_count > 0 {
        checked.rows.clear();
    }
    checked
}

/// One row: its cells read as the form's values, then the form's rules; `None` when refused (the
/// messages are in `checked`).
fn check_row<'c>(
    line: usize,
    cell: &impl Fn(Column) -> &'c str,
    cx: &ImportContext<'_>,
    context: &MesureContext<'_>,
    refs: &impl References,
    rg_taken: &impl Fn(Option<u64>, &str) -> bool,
    checked: &mut Checked,
) -> Option<(usize, Mesure)> {
    // The reading's own refusals, by form field: the form's "missing" message is not added to them.
    let mut own: Vec<(&str, String, &str)> = Vec::new();
    let (nature, champ_in_type) = match cell(Column::Type) {
        "" => (String::new(), None),
        typed => match rules::nature(typed) {
            Some((nature, champ)) => (nature.code().to_owned(), champ),
            None => {
                own.push(("nature", TYPE_UNKNOWN.into(), typed));
                (String::new(), None)
            }
        },
    };
    let champ = match (cell(Column::Champ), champ_in_type) {
        ("", in_type) => in_type,
        (typed, in_type) => match rules::champ(typed) {
            Some(c) if in_type.is_none_or(|t| t == c) => Some(c),
            Some(_) => {
                own.push(("champ", CHAMP_CONFLICT.into(), typed));
                None
            }
            None => {
                own.push(("champ", CHAMP_UNKNOWN.into(), typed));
                None
            }
        },
    };
    let genre = match cell(Column::Genre) {
        "" => "",
        typed => rules::genre(typed).map_or_else(
            || {
                own.push(("genre", GENRE_UNKNOWN.into(), typed));
                "?"
            },
            |g| g.code(),
        ),
    };
    let lieu = match cell(Column::LieuDeVie) {
        "" => "",
        typed => rules::lieu_de_vie(typed).map_or_else(
            || {
                own.push(("lieu_de_vie", LIEU_UNKNOWN.into(), typed));
                "?"
            },
            |l| l.code(),
        ),
    };
    let tribunal = match cell(Column::Tribunal) {
        "" => String::new(),
        typed => match find_tribunal(cx.tribunaux, typed) {
            Some(id) => id.to_string(),
            None => {
                own.push(("tribunal", TRIBUNAL_UNKNOWN.into(), typed));
                String::new()
            }
        },
    };
    let antenne = match (cell(Column::Antenne), cx.antennes) {
        ("", _) => None,
        (typed, None) => {
            own.push(("antenne", NO_ANTENNES.into(), typed));
            None
        }
        (typed, Some(antennes)) => {
            let found = antennes
                .iter()
                .find(|(_, nom)| crate::rules::text::same_words(nom, typed));
            if found.is_none() {
                own.push(("antenne", ANTENNE_UNKNOWN.into(), typed));
            }
            found.map(|(id, _)| *id)
        }
    };
    let finess = cell(Column::Finess);
    let form = MesureForm {
        date_decision: rules::date_part(cell(Column::DateDecision)).to_owned(),
        nature,
        champ: champ.map(|c| c.code().to_owned()).unwrap_or_default(),
        code_postal: rules::code_postal(cell(Column::CodePostal)),
        commune: cell(Column::Commune).to_owned(),
        genre: genre.to_owned(),
        annee_naissance: cell(Column::AnneeNaissance).to_owned(),
        lieu_de_vie: lieu.to_owned(),
        etablissement: finess.to_owned(),
        etablissement_id: finess.to_owned(),
        numero_dossier: cell(Column::NumeroDossier).to_owned(),
        numero_rg: cell(Column::NumeroRg).to_owned(),
        tribunal,
        ..MesureForm::default()
    };
    let parsed = parse_mesure(&form, context, refs, rg_taken);
    let end = end_of_mandate(cell, &parsed, cx.today, &mut own);
    let refused = |out: &FormState| -> Vec<(String, String, String)> {
        let mut lines: Vec<(usize, String, String, String)> = Vec::new();
        for (field, message, value) in &own {
            let order = column_order(field);
            lines.push((
                order,
                (*field).to_owned(),
                message.clone(),
                (*value).to_owned(),
            ));
        }
        for (field, message) in &out.errors {
            if own.iter().any(|(f, ..)| f == field) {
                continue;
            }
            let value = column_of_field(field).map_or("", cell);
            lines.push((
                column_order(field),
                field.clone(),
                message.clone(),
                value.to_owned(),
            ));
        }
        lines.sort_by_key(|l| l.0);
        lines.into_iter().map(|(_, f, m, v)| (f, m, v)).collect()
    };
    let (input, end) = match (parsed, end, own.is_empty()) {
        (Ok(input), Some(end), true) => (input, end),
        (parsed, _, _) => {
            let out = parsed.err().unwrap_or_default();
            for (_, message, value) in refused(&out) {
                checked.fail(line, &message, &value);
            }
            return None;
        }
    };
    let (date_fin, cause_sortie) = end;
    let status = if date_fin.is_some() {
        Status::Eteinte
    } else {
        Status::EnCours
    };
    Some((
        line,
        Mesure {
            id: 0,
            owner: cx.owner,
            status,
            origin: Origin::Import,
            nature: input.majeur.nature,
            champ: input.majeur.champ,
            date_decision: Some(input.placement.date_decision),
            code_postal: Some(input.placement.place.code_postal),
            code_insee: Some(input.placement.place.code_insee),
            commune: Some(input.placement.place.commune),
            genre: input.majeur.genre,
            annee_naissance: input.majeur.annee_naissance,
            lieu_de_vie: Some(input.placement.lieu_de_vie),
            etablissement: input.placement.etablissement,
            numero_dossier: input.placement.numero_dossier,
            numero_rg: input.numero_rg,
            tribunal_id: input.tribunal_id,
            reservation: None,
            date_fin,
            cause_sortie,
            created_at: cx.now,
            antenne,
        },
    ))
}

/// The report's order of a row's messages: the template's column order.
fn column_order(field: &str) -> usize {
    let column = match field {
        "antenne" => Some(Column::Antenne),
        "date_fin" => Some(Column::DateFin),
        "cause_sortie" => Some(Column::CauseSortie),
        other => column_of_field(other),
    };
    column
        .and_then(|c| Column::ALL.iter().position(|&a| a == c))
        .unwrap_or(usize::MAX)
}

type EndOfMandate = (Option<String>, Option<crate::rules::mesure::CauseSortie>);

/// "Date fin" and "Cause sortie" (the export of "Mesures éteintes"): `None` when refused, the message in
/// `own`.
fn end_of_mandate<'c>(
    cell: &impl Fn(Column) -> &'c str,
    parsed: &Result<crate::rules::forms::mesure::MesureInput, FormState>,
    today: &str,
    own: &mut Vec<(&'static str, String, &'c str)>,
) -> Option<EndOfMandate> {
    let typed_end = cell(Column::DateFin);
    let typed_cause = cell(Column::CauseSortie);
    let cause = match typed_cause {
        "" => Some(None),
        typed => match rules::cause_sortie(typed) {
            Some(c) => Some(Some(c)),
            None => {
                own.push(("cause_sortie", CAUSE_UNKNOWN.into(), typed));
                None
            }
        },
    };
    if typed_end.is_empty() {
        if !typed_cause.is_empty() && cause.is_some() {
            own.push(("cause_sortie", CAUSE_WITHOUT_END.into(), typed_cause));
            return None;
        }
        return cause.map(|c| (None, c));
    }
    // Checked against the decision once it is known to be a date.
    let decision = match parsed {
        Ok(input) => input.placement.date_decision.clone(),
        Err(_) => crate::rules::date::parse_iso(rules::date_part(cell(Column::DateDecision)))
            .unwrap_or_else(|_| "1900-01-01".to_owned()),
    };
    match end_date(rules::date_part(typed_end), today, &decision) {
        Ok(date) => cause.map(|c| (Some(date), c)),
        Err(message) => {
            own.push(("date_fin", message, typed_end));
            None
        }
    }
}

/// A declared tribunal named by its SIRET or its name (accents, case and punctuation ignored).
fn find_tribunal(tribunaux: &[TribunalChoice], typed: &str) -> Option<u64> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    tribunaux
        .iter()
        .find(|t| t.siret.as_deref() == Some(digits.as_str()))
        .or_else(|| {
            tribunaux
                .iter()
                .find(|t| crate::rules::text::same_words(&t.nom, typed))
        })
        .map(|t| t.id)
}
