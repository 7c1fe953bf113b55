//! What crosses the wire for the magistrat space (SPEC §6): page data and the forms it posts.

use serde::{Deserialize, Serialize};

use crate::api::form::FormState;

/// The line under the title and the tab badges, on every page of the space (SPEC §6.1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MagistratHeader {
    /// "<Prénom> <Nom> – <tribunal>".
    pub nom: String,
    /// Mandataires in scope (active, declared the tribunal).
    pub mandataires: u32,
    /// Reservations of the tribunal en attente.
    pub en_attente: u32,
}

/// What a page of the space finds: its header, the one-time notice, a refused form (no JavaScript).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MagistratPage<T> {
    pub header: MagistratHeader,
    pub notice: Option<String>,
    pub form: Option<FormState>,
    pub data: T,
}

/// The §6.2 controls as the query string carries them ("Type", "Code postal ou commune", page).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MandataireQuery {
    /// "", "individuel", "prepose".
    pub type_mandataire: String,
    /// What was typed in "Code postal ou commune".
    pub lieu: String,
    /// The commune picked in the autocomplete ("<INSEE>-<code postal>").
    pub lieu_id: String,
    pub page: usize,
    /// "Nom" (issue 18): words that begin the mandataire's name.
    pub nom: String,
    /// "Trier par": "", "nom", "nom_desc", "distance" (`rules::search::MandataireSort`).
    pub tri: String,
    /// "Places disponibles uniquement": "oui" or "".
    pub disponibles: String,
}

/// One row of "Mandataires" (SPEC §6.2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MandataireRow {
    pub id: u64,
    pub type_label: String,
    pub nom: String,
    pub commune: String,
    pub disponibilite: i64,
    /// CSS class of the §5.1 thresholds.
    pub niveau: String,
    pub en_cours: u32,
    pub souhaitees: u32,
    pub en_attente: u32,
    /// "jj/mm/aaaa" or "jamais".
    pub mise_a_jour: String,
    /// Never updated or over 30 days ago (SPEC §8.4).
    pub perime: bool,
    /// WGS84 of the mandataire's commune (the map).
    pub position: Option<(f64, f64)>,
    /// "Activité suspendue" (issue 17): the disponibilité shown is 0.
    #[serde(default)]
    pub suspendu: bool,
    /// "à 12 km" when the list is sorted by distance (issue 18).
    #[serde(default)]
    pub distance: Option<String>,
}

/// The list or the map: the rows of the filtered mandataires, and what the controls show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MandataireList {
    pub query: MandataireQuery,
    /// "Code postal non valide" or the unknown commune's message.
    pub erreur_lieu: Option<String>,
    /// All filtered mandataires (list: one page of them).
    pub rows: Vec<MandataireRow>,
    pub total: usize,
    pub has_next: bool,
    /// The query string of the filters, for the pager's links.
    pub base: String,
    /// Where the distances are measured from, when sorted by distance: "Calais", "le tribunal".
    #[serde(default)]
    pub origine: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Fiche {
    pub id: u64,
    pub nom: String,
    pub type_label: String,
    /// (label, value) pairs, e-mail apart.
    pub coordonnees: Vec<(String, String)>,
    pub email: String,
    pub en_cours: u32,
    pub en_attente: u32,
    pub souhaitees: u32,
    pub disponibilite: i64,
    pub niveau: String,
    pub mise_a_jour: String,
    pub perime: bool,
    pub secretariat: String,
    /// `None` for a mandataire individuel (no établissements).
    pub etablissements: Option<Vec<String>>,
    pub tribunaux: Vec<String>,
    pub informations: String,
    /// A service's antennes with their own figures (issue 16); `None` for other mandataires.
    #[serde(default)]
    pub antennes: Option<Vec<crate::api::service::AntenneRow>>,
    /// "Activité suspendue depuis le …" and the reason, while suspended (issue 17).
    #[serde(default)]
    pub suspension: Option<String>,
    /// The notes of the caller's tribunal on this mandataire, newest first (issue 18).
    #[serde(default)]
    pub notes: Vec<NoteRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReservationTarget {
    pub mandataire_id: u64,
    pub mandataire: String,
    /// Disponibilité ≤ 0: the capacity warning shows (reserving is still allowed).
    pub complet: bool,
    /// The reservation being edited ("Modifier"), if any.
    pub reservation: Option<u64>,
    /// Once accepted: why there is no form.
    pub refus: Option<String>,
    pub values: FormState,
    /// A service's antennes, for "Antenne" (issue 16); `None` otherwise.
    #[serde(default)]
    pub antennes: Option<Vec<crate::api::Suggestion>>,
    /// The mandataire suspended their activity: the warning (reserving is still allowed, issue 17).
    #[serde(default)]
    pub suspendu: Option<String>,
}

/// What "Réserver une mesure" and "Modifier" post (SPEC §6.3, §6.4).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReservationForm {
    /// The mandataire's user id. A string: numbers do not survive serde's `flatten` of form fields.
    pub mandataire: String,
    /// The reservation edited by "Modifier"; empty for a new one.
    pub reservation: String,
    pub nature: String,
    pub champ: String,
    pub genre: String,
    pub annee_naissance: String,
    pub numero_rg: String,
    pub cabinet: String,
    /// A service's antenne id, or empty (the service itself).
    pub antenne: String,
    /// "Oui, c'est une demande urgente" (issue 18): "oui" or empty.
    pub urgente: String,
    /// "Date prévisionnelle du jugement" (issue 18): optional, jj/mm/aaaa.
    pub date_jugement: String,
}

/// One row of "Mesures réservées": never lieu de vie, commune or numéro de dossier (SPEC §6.4).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReservedRow {
    pub id: u64,
    pub mandataire: String,
    pub type_mesure: String,
    pub genre: String,
    pub annee_naissance: String,
    pub numero_rg: String,
    pub cabinet: String,
    pub reservee_le: String,
    pub reservee_par: String,
    pub etat: String,
    pub en_attente: bool,
    pub date_decision: String,
    pub date_fin: String,
    /// The mandataire's reason, when the reservation was declined (issue 17).
    #[serde(default)]
    pub motif_refus: String,
    /// "Urgente", its planned judgment date ("jj/mm/aaaa" or empty), and "Ancienne" (issue 18).
    #[serde(default)]
    pub urgente: bool,
    #[serde(default)]
    pub date_jugement: String,
    #[serde(default)]
    pub ancienne: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReservedList {
    /// "", "en_attente", "acceptee", "eteinte", "refusee".
    pub etat: String,
    pub rows: Vec<ReservedRow>,
    pub total: usize,
    pub page: usize,
    pub has_next: bool,
}

/// "Annuler la réservation": what is cancelled, or why it cannot be.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CancelTarget {
    pub id: u64,
    pub resume: String,
    pub refus: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MagistratFacts {
    /// (label, value) pairs in the §6.6 order.
    pub coordonnees: Vec<(String, String)>,
    pub tribunal: String,
}

/// "Modifier mon profil": the tribunal (shown, not editable) and the fields' current values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MagistratProfileValues {
    pub tribunal: String,
    pub values: FormState,
}

/// What "Modifier mon profil" posts. The tribunal is not among the fields: only admins change it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MagistratProfileFields {
    pub nom: String,
    pub prenom: String,
    pub genre: String,
    pub email: String,
    pub mot_de_passe_actuel: String,
    pub cabinet: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommuneCount {
    /// INSEE code: the link that lists who works there (issue 18).
    #[serde(default)]
    pub insee: String,
    pub commune: String,
    pub position: Option<(f64, f64)>,
    pub mesures: u32,
}

/// One antenne of a listed service, on the magistrat's map.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AntenneMarker {
    pub service_id: u64,
    pub service: String,
    pub antenne: crate::api::service::AntenneRow,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MagistratCarte {
    /// One page of the filtered mandataires (the map's markers come from `couches`).
    pub mandataires: MandataireList,
    /// One page of the communes where they hold mesures en cours, most first.
    pub communes: Vec<CommuneCount>,
    pub communes_total: usize,
    pub page_communes: usize,
    pub communes_has_next: bool,
    /// The antennes of the listed services (issue 16): on the map, a service with antennes is drawn as one
    /// marker per antenne.
    #[serde(default)]
    pub antennes: Vec<AntenneMarker>,
    /// Where the map script reads the two layers of markers (issue 20: not in the page).
    pub couches: String,
    /// `None` when the background map is disabled.
    pub tuiles: Option<String>,
    pub attribution: String,
    /// The commune chosen on the map (issue 18): its name and the listed mandataires holding mesures en
    /// cours there, with how many, most first. Counts only.
    #[serde(default)]
    pub commune_choisie: Option<CommuneHolders>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommuneHolders {
    pub commune: String,
    /// (mandataire id, name, mesures en cours there).
    pub mandataires: Vec<(u64, String, u32)>,
}

/// A note on a fiche: "Ajouté le : jj/mm/aaaa à HH:MM", its author and text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NoteRow {
    pub id: u64,
    pub ajoute_le: String,
    pub auteur: String,
    pub texte: String,
}
