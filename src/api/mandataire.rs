//! What crosses the wire for the mandataire space (SPEC §5): page data and the forms it posts.

use serde::{Deserialize, Serialize};

use crate::api::form::FormState;
use crate::api::Suggestion;

/// What every page of the space shows above its content (SPEC §5.1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MandataireHeader {
    pub nom: String,
    pub phrase: String,
    pub mise_a_jour: String,
    pub en_cours: u32,
    pub souhaitees: u32,
    pub en_attente: u32,
    pub eteintes: u32,
    /// CSS class of the "Mesures en cours" badge (souhaitées − en cours).
    pub niveau: String,
    pub premiere_connexion: bool,
    pub prepose: bool,
    /// A service's member: the tabs "Antennes" and "Membres", the antenne column and choice.
    #[serde(default)]
    pub service: bool,
    /// "Suspendre mon activité" is in force (issue 17).
    #[serde(default)]
    pub suspendu: bool,
}

/// One row of the mesure tables (SPEC §5.2, §5.4, §5.5).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MesureRow {
    pub id: u64,
    pub date_decision: String,
    pub type_mesure: String,
    pub commune: String,
    pub lieu_de_vie: String,
    pub genre: String,
    pub annee_naissance: String,
    pub numero_dossier: String,
    pub numero_rg: String,
    pub tribunal: String,
    pub cabinet: String,
    pub date_fin: String,
    pub cause_sortie: String,
    pub reservee_le: String,
    /// The antenne's name (services only).
    #[serde(default)]
    pub antenne: String,
    /// "Urgente" (issue 18).
    #[serde(default)]
    pub urgente: bool,
    /// "Date prévisionnelle du jugement", "jj/mm/aaaa", or empty (issue 18).
    #[serde(default)]
    pub date_jugement: String,
    /// A reservation waiting longer than the jurisdiction's delay: "Ancienne" (issue 18).
    #[serde(default)]
    pub ancienne: bool,
}

/// A page of the space: the header, the one-time notice or refused form, and the page's own data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpacePage<T> {
    pub header: MandataireHeader,
    pub notice: Option<String>,
    pub form: Option<FormState>,
    pub data: T,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MesureList {
    pub rows: Vec<MesureRow>,
    pub page: usize,
    pub has_next: bool,
    /// A service's antennes (the "Antenne" column and filter); `None` for other mandataires.
    #[serde(default)]
    pub antennes: Option<Vec<Suggestion>>,
    /// The antenne filtered on, or empty.
    #[serde(default)]
    pub antenne: String,
    /// "Rechercher une mesure" as typed (cut at its limit), or empty.
    #[serde(default)]
    pub recherche: String,
    /// The filters as a query string ("antenne=…&recherche=…"), for the pager's links; empty without any.
    #[serde(default)]
    pub filtres: String,
}

/// What the mesure form needs: the values to show, the mandataire's tribunaux, and for a reserved mesure the
/// reserving tribunal (read-only).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MesureFormData {
    pub values: FormState,
    pub tribunaux: Vec<Suggestion>,
    pub tribunal_reserve: Option<String>,
    /// A service's antennes, for the "Antenne" choice; `None` for other mandataires.
    #[serde(default)]
    pub antennes: Option<Vec<Suggestion>>,
    /// Why the mesure cannot be edited (an éteinte one), instead of the form.
    pub read_only: Option<String>,
}

/// What the mesure form posts (SPEC §5.3); the acceptance form (§5.5) posts a part of it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MesureForm {
    /// Empty for a new mesure. A string: numbers do not survive serde's `flatten` of form fields.
    pub id: String,
    pub date_decision: String,
    pub nature: String,
    pub champ: String,
    pub code_postal: String,
    pub commune: String,
    pub commune_id: String,
    pub commune_choix: String,
    pub genre: String,
    pub annee_naissance: String,
    pub lieu_de_vie: String,
    pub etablissement: String,
    pub etablissement_id: String,
    pub etablissement_choix: String,
    pub numero_dossier: String,
    pub numero_rg: String,
    pub tribunal: String,
    /// A service's antenne id, or empty.
    pub antenne: String,
}

/// What "Mettre fin au mandat" posts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EndForm {
    pub id: String,
    pub date_fin: String,
    pub cause_sortie: String,
}

/// The summary of one mesure, for the end and acceptance pages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MesureSummary {
    pub facts: Vec<(String, String)>,
    pub date_decision: String,
    pub tribunal: String,
    /// Why the mesure cannot be deleted (the delete confirmation page), if it cannot.
    #[serde(default)]
    pub refus: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Informations {
    pub coordonnees: Vec<(String, String)>,
    pub mesures_souhaitees: u32,
    pub secretariat: String,
    pub informations: String,
    pub tribunaux: Vec<Suggestion>,
    /// `None` for an account that is not a préposé.
    pub etablissements: Option<Vec<Suggestion>>,
    /// False for a service's member without administrateur rights: the page is read-only for them.
    pub modifiable: bool,
    /// While the activity is suspended: "since" (jj/mm/aaaa) and the reason (may be empty).
    #[serde(default)]
    pub suspension: Option<(String, String)>,
}

/// What "Modifier mes informations" posts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
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
    pub mot_de_passe_actuel: String,
    pub mesures_souhaitees: String,
    pub secretariat: String,
    pub secretariat_etp: String,
    pub informations: String,
    /// Services only (issue 16).
    pub nom_service: String,
    pub siret: String,
}

/// An autocomplete field's three values: typed text, picked id, choice among several.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PickForm {
    pub tribunal: String,
    pub tribunal_id: String,
    pub tribunal_choix: String,
    pub etablissement: String,
    pub etablissement_id: String,
    pub etablissement_choix: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CarteCommune {
    pub nom: String,
    /// WGS84; `None` lists the commune under "Sans localisation".
    pub position: Option<(f64, f64)>,
    /// The mesures en cours in the commune.
    #[serde(default)]
    pub nombre: u32,
    /// "<type de mesure> – <année de naissance>", identical mesures on one line with their count, at most
    /// `MAP_LINES` lines and then how many more.
    pub lignes: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Carte {
    pub communes: Vec<CarteCommune>,
    /// `None` when the background map is disabled.
    pub tuiles: Option<String>,
    pub attribution: String,
}

/// "Suspendre mon activité" (issue 17).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SuspendForm {
    pub motif: String,
}

/// What "Refuser la mesure" posts (issue 17).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DeclineForm {
    pub id: String,
    pub motif: String,
}

/// The "Importer" tab (SPEC §5.8, issue 17): a file checked and waiting for "Importer", if any.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportPage {
    pub apercu: Option<ImportPreview>,
    /// A service's file may have an "Antenne" column.
    pub service: bool,
}

/// A checked file: what "Importer" will create.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// Names this check: an "Importer" of an older check is refused.
    pub jeton: String,
    pub fichier: String,
    /// "3 mesures prêtes à être importées (dont 1 éteinte)."
    pub phrase: String,
    /// "Lignes non importées (numéro de dossier déjà existant) : 3, 7."
    pub ignorees: Option<String>,
    /// The first rows: (line, date de décision, type, commune, genre, année, dossier, RG, tribunal).
    pub lignes: Vec<Vec<String>>,
    pub total: usize,
}
