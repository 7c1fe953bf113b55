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
