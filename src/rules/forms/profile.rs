//! "Modifier mes informations" of the mandataire (SPEC §5.7) and "Modifier mon profil" of the magistrat
//! (§6.6). The e-mail changes only with the current password, which the server verifies after the parse.

use super::account::{capacity, profile_identity, telephones, ProfileIdentity};
use super::{finish, Place, References};
use crate::api::form::FormState;
use crate::api::magistrat::MagistratProfileFields;
use crate::api::mandataire::ProfileForm;
use crate::rules::profile as rules;

const MANDATAIRE_FIELDS: &[&str] = &[
    "nom",
    "prenom",
    "genre",
    "adresse",
    "code_postal",
    "commune",
    "telephone",
    "telephone_portable",
    "email",
    "mot_de_passe_actuel",
    "mesures_souhaitees",
    "secretariat",
    "secretariat_etp",
    "informations",
];
const MAGISTRAT_FIELDS: &[&str] = &[
    "nom",
    "prenom",
    "genre",
    "email",
    "mot_de_passe_actuel",
    "cabinet",
];

/// The mandataire's edit as typed, "Mot de passe actuel" left out.
pub fn mandataire_echo(form: &ProfileForm) -> FormState {
    let mut out = FormState::default();
    out.set_all(&[
        ("nom", &form.nom),
        ("prenom", &form.prenom),
        ("genre", &form.genre),
        ("adresse", &form.adresse),
        ("code_postal", &form.code_postal),
        ("commune", &form.commune),
        ("telephone", &form.telephone),
        ("telephone_portable", &form.telephone_portable),
        ("email", &form.email),
        ("mesures_souhaitees", &form.mesures_souhaitees),
        ("secretariat", &form.secretariat),
        ("secretariat_etp", &form.secretariat_etp),
        ("informations", &form.informations),
        ("nom_service", &form.nom_service),
        ("siret", &form.siret),
    ]);
    out
}

/// A checked mandataire profile.
#[derive(Debug)]
pub struct MandataireProfile {
    pub identity: ProfileIdentity,
    pub adresse: String,
    pub place: Place,
    pub telephone: String,
    pub telephone_portable: Option<String>,
    pub mesures_souhaitees: u32,
    pub secretariat: bool,
    /// Hundredths of ETP, with a secretariat only.
    pub secretariat_etp_centiemes: Option<u32>,
    pub informations: String,
}

/// "Valider" of "Modifier mes informations"; `current_email` is the account's.
pub fn parse_mandataire_profile(
    form: &ProfileForm,
    current_email: &str,
    refs: &impl References,
) -> Result<MandataireProfile, FormState> {
    let mut out = mandataire_echo(form);
    let identity = profile_identity(
        &mut out,
        current_email,
        &form.nom,
        &form.prenom,
        &form.genre,
        &form.email,
        &form.mot_de_passe_actuel,
    );
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
    let (telephone, portable) = telephones(&mut out, &form.telephone, &form.telephone_portable);
    let capacity = capacity(&mut out, &form.mesures_souhaitees);
    let secretariat = match form.secretariat.as_str() {
        "oui" => Some(true),
        "non" => Some(false),
        _ => {
            out.fail("secretariat", rules::required("Secrétariat"));
            None
        }
    };
    let etp = match secretariat {
        Some(true) => rules::etp(&form.secretariat_etp)
            .map(Some)
            .map_err(|m| out.fail("secretariat_etp", m))
            .ok(),
        _ => Some(None),
    };
    let informations = rules::bounded_paragraph(&form.informations, "", 2000, "Ce texte", false)
        .map_err(|_| out.fail("informations", rules::INFORMATIONS_TOO_LONG))
        .ok();
    let value = (|| {
        Some(MandataireProfile {
            identity: identity?,
            adresse: adresse?,
            place: place?,
            telephone: telephone?,
            telephone_portable: portable?,
            mesures_souhaitees: capacity?,
            secretariat: secretariat?,
            secretariat_etp_centiemes: etp?,
            informations: informations?,
        })
    })();
    finish(out, MANDATAIRE_FIELDS, value)
}

/// The magistrat's edit as typed, "Mot de passe actuel" left out.
pub fn magistrat_echo(form: &MagistratProfileFields) -> FormState {
    let mut out = FormState::default();
    out.set_all(&[
        ("nom", &form.nom),
        ("prenom", &form.prenom),
        ("genre", &form.genre),
        ("email", &form.email),
        ("cabinet", &form.cabinet),
    ]);
    out
}

/// A checked magistrat profile.
#[derive(Debug)]
pub struct MagistratProfile {
    pub identity: ProfileIdentity,
    pub cabinet: String,
}

/// "Valider" of "Modifier mon profil"; `current_email` is the account's.
pub fn parse_magistrat_profile(
    form: &MagistratProfileFields,
    current_email: &str,
) -> Result<MagistratProfile, FormState> {
    let mut out = magistrat_echo(form);
    let identity = profile_identity(
        &mut out,
        current_email,
        &form.nom,
        &form.prenom,
        &form.genre,
        &form.email,
        &form.mot_de_passe_actuel,
    );
    let cabinet = rules::bounded_text(&form.cabinet, "Cabinet", 20, "Le cabinet", false)
        .map_err(|m| out.fail("cabinet", m))
        .ok();
    let value = (|| {
        Some(MagistratProfile {
            identity: identity?,
            cabinet: cabinet?,
        })
    })();
    finish(out, MAGISTRAT_FIELDS, value)
}
