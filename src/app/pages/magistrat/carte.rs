//! "Vue carte" of the magistrat (SPEC §6.5, §11): with the §6.2 controls, the layer "Mandataires" (one
//! marker per mandataire at its commune, numbered and coloured by disponibilité, popup with "Voir la
//! fiche") and the layer "Mesures en cours" (counts per commune for the listed mandataires, never a mesure's
//! attributes), each with its table, which is all a browser without JavaScript gets. A service with antennes
//! has a marker per antenne, with the antenne's figures, and its antennes have their own table (issue 16). Drawn by the embedded
//! Leaflet and `/carte.js`, like the mandataire's map.

use leptos::prelude::*;
use leptos_meta::Title;

use super::mandataires::{query_from_url, MandataireFilters};
use super::{magistrat_carte, MagistratPage, MagistratSpaceHeader};
pub use crate::api::magistrat::{CommuneCount, MagistratCarte};
use crate::app::components::html::{put, Escaped};
use crate::app::components::load_error::LoadError;
use crate::app::components::map::MapFrame;
use crate::app::components::pager::Pager;

/// The rows of the two tables, written as one string each (see `components::html`).
fn mandataire_rows(carte: &MagistratCarte) -> String {
    let mut html = String::with_capacity(carte.mandataires.rows.len() * 300);
    for m in &carte.mandataires.rows {
        put(
            &mut html,
            format_args!(
                "<tr><th scope=\"row\"><a href=\"/magistrat/mandataires/{}\">{}</a></th><td>{}</td><td>{}</td>\
                 <td><span class=\"badge {}\">{}</span></td></tr>",
                m.id,
                Escaped(&m.nom),
                Escaped(&m.type_label),
                Escaped(&m.commune),
                Escaped(&m.niveau),
                m.disponibilite
            ),
        );
    }
    html
}

fn antenne_rows(carte: &MagistratCarte) -> String {
    let mut html = String::with_capacity(carte.antennes.len() * 300);
    for a in &carte.antennes {
        let row = &a.antenne;
        put(
            &mut html,
            format_args!(
                "<tr><th scope=\"row\">{}</th><td><a href=\"/magistrat/mandataires/{}\">{}</a></td><td>{}</td>\
                 <td>{} / {}</td><td><span class=\"badge {}\">{}</span></td></tr>",
                Escaped(&row.nom),
                a.service_id,
                Escaped(&a.service),
                Escaped(&row.commune),
                row.en_cours,
                row.souhaitees,
                Escaped(&row.niveau),
                row.disponibilite
            ),
        );
    }
    html
}

/// `/magistrat/carte?<the list's controls>&commune=<INSEE>#mandataires-commune`: who holds mesures en cours
/// in that commune (issue 18); the map script builds the same address for a commune's marker.
fn holders_href(carte: &MagistratCarte, commune: &CommuneCount) -> String {
    format!(
        "/magistrat/carte?{}&commune={}#mandataires-commune",
        carte.mandataires.base, commune.insee
    )
}

fn commune_rows(carte: &MagistratCarte) -> String {
    let mut html = String::with_capacity(carte.communes.len() * 100);
    for c in &carte.communes {
        let unlocated = if c.position.is_none() {
            " (sans localisation)"
        } else {
            ""
        };
        // "Who already works there" (issue 18): a plain link, the same with and without JavaScript.
        put(
            &mut html,
            format_args!(
                "<tr><th scope=\"row\">{}{unlocated}</th><td>{}</td><td><a href=\"{}\">\
                 Voir les mandataires<span class=\"visually-hidden\"> ayant des mesures en cours à {}</span></a></td></tr>",
                Escaped(&c.commune),
                c.mesures,
                Escaped(&holders_href(carte, c)),
                Escaped(&c.commune),
            ),
        );
    }
    html
}

#[component]
pub fn MagistratCartePage() -> impl IntoView {
    let query = query_from_url();
    let params = leptos_router::hooks::use_query_map();
    let commune = move || params.with(|q| q.get("commune").unwrap_or_default());
    let page_communes = move || {
        params.with(|q| {
            q.get("page_communes")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1_usize)
        })
    };
    let data = Resource::new(
        move || (query(), commune(), page_communes()),
        |(q, commune, page_communes)| {
            magistrat_carte(
                q.type_mandataire,
                q.lieu,
                q.lieu_id,
                q.nom,
                q.disponibles,
                commune,
                q.page,
                page_communes,
            )
        },
    );
    view! {
        <Title text="Vue carte"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            // Read in place: the page's data (hundreds of rows) is written out, never cloned.
            {move || data.with(|result| result.as_ref().map(|result| match result {
                Ok(MagistratPage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>"Vue carte"</h1>
                        <MagistratSpaceHeader current="carte" header=header.clone() notice=notice.clone()/>
                        <MandataireFilters action="/magistrat/carte" query=data.mandataires.query.clone() erreur_lieu=data.mandataires.erreur_lieu.clone()/>
                        {carte_view(data)}
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error=error.clone()/> }.into_any(),
            }))}
        </Suspense>
    }
}

fn carte_view(carte: &MagistratCarte) -> impl IntoView {
    let base = format!("/magistrat/carte?{}", carte.mandataires.base);
    view! {
        <MapFrame
            label="Carte des mandataires et des mesures en cours"
            source=carte.couches.clone()
            tuiles=carte.tuiles.clone()
            attribution=carte.attribution.clone()
            sans_js="La carte nécessite JavaScript. Les mêmes informations figurent dans les tableaux ci-dessous."
        />
        {carte.commune_choisie.clone().map(|chosen| view! {
            <h2 id="mandataires-commune" tabindex="-1">{format!("Mandataires ayant des mesures en cours à {}", chosen.commune)}</h2>
            {if chosen.mandataires.is_empty() {
                view! { <p>{format!("Aucun mandataire de la liste n'a de mesure en cours à {}.", chosen.commune)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                        <table class="table">
                            <caption>{format!("Mandataires de votre tribunal ayant des mesures en cours à {}, les plus nombreuses d'abord", chosen.commune)}</caption>
                            <thead><tr><th scope="col">"Mandataire"</th><th scope="col">"Mesures en cours dans la commune"</th></tr></thead>
                            <tbody>
                                {chosen.mandataires.into_iter().map(|(id, nom, count)| view! {
                                    <tr><th scope="row"><a href=format!("/magistrat/mandataires/{id}")>{nom}</a></th><td>{count}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        })}
        <h2>"Mandataires"</h2>
        {if carte.mandataires.rows.is_empty() {
            view! { <p>"Aucun mandataire dans cette zone"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                    <table class="table">
                        <caption>{format!(
                            "Mandataires de la carte, les plus disponibles d'abord ({}, page {})",
                            crate::rules::format::plural(carte.mandataires.total, "mandataire", "mandataires"),
                            carte.mandataires.query.page.max(1),
                        )}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Nom"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"Commune"</th>
                                <th scope="col">"Disponibilité"</th>
                            </tr>
                        </thead>
                        <tbody inner_html=mandataire_rows(carte)></tbody>
                    </table>
                </div>
                <Pager base=base.clone() page=carte.mandataires.query.page.max(1) has_next=carte.mandataires.has_next label="Pagination des mandataires"/>
            }.into_any()
        }}
        {(!carte.antennes.is_empty()).then(|| view! {
            <h2>"Antennes des services"</h2>
            <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                <table class="table">
                    <caption>"Antennes des services de la carte : chacune a son marqueur"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Antenne"</th>
                            <th scope="col">"Service"</th>
                            <th scope="col">"Commune"</th>
                            <th scope="col">"En cours / souhaitées"</th>
                            <th scope="col">"Disponibilité"</th>
                        </tr>
                    </thead>
                    <tbody inner_html=antenne_rows(carte)></tbody>
                </table>
            </div>
        })}
        <h2>"Mesures en cours"</h2>
        {if carte.communes.is_empty() {
            view! { <p>"Aucune mesure en cours pour ces mandataires."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                    <table class="table">
                        <caption>{format!(
                            "Mesures en cours des mandataires de la carte, par commune ({}, page {})",
                            crate::rules::format::plural(carte.communes_total, "commune", "communes"),
                            carte.page_communes,
                        )}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Commune"</th>
                                <th scope="col">"Nombre de mesures en cours"</th>
                                <th scope="col">"Mandataires"</th>
                            </tr>
                        </thead>
                        <tbody inner_html=commune_rows(carte)></tbody>
                    </table>
                </div>
                <Pager base=base page=carte.page_communes has_next=carte.communes_has_next param="page_communes" label="Pagination des communes"/>
            }.into_any()
        }}
    }
}
