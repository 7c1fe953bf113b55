//! "Mesures en cours" (SPEC §5.2), "Mesures éteintes" (§5.4) and "Mesures en attente" (§5.5).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    mandataire_mesures, LoadError, MesureList, MesureRow, ReactivateMesure, SpaceHeader, SpacePage,
};
use crate::app::pages::admin::Pager;

/// Which list a page shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Etat {
    EnCours,
    Eteintes,
    EnAttente,
}

impl Etat {
    fn key(self) -> &'static str {
        match self {
            Etat::EnCours => "en_cours",
            Etat::Eteintes => "eteintes",
            Etat::EnAttente => "en_attente",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Etat::EnCours => "Mesures en cours",
            Etat::Eteintes => "Mesures éteintes",
            Etat::EnAttente => "Mesures en attente",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Etat::EnCours => "/mandataire/mesures",
            Etat::Eteintes => "/mandataire/mesures/eteintes",
            Etat::EnAttente => "/mandataire/mesures/en-attente",
        }
    }

    fn empty(self) -> &'static str {
        match self {
            Etat::EnCours => "Vous n'avez aucune mesure en cours.",
            Etat::Eteintes => "Vous n'avez aucune mesure éteinte.",
            Etat::EnAttente => "Aucune mesure en attente.",
        }
    }
}

#[component]
pub fn MesuresEnCoursPage() -> impl IntoView {
    view! { <MesuresPage etat=Etat::EnCours/> }
}

#[component]
pub fn MesuresEteintesPage() -> impl IntoView {
    view! { <MesuresPage etat=Etat::Eteintes/> }
}

#[component]
pub fn MesuresEnAttentePage() -> impl IntoView {
    view! { <MesuresPage etat=Etat::EnAttente/> }
}

#[component]
fn MesuresPage(etat: Etat) -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1_usize)
        })
    };
    let reactivate = ServerAction::<ReactivateMesure>::new();
    let data = Resource::new(
        move || (page(), reactivate.version().get()),
        move |(page, _)| mandataire_mesures(etat.key().to_owned(), page),
    );
    view! {
        <Title text=etat.title()/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.get().map(|result| match result {
                Ok(SpacePage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>{etat.title()}</h1>
                        <SpaceHeader current=etat.key() header notice/>
                        {(etat == Etat::EnCours).then(|| view! {
                            <p><a class="button" href="/mandataire/mesures/nouvelle">"Enregistrer une nouvelle mesure"</a></p>
                        })}
                        <MesureTable etat list=data reactivate/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn MesureTable(
    etat: Etat,
    list: MesureList,
    reactivate: ServerAction<ReactivateMesure>,
) -> impl IntoView {
    if list.rows.is_empty() && list.page <= 1 {
        return view! { <p>{etat.empty()}</p> }.into_any();
    }
    let headings: Vec<&str> = match etat {
        Etat::EnCours => vec![
            "Date de décision",
            "Type de mesure",
            "Commune",
            "Lieu de vie",
            "Genre",
            "Année de naissance",
            "Numéro de dossier",
            "Numéro RG",
            "Tribunal",
            "Actions",
        ],
        Etat::Eteintes => vec![
            "Date de décision",
            "Type de mesure",
            "Commune",
            "Lieu de vie",
            "Genre",
            "Année de naissance",
            "Numéro de dossier",
            "Numéro RG",
            "Tribunal",
            "Date de fin de mandat",
            "Cause de sortie",
            "Actions",
        ],
        Etat::EnAttente => vec![
            "Tribunal",
            "Cabinet",
            "Type de mesure",
            "Genre",
            "Année de naissance",
            "Numéro RG",
            "Réservée le",
            "Actions",
        ],
    };
    let rows = list.rows.clone();
    view! {
        <div class="table-wrapper">
            <table class="table">
                <caption>{etat.title()}</caption>
                <thead>
                    <tr>{headings.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <MesureLine etat row reactivate/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager base=etat.path().to_owned() page=list.page has_next=list.has_next/>
    }
    .into_any()
}

#[component]
fn MesureLine(
    etat: Etat,
    row: MesureRow,
    reactivate: ServerAction<ReactivateMesure>,
) -> impl IntoView {
    let id = row.id;
    let described = format!("{} – {}", row.type_mesure, row.annee_naissance);
    // The §5.2 columns, shared by "Mesures en cours" and "Mesures éteintes".
    let common = view! {
        <td>{row.date_decision.clone()}</td>
        <th scope="row">{row.type_mesure.clone()}</th>
        <td>{row.commune.clone()}</td>
        <td>{row.lieu_de_vie.clone()}</td>
        <td>{row.genre.clone()}</td>
        <td>{row.annee_naissance.clone()}</td>
        <td>{row.numero_dossier.clone()}</td>
        <td>{row.numero_rg.clone()}</td>
        <td>{row.tribunal.clone()}</td>
    };
    match etat {
        Etat::EnCours => view! {
            <tr>
                {common}
                <td class="row-actions">
                    <a class="button button-small button-secondary" href=format!("/mandataire/mesures/{id}/modifier")
                        aria-label=format!("Modifier la mesure {described}")>"Modifier"</a>
                    <a class="button button-small button-secondary" href=format!("/mandataire/mesures/{id}/fin")
                        aria-label=format!("Mettre fin au mandat : {described}")>"Mettre fin au mandat"</a>
                </td>
            </tr>
        }.into_any(),
        Etat::Eteintes => view! {
            <tr>
                {common}
                <td>{row.date_fin}</td>
                <td>{row.cause_sortie}</td>
                <td class="row-actions">
                    <ActionForm action=reactivate attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="button button-small button-secondary"
                            aria-label=format!("Réactiver la mesure {described}")>"Réactiver la mesure"</button>
                    </ActionForm>
                </td>
            </tr>
        }.into_any(),
        Etat::EnAttente => view! {
            <tr>
                <td>{row.tribunal}</td>
                <td>{row.cabinet}</td>
                <th scope="row">{row.type_mesure.clone()}</th>
                <td>{row.genre}</td>
                <td>{row.annee_naissance}</td>
                <td>{row.numero_rg}</td>
                <td>{row.reservee_le}</td>
                <td class="row-actions">
                    <a class="button button-small" href=format!("/mandataire/mesures/{id}/accepter")
                        aria-label=format!("Accepter la mesure {described}")>"Accepter la mesure"</a>
                </td>
            </tr>
        }.into_any(),
    }
}
