//! "Rechercher une mesure" on "Mesures en cours" and "Mesures éteintes" (issue 17): one field matching the
//! numéro RG, the numéro de dossier, the commune, the code postal or the année de naissance. Pure and
//! wasm-safe; the server applies it while it walks the owner's index.

use super::text::{fold, search_input};

pub const NO_MATCH: &str = "Aucune mesure ne correspond à votre recherche.";
pub const LABEL: &str = "Rechercher une mesure";
pub const HINT: &str = "Numéro RG, numéro de dossier, commune, code postal ou année de naissance.";

/// What a mesure shows to the search.
pub struct Searched<'a> {
    pub numero_rg: Option<&'a str>,
    pub numero_dossier: Option<&'a str>,
    pub commune: Option<&'a str>,
    pub code_postal: Option<&'a str>,
    pub annee_naissance: u16,
}

/// A search as typed, folded once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MesureQuery {
    /// Lower case, accents removed: matched inside the commune and the numéro de dossier.
    folded: String,
    /// Upper case, without spaces: how numéros RG are stored.
    rg: String,
}

impl MesureQuery {
    /// `None` for an empty field (no search). The text is cut at `MAX_SEARCH_CHARS` before any work.
    pub fn parse(input: &str) -> Option<MesureQuery> {
        let input = search_input(input);
        if input.is_empty() {
            return None;
        }
        Some(MesureQuery {
            folded: fold(input),
            rg: input
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_uppercase)
                .collect(),
        })
    }

    pub fn matches(&self, mesure: &Searched<'_>) -> bool {
        let q = self.folded.as_str();
        mesure
            .numero_rg
            .is_some_and(|rg| !self.rg.is_empty() && rg.contains(&self.rg))
            || mesure.numero_dossier.is_some_and(|d| fold(d).contains(q))
            || mesure.commune.is_some_and(|c| {
                let c = fold(c);
                c.contains(q) || c.replace('-', " ").contains(&q.replace('-', " "))
            })
            || mesure.code_postal.is_some_and(|cp| cp.starts_with(q))
            || mesure.annee_naissance.to_string() == q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mesure() -> Searched<'static> {
        Searched {
            numero_rg: Some("26/00417"),
            numero_dossier: Some("Dossier-Été-12"),
            commune: Some("Saint-Étienne-au-Mont"),
            code_postal: Some("62360"),
            annee_naissance: 1948,
        }
    }

    #[test]
    fn each_field_matches_and_nothing_else_does() {
        for hit in [
            "26/00417",
            " 26/ 004 ",
            "dossier-ete",
            "ÉTÉ-12",
            "saint etienne",
            "Étienne",
            "623",
            "62360",
            "1948",
        ] {
            assert!(MesureQuery::parse(hit).unwrap().matches(&mesure()), "{hit}");
        }
        for miss in ["26/00418", "calais", "62100", "1949", "194"] {
            assert!(
                !MesureQuery::parse(miss).unwrap().matches(&mesure()),
                "{miss}"
            );
        }
    }

    #[test]
    fn an_empty_or_blank_field_is_no_search_and_a_long_one_is_cut() {
        assert_eq!(MesureQuery::parse(""), None);
        assert_eq!(MesureQuery::parse("   "), None);
        let long = "a".repeat(10_000);
        let query = MesureQuery::parse(&long).unwrap();
        assert_eq!(query.folded.len(), crate::rules::text::MAX_SEARCH_CHARS);
    }
}

/// "Trier par" of the magistrat's "Mandataires" (SPEC §6.2 P2, issue 18); an unknown value reads as the
/// default (never an error page).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MandataireSort {
    #[default]
    Disponibilite,
    NomAz,
    NomZa,
    Distance,
}

impl MandataireSort {
    pub const ALL: [MandataireSort; 4] = [
        MandataireSort::Disponibilite,
        MandataireSort::NomAz,
        MandataireSort::NomZa,
        MandataireSort::Distance,
    ];

    /// The value in the address ("" for the default).
    pub fn code(self) -> &'static str {
        match self {
            MandataireSort::Disponibilite => "",
            MandataireSort::NomAz => "nom",
            MandataireSort::NomZa => "nom_desc",
            MandataireSort::Distance => "distance",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MandataireSort::Disponibilite => "Disponibilité",
            MandataireSort::NomAz => "Nom (A–Z)",
            MandataireSort::NomZa => "Nom (Z–A)",
            MandataireSort::Distance => "Distance",
        }
    }

    pub fn parse(code: &str) -> MandataireSort {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }
}

/// The "Nom" search of the magistrat's list: true when every word typed begins a word of the name
/// (accents and case ignored): "dup cla" finds "Claire Dupont".
pub fn name_matches(name: &str, typed: &str) -> bool {
    let wanted = super::text::words(search_input(typed));
    let words = super::text::words(name);
    wanted
        .iter()
        .all(|w| words.iter().any(|n| n.starts_with(w.as_str())))
}

#[cfg(test)]
mod mandataire_tests {
    use super::*;

    #[test]
    fn sorts_fall_back_to_the_default_and_names_match_by_word_beginnings() {
        assert_eq!(MandataireSort::parse("distance"), MandataireSort::Distance);
        assert_eq!(MandataireSort::parse("nom_desc"), MandataireSort::NomZa);
        assert_eq!(
            MandataireSort::parse("<script>"),
            MandataireSort::Disponibilite
        );
        assert!(name_matches("Claire Dupont", "dup"));
        assert!(name_matches("Claire Dupont", "DUPONT claire"));
        assert!(name_matches("Hélène Lefèvre", "helene lef"));
        assert!(!name_matches("Claire Dupont", "martin"));
        assert!(name_matches("Claire Dupont", ""));
    }
}
