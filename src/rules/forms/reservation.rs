//! The magistrat's "Réserver une mesure" and its edit (SPEC §6.3).

use super::finish;
use crate::api::form::FormState;
use crate::api::magistrat::ReservationForm;
use crate::rules::forms::mesure::{parse_majeur, Majeur};
use crate::rules::mesure as rules;
use crate::rules::profile::bounded_text;

const RESERVATION_FIELDS: &[&str] = &[
    "nature",
    "champ",
    "genre",
    "annee_naissance",
    "numero_rg",
    "cabinet",
    "urgente",
    "date_jugement",
];
pub const JUGEMENT_PAST: &str =
    "La date prévisionnelle du jugement ne peut pas être dans le passé.";
pub const RG_TAKEN_FOR_MANDATAIRE: &str =
    "Ce numéro RG existe déjà pour une mesure de ce mandataire dans votre tribunal.";

/// A checked reservation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReservationInput {
    pub majeur: Majeur,
    pub numero_rg: Option<String>,
    /// `None` when left empty.
    pub cabinet: Option<String>,
    pub urgente: bool,
    /// ISO; `None` when left empty.
    pub date_jugement: Option<String>,
}

/// The reservation form as typed.
pub fn echo(form: &ReservationForm) -> FormState {
    let mut out = FormState::default();
    out.set_all(&[
        ("nature", &form.nature),
        ("champ", &form.champ),
        ("genre", &form.genre),
        ("annee_naissance", &form.annee_naissance),
        ("numero_rg", &form.numero_rg),
        ("cabinet", &form.cabinet),
        ("antenne", &form.antenne),
        ("urgente", &form.urgente),
        ("date_jugement", &form.date_jugement),
    ]);
    out
}

/// The reservation form; `rg_taken` tells whether another mesure of the mandataire holds a numéro RG in the
/// magistrat's tribunal.
pub fn parse_reservation(
    form: &ReservationForm,
    today: &str,
    current_year: i64,
    rg_taken: impl Fn(&str) -> bool,
) -> Result<ReservationInput, FormState> {
    let mut out = echo(form);
    let majeur = parse_majeur(
        &mut out,
        &form.nature,
        &form.champ,
        &form.genre,
        &form.annee_naissance,
        current_year,
    );
    let numero_rg = rules::numero_rg(&form.numero_rg)
        .map_err(|m| out.fail("numero_rg", m))
        .ok();
    if let Some(Some(rg)) = &numero_rg {
        if rg_taken(rg) {
            out.fail("numero_rg", RG_TAKEN_FOR_MANDATAIRE);
        }
    }
    let cabinet = bounded_text(&form.cabinet, "Cabinet", 20, "Le cabinet", false)
        .map_err(|m| out.fail("cabinet", m))
        .ok();
    let date_jugement = match form.date_jugement.trim() {
        "" => Some(None),
        typed => match crate::rules::date::parse_iso(typed) {
            Ok(date) if date.as_str() < today => {
                out.fail("date_jugement", JUGEMENT_PAST);
                None
            }
            Ok(date) => Some(Some(date)),
            Err(message) => {
                out.fail("date_jugement", message);
                None
            }
        },
    };
    let value = (|| {
        Some(ReservationInput {
            majeur: majeur?,
            numero_rg: numero_rg?,
            cabinet: cabinet.map(|c| (!c.is_empty()).then_some(c))?,
            urgente: form.urgente == "oui",
            date_jugement: date_jugement?,
        })
    })();
    finish(out, RESERVATION_FIELDS, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ReservationForm {
        ReservationForm {
            nature: "tutelle".into(),
            genre: "H".into(),
            annee_naissance: "1948".into(),
            numero_rg: "24/001".into(),
            cabinet: "Cabinet 2".into(),
            ..ReservationForm::default()
        }
    }

    #[test]
    fn a_reservation_is_parsed_or_refused_with_its_values() {
        let input = parse_reservation(&form(), "2026-12-01", 2026, |_| false).unwrap();
        assert_eq!(input.majeur.annee_naissance, 1948);
        assert_eq!(input.numero_rg.as_deref(), Some("24/001"));
        assert_eq!(input.cabinet.as_deref(), Some("Cabinet 2"));
        let out = parse_reservation(
            &ReservationForm {
                cabinet: "x".repeat(21),
                nature: "inconnue".into(),
                ..form()
            },
            "2026-12-01",
            2026,
            |rg| rg == "24/001",
        )
        .unwrap_err();
        let fields: Vec<&str> = out.errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["nature", "numero_rg", "cabinet"]);
        assert_eq!(
            out.error("numero_rg").as_deref(),
            Some(RG_TAKEN_FOR_MANDATAIRE)
        );
        assert_eq!(out.value("cabinet"), "x".repeat(21));
        let empty_cabinet = ReservationForm {
            cabinet: String::new(),
            ..form()
        };
        assert_eq!(
            parse_reservation(&empty_cabinet, "2026-12-01", 2026, |_| false)
                .unwrap()
                .cabinet,
            None
        );
    }
}
