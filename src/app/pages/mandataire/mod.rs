//! The mandataire space (SPEC §5): the header with the capacity sentence and the tabs, the records the
//! pages show, and the server functions (bodies in `server::mesures` and `server::mandataire_profile`, each
//! requiring a mandataire role and reading the owner from the session).

pub mod carte;
pub mod fin;
pub mod informations;
pub mod mesure_form;
pub mod mesures;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::app::components::form::{FormReply, FormState, Notice};
use crate::rules::Suggestion;

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
}

/// What the mesure form needs: the values to show, the mandataire's tribunaux, and for a reserved mesure the
/// reserving tribunal (read-only).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MesureFormData {
    pub values: FormState,
    pub tribunaux: Vec<Suggestion>,
    pub tribunal_reserve: Option<String>,
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
}

#[server(endpoint = "mandataire/mesures")]
pub async fn mandataire_mesures(
    etat: String,
    #[server(default)] page: usize,
) -> Result<SpacePage<MesureList>, ServerFnError> {
    crate::server::mesures::list_page(&etat, page)
}

#[server(endpoint = "mandataire/mesure")]
pub async fn mesure_form_page(
    #[server(default)] id: Option<u64>,
    #[server(default)] acceptation: bool,
) -> Result<SpacePage<MesureFormData>, ServerFnError> {
    crate::server::mesures::form_page(id, acceptation)
}

#[server(endpoint = "mandataire/mesure/enregistrer")]
pub async fn save_mesure(#[server(flatten)] form: MesureForm) -> Result<FormReply, ServerFnError> {
    crate::server::mesures::save(form)
}

#[server(endpoint = "mandataire/mesure/accepter")]
pub async fn accept_mesure(
    #[server(flatten)] form: MesureForm,
) -> Result<FormReply, ServerFnError> {
    crate::server::mesures::accept(form)
}

#[server(endpoint = "mandataire/mesure/fin")]
pub async fn end_page(id: u64) -> Result<SpacePage<MesureSummary>, ServerFnError> {
    crate::server::mesures::end_page(id)
}

#[server(endpoint = "mandataire/mesure/eteindre")]
pub async fn end_mesure(#[server(flatten)] form: EndForm) -> Result<FormReply, ServerFnError> {
    crate::server::mesures::end(form)
}

#[server(endpoint = "mandataire/mesure/reactiver")]
pub async fn reactivate_mesure(id: u64) -> Result<FormReply, ServerFnError> {
    crate::server::mesures::reactivate(id)
}

/// The tab row of the space with its badges: numbers always shown, colour never alone (SPEC §5.1).
#[component]
pub fn MandataireTabs(current: &'static str, header: MandataireHeader) -> impl IntoView {
    let tab = |key: &'static str, href: &'static str, label: &'static str, badge: AnyView| {
        // The map page loads its script with a full page load (see `carte`).
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
        <nav class="tabs" aria-label="Espace mandataire">
            <ul>
                {tab("en_cours", "/mandataire/mesures", "Mesures en cours", view! {
                    <span class=format!("badge {}", header.niveau)>
                        {format!("{} / {}", header.en_cours, header.souhaitees)}
                        <span class="visually-hidden">" (en cours / souhaitées)"</span>
                    </span>
                }.into_any())}
                {tab("en_attente", "/mandataire/mesures/en-attente", "Mesures en attente", view! {
                    <span class=waiting_class>{header.en_attente}</span>
                }.into_any())}
                {tab("eteintes", "/mandataire/mesures/eteintes", "Mesures éteintes", view! {
                    <span class="badge">{header.eteintes}</span>
                }.into_any())}
                {tab("carte", "/mandataire/carte", "Vue carte", ().into_any())}
                {tab("informations", "/mandataire/informations", "Mes informations", ().into_any())}
            </ul>
        </nav>
    }
}

/// The header of every page of the space (SPEC §5.1): tabs, name, capacity sentence, last update, the
/// "Première connexion" notice and the one-time status message.
#[component]
pub fn SpaceHeader(
    current: &'static str,
    header: MandataireHeader,
    notice: Option<String>,
) -> impl IntoView {
    let first = header.premiere_connexion;
    view! {
        <MandataireTabs current header=header.clone()/>
        <div class="space-summary">
            <p class="space-name">{header.nom.clone()}</p>
            <p>{header.phrase.clone()}</p>
            <p>"Dernière mise à jour : "{header.mise_a_jour.clone()}</p>
        </div>
        {first.then(|| view! {
            <div class="notice notice-info">
                <h2>"Première connexion"</h2>
                <p>"Pour simplifier vos échanges avec les juges, complétez la section « Mes informations », puis saisissez toutes vos mesures en cours."</p>
            </div>
        })}
        {notice.map(|message| view! { <Notice message/> })}
    }
}

/// "Une erreur est survenue…" or "Page introuvable" for a page whose data could not be read.
#[component]
pub fn LoadError(error: ServerFnError) -> impl IntoView {
    let text = match error {
        ServerFnError::ServerError(message) if message == "Page introuvable" => message,
        _ => "Une erreur est survenue. Veuillez réessayer plus tard.".to_owned(),
    };
    if text == "Page introuvable" {
        view! { <crate::app::pages::errors::NotFound/> }.into_any()
    } else {
        view! { <p role="alert">{text}</p> }.into_any()
    }
}
