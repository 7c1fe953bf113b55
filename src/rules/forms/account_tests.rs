//! Tests of the account forms.

use super::*;

/// Calais only; "pris" and "pris@exemple.fr" already used; "motdepasse" too common; one active tribunal.
struct Fixture;

impl References for Fixture {
    fn place(
        &self,
        out: &mut FormState,
        cp: &str,
        commune: &str,
        _: &str,
        _: &str,
    ) -> Option<Place> {
        (cp == "62100" && commune == "Calais")
            .then(|| Place {
                code_insee: "62193".into(),
                code_postal: "62100".into(),
                commune: "Calais".into(),
            })
            .or_else(|| {
                out.fail("commune", "commune inconnue");
                None
            })
    }

    fn etablissement(&self, _: &mut FormState, _: &str, _: Option<&str>) -> Option<String> {
        None
    }
}

impl AccountReferences for Fixture {
    fn login_taken(&self, login: &str) -> bool {
        login == "pris" || login == "pris@exemple.fr"
    }

    fn password_problem(&self, password: &str, _: &str, _: &str) -> Option<String> {
        (password == "motdepasse").then(|| "trop courant".to_owned())
    }

    fn tribunal(&self, out: &mut FormState, typed: &str, _: Option<&str>) -> Option<u64> {
        (typed == "Calais").then_some(3).or_else(|| {
            out.fail("tribunal", rules::TRIBUNAL_MISSING);
            None
        })
    }
}

fn magistrat() -> MagistratSignUpForm {
    MagistratSignUpForm {
        fonction: "magistrat".into(),
        tribunal: "Calais".into(),
        identifiant: "j.dupont".into(),
        mot_de_passe: "Bon-Mot-De-Passe-2026".into(),
        confirmation: "Bon-Mot-De-Passe-2026".into(),
        nom: "Dupont".into(),
        prenom: "Jeanne".into(),
        genre: "F".into(),
        email: "j.dupont@justice.fr".into(),
        ..MagistratSignUpForm::default()
    }
}

#[test]
fn a_magistrat_sign_up_is_parsed_or_refused_with_every_error() {
    let sign_up = parse_magistrat_sign_up(&magistrat(), &Fixture).unwrap();
    assert_eq!(sign_up.tribunal_id, 3);
    assert_eq!(sign_up.role, Role::Magistrat);
    assert_eq!(sign_up.identity.identifiant, "j.dupont");
    let greffier = MagistratSignUpForm {
        fonction: "greffier".into(),
        ..magistrat()
    };
    assert_eq!(
        parse_magistrat_sign_up(&greffier, &Fixture).unwrap().role,
        Role::Greffier
    );
    assert_eq!(sign_up.email, "j.dupont@justice.fr");
    let out = parse_magistrat_sign_up(
        &MagistratSignUpForm {
            tribunal: "Nulle part".into(),
            identifiant: "pris".into(),
            mot_de_passe: "motdepasse".into(),
            confirmation: "autre".into(),
            email: "pris@exemple.fr".into(),
            fonction: "juge".into(),
            ..magistrat()
        },
        &Fixture,
    )
    .unwrap_err();
    let fields: Vec<&str> = out.errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(out.error("fonction").as_deref(), Some(FONCTION_MISSING));
    assert_eq!(
        fields,
        [
            "fonction",
            "tribunal",
            "identifiant",
            "mot_de_passe",
            "confirmation",
            "email"
        ]
    );
    assert_eq!(out.error("identifiant").as_deref(), Some(IDENTIFIANT_TAKEN));
    assert_eq!(out.error("email").as_deref(), Some(EMAIL_TAKEN));
    // The values come back, the passwords never.
    assert_eq!(out.value("tribunal"), "Nulle part");
    assert_eq!(out.value("mot_de_passe"), "");
}

#[test]
fn a_mandataire_needs_a_tribunal_a_kind_and_a_capacity() {
    let form = MandataireSignUpForm {
        type_mandataire: "prepose".into(),
        code_postal: "62100".into(),
        commune: "Calais".into(),
        adresse: "1 rue de la Paix".into(),
        telephone: "0321000000".into(),
        mesures_souhaitees: "30".into(),
        identifiant: "m.martin".into(),
        mot_de_passe: "Bon-Mot-De-Passe-2026".into(),
        confirmation: "Bon-Mot-De-Passe-2026".into(),
        nom: "Martin".into(),
        prenom: "Marc".into(),
        genre: "H".into(),
        email: "m.martin@exemple.fr".into(),
        ..MandataireSignUpForm::default()
    };
    let sign_up = parse_mandataire_sign_up(&form, FormState::default(), &[3], &Fixture).unwrap();
    assert_eq!(sign_up.role, Role::Prepose);
    assert_eq!(sign_up.place.code_insee, "62193");
    assert_eq!(sign_up.mesures_souhaitees, 30);
    let out = parse_mandataire_sign_up(
        &MandataireSignUpForm {
            type_mandataire: "direction".into(),
            mesures_souhaitees: String::new(),
            ..form.clone()
        },
        FormState::default(),
        &[],
        &Fixture,
    )
    .unwrap_err();
    let fields: Vec<&str> = out.errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        ["tribunaux", "type_mandataire", "mesures_souhaitees"]
    );
    // A service needs its name and a SIRET whose key is right; every typed value is kept.
    let out = parse_mandataire_sign_up(
        &MandataireSignUpForm {
            type_mandataire: "service".into(),
            nom_service: String::new(),
            siret: "732 829 320 00075".into(),
            ..form.clone()
        },
        FormState::default(),
        &[3],
        &Fixture,
    )
    .unwrap_err();
    let fields: Vec<&str> = out.errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["nom_service", "siret"]);
    assert_eq!(
        out.error("siret").as_deref(),
        Some(crate::rules::service::SIRET_INVALID)
    );
    let service = parse_mandataire_sign_up(
        &MandataireSignUpForm {
            type_mandataire: "service".into(),
            nom_service: "UDAF du Pas-de-Calais".into(),
            siret: "732 829 320 00074".into(),
            ..form
        },
        FormState::default(),
        &[3],
        &Fixture,
    )
    .unwrap();
    assert_eq!(service.role, Role::Service);
    let identity = service.service.unwrap();
    assert_eq!(
        (identity.nom.as_str(), identity.siret.as_str()),
        ("UDAF du Pas-de-Calais", "73282932000074")
    );
}
