//! The service forms (issue 16): an antenne, an invitation's e-mail, the sign-up's service part.

use super::{finish, Place, References};
use crate::api::form::FormState;
use crate::api::service::AntenneForm;
use crate::rules::account::normalize_email;
use crate::rules::profile::{self as rules};

const ANTENNE_FIELDS: &[&str] = &[
    "nom",
    "adresse",
    "code_postal",
    "commune",
    "contact",
    "telephone",
    "email",
    "mesures_souhaitees",
];

/// A checked antenne.
#[derive(Debug)]
pub struct AntenneValue {
    pub nom: String,
    pub adresse: String,
    pub place: Place,
    pub contact: String,
    pub telephone: String,
    pub email: Option<String>,
    pub mesures_souhaitees: u32,
}

/// The antenne form as typed.
pub fn antenne_echo(form: &AntenneForm) -> FormState {
    let mut out = FormState::default();
    out.set_all(&[
        ("id", &form.id),
        ("nom", &form.nom),
        ("adresse", &form.adresse),
        ("code_postal", &form.code_postal),
        ("commune", &form.commune),
        ("contact", &form.contact),
        ("telephone", &form.telephone),
        ("email", &form.email),
        ("mesures_souhaitees", &form.mesures_souhaitees),
    ]);
    out
}

/// "Valider" of the antenne form: every field checked, every error told at once.
pub fn parse_antenne(
    form: &AntenneForm,
    refs: &impl References,
) -> Result<AntenneValue, FormState> {
    let mut out = antenne_echo(form);
    let nom = rules::bounded_text(
        &form.nom,
        "Nom de l'antenne",
        150,
        "Le nom de l'antenne",
        true,
    )
    .map_err(|m| out.fail("nom", m))
    .ok();
    let adresse = rules::bounded_text(&form.adresse, "Adresse", 200, "L'adresse", true)
        .map_err(|m| out.fail("adresse", m))
        .ok();
    let place = refs.place(
        &mut out,
        &form.code_postal,
        &form.commune,
        &form.commune_id,
        &form.commune_choix,
    );
    let contact = rules::bounded_text(&form.contact, "Contact", 150, "Le contact", false)
        .map_err(|m| out.fail("contact", m))
        .ok();
    let telephone = if form.telephone.trim().is_empty() {
        out.fail("telephone", rules::required("Téléphone"));
        None
    } else {
        rules::telephone(&form.telephone)
            .map_err(|m| out.fail("telephone", m))
            .ok()
    };
    let email = if form.email.trim().is_empty() {
        Some(None)
    } else {
        normalize_email(&form.email)
            .map(Some)
            .map_err(|m| out.fail("email", m))
            .ok()
    };
    let capacity = super::account::capacity(&mut out, &form.mesures_souhaitees);
    let value = (|| {
        Some(AntenneValue {
            nom: nom?,
            adresse: adresse?,
            place: place?,
            contact: contact?,
            telephone: telephone?,
            email: email?,
            mesures_souhaitees: capacity?,
        })
    })();
    finish(out, ANTENNE_FIELDS, value)
}

/// "Nom du service" and "SIRET" of the service's sign-up and profile.
pub fn service_identity(
    out: &mut FormState,
    nom_service: &str,
    siret: &str,
) -> (Option<String>, Option<String>) {
    let nom = rules::bounded_text(
        nom_service,
        crate::rules::service::NOM_SERVICE_LABEL,
        150,
        "Le nom du service",
        true,
    )
    .map_err(|m| out.fail("nom_service", m))
    .ok();
    let siret = if siret.trim().is_empty() {
        out.fail("siret", rules::required("SIRET"));
        None
    } else {
        crate::rules::service::siret(siret)
            .map_err(|m| out.fail("siret", m))
            .ok()
    };
    (nom, siret)
}

const JOIN_FIELDS: &[&str] = &[
    "identifiant",
    "mot_de_passe",
    "confirmation",
    "nom",
    "prenom",
];

/// A checked "Rejoindre le service".
#[derive(Debug)]
pub struct Join {
    pub identifiant: String,
    pub password: String,
    pub nom: String,
    pub prenom: String,
}

/// The invitation form as typed, passwords left out.
pub fn join_echo(form: &crate::api::service::JoinForm) -> FormState {
    let mut out = FormState::default();
    out.set_all(&[
        ("identifiant", &form.identifiant),
        ("nom", &form.nom),
        ("prenom", &form.prenom),
    ]);
    out
}

/// "Créer mon compte" of an invitation: the sign-up's identity rules, the e-mail being the invitation's.
pub fn parse_join(
    form: &crate::api::service::JoinForm,
    email: &str,
    refs: &impl super::account::AccountReferences,
) -> Result<Join, FormState> {
    use crate::rules::account::{normalize_identifiant, IDENTIFIANT_TAKEN};
    let mut out = join_echo(form);
    let identifiant = if form.identifiant.trim().is_empty() {
        out.fail("identifiant", rules::required("Identifiant désiré"));
        None
    } else {
        match normalize_identifiant(&form.identifiant) {
            Err(message) => {
                out.fail("identifiant", message);
                None
            }
            Ok(identifiant) if refs.login_taken(&identifiant) => {
                out.fail("identifiant", IDENTIFIANT_TAKEN);
                None
            }
            Ok(identifiant) => Some(identifiant),
        }
    };
    let password = if form.mot_de_passe.is_empty() {
        out.fail("mot_de_passe", rules::required("Mot de passe désiré"));
        None
    } else {
        match refs.password_problem(
            &form.mot_de_passe,
            identifiant.as_deref().unwrap_or(""),
            email,
        ) {
            Some(message) => {
                out.fail("mot_de_passe", message);
                None
            }
            None => Some(form.mot_de_passe.clone()),
        }
    };
    if form.confirmation.is_empty() {
        out.fail(
            "confirmation",
            rules::required("Confirmation du mot de passe"),
        );
    } else if form.confirmation != form.mot_de_passe {
        out.fail("confirmation", rules::PASSWORDS_DIFFER);
    }
    let nom = rules::bounded_text(&form.nom, "Nom", 100, "Le nom", true)
        .map_err(|m| out.fail("nom", m))
        .ok();
    let prenom = rules::bounded_text(&form.prenom, "Prénom", 100, "Le prénom", true)
        .map_err(|m| out.fail("prenom", m))
        .ok();
    let value = (|| {
        Some(Join {
            identifiant: identifiant?,
            password: password?,
            nom: nom?,
            prenom: prenom?,
        })
    })();
    finish(out, JOIN_FIELDS, value)
}
