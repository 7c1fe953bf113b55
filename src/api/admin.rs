//! What crosses the wire for the administration (SPEC §7): page data and the forms it posts.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserFilter {
    /// "actifs" or "en-attente".
    pub onglet: String,
    /// "", "individuel", "prepose", "service", "magistrat", "admin".
    pub type_compte: String,
    pub q: String,
    pub page: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: u64,
    pub nom: String,
    pub identifiant: String,
    pub email: String,
    pub type_compte: String,
    pub tribunaux: String,
    pub creation: String,
    pub derniere_connexion: Option<String>,
    pub actif: bool,
    pub desactive: bool,
    pub soi_meme: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsersPage {
    pub rows: Vec<UserRow>,
    pub total: usize,
    pub actifs: usize,
    pub en_attente: usize,
    pub page: usize,
    pub has_next: bool,
    /// The list's controls as an address's query ("onglet=…&type=…&q=…", encoded): the pager and the exports.
    #[serde(default)]
    pub base: String,
    /// Deactivated accounts the retention erases within 30 days (issue 19): "<nom> (<identifiant>) : le jj/mm/aaaa".
    #[serde(default)]
    pub a_supprimer: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub date: String,
    pub utilisateur: String,
    pub action: String,
    pub objet: String,
    pub ip: String,
    pub resultat: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: u64,
    pub nom: String,
    pub actif: bool,
    /// A magistrat's account offers "Changer de tribunal".
    pub magistrat: bool,
    pub facts: Vec<(String, String)>,
    pub events: Vec<AuditRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailRow {
    pub id: u64,
    pub date: String,
    pub destinataire: String,
    pub objet: String,
    pub etat: String,
    pub tentatives: u32,
}

/// A page of "Courriels envoyés", newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailsPage {
    /// An SMTP server is configured (otherwise the banner says the outbox is the delivery).
    pub smtp: bool,
    pub rows: Vec<EmailRow>,
    pub total: usize,
    pub page: usize,
    pub has_next: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailDetail {
    pub date: String,
    pub destinataire: String,
    pub objet: String,
    pub etat: String,
    pub tentatives: u32,
    pub envoye_le: Option<String>,
    pub erreur: Option<String>,
    pub texte: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalPage {
    pub actions: Vec<String>,
    pub rows: Vec<AuditRow>,
    pub total: usize,
    pub page: usize,
    pub has_next: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TribunalRow {
    pub id: u64,
    pub type_label: String,
    pub nom: String,
    pub ville: String,
    pub siret: String,
    pub actif: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TribunauxPage {
    pub rows: Vec<TribunalRow>,
    pub total: usize,
    pub page: usize,
    pub has_next: bool,
}

/// What the tribunal form posts (SPEC §9 columns).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TribunalForm {
    /// Empty or "0" for a new tribunal. A string: numbers do not survive serde's `flatten` of form fields.
    pub id: String,
    pub type_tribunal: String,
    pub nom: String,
    pub siret: String,
    pub adresse: String,
    pub adresse_complement: String,
    pub code_postal: String,
    pub ville: String,
    pub code_insee: String,
    pub telephone: String,
    pub email: String,
    pub juridiction_parente: String,
    pub date_ouverture: String,
    pub date_fermeture: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EtablissementRow {
    pub finess: String,
    pub nom: String,
    pub commune: String,
    pub categorie: String,
    pub ferme: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EtablissementsPage {
    pub rows: Vec<EtablissementRow>,
    pub total: usize,
    pub page: usize,
    pub has_next: bool,
}

/// The "Sauvegarde" tab (SPEC §7 P2, issue 15).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BackupsPage {
    /// "2 h" style hour of the nightly backup; `None` when automatic backups are off.
    pub heure: Option<u8>,
    pub gardees: usize,
    /// The automatic backups, newest first: (file name, size shown).
    pub fichiers: Vec<(String, String)>,
    /// The last automatic backup since the server started: (date and time, its failure if it failed).
    pub derniere: Option<(String, Option<String>)>,
}

/// What "Modifier" of an account's admin page posts (issue 19).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AdminUserForm {
    /// Text: a flattened form reads every field as text.
    pub id: String,
    pub nom: String,
    pub prenom: String,
    pub genre: String,
    pub email: String,
    pub adresse: String,
    pub code_postal: String,
    pub commune: String,
    pub commune_id: String,
    pub commune_choix: String,
    pub telephone: String,
    pub telephone_portable: String,
}

/// The "Modifier" page of an account: which parts it has, and the values (stored, or as refused).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminUserEditPage {
    pub id: u64,
    pub nom: String,
    pub genre: bool,
    pub coordonnees: bool,
    /// A service member's coordonnées are the service's: said on the page.
    pub service: bool,
    pub values: crate::api::form::FormState,
}

/// "Supprimer le compte" (issue 19): what the confirmation page says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserPage {
    pub id: u64,
    pub nom: String,
    pub identifiant: String,
    /// What goes with the account, and what stays.
    pub consequences: Vec<String>,
    /// Why it cannot be deleted now, if so.
    pub refus: Option<String>,
}
