//! The administrator's tribunal form (SPEC §7 "Tribunaux").

use super::finish;
use crate::api::admin::TribunalForm;
use crate::api::form::FormState;
use crate::rules::account::normalize_email;
use crate::rules::date::{parse_iso, DATE_INVALID};
use crate::rules::profile as rules;
use crate::rules::tribunal::TribunalType;

const TRIBUNAL_FIELDS: &[&str] = &[
    "type_tribunal",
    "nom",
    "siret",
    "adresse",
    "adresse_complement",
    "code_postal",
    "ville",
    "code_insee",
    "telephone",
    "email",
    "juridiction_parente",
    "date_ouverture",
    "date_fermeture",
];
pub const KIND_MISSING: &str = "Choisissez le type du tribunal.";
pub const SIRET_INVALID: &str = "Le SIRET doit comporter 14 chiffres.";
pub const INSEE_UNKNOWN: &str = "Ce code INSEE ne correspond à aucune commune.";

/// What the form needs to know of a commune of the embedded list.
#[derive(Clone, Debug, PartialEq)]
pub struct CommuneFacts {
    pub nom: String,
    pub departement: String,
    pub coordinates: Option<(f64, f64)>,
}

/// The communes the "Code INSEE de la commune" field is checked against.
pub trait TribunalReferences {
    fn commune(&self, code_insee: &str) -> Option<CommuneFacts>;
}

/// A checked tribunal form; the server adds the id, the stored coordinates and the "actif" flag.
#[derive(Clone, Debug, PartialEq)]
pub struct TribunalInput {
    pub kind: TribunalType,
    pub nom: String,
    pub siret: Option<String>,
    pub adresse: String,
    pub adresse_complement: String,
    pub code_postal: String,
    /// The commune's name when left empty.
    pub ville: String,
    pub code_insee: String,
    pub commune: CommuneFacts,
    pub telephone: String,
    pub email: String,
    pub juridiction_parente: String,
    pub date_ouverture: Option<String>,
    pub date_fermeture: Option<String>,
}

/// The form as typed.
pub fn echo(form: &TribunalForm) -> FormState {
    let mut out = FormState::default();
    out.set_all(&[
        ("type_tribunal", &form.type_tribunal),
        ("nom", &form.nom),
        ("siret", &form.siret),
        ("adresse", &form.adresse),
        ("adresse_complement", &form.adresse_complement),
        ("code_postal", &form.code_postal),
        ("ville", &form.ville),
        ("code_insee", &form.code_insee),
        ("telephone", &form.telephone),
        ("email", &form.email),
        ("juridiction_parente", &form.juridiction_parente),
        ("date_ouverture", &form.date_ouverture),
        ("date_fermeture", &form.date_fermeture),
    ]);
    out
}

/// "Enregistrer" of a tribunal.
pub fn parse_tribunal(
    form: &TribunalForm,
    refs: &impl TribunalReferences,
) -> Result<TribunalInput, FormState> {
    let mut out = echo(form);
    let kind = TribunalType::from_code(&form.type_tribunal);
    if kind.is_none() {
        out.fail("type_tribunal", KIND_MISSING);
    }
    let nom = rules::bounded_text(&form.nom, "Nom", 200, "Le nom", true)
        .map_err(|m| out.fail("nom", m))
        .ok();
    let siret: String = form.siret.chars().filter(|c| !c.is_whitespace()).collect();
    if !siret.is_empty() && (siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit())) {
        out.fail("siret", SIRET_INVALID);
    }
    if !form.code_postal.trim().is_empty() {
        if let Err(m) = rules::code_postal_format(&form.code_postal) {
            out.fail("code_postal", m);
        }
    }
    let code_insee = form.code_insee.trim().to_uppercase();
    let commune = refs.commune(&code_insee);
    if code_insee.is_empty() {
        out.fail("code_insee", rules::required("Code INSEE de la commune"));
    } else if commune.is_none() {
        out.fail("code_insee", INSEE_UNKNOWN);
    }
    if !form.email.trim().is_empty() {
        if let Err(m) = normalize_email(&form.email) {
            out.fail("email", m);
        }
    }
    let mut date = |name: &str, value: &str| -> Option<String> {
        if value.trim().is_empty() {
            return None;
        }
        let parsed = parse_iso(value).ok();
        if parsed.is_none() {
            out.fail(name, DATE_INVALID);
        }
        parsed
    };
    let date_ouverture = date("date_ouverture", &form.date_ouverture);
    let date_fermeture = date("date_fermeture", &form.date_fermeture);
    let value = (|| {
        let commune = commune?;
        Some(TribunalInput {
            kind: kind?,
            nom: nom?,
            siret: (!siret.is_empty()).then_some(siret),
            adresse: form.adresse.trim().to_owned(),
            adresse_complement: form.adresse_complement.trim().to_owned(),
            code_postal: form.code_postal.trim().to_owned(),
            ville: match form.ville.trim() {
                "" => commune.nom.clone(),
                ville => ville.to_owned(),
            },
            code_insee,
            commune,
            telephone: form.telephone.trim().to_owned(),
            email: form.email.trim().to_lowercase(),
            juridiction_parente: form.juridiction_parente.trim().to_owned(),
            date_ouverture,
            date_fermeture,
        })
    })();
    finish(out, TRIBUNAL_FIELDS, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Calais;

    impl TribunalReferences for Calais {
        fn commune(&self, code_insee: &str) -> Option<CommuneFacts> {
            (code_insee == "62193").then(|| CommuneFacts {
                nom: "Calais".into(),
                departement: "62".into(),
                coordinates: Some((50.95, 1.86)),
            })
        }
    }

    #[test]
    fn a_tribunal_form_is_parsed_or_refused() {
        let form = TribunalForm {
            type_tribunal: "TJ".into(),
            nom: " Tribunal judiciaire de Boulogne ".into(),
            siret: "123 456 789 00012".into(),
            code_insee: "62193".into(),
            date_fermeture: "31/12/2030".into(),
            ..TribunalForm::default()
        };
        let input = parse_tribunal(&form, &Calais).unwrap();
        assert_eq!(input.siret.as_deref(), Some("12345678900012"));
        assert_eq!(input.ville, "Calais");
        assert_eq!(input.commune.departement, "62");
        assert_eq!(input.date_fermeture.as_deref(), Some("2030-12-31"));
        let out = parse_tribunal(
            &TribunalForm {
                type_tribunal: "x".into(),
                siret: "12".into(),
                code_insee: "99999".into(),
                date_ouverture: "31/02/2020".into(),
                ..form
            },
            &Calais,
        )
        .unwrap_err();
        let fields: Vec<&str> = out.errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["type_tribunal", "siret", "code_insee", "date_ouverture"]
        );
        assert_eq!(out.value("siret"), "12");
    }
}
