//! The mandataire's mesure forms (SPEC §5.3–5.5): "Enregistrer une nouvelle mesure" / "Modifier la mesure",
//! "Accepter la mesure" (a part of the same form) and "Mettre fin au mandat".

use super::{finish, Place, References};
use crate::api::form::FormState;
use crate::api::mandataire::{EndForm, MesureForm};
use crate::rules::mesure::{self as rules, CauseSortie, Champ, LieuDeVie, Nature};
use crate::rules::profile::{required, Genre};

/// The mesure form's fields, in the order of the form.
pub const MESURE_FIELDS: &[&str] = &[
    "id",
    "date_decision",
    "nature",
    "champ",
    "code_postal",
    "commune",
    "genre",
    "annee_naissance",
    "lieu_de_vie",
    "etablissement",
    "numero_dossier",
    "numero_rg",
    "tribunal",
    "antenne",
];
const END_FIELDS: &[&str] = &["id", "date_fin", "cause_sortie"];
pub const ANTENNE_UNKNOWN: &str = "Choisissez une antenne de votre service dans la liste.";
pub const TRIBUNAL_UNKNOWN: &str = "Choisissez un de vos tribunaux dans la liste.";
pub const CAUSE_UNKNOWN: &str = "Choisissez une cause de sortie dans la liste.";

/// "Type de mesure", "Champ de la mesure", "Genre du majeur" and "Année de naissance du majeur": what the
/// mesure form and the magistrat's reservation share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Majeur {
    pub nature: Nature,
    pub champ: Option<Champ>,
    pub genre: Genre,
    pub annee_naissance: u16,
}

/// Checks the four majeur fields into `out`; `None` when one was refused (its message is in `out`).
pub fn parse_majeur(
    out: &mut FormState,
    nature: &str,
    champ: &str,
    genre: &str,
    annee: &str,
    current_year: i64,
) -> Option<Majeur> {
    let annee = if annee.trim().is_empty() {
        out.fail("annee_naissance", required("Année de naissance du majeur"));
        None
    } else {
        rules::annee_naissance(annee, current_year)
            .map_err(|m| out.fail("annee_naissance", m))
            .ok()
    };
    let nature = Nature::from_code(nature);
    if nature.is_none() {
        out.fail("nature", rules::NATURE_MISSING);
    }
    // Only the listed champs reach the server from the form; anything else is refused as a whole.
    let champ = match champ {
        "" => Some(None),
        code => Champ::from_code(code).map(Some),
    };
    let genre = Genre::from_code(genre);
    if genre.is_none() {
        out.fail("genre", rules::GENRE_MISSING);
    }
    Some(Majeur {
        nature: nature?,
        champ: champ?,
        genre: genre?,
        annee_naissance: annee?,
    })
}

/// Date de décision, place, lieu de vie with its établissement, numéro de dossier: the fields the full form
/// and the acceptance share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// ISO date.
    pub date_decision: String,
    pub place: Place,
    pub lieu_de_vie: LieuDeVie,
    /// FINESS number, for the two établissement lieux de vie only.
    pub etablissement: Option<String>,
    pub numero_dossier: Option<String>,
}

fn parse_placement(
    out: &mut FormState,
    form: &MesureForm,
    today: &str,
    annee_naissance: Option<u16>,
    refs: &impl References,
) -> Option<Placement> {
    let date_decision = if form.date_decision.trim().is_empty() {
        out.fail("date_decision", required("Date de décision"));
        None
    } else {
        rules::decision_date(&form.date_decision, today, annee_naissance)
            .map_err(|m| out.fail("date_decision", m))
            .ok()
    };
    let place = refs.place(
        out,
        &form.code_postal,
        &form.commune,
        &form.commune_id,
        &form.commune_choix,
    );
    let lieu_de_vie = LieuDeVie::from_code(&form.lieu_de_vie);
    if lieu_de_vie.is_none() {
        out.fail("lieu_de_vie", rules::LIEU_DE_VIE_MISSING);
    }
    let etablissement = match lieu_de_vie {
        Some(lieu) if lieu.needs_etablissement() => {
            let chosen = picked_etablissement(form);
            let finess = refs.etablissement(out, &form.etablissement, chosen);
            if let Some(finess) = &finess {
                out.set("etablissement_id", finess.clone());
            }
            finess.map(Some)
        }
        // Hidden and cleared for the other values.
        _ => Some(None),
    };
    let numero_dossier = rules::numero_dossier(&form.numero_dossier)
        .map_err(|m| out.fail("numero_dossier", m))
        .ok();
    Some(Placement {
        date_decision: date_decision?,
        place: place?,
        lieu_de_vie: lieu_de_vie?,
        etablissement: etablissement?,
        numero_dossier: numero_dossier?,
    })
}

/// The établissement picked in the list or among the radios, if any.
fn picked_etablissement(form: &MesureForm) -> Option<&str> {
    [&form.etablissement_choix, &form.etablissement_id]
        .into_iter()
        .find(|id| !id.is_empty())
        .map(String::as_str)
}

/// The form's values as typed, to send back with its errors.
pub fn echo(form: &MesureForm) -> FormState {
    let mut out = FormState::default();
    out.set_all(&[
        ("id", &form.id),
        ("date_decision", &form.date_decision),
        ("nature", &form.nature),
        ("champ", &form.champ),
        ("code_postal", &form.code_postal),
        ("commune", &form.commune),
        ("genre", &form.genre),
        ("annee_naissance", &form.annee_naissance),
        ("lieu_de_vie", &form.lieu_de_vie),
        ("etablissement", &form.etablissement),
        ("numero_dossier", &form.numero_dossier),
        ("numero_rg", &form.numero_rg),
        ("tribunal", &form.tribunal),
        ("antenne", &form.antenne),
    ]);
    // The picked établissement survives a refusal (the text alone might be ambiguous).
    if let Some(id) = picked_etablissement(form) {
        out.set("etablissement_id", id.to_owned());
    }
    out
}

/// What the mesure form knows beyond its fields.
pub struct MesureContext<'a> {
    /// Today in the jurisdiction, ISO.
    pub today: &'a str,
    pub current_year: i64,
    /// The mandataire's tribunaux: the "Tribunal" list.
    pub tribunaux: &'a [u64],
    /// The tribunal of a reserved mesure being edited: it stays (the field is read-only).
    pub reserved_tribunal: Option<u64>,
}

/// A checked mesure form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MesureInput {
    pub majeur: Majeur,
    pub placement: Placement,
    pub numero_rg: Option<String>,
    pub tribunal_id: Option<u64>,
}

/// "Valider" of "Enregistrer une nouvelle mesure" and "Modifier la mesure" (SPEC §5.3). `rg_taken` tells
/// whether another of the mandataire's mesures holds a numéro RG for a tribunal (`None`: no tribunal).
pub fn parse_mesure(
    form: &MesureForm,
    cx: &MesureContext<'_>,
    refs: &impl References,
    rg_taken: impl Fn(Option<u64>, &str) -> bool,
) -> Result<MesureInput, FormState> {
    let mut out = echo(form);
    let majeur = parse_majeur(
        &mut out,
        &form.nature,
        &form.champ,
        &form.genre,
        &form.annee_naissance,
        cx.current_year,
    );
    let annee = rules::annee_naissance(&form.annee_naissance, cx.current_year).ok();
    let placement = parse_placement(&mut out, form, cx.today, annee, refs);
    let numero_rg = rules::numero_rg(&form.numero_rg)
        .map_err(|m| out.fail("numero_rg", m))
        .ok();
    let tribunal_id = match cx.reserved_tribunal {
        Some(reserved) => Some(Some(reserved)),
        None => match form.tribunal.trim() {
            "" => Some(None),
            id => match id.parse::<u64>() {
                Ok(id) if cx.tribunaux.contains(&id) => Some(Some(id)),
                _ => {
                    out.fail("tribunal", TRIBUNAL_UNKNOWN);
                    None
                }
            },
        },
    };
    // Told with the other errors.
    if let (Some(Some(rg)), Some(tribunal)) = (&numero_rg, tribunal_id) {
        if rg_taken(tribunal, rg) {
            out.fail("numero_rg", rules::RG_TAKEN);
        }
    }
    let value = (|| {
        Some(MesureInput {
            majeur: majeur?,
            placement: placement?,
            numero_rg: numero_rg?,
            tribunal_id: tribunal_id?,
        })
    })();
    finish(out, MESURE_FIELDS, value)
}

/// "Accepter la mesure" (SPEC §5.5): the placement of a reserved mesure whose majeur the magistrat gave.
pub fn parse_acceptance(
    form: &MesureForm,
    today: &str,
    annee_naissance: u16,
    refs: &impl References,
) -> Result<Placement, FormState> {
    let mut out = echo(form);
    let placement = parse_placement(&mut out, form, today, Some(annee_naissance), refs);
    finish(out, MESURE_FIELDS, placement)
}

/// A checked "Mettre fin au mandat".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndInput {
    /// ISO date.
    pub date_fin: String,
    pub cause_sortie: Option<CauseSortie>,
}

/// "Eteindre la mesure" (SPEC §5.4) of a mesure decided on `date_decision` (ISO).
pub fn parse_end(form: &EndForm, today: &str, date_decision: &str) -> Result<EndInput, FormState> {
    let mut out = FormState::default();
    out.set("id", form.id.clone());
    out.set("date_fin", form.date_fin.clone());
    out.set("cause_sortie", form.cause_sortie.clone());
    let date_fin = if form.date_fin.trim().is_empty() {
        out.fail("date_fin", required("Date de fin de mandat"));
        None
    } else {
        rules::end_date(&form.date_fin, today, date_decision)
            .map_err(|m| out.fail("date_fin", m))
            .ok()
    };
    let cause = match form.cause_sortie.as_str() {
        "" => Some(None),
        code => match CauseSortie::from_code(code) {
            Some(cause) => Some(Some(cause)),
            None => {
                out.fail("cause_sortie", CAUSE_UNKNOWN);
                None
            }
        },
    };
    let value = (|| {
        Some(EndInput {
            date_fin: date_fin?,
            cause_sortie: cause?,
        })
    })();
    finish(out, END_FIELDS, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference data of one commune (Calais, 62100) and one établissement; RG "12/345" is taken in
    /// tribunal 7.
    struct Fixture;

    impl References for Fixture {
        fn place(
            &self,
            out: &mut FormState,
            code_postal: &str,
            commune: &str,
            _commune_id: &str,
            _commune_choix: &str,
        ) -> Option<Place> {
            if code_postal == "62100" && commune == "Calais" {
                return Some(Place {
                    code_insee: "62193".into(),
                    code_postal: "62100".into(),
                    commune: "Calais".into(),
                });
            }
            out.fail("commune", "commune inconnue");
            None
        }

        fn etablissement(
            &self,
            out: &mut FormState,
            typed: &str,
            chosen: Option<&str>,
        ) -> Option<String> {
            match chosen.unwrap_or(typed) {
                "620000001" => Some("620000001".into()),
                _ => {
                    out.fail("etablissement", rules::ETABLISSEMENT_MISSING);
                    None
                }
            }
        }
    }

    fn rg_taken(tribunal: Option<u64>, rg: &str) -> bool {
        tribunal == Some(7) && rg == "12/345"
    }

    fn form() -> MesureForm {
        MesureForm {
            date_decision: "05/03/2024".into(),
            nature: "curatelle_renforcee".into(),
            code_postal: "62100".into(),
            commune: "Calais".into(),
            genre: "F".into(),
            annee_naissance: "1957".into(),
            lieu_de_vie: "domicile".into(),
            tribunal: "7".into(),
            numero_rg: "12/346".into(),
            ..MesureForm::default()
        }
    }

    fn cx() -> MesureContext<'static> {
        MesureContext {
            today: "2026-12-01",
            current_year: 2026,
            tribunaux: &[7],
            reserved_tribunal: None,
        }
    }

    #[test]
    fn a_good_form_becomes_a_typed_mesure() {
        let input = parse_mesure(&form(), &cx(), &Fixture, rg_taken).unwrap();
        assert_eq!(input.majeur.nature, Nature::CuratelleRenforcee);
        assert_eq!(input.majeur.annee_naissance, 1957);
        assert_eq!(input.placement.date_decision, "2024-03-05");
        assert_eq!(input.placement.place.code_insee, "62193");
        assert_eq!(input.placement.lieu_de_vie, LieuDeVie::Domicile);
        assert_eq!(input.placement.etablissement, None);
        assert_eq!(input.numero_rg.as_deref(), Some("12/346"));
        assert_eq!(input.tribunal_id, Some(7));
    }

    #[test]
    fn every_bad_field_is_told_in_form_order_with_the_values_kept() {
        let bad = MesureForm {
            date_decision: "31/02/2024".into(),
            nature: "".into(),
            annee_naissance: "1850".into(),
            lieu_de_vie: "etablissement".into(),
            etablissement: "inconnu".into(),
            numero_rg: "12/345".into(),
            tribunal: "8".into(),
            ..form()
        };
        let out = parse_mesure(&bad, &cx(), &Fixture, rg_taken).unwrap_err();
        let fields: Vec<&str> = out.errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "date_decision",
                "nature",
                "annee_naissance",
                "etablissement",
                "tribunal"
            ]
        );
        assert_eq!(out.value("annee_naissance"), "1850");
        assert_eq!(out.value("etablissement"), "inconnu");
        assert_eq!(out.error("tribunal").as_deref(), Some(TRIBUNAL_UNKNOWN));
    }

    #[test]
    fn a_taken_rg_is_refused_with_the_other_errors() {
        let taken = MesureForm {
            numero_rg: "12/345".into(),
            genre: "".into(),
            ..form()
        };
        let out = parse_mesure(&taken, &cx(), &Fixture, rg_taken).unwrap_err();
        assert_eq!(out.error("numero_rg").as_deref(), Some(rules::RG_TAKEN));
        assert_eq!(out.error("genre").as_deref(), Some(rules::GENRE_MISSING));
        // A reserved mesure keeps its tribunal whatever was posted.
        let reserved = MesureContext {
            reserved_tribunal: Some(9),
            ..cx()
        };
        let input = parse_mesure(
            &MesureForm {
                tribunal: "forged".into(),
                ..form()
            },
            &reserved,
            &Fixture,
            rg_taken,
        )
        .unwrap();
        assert_eq!(input.tribunal_id, Some(9));
    }

    #[test]
    fn an_etablissement_is_needed_for_the_etablissement_lieux_de_vie_only() {
        let in_etablissement = MesureForm {
            lieu_de_vie: "etablissement".into(),
            etablissement_id: "620000001".into(),
            ..form()
        };
        let input = parse_mesure(&in_etablissement, &cx(), &Fixture, rg_taken).unwrap();
        assert_eq!(input.placement.etablissement.as_deref(), Some("620000001"));
        let at_home = MesureForm {
            etablissement: "ignoré".into(),
            ..form()
        };
        assert_eq!(
            parse_mesure(&at_home, &cx(), &Fixture, rg_taken)
                .unwrap()
                .placement
                .etablissement,
            None
        );
    }

    #[test]
    fn the_end_of_a_mandate_is_after_the_decision_and_not_in_the_future() {
        let end = |date: &str, cause: &str| {
            parse_end(
                &EndForm {
                    id: "1".into(),
                    date_fin: date.into(),
                    cause_sortie: cause.into(),
                },
                "2026-12-01",
                "2024-03-05",
            )
        };
        assert_eq!(
            end("01/06/2024", "deces"),
            Ok(EndInput {
                date_fin: "2024-06-01".into(),
                cause_sortie: CauseSortie::from_code("deces"),
            })
        );
        let out = end("02/12/2026", "inconnue").unwrap_err();
        assert_eq!(out.error("date_fin").as_deref(), Some(rules::END_IN_FUTURE));
        assert_eq!(out.error("cause_sortie").as_deref(), Some(CAUSE_UNKNOWN));
        assert_eq!(out.value("date_fin"), "02/12/2026");
        assert!(end("", "").unwrap_err().error("date_fin").is_some());
    }
}
