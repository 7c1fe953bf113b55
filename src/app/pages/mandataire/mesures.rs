//! "Mesures en cours" (SPEC §5.2), "Mesures éteintes" (§5.4) and "Mesures en attente" (§5.5).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{mandataire_mesures, MesureList, MesureRow, ReactivateMesure, SpaceHeader, SpacePage};
use crate::app::components::html::{put, Escaped};
use crate::app::components::load_error::LoadError;
use crate::app::components::pager::Pager;

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

    /// The export's file stem (issue 17); none for "Mesures en attente".
    fn export(self) -> Option<&'static str> {
        match self {
            Etat::EnCours => Some("en-cours"),
            Etat::Eteintes => Some("eteintes"),
            Etat::EnAttente => None,
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
    let antenne = move || query.with(|q| q.get("antenne").unwrap_or_default());
    let recherche = move || query.with(|q| q.get("recherche").unwrap_or_default());
    let data = Resource::new(
        move || (page(), antenne(), recherche()),
        move |(page, antenne, recherche)| {
            mandataire_mesures(etat.key().to_owned(), page, antenne, recherche)
        },
    );
    view! {
        <Title text=etat.title()/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>{etat.title()}</h1>
                        <SpaceHeader current=etat.key() header notice/>
                        {(etat == Etat::EnCours).then(|| view! {
                            <p><a class="button" href="/mandataire/mesures/nouvelle">"Enregistrer une nouvelle mesure"</a></p>
                        })}
                        {etat.export().map(|stem| view! {
                            // Plain links: the browser downloads the file, with or without JavaScript.
                            <p class="actions-inline">
                                <a class="button button-secondary" href=format!("/mandataire/export/{stem}.csv") rel="external" download="">
                                    "Exporter (CSV)"<span class="visually-hidden">{format!(" : {}", etat.title())}</span></a>
                                " "
                                <a class="button button-secondary" href=format!("/mandataire/export/{stem}.xlsx") rel="external" download="">
                                    "Exporter (Excel)"<span class="visually-hidden">{format!(" : {}", etat.title())}</span></a>
                            </p>
                        })}
                        <MesureTable etat list=data/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn MesureTable(etat: Etat, list: MesureList) -> impl IntoView {
    if list.rows.is_empty() && list.page <= 1 {
        let empty = if list.recherche.is_empty() {
            etat.empty()
        } else {
            crate::rules::search::NO_MATCH
        };
        return view! { <ListFilters etat list=list.clone()/> <p>{empty}</p> }.into_any();
    }
    let mut headings: Vec<&str> = match etat {
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
            "Urgente",
            "Actions",
        ],
    };
    let service = list.antennes.is_some();
    if service {
        // "Antenne" before "Actions".
        let at = headings.len() - 1;
        headings.insert(at, "Antenne");
    }
    let rows = list.rows.clone();
    let base = if list.filtres.is_empty() {
        etat.path().to_owned()
    } else {
        format!("{}?{}", etat.path(), list.filtres)
    };
    view! {
        <ListFilters etat list=list.clone()/>
        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
            <table class="table">
                <caption>{etat.title()}</caption>
                <thead>
                    <tr>{headings.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody inner_html=mesure_rows(etat, &rows, service)></tbody>
            </table>
        </div>
        <Pager base page=list.page has_next=list.has_next/>
    }
    .into_any()
}

/// The list's GET form (so it works the same without JavaScript): "Rechercher une mesure" on "Mesures en
/// cours" and "Mesures éteintes" (issue 17), and a service's "Antenne" filter (issue 16). Nothing on an
/// individuel's or préposé's "Mesures en attente".
#[component]
fn ListFilters(etat: Etat, list: MesureList) -> impl IntoView {
    let search = etat != Etat::EnAttente;
    if !search && list.antennes.is_none() {
        return ().into_any();
    }
    let selected = list.antenne.clone();
    view! {
        <form method="get" action=etat.path() class="filters" role="search" aria-label="Rechercher dans la liste">
            {list.antennes.map(|antennes| view! {
                <div class="field">
                    <label for="antenne">"Antenne"</label>
                    <select id="antenne" name="antenne">
                        <option value="" selected=selected.is_empty()>"Toutes les antennes"</option>
                        {antennes.into_iter().map(|a| {
                            let chosen = a.id == selected;
                            view! { <option value=a.id selected=chosen>{a.label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            {search.then(|| view! {
                <div class="field">
                    <label for="recherche">{crate::rules::search::LABEL}</label>
                    <p class="hint" id="recherche-aide">{crate::rules::search::HINT}</p>
                    <input type="search" id="recherche" name="recherche" value=list.recherche.clone()
                        maxlength=crate::rules::text::MAX_SEARCH_CHARS aria-describedby="recherche-aide"/>
                </div>
            })}
            <button type="submit" class="button button-secondary">{if search { "Rechercher" } else { "Filtrer" }}</button>
        </form>
    }
    .into_any()
}

/// The rows of a list, written as one string (see `components::html`). "Réactiver la mesure" is a plain form
/// posting to its server function, as a `PostForm` outside an island is.
fn mesure_rows(etat: Etat, rows: &[MesureRow], service: bool) -> String {
    let mut html = String::with_capacity(rows.len() * 900);
    for row in rows {
        let id = row.id;
        let described = format!("{} – {}", row.type_mesure, row.annee_naissance);
        let described = Escaped(&described);
        let antenne_cell = if service {
            format!("<td>{}</td>", Escaped(&row.antenne))
        } else {
            String::new()
        };
        html.push_str("<tr>");
        if etat == Etat::EnAttente {
            put(
                &mut html,
                format_args!(
                    "<td>{}</td><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}{ancienne}</td><td>{urgente}</td>{antenne}\
                     <td class=\"row-actions\"><a class=\"button button-small\" href=\"/mandataire/mesures/{id}/accepter\" \
                     aria-label=\"Accepter la mesure {described}\">Accepter la mesure</a>\
                     <a class=\"button button-small button-secondary\" href=\"/mandataire/mesures/{id}/refuser\" \
                     aria-label=\"Refuser la mesure {described}\">Refuser la mesure</a></td>",
                    Escaped(&row.tribunal),
                    Escaped(&row.cabinet),
                    Escaped(&row.type_mesure),
                    Escaped(&row.genre),
                    Escaped(&row.annee_naissance),
                    Escaped(&row.numero_rg),
                    Escaped(&row.reservee_le),
                    antenne = antenne_cell,
                    ancienne = if row.ancienne { "<br/><span class=\"badge level-full\">Ancienne</span>" } else { "" },
                    urgente = urgent_cell(&row.date_jugement, row.urgente),
                ),
            );
        } else {
            // The §5.2 columns, shared by "Mesures en cours" and "Mesures éteintes".
            put(
                &mut html,
                format_args!(
                    "<td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                     <td>{}</td><td>{}</td>",
                    Escaped(&row.date_decision),
                    Escaped(&row.type_mesure),
                    Escaped(&row.commune),
                    Escaped(&row.lieu_de_vie),
                    Escaped(&row.genre),
                    Escaped(&row.annee_naissance),
                    Escaped(&row.numero_dossier),
                    Escaped(&row.numero_rg),
                    Escaped(&row.tribunal),
                ),
            );
            if etat == Etat::EnCours {
                html.push_str(&antenne_cell);
                put(
                    &mut html,
                    format_args!(
                        "<td class=\"row-actions\"><a class=\"button button-small button-secondary\" \
                         href=\"/mandataire/mesures/{id}/modifier\" aria-label=\"Modifier la mesure {described}\">Modifier</a>\
                         <a class=\"button button-small button-secondary\" href=\"/mandataire/mesures/{id}/fin\" \
                         aria-label=\"Mettre fin au mandat : {described}\">Mettre fin au mandat</a>\
                         <a class=\"button button-small button-secondary\" href=\"/mandataire/mesures/{id}/supprimer\" \
                         aria-label=\"Supprimer la mesure {described}\">Supprimer</a></td>"
                    ),
                );
            } else {
                put(
                    &mut html,
                    format_args!(
                        "<td>{}</td><td>{}</td>{}<td class=\"row-actions\">\
                         <form method=\"post\" action=\"{action}\" class=\"inline-form\">\
                         <input type=\"hidden\" name=\"id\" value=\"{id}\"/>\
                         <button type=\"submit\" class=\"button button-small button-secondary\" \
                         aria-label=\"Réactiver la mesure {described}\">Réactiver la mesure</button></form>\
                         <a class=\"button button-small button-secondary\" href=\"/mandataire/mesures/{id}/supprimer\" \
                         aria-label=\"Supprimer la mesure {described}\">Supprimer</a></td>",
                        Escaped(&row.date_fin),
                        Escaped(&row.cause_sortie),
                        antenne_cell,
                        action = <ReactivateMesure as leptos::server_fn::ServerFn>::PATH,
                    ),
                );
            }
        }
        html.push_str("</tr>");
    }
    html
}

/// "Urgente" (issue 18): the badge, and the judgment's planned date when given.
fn urgent_cell(date_jugement: &str, urgente: bool) -> String {
    let mut cell = String::from(if urgente {
        "<span class=\"badge level-full\">Urgente</span>"
    } else {
        "Non"
    });
    if !date_jugement.is_empty() {
        put(
            &mut cell,
            format_args!("<br/>Jugement prévu le {}", Escaped(date_jugement)),
        );
    }
    cell
}
