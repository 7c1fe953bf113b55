//! The mandataire space (SPEC §5): the header with the capacity sentence and the tabs, the records the
//! pages show, and the server functions (bodies in `server::mesures` and `server::mandataire_profile`, each
//! requiring a mandataire role and reading the owner from the session).

pub mod activite;
pub mod carte;
pub mod decline;
pub mod delete;
pub mod end;
pub mod import;
pub mod informations;
pub mod mesure_form;
pub mod mesures;
pub mod service;

use leptos::prelude::*;

use crate::api::AppError;

pub use crate::api::mandataire::{
    EndForm, MandataireHeader, MesureForm, MesureFormData, MesureList, MesureRow, MesureSummary,
    SpacePage,
};
use crate::app::components::form::{FormReply, Notice};
use crate::app::components::tabs::{waiting_class, SpaceTabs, Tab};

#[server(endpoint = "mandataire/mesures")]
pub async fn mandataire_mesures(
    etat: String,
    #[server(default)] page: usize,
    #[server(default)] antenne: String,
    #[server(default)] recherche: String,
) -> Result<SpacePage<MesureList>, AppError> {
    crate::server::mandataire::list_page(&etat, page, &antenne, &recherche)
}

#[server(endpoint = "mandataire/mesure")]
pub async fn mesure_form_page(
    #[server(default)] id: Option<u64>,
    #[server(default)] acceptation: bool,
) -> Result<SpacePage<MesureFormData>, AppError> {
    crate::server::mandataire::form_page(id, acceptation)
}

#[server(endpoint = "mandataire/mesure/enregistrer")]
pub async fn save_mesure(#[server(flatten)] form: MesureForm) -> Result<FormReply, AppError> {
    crate::server::mandataire::save(form).await
}

#[server(endpoint = "mandataire/mesure/accepter")]
pub async fn accept_mesure(#[server(flatten)] form: MesureForm) -> Result<FormReply, AppError> {
    crate::server::mandataire::accept(form)
}

#[server(endpoint = "mandataire/mesure/fin")]
pub async fn end_page(id: u64) -> Result<SpacePage<MesureSummary>, AppError> {
    crate::server::mandataire::end_page(id)
}

#[server(endpoint = "mandataire/mesure/eteindre")]
pub async fn end_mesure(#[server(flatten)] form: EndForm) -> Result<FormReply, AppError> {
    crate::server::mandataire::end(form)
}

#[server(endpoint = "mandataire/donnees-a-jour")]
pub async fn confirm_up_to_date(#[server(default)] retour: String) -> Result<FormReply, AppError> {
    crate::server::mandataire::activity::up_to_date(&retour)
}

#[server(endpoint = "mandataire/mesure/reactiver")]
pub async fn reactivate_mesure(id: u64) -> Result<FormReply, AppError> {
    crate::server::mandataire::reactivate(id)
}

/// The tab row of the space with its badges: numbers always shown, colour never alone (SPEC §5.1).
#[component]
pub fn MandataireTabs(current: &'static str, header: MandataireHeader) -> impl IntoView {
    let tabs = vec![
        Tab::new("en_cours", "/mandataire/mesures", "Mesures en cours").badge(view! {
            <span class=format!("badge {}", header.niveau)>
                {format!("{} / {}", header.en_cours, header.souhaitees)}
                <span class="visually-hidden">" (en cours / souhaitées)"</span>
            </span>
        }),
        Tab::new(
            "en_attente",
            "/mandataire/mesures/en-attente",
            "Mesures en attente",
        )
        .badge(view! { <span class=waiting_class(header.en_attente)>{header.en_attente}</span> }),
        Tab::new(
            "eteintes",
            "/mandataire/mesures/eteintes",
            "Mesures éteintes",
        )
        .badge(view! { <span class="badge">{header.eteintes}</span> }),
        Tab::new("carte", "/mandataire/carte", "Vue carte"),
        Tab::new(
            "informations",
            "/mandataire/informations",
            "Mes informations",
        ),
        Tab::new("importer", "/mandataire/import", "Importer"),
    ];
    let mut tabs = tabs;
    if header.service {
        tabs.push(Tab::new("antennes", "/mandataire/antennes", "Antennes"));
        tabs.push(Tab::new("membres", "/mandataire/membres", "Membres"));
    }
    view! { <SpaceTabs label="Espace mandataire" current tabs/> }
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
    // "Mes données sont à jour" (issue 17) is a plain form: it posts and comes back to this tab, with or
    // without JavaScript.
    let retour = match current {
        "en_attente" => "/mandataire/mesures/en-attente",
        "eteintes" => "/mandataire/mesures/eteintes",
        "carte" => "/mandataire/carte",
        "informations" => "/mandataire/informations",
        "antennes" => "/mandataire/antennes",
        "membres" => "/mandataire/membres",
        "importer" => "/mandataire/import",
        _ => "/mandataire/mesures",
    };
    let up_to_date_path = <ConfirmUpToDate as leptos::server_fn::ServerFn>::PATH;
    view! {
        <MandataireTabs current header=header.clone()/>
        <div class="space-summary">
            <p class="space-name">{header.nom.clone()}</p>
            {header.suspendu.then(|| view! { <p><span class="badge level-full">"Activité suspendue"</span></p> })}
            <p>{header.phrase.clone()}</p>
            <form method="post" action=up_to_date_path class="inline-form">
                <input type="hidden" name="retour" value=retour/>
                "Dernière mise à jour : "{header.mise_a_jour.clone()}" "
                <button type="submit" class="button button-small button-secondary">"Mes données sont à jour"</button>
            </form>
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
