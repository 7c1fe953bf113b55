//! The mesure model's enumerations and field rules (SPEC §5.3, §5.4, §8), with their French labels and
//! messages. Dates are kept as ISO "aaaa-mm-jj" strings (they sort) and shown "jj/mm/aaaa".

use super::date;
use serde::{Deserialize, Serialize};

pub use super::date::DATE_INVALID;
pub const DECISION_IN_FUTURE: &str = "La date de décision ne peut pas être dans le futur.";
pub const DECISION_BEFORE_BIRTH: &str =
    "La date de décision ne peut pas précéder l'année de naissance du majeur.";
pub const NATURE_MISSING: &str = "Choisissez le type de mesure.";
pub const GENRE_MISSING: &str = "Indiquez le genre du majeur.";
pub const LIEU_DE_VIE_MISSING: &str = "Indiquez le lieu de vie du majeur.";
pub const ETABLISSEMENT_MISSING: &str = "Choisissez l'établissement dans lequel vit le majeur.";
pub const DOSSIER_TOO_LONG: &str = "Le numéro de dossier ne doit pas dépasser 50 caractères.";
pub const DOSSIER_INVALID: &str = "Le numéro de dossier contient des caractères non autorisés.";
pub const RG_INVALID: &str = "Le numéro RG ne peut contenir que des lettres, des chiffres, « / » et « - » (20 caractères au plus).";
pub const RG_TAKEN: &str = "Ce numéro RG existe déjà pour une de vos mesures de ce tribunal.";
pub const ETEINTE_READ_ONLY: &str =
    "Une mesure éteinte ne peut pas être modifiée. Réactivez-la d'abord.";
pub const END_IN_FUTURE: &str = "La date de fin de mandat ne peut pas être dans le futur.";
pub const RESERVATION_CANCELLED: &str = "Cette réservation a été annulée par le tribunal.";
pub const NOT_DELETABLE: &str = "Cette mesure ne peut pas être supprimée : elle a été réservée par un magistrat et figure aussi dans les mesures de son tribunal. Mettez fin au mandat lorsqu'elle se termine.";
pub const DECLINE_REASON_MISSING: &str = "Indiquez le motif du refus : le magistrat le recevra.";
pub const DOSSIER_HINT: &str = "Votre référence interne. N'y saisissez pas le nom du majeur.";

/// Defines a code/label enumeration: `code()`, `label()`, `from_code()` and `ALL` in the order of the spec.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// (code, label) pairs for radios and selects.
            pub fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.code(), v.label())).collect()
            }
        }
    };
}

coded_enum! {
    /// Where a mesure is in its life (SPEC §8.1). `Refusee`: a reservation the mandataire declined (issue 17),
    /// counted nowhere, kept for the tribunal's "Mesures réservées" with the reason.
    Status {
        EnAttente = "en_attente", "En attente";
        EnCours = "en_cours", "En cours";
        Eteinte = "eteinte", "Éteinte";
        Refusee = "refusee", "Refusée";
    }
}

coded_enum! {
    /// "Type de mesure".
    Nature {
        Tutelle = "tutelle", "Tutelle";
        CuratelleSimple = "curatelle_simple", "Curatelle simple";
        CuratelleRenforcee = "curatelle_renforcee", "Curatelle renforcée";
        SauvegardeJustice = "sauvegarde_justice", "Sauvegarde de justice";
        MesureAccompagnementJudiciaire = "mesure_accompagnement_judiciaire", "Mesure d'accompagnement judiciaire (MAJ)";
        SubrogeCurateur = "subroge_curateur", "Subrogé curateur";
        SubrogeTuteur = "subroge_tuteur", "Subrogé tuteur";
        MandatProtectionFuture = "mandat_protection_future", "Mandat de protection future";
        MesureAdHoc = "mesure_ad_hoc", "Mesure ad hoc";
    }
}

coded_enum! {
    /// "Champ de la mesure".
    Champ {
        ProtectionBien = "protection_bien", "Aux biens";
        ProtectionPersonne = "protection_personne", "À la personne";
        ProtectionBienPersonne = "protection_bien_personne", "Aux biens et à la personne";
    }
}

coded_enum! {
    /// "Lieu de vie du majeur".
    LieuDeVie {
        Domicile = "domicile", "À domicile";
        Etablissement = "etablissement", "En établissement";
        EtablissementConservationDomicile = "etablissement_conservation_domicile", "En établissement avec conservation du domicile";
        Sdf = "sdf", "SDF";
    }
}

coded_enum! {
    /// "Cause de sortie".
    CauseSortie {
        Mainlevee = "mainlevee", "Mainlevée";
        Deces = "deces", "Décès";
        Caducite = "caducite", "Caducité";
        DessaisissementFamille = "dessaisissement_famille", "Dessaisissement en faveur de la famille";
        DessaisissementAutreMjpm = "dessaisissement_autre_mjpm", "Dessaisissement en faveur d'un autre MJPM";
    }
}

coded_enum! {
    /// How a mesure came to be.
    Origin {
        Saisie = "saisie", "Saisie";
        Import = "import", "Import";
        Reservation = "reservation", "Réservation";
    }
}

impl LieuDeVie {
    /// Both établissement values need the "Établissement" field.
    pub fn needs_etablissement(self) -> bool {
        matches!(
            self,
            LieuDeVie::Etablissement | LieuDeVie::EtablissementConservationDomicile
        )
    }
}

/// "Curatelle renforcée aux biens et à la personne": the nature followed by its champ, in lower case.
pub fn nature_with_champ(nature: Nature, champ: Option<Champ>) -> String {
    match champ {
        None => nature.label().to_owned(),
        Some(champ) => {
            let mut champ_label = champ.label().to_owned();
            // "Aux biens" → "aux biens", "À la personne" → "à la personne".
            if let Some(first) = champ_label.chars().next() {
                let lower: String = first.to_lowercase().collect();
                champ_label.replace_range(..first.len_utf8(), &lower);
            }
            format!("{} {champ_label}", nature.label())
        }
    }
}

/// "Date de décision": a valid date, not after `today` (ISO), not before the birth year.
pub fn decision_date(
    input: &str,
    today: &str,
    annee_naissance: Option<u16>,
) -> Result<String, &'static str> {
    let date = date::parse_iso(input)?;
    if date.as_str() > today {
        return Err(DECISION_IN_FUTURE);
    }
    if let Some(year) = annee_naissance {
        if date::year_of(&date) < i64::from(year) {
            return Err(DECISION_BEFORE_BIRTH);
        }
    }
    Ok(date)
}

/// "Année de naissance du majeur": 4 digits from 1900 to the current year.
pub fn annee_naissance(input: &str, current_year: i64) -> Result<u16, String> {
    let value = input.trim();
    let message =
        || format!("Saisissez une année de naissance à 4 chiffres entre 1900 et {current_year}.");
    if value.len() != 4 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(message());
    }
    let year: u16 = value.parse().map_err(|_| message())?;
    if i64::from(year) < 1900 || i64::from(year) > current_year {
        return Err(message());
    }
    Ok(year)
}

/// "Numéro de dossier": optional, at most 50 characters.
pub fn numero_dossier(input: &str) -> Result<Option<String>, &'static str> {
    let value = input.trim();
    if value.chars().count() > 50 {
        return Err(DOSSIER_TOO_LONG);
    }
    if value.chars().any(char::is_control) {
        return Err(DOSSIER_INVALID);
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// "Numéro RG": optional; 1 to 20 letters, digits, "/", "-" and spaces; kept upper-case without spaces.
pub fn numero_rg(input: &str) -> Result<Option<String>, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > 20
        || !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | ' '))
    {
        return Err(RG_INVALID);
    }
    let normalized: String = value
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_uppercase();
    if normalized.is_empty() {
        return Err(RG_INVALID);
    }
    Ok(Some(normalized))
}

/// "Date de fin de mandat": a valid date, not after `today`, not before the decision date.
pub fn end_date(input: &str, today: &str, date_decision: &str) -> Result<String, String> {
    let date = date::parse_iso(input).map_err(str::to_owned)?;
    if date.as_str() > today {
        return Err(END_IN_FUTURE.to_owned());
    }
    if date.as_str() < date_decision {
        return Err(format!(
            "La date de fin de mandat ne peut pas être antérieure à la date de décision ({}).",
            date::display_iso(date_decision)
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_french_and_iso_forms() {
        assert_eq!(date::parse_iso("05/03/2024"), Ok("2024-03-05".to_owned()));
        assert_eq!(date::parse_iso(" 5/3/2024 "), Ok("2024-03-05".to_owned()));
        assert_eq!(date::parse_iso("2024-03-05"), Ok("2024-03-05".to_owned()));
        assert_eq!(date::parse_iso("29/02/2024"), Ok("2024-02-29".to_owned()));
        for bad in [
            "",
            "29/02/2023",
            "31/04/2024",
            "01/13/2024",
            "00/01/2024",
            "1/1/24",
            "01/01/1899",
            "aa/bb/cccc",
            "01-01-2024",
            "2024/01/01/",
        ] {
            assert_eq!(date::parse_iso(bad), Err(DATE_INVALID), "{bad}");
        }
        assert_eq!(date::display_iso("2024-03-05"), "05/03/2024");
    }

    #[test]
    fn decision_dates_are_past_and_after_birth() {
        let today = "2026-11-28";
        assert_eq!(
            decision_date("28/11/2026", today, Some(1957)),
            Ok("2026-11-28".to_owned())
        );
        assert_eq!(
            decision_date("29/11/2026", today, None),
            Err(DECISION_IN_FUTURE)
        );
        assert_eq!(
            decision_date("01/06/1950", today, Some(1957)),
            Err(DECISION_BEFORE_BIRTH)
        );
    }

    #[test]
    fn birth_years_have_four_digits_up_to_this_year() {
        assert_eq!(annee_naissance("1957", 2026), Ok(1957));
        let message = "Saisissez une année de naissance à 4 chiffres entre 1900 et 2026.";
        for bad in ["1850", "19X8", "2027", "57", ""] {
            assert_eq!(annee_naissance(bad, 2026), Err(message.to_owned()), "{bad}");
        }
    }

    #[test]
    fn rg_numbers_are_normalised() {
        assert_eq!(numero_rg(" 26/00123 "), Ok(Some("26/00123".to_owned())));
        assert_eq!(numero_rg("ab 12-3"), Ok(Some("AB12-3".to_owned())));
        assert_eq!(numero_rg(""), Ok(None));
        assert_eq!(numero_rg("26_001"), Err(RG_INVALID));
        assert_eq!(numero_rg(&"1".repeat(21)), Err(RG_INVALID));
        assert_eq!(numero_rg("é"), Err(RG_INVALID));
    }

    #[test]
    fn end_dates_follow_the_decision() {
        assert_eq!(
            end_date("01/01/2020", "2026-11-28", "2021-05-01"),
            Err("La date de fin de mandat ne peut pas être antérieure à la date de décision (01/05/2021).".to_owned())
        );
        assert_eq!(
            end_date("01/01/2027", "2026-11-28", "2021-05-01"),
            Err(END_IN_FUTURE.to_owned())
        );
        assert_eq!(
            end_date("01/06/2021", "2026-11-28", "2021-05-01"),
            Ok("2021-06-01".to_owned())
        );
    }

    #[test]
    fn labels_join_nature_and_champ() {
        assert_eq!(
            nature_with_champ(
                Nature::CuratelleRenforcee,
                Some(Champ::ProtectionBienPersonne)
            ),
            "Curatelle renforcée aux biens et à la personne"
        );
        assert_eq!(
            nature_with_champ(Nature::Tutelle, Some(Champ::ProtectionPersonne)),
            "Tutelle à la personne"
        );
        assert_eq!(nature_with_champ(Nature::Tutelle, None), "Tutelle");
        assert_eq!(Nature::from_code("tutelle"), Some(Nature::Tutelle));
        assert_eq!(LieuDeVie::ALL.len(), 4);
    }
}
