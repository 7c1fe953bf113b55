//! The mandataires' import of mesures (SPEC §5.8, issue 17): what a file's headers and cells mean, with
//! case, accents, punctuation and the usual synonyms ignored, and the report's French sentences. Reading
//! the file and checking each row against the §5.3 rules is the server's (`server::mandataire::import`).

use super::mesure::{CauseSortie, Champ, LieuDeVie, Nature};
use super::profile::Genre;
use super::text;

/// The largest file accepted (SPEC §5.8).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// The most mesures one file may hold (SPEC §5.8).
pub const MAX_ROWS: usize = 10_000;
/// The most error lines a report shows: the counts say how many more there are.
pub const REPORT_LINES: usize = 100;

pub const FILE_ERRORS: &str =
    "Des erreurs ont été détectées dans votre fichier. Aucune ligne n'a été importée.";
pub const FILE_MISSING: &str = "Choisissez le fichier à importer.";
pub const FILE_EMPTY: &str =
    "Le fichier est vide : il doit contenir une ligne d'en-tête puis une ligne par mesure.";
pub const FILE_NO_ROWS: &str =
    "Le fichier ne contient aucune mesure : ajoutez une ligne par mesure sous la ligne d'en-tête.";
pub const FILE_TOO_LARGE: &str =
    "Le fichier dépasse la taille maximale de 5 Mo : découpez-le en plusieurs fichiers.";
pub const FILE_TOO_MANY_ROWS: &str =
    "Le fichier contient plus de 10 000 mesures : découpez-le en plusieurs fichiers.";
pub const FILE_UNREADABLE: &str = "Ce fichier n'est ni un fichier CSV ni un classeur Excel (.xlsx) lisible. Enregistrez-le au format CSV ou Excel (.xlsx), par exemple à partir du modèle.";
pub const FILE_OLD_EXCEL: &str = "Les classeurs Excel 97-2003 (.xls) et OpenDocument (.ods) ne sont pas acceptés : enregistrez le fichier au format Excel (.xlsx) ou CSV.";
pub const FILE_TOO_MANY_COLUMNS: &str =
    "Le fichier contient plus de 40 colonnes : gardez seulement les colonnes du modèle.";
pub const IMPORT_EXPIRED: &str =
    "La vérification de ce fichier a expiré ou a été remplacée : déposez à nouveau le fichier.";

/// "Ligne <n> : <message> (« <valeur> »)" (SPEC §5.8); the value is cut at 60 characters.
pub fn line_message(line: usize, message: &str, value: &str) -> String {
    let value = value.trim();
    let shown: String = value.chars().take(60).collect();
    let ellipsis = if value.chars().count() > 60 {
        "…"
    } else {
        ""
    };
    let message = message.trim_end_matches('.');
    format!("Ligne {line} : {message} (« {shown}{ellipsis} »)")
}

/// "<n> mesure(s) importée(s)." (SPEC §5.8), with the French plural.
pub fn imported(count: usize) -> String {
    if count <= 1 {
        format!("{count} mesure importée.")
    } else {
        format!(
            "{} mesures importées.",
            super::format::integer(count as u64)
        )
    }
}

/// "Lignes non importées (numéro de dossier déjà existant) : 3, 7." (SPEC §5.8); `None` when none.
pub fn skipped(lines: &[usize]) -> Option<String> {
    if lines.is_empty() {
        return None;
    }
    let list: Vec<String> = lines.iter().map(usize::to_string).collect();
    Some(format!(
        "Lignes non importées (numéro de dossier déjà existant) : {}.",
        list.join(", ")
    ))
}

/// A column of the file, whatever its header's spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    DateDecision,
    Type,
    Champ,
    CodePostal,
    Commune,
    Genre,
    AnneeNaissance,
    LieuDeVie,
    Finess,
    NumeroDossier,
    NumeroRg,
    Tribunal,
    /// A service's antenne (issue 16), by its name.
    Antenne,
    /// The export of "Mesures éteintes" carries these two: a row with a "Date fin" is imported éteinte.
    DateFin,
    CauseSortie,
}

impl Column {
    pub const ALL: [Column; 15] = [
        Column::DateDecision,
        Column::Type,
        Column::Champ,
        Column::CodePostal,
        Column::Commune,
        Column::Genre,
        Column::AnneeNaissance,
        Column::LieuDeVie,
        Column::Finess,
        Column::NumeroDossier,
        Column::NumeroRg,
        Column::Tribunal,
        Column::Antenne,
        Column::DateFin,
        Column::CauseSortie,
    ];

    /// The columns a file must have.
    pub const REQUIRED: [Column; 7] = [
        Column::DateDecision,
        Column::Type,
        Column::CodePostal,
        Column::Commune,
        Column::Genre,
        Column::AnneeNaissance,
        Column::LieuDeVie,
    ];

    /// The normalised header of the column (SPEC §5.8).
    pub fn name(self) -> &'static str {
        match self {
            Column::DateDecision => "date_decision",
            Column::Type => "type",
            Column::Champ => "champ",
            Column::CodePostal => "code_postal",
            Column::Commune => "commune",
            Column::Genre => "genre",
            Column::AnneeNaissance => "annee_naissance",
            Column::LieuDeVie => "lieu_de_vie",
            Column::Finess => "finess",
            Column::NumeroDossier => "numero_dossier",
            Column::NumeroRg => "numero_rg",
            Column::Tribunal => "tribunal",
            Column::Antenne => "antenne",
            Column::DateFin => "date_fin",
            Column::CauseSortie => "cause_sortie",
        }
    }

    /// The header the template and the export write.
    pub fn title(self) -> &'static str {
        match self {
            Column::DateDecision => "Date décision",
            Column::Type => "Type",
            Column::Champ => "Champ",
            Column::CodePostal => "Code postal",
            Column::Commune => "Commune",
            Column::Genre => "Genre",
            Column::AnneeNaissance => "Année naissance",
            Column::LieuDeVie => "Lieu de vie",
            Column::Finess => "FINESS",
            Column::NumeroDossier => "Numéro dossier",
            Column::NumeroRg => "Numéro RG",
            Column::Tribunal => "Tribunal",
            Column::Antenne => "Antenne",
            Column::DateFin => "Date fin",
            Column::CauseSortie => "Cause sortie",
        }
    }

    /// The column of a header, by its normalised name or one of its aliases (SPEC §5.8, plus the
    /// screens' own titles: "Type de mesure", "Date de décision"…).
    pub fn from_header(header: &str) -> Option<Column> {
        let name = normalise_header(header);
        let column = match name.as_str() {
            "date_decision" | "date_ouverture" | "date_de_decision" | "date_d_ouverture" => {
                Column::DateDecision
            }
            "type" | "type_de_mesure" | "nature" | "mesure" => Column::Type,
            "champ" | "champ_de_la_mesure" | "champ_mesure" => Column::Champ,
            "code_postal" | "cp" => Column::CodePostal,
            "commune" | "ville" => Column::Commune,
            "genre" | "civilite" | "genre_du_majeur" | "sexe" => Column::Genre,
            "annee_naissance" | "annee" | "annee_de_naissance" | "annee_de_naissance_du_majeur" => {
                Column::AnneeNaissance
            }
            "lieu_de_vie" | "residence" | "lieu_de_vie_du_majeur" => Column::LieuDeVie,
            "finess" | "etablissement" | "numero_finess" => Column::Finess,
            "numero_dossier" | "numero_de_dossier" | "dossier" => Column::NumeroDossier,
            "numero_rg" | "rg" => Column::NumeroRg,
            "tribunal" => Column::Tribunal,
            "antenne" => Column::Antenne,
            "date_fin" | "date_de_fin" | "date_fin_mandat" | "date_de_fin_de_mandat" => {
                Column::DateFin
            }
            "cause_sortie" | "cause_de_sortie" => Column::CauseSortie,
            _ => return None,
        };
        Some(column)
    }
}

/// A header as SPEC §5.8 compares it: lower case, no accents, every run of other characters one "_".
/// "Année de naissance" → "annee_de_naissance", "N° RG" → "n_rg".
pub fn normalise_header(header: &str) -> String {
    let folded = text::fold(header.trim().trim_start_matches('\u{feff}'));
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_end_matches('_').to_owned();
    // "N° RG", "No dossier", "Numéro du dossier": the common spellings of "numéro".
    match trimmed.split_once('_') {
        Some(("n" | "no" | "num" | "numero", rest)) => {
            format!(
                "numero_{}",
                rest.trim_start_matches("du_").trim_start_matches("de_")
            )
        }
        _ => trimmed,
    }
}

/// A cell as written by our export: a leading apostrophe before what a spreadsheet reads as a formula is
/// the export's neutralisation (issue 17), removed here.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The words of a value, accents, case and punctuation ignored, joined by one space.
fn key(value: &str) -> String {
    text::words(value).join(" ")
}

/// The champ's usual spellings: its label, its code, and the short forms.
fn champ_keys(champ: Champ) -> &'static [&'static str] {
    match champ {
        Champ::ProtectionBien => &["aux biens", "protection bien", "biens", "bien"],
        Champ::ProtectionPersonne => &["a la personne", "protection personne", "personne"],
        Champ::ProtectionBienPersonne => &[
            "aux biens et a la personne",
            "protection bien personne",
            "biens et personne",
            "bien et personne",
            "biens personne",
            "aux biens et de la personne",
        ],
    }
}

/// "Champ de la mesure": a label ("Aux biens et à la personne"), a code or a short form ("biens").
pub fn champ(value: &str) -> Option<Champ> {
    let key = key(value);
    Champ::ALL.iter().copied().find(|&c| {
        key == self::key(c.label())
            || key == self::key(c.code())
            || champ_keys(c).contains(&key.as_str())
    })
}

/// The nature's spellings: its label, its code, and for the MAJ its short forms.
fn nature_keys(nature: Nature) -> Vec<String> {
    let mut keys = vec![key(nature.label()), key(nature.code())];
    match nature {
        Nature::MesureAccompagnementJudiciaire => {
            keys.extend([
                "maj".to_owned(),
                "mesure d accompagnement judiciaire".to_owned(),
            ]);
        }
        Nature::SauvegardeJustice => keys.push("sauvegarde de justice".to_owned()),
        Nature::MandatProtectionFuture => keys.push("mandat de protection future".to_owned()),
        _ => {}
    }
    keys
}

/// "Type": a nature, possibly followed by its champ ("Curatelle renforcée aux biens et à la personne", as
/// the lists write it).
pub fn nature(value: &str) -> Option<(Nature, Option<Champ>)> {
    let key = key(value);
    if key.is_empty() {
        return None;
    }
    // The longest nature spelling that begins the value: "curatelle renforcee…" before "curatelle…".
    let mut best: Option<(Nature, usize)> = None;
    for &candidate in Nature::ALL {
        for spelling in nature_keys(candidate) {
            let begins = key == spelling
                || key
                    .strip_prefix(spelling.as_str())
                    .is_some_and(|rest| rest.starts_with(' '));
            if begins && best.is_none_or(|(_, len)| spelling.len() > len) {
                best = Some((candidate, spelling.len()));
            }
        }
    }
    let (found, len) = best?;
    let rest = key[len..].trim();
    if rest.is_empty() {
        return Some((found, None));
    }
    champ(rest).map(|c| (found, Some(c)))
}

/// "Genre": "F"/"H", "Femme"/"Homme", and the civilités ("Madame", "Mme", "Monsieur", "M.").
pub fn genre(value: &str) -> Option<Genre> {
    match key(value).as_str() {
        "f" | "femme" | "madame" | "mme" | "mlle" | "mademoiselle" => Some(Genre::F),
        "h" | "homme" | "monsieur" | "m" | "mr" => Some(Genre::H),
        _ => None,
    }
}

/// "Lieu de vie": a label or a code ("À domicile", "domicile", "En établissement", "SDF"…).
pub fn lieu_de_vie(value: &str) -> Option<LieuDeVie> {
    let key = key(value);
    let without_en = key.strip_prefix("en ").unwrap_or(&key);
    let without_a = key.strip_prefix("a ").unwrap_or(&key);
    LieuDeVie::ALL.iter().copied().find(|&l| {
        let label = self::key(l.label());
        let code = self::key(l.code());
        [key.as_str(), without_en, without_a]
            .iter()
            .any(|k| *k == label || *k == code)
            || label.strip_prefix("en ") == Some(key.as_str())
            || label.strip_prefix("a ") == Some(key.as_str())
    })
}

/// "Cause de sortie": a label or a code.
pub fn cause_sortie(value: &str) -> Option<CauseSortie> {
    let key = key(value);
    CauseSortie::ALL
        .iter()
        .copied()
        .find(|&c| key == self::key(c.label()) || key == self::key(c.code()))
}

/// A date cell as typed: "05/03/2024", "2024-03-05", and the same followed by a time ("05/03/2024
/// 00:00:00", "2024-03-05T00:00:00") as spreadsheets write dates in CSV.
pub fn date_part(value: &str) -> &str {
    let value = value.trim();
    value
        .split([' ', 'T'])
        .next()
        .filter(|d| !d.is_empty())
        .unwrap_or(value)
}

/// A code postal cell: spreadsheets drop the leading zero of "01000" (a number), put back here.
pub fn code_postal(value: &str) -> String {
    let value = value.trim();
    if value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_normalised_and_their_aliases_known() {
        assert_eq!(normalise_header("Année de naissance"), "annee_de_naissance");
        assert_eq!(normalise_header("  Date Décision "), "date_decision");
        assert_eq!(normalise_header("\u{feff}N° RG"), "numero_rg");
        assert_eq!(normalise_header("Numéro du dossier"), "numero_dossier");
        for (header, column) in [
            ("date_ouverture", Column::DateDecision),
            ("Date de décision", Column::DateDecision),
            ("Type de mesure", Column::Type),
            ("VILLE", Column::Commune),
            ("Civilité", Column::Genre),
            ("annee", Column::AnneeNaissance),
            ("Résidence", Column::LieuDeVie),
            ("FINESS", Column::Finess),
            ("Numéro dossier", Column::NumeroDossier),
            ("N° RG", Column::NumeroRg),
            ("Date fin", Column::DateFin),
        ] {
            assert_eq!(Column::from_header(header), Some(column), "{header}");
        }
        assert_eq!(Column::from_header("Prénom"), None);
        assert_eq!(Column::from_header(""), None);
        // The template's titles are read back as their columns.
        for column in Column::ALL {
            assert_eq!(Column::from_header(column.title()), Some(column));
            assert_eq!(Column::from_header(column.name()), Some(column));
        }
    }

    #[test]
    fn values_match_whatever_their_case_and_accents() {
        assert_eq!(nature("TUTELLE"), Some((Nature::Tutelle, None)));
        assert_eq!(
            nature("curatelle renforcee aux biens et a la personne"),
            Some((
                Nature::CuratelleRenforcee,
                Some(Champ::ProtectionBienPersonne)
            ))
        );
        assert_eq!(
            nature("Curatelle simple – à la personne"),
            Some((Nature::CuratelleSimple, Some(Champ::ProtectionPersonne)))
        );
        assert_eq!(
            nature("MAJ"),
            Some((Nature::MesureAccompagnementJudiciaire, None))
        );
        assert_eq!(
            nature("subroge_tuteur"),
            Some((Nature::SubrogeTuteur, None))
        );
        assert_eq!(nature("curatelle"), None, "simple or renforcée: ambiguous");
        assert_eq!(nature("tutelle des enfants"), None);
        assert_eq!(champ("Aux biens"), Some(Champ::ProtectionBien));
        assert_eq!(
            champ("protection_bien_personne"),
            Some(Champ::ProtectionBienPersonne)
        );
        assert_eq!(genre("Mme"), Some(Genre::F));
        assert_eq!(genre("homme"), Some(Genre::H));
        assert_eq!(genre("X"), None);
        assert_eq!(lieu_de_vie("à domicile"), Some(LieuDeVie::Domicile));
        assert_eq!(lieu_de_vie("domicile"), Some(LieuDeVie::Domicile));
        assert_eq!(lieu_de_vie("Etablissement"), Some(LieuDeVie::Etablissement));
        assert_eq!(
            lieu_de_vie("en établissement avec conservation du domicile"),
            Some(LieuDeVie::EtablissementConservationDomicile)
        );
        assert_eq!(lieu_de_vie("sdf"), Some(LieuDeVie::Sdf));
        assert_eq!(lieu_de_vie("chez sa fille"), None);
        assert_eq!(cause_sortie("DÉCÈS"), Some(CauseSortie::Deces));
        assert_eq!(unneutralise("'=HYPERLINK()"), "=HYPERLINK()");
        assert_eq!(unneutralise("'abc"), "'abc");
        assert_eq!(date_part("05/03/2024 00:00:00"), "05/03/2024");
        assert_eq!(date_part("2024-03-05T00:00:00"), "2024-03-05");
        assert_eq!(code_postal("1000"), "01000");
        assert_eq!(code_postal("62100"), "62100");
    }

    #[test]
    fn the_report_speaks_french() {
        assert_eq!(
            line_message(
                9_999,
                "Saisissez une date valide au format jj/mm/aaaa.",
                "31/02/2024"
            ),
            "Ligne 9999 : Saisissez une date valide au format jj/mm/aaaa (« 31/02/2024 »)"
        );
        assert_eq!(imported(1), "1 mesure importée.");
        assert_eq!(imported(3), "3 mesures importées.");
        assert_eq!(
            skipped(&[3, 7]).as_deref(),
            Some("Lignes non importées (numéro de dossier déjà existant) : 3, 7.")
        );
        assert_eq!(skipped(&[]), None);
    }
}
