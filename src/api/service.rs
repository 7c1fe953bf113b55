//! What crosses the wire for services mandataires (issue 16): the "Antennes" and "Membres" tabs, the
//! invitation page, and the forms they post.

use serde::{Deserialize, Serialize};

/// One antenne with its figures, in the service space and on the magistrat's fiche.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AntenneRow {
    pub id: u64,
    pub nom: String,
    pub adresse: String,
    /// "62100 Calais".
    pub commune: String,
    pub contact: String,
    pub telephone: String,
    pub email: String,
    pub souhaitees: u32,
    pub en_cours: u32,
    pub en_attente: u32,
    pub disponibilite: i64,
    /// CSS class of the disponibilité (colour never alone: the number is written).
    pub niveau: String,
    /// WGS84 of the antenne's commune, for the magistrat's map.
    pub position: Option<(f64, f64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Antennes {
    pub rows: Vec<AntenneRow>,
    /// The caller may add, change and delete antennes.
    pub administrateur: bool,
}

/// What "Ajouter une antenne" / "Modifier l'antenne" posts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AntenneForm {
    /// Empty for a new antenne.
    pub id: String,
    pub nom: String,
    pub adresse: String,
    pub code_postal: String,
    pub commune: String,
    pub commune_id: String,
    pub commune_choix: String,
    pub contact: String,
    pub telephone: String,
    pub email: String,
    pub mesures_souhaitees: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MembreRow {
    pub id: u64,
    pub nom: String,
    pub identifiant: String,
    pub email: String,
    pub administrateur: bool,
    /// The caller's own row (no "Retirer" on it).
    pub moi: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub email: String,
    /// "jj/mm/aaaa".
    pub expire_le: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Membres {
    pub rows: Vec<MembreRow>,
    pub invitations: Vec<InvitationRow>,
    pub administrateur: bool,
}

/// "Inviter un membre".
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub email: String,
}

/// The invitation page: the service the link opens, or why it does not.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InvitationPage {
    /// `None` when the link is unknown, used or expired: `message` says which.
    pub service: Option<String>,
    pub email: String,
    pub message: Option<String>,
    pub form: Option<crate::api::form::FormState>,
}

/// What the invitee posts to join.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct JoinForm {
    pub jeton: String,
    pub identifiant: String,
    pub nom: String,
    pub prenom: String,
    pub mot_de_passe: String,
    pub confirmation: String,
}
