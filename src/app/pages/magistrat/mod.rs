//! The magistrat space (SPEC §6): "Mandataires" (list and fiche), "Vue carte", "Mesures réservées" (reserve,
//! edit, cancel) and "Mes informations". Bodies in `server::magistrat_space`, `server::reservations` and
//! `server::magistrat_profile`, each requiring the magistrat role and reaching only the active mandataires
//! who declared the magistrat's tribunal, and only that tribunal's reservations.

pub mod annuler;
pub mod carte;
pub mod fiche;
pub mod informations;
pub mod mandataires;
pub mod mesures;
pub mod reserver;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::app::components::form::{FormReply, FormState, Notice};

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
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReservedList {
    /// "", "en_attente", "acceptee", "eteinte".
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

// The controls travel as separate arguments: numbers do not survive serde's `flatten` of form fields.
#[server(endpoint = "magistrat/mandataires")]
pub async fn magistrat_mandataires(
    #[server(default)] type_mandataire: String,
    #[server(default)] lieu: String,
    #[server(default)] lieu_id: String,
    #[server(default)] page: usize,
) -> Result<MagistratPage<MandataireList>, ServerFnError> {
    let query = MandataireQuery {
        type_mandataire,
        lieu,
        lieu_id,
        page,
    };
    crate::server::magistrat_space::list_page(query, true)
}

#[server(endpoint = "magistrat/carte")]
pub async fn magistrat_carte(
    #[server(default)] type_mandataire: String,
    #[server(default)] lieu: String,
    #[server(default)] lieu_id: String,
) -> Result<MagistratPage<carte::MagistratCarte>, ServerFnError> {
    let query = MandataireQuery {
        type_mandataire,
        lieu,
        lieu_id,
        page: 1,
    };
    crate::server::magistrat_space::map_page(query)
}

#[server(endpoint = "magistrat/fiche")]
pub async fn fiche_mandataire(id: u64) -> Result<MagistratPage<Fiche>, ServerFnError> {
    crate::server::magistrat_space::fiche_page(id)
}

#[server(endpoint = "magistrat/reservation")]
pub async fn reservation_page(
    #[server(default)] mandataire: Option<u64>,
    #[server(default)] reservation: Option<u64>,
) -> Result<MagistratPage<ReservationTarget>, ServerFnError> {
    crate::server::reservations::reservation_page(mandataire, reservation)
}

#[server(endpoint = "magistrat/reserver")]
pub async fn reserve_mesure(
    #[server(flatten)] form: ReservationForm,
) -> Result<FormReply, ServerFnError> {
    crate::server::reservations::reserve(form)
}

#[server(endpoint = "magistrat/mesures")]
pub async fn reserved_mesures(
    #[server(default)] etat: String,
    #[server(default)] page: usize,
) -> Result<MagistratPage<ReservedList>, ServerFnError> {
    crate::server::reservations::reserved_page(&etat, page)
}

#[server(endpoint = "magistrat/annulation")]
pub async fn cancel_page(id: u64) -> Result<MagistratPage<CancelTarget>, ServerFnError> {
    crate::server::reservations::cancel_page(id)
}

#[server(endpoint = "magistrat/annuler")]
pub async fn cancel_reservation(id: u64) -> Result<FormReply, ServerFnError> {
    crate::server::reservations::cancel(id)
}

/// The tab row of the space with its badges (SPEC §6.1); numbers always shown.
#[component]
pub fn MagistratTabs(current: &'static str, header: MagistratHeader) -> impl IntoView {
    let tab = |key: &'static str, href: &'static str, label: &'static str, badge: AnyView| {
        // The map page loads its scripts with a full page load (see `carte`).
        let external = (key == "carte").then_some("external");
        view! {
            <li>
                <a href=href rel=external aria-current=(key == current).then_some("page")>
                    {label}
                    " "
                    {badge}
                </a>
            </li>
        }
    };
    let waiting_class = if header.en_attente > 0 {
        "badge badge-highlight"
    } else {
        "badge"
    };
    view! {
        <nav class="tabs" aria-label="Espace magistrat">
            <ul>
                {tab("mandataires", "/magistrat/mandataires", "Mandataires", view! {
                    <span class="badge">{header.mandataires}</span>
                }.into_any())}
                {tab("carte", "/magistrat/carte", "Vue carte", ().into_any())}
                {tab("mesures", "/magistrat/mesures", "Mesures réservées", view! {
                    <span class=waiting_class>
                        {header.en_attente}
                        <span class="visually-hidden">" en attente"</span>
                    </span>
                }.into_any())}
                {tab("informations", "/magistrat/informations", "Mes informations", ().into_any())}
            </ul>
        </nav>
    }
}

/// The top of every page of the space: tabs, "<Prénom> <Nom> – <tribunal>", the one-time notice.
#[component]
pub fn MagistratSpaceHeader(
    current: &'static str,
    header: MagistratHeader,
    notice: Option<String>,
) -> impl IntoView {
    view! {
        <MagistratTabs current header=header.clone()/>
        <p class="space-name">{header.nom}</p>
        {notice.map(|message| view! { <Notice message/> })}
    }
}

/// "Dernière mise à jour des données datant de plus de 30 jours." with its decorative icon (SPEC §6.2, §8.4),
/// as markup: the list writes its rows as one string (see `components::html`).
pub const STALE_WARNING_HTML: &str =
    "<span class=\"stale\"><span class=\"stale-icon\" aria-hidden=\"true\">⚠</span> \
     Dernière mise à jour des données datant de plus de 30 jours.</span>";

#[component]
pub fn StaleWarning() -> impl IntoView {
    view! { <span inner_html=STALE_WARNING_HTML></span> }
}
