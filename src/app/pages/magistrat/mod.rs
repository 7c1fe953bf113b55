//! The magistrat space (SPEC §6): "Mandataires" (list and fiche), "Vue carte", "Mesures réservées" (reserve,
//! edit, cancel) and "Mes informations". Bodies in `server::magistrat_space`, `server::reservations` and
//! `server::magistrat_profile`, each requiring the magistrat role and reaching only the active mandataires
//! who declared the magistrat's tribunal, and only that tribunal's reservations.

pub mod cancel;
pub mod carte;
pub mod fiche;
pub mod informations;
pub mod mandataires;
pub mod mesures;
pub mod reserve;

use leptos::prelude::*;

use crate::api::AppError;

pub use crate::api::magistrat::{
    CancelTarget, Fiche, MagistratHeader, MagistratPage, MandataireList, MandataireQuery,
    MandataireRow, ReservationForm, ReservationTarget, ReservedList, ReservedRow,
};
use crate::app::components::form::{FormReply, Notice};
use crate::app::components::tabs::{waiting_class, SpaceTabs, Tab};

// The controls travel as separate arguments: numbers do not survive serde's `flatten` of form fields.
#[server(endpoint = "magistrat/mandataires")]
pub async fn magistrat_mandataires(
    #[server(default)] type_mandataire: String,
    #[server(default)] lieu: String,
    #[server(default)] lieu_id: String,
    #[server(default)] page: usize,
    #[server(default)] nom: String,
    #[server(default)] tri: String,
    #[server(default)] disponibles: String,
) -> Result<MagistratPage<MandataireList>, AppError> {
    let query = MandataireQuery {
        type_mandataire,
        lieu,
        lieu_id,
        page,
        nom,
        tri,
        disponibles,
    };
    crate::server::magistrat::list_page(query, true)
}

// The list's controls, the chosen commune and the two tables' pages: plain query fields (numbers do not
// survive serde's `flatten` of form fields). Eight arguments: the allow is on a module because the server
// macro's client function does not carry an attribute of the function.
#[allow(clippy::too_many_arguments)]
mod carte_endpoint {
    use super::*;

    #[server(endpoint = "magistrat/carte")]
    pub async fn magistrat_carte(
        #[server(default)] type_mandataire: String,
        #[server(default)] lieu: String,
        #[server(default)] lieu_id: String,
        #[server(default)] nom: String,
        #[server(default)] disponibles: String,
        #[server(default)] commune: String,
        #[server(default)] page: usize,
        #[server(default)] page_communes: usize,
    ) -> Result<MagistratPage<carte::MagistratCarte>, AppError> {
        let query = MandataireQuery {
            type_mandataire,
            lieu,
            lieu_id,
            page,
            nom,
            tri: String::new(),
            disponibles,
        };
        crate::server::magistrat::map_page(query, page_communes, &commune)
    }
}
pub use carte_endpoint::magistrat_carte;

#[server(endpoint = "magistrat/fiche")]
pub async fn fiche_mandataire(id: u64) -> Result<MagistratPage<Fiche>, AppError> {
    crate::server::magistrat::fiche::fiche_page(id)
}

#[server(endpoint = "magistrat/note/ajouter")]
pub async fn add_note(
    mandataire: u64,
    #[server(default)] texte: String,
) -> Result<FormReply, AppError> {
    crate::server::magistrat::notes::add(mandataire, &texte)
}

#[server(endpoint = "magistrat/note/supprimer")]
pub async fn delete_note(mandataire: u64, id: u64) -> Result<FormReply, AppError> {
    crate::server::magistrat::notes::delete(mandataire, id)
}

#[server(endpoint = "magistrat/reservation")]
pub async fn reservation_page(
    #[server(default)] mandataire: Option<u64>,
    #[server(default)] reservation: Option<u64>,
) -> Result<MagistratPage<ReservationTarget>, AppError> {
    crate::server::magistrat::reservations::reservation_page(mandataire, reservation)
}

#[server(endpoint = "magistrat/reserver")]
pub async fn reserve_mesure(
    #[server(flatten)] form: ReservationForm,
) -> Result<FormReply, AppError> {
    crate::server::magistrat::reservations::reserve(form)
}

#[server(endpoint = "magistrat/mesures")]
pub async fn reserved_mesures(
    #[server(default)] etat: String,
    #[server(default)] page: usize,
) -> Result<MagistratPage<ReservedList>, AppError> {
    crate::server::magistrat::reservations::reserved_page(&etat, page)
}

#[server(endpoint = "magistrat/annulation")]
pub async fn cancel_page(id: u64) -> Result<MagistratPage<CancelTarget>, AppError> {
    crate::server::magistrat::reservations::cancel_page(id)
}

#[server(endpoint = "magistrat/annuler")]
pub async fn cancel_reservation(id: u64) -> Result<FormReply, AppError> {
    crate::server::magistrat::reservations::cancel(id)
}

/// The tab row of the space with its badges (SPEC §6.1); numbers always shown.
#[component]
pub fn MagistratTabs(current: &'static str, header: MagistratHeader) -> impl IntoView {
    let tabs = vec![
        Tab::new("mandataires", "/magistrat/mandataires", "Mandataires")
            .badge(view! { <span class="badge">{header.mandataires}</span> }),
        Tab::new("carte", "/magistrat/carte", "Vue carte"),
        Tab::new("mesures", "/magistrat/mesures", "Mesures réservées").badge(view! {
            <span class=waiting_class(header.en_attente)>
                {header.en_attente}
                <span class="visually-hidden">" en attente"</span>
            </span>
        }),
        Tab::new(
            "informations",
            "/magistrat/informations",
            "Mes informations",
        ),
    ];
    view! { <SpaceTabs label="Espace magistrat" current tabs/> }
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
