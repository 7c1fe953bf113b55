//! What crosses the wire for accounts: sign-up forms, the tribunaux they list, the logged-in user.

use serde::{Deserialize, Serialize};

use crate::api::Suggestion;

/// The active tribunaux of a région, for the sign-up checkboxes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TribunalGroup {
    pub region: String,
    pub tribunaux: Vec<Suggestion>,
}

/// What the mandataire sign-up form posts. Every field is optional here: the server says what is missing.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MandataireSignUpForm {
    pub tribunaux: Vec<String>,
    pub type_mandataire: String,
    pub identifiant: String,
    pub mot_de_passe: String,
    pub confirmation: String,
    pub nom: String,
    pub prenom: String,
    pub genre: String,
    pub adresse: String,
    pub code_postal: String,
    pub commune: String,
    pub commune_id: String,
    pub commune_choix: String,
    pub telephone: String,
    pub telephone_portable: String,
    pub email: String,
    pub mesures_souhaitees: String,
    /// Services only (issue 16).
    pub nom_service: String,
    pub siret: String,
    pub informations: String,
    /// FINESS numbers already added.
    pub etablissements: Vec<String>,
    /// The établissement being typed, its picked id, or its choice among several.
    pub etablissement: String,
    pub etablissement_id: String,
    pub etablissement_choix: String,
    /// The button that sent the form: "ajouter_etablissement", "retirer_etablissement:<finess>", or empty.
    pub action: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MagistratSignUpForm {
    /// "magistrat" or "greffier" (issue 18).
    pub fonction: String,
    pub tribunal: String,
    pub tribunal_id: String,
    pub tribunal_choix: String,
    pub cabinet: String,
    pub identifiant: String,
    pub mot_de_passe: String,
    pub confirmation: String,
    pub nom: String,
    pub prenom: String,
    pub genre: String,
    pub email: String,
}

/// Who is logged in, as the header shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub nom: String,
    pub role: String,
    /// The role's guide (SPEC §15).
    pub aide: String,
}

/// "Double authentification" of an admin (issue 19).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorPage {
    /// "jj/mm/aaaa" when active.
    pub actif_depuis: Option<String>,
    pub codes_restants: usize,
    /// The site requires it of admins.
    pub obligatoire: bool,
    /// While enrolling: the QR code (SVG drawn on the server) and the secret, spaced, for manual entry.
    pub qr_svg: Option<String>,
    pub secret: Option<String>,
}
