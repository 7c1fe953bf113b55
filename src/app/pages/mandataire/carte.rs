//! "Vue carte" (SPEC §5.6, §11): one marker per commune with its count of mesures en cours and a popup
//! listing "<type de mesure> – <année de naissance>"; the same facts in a table below, which is all a
//! browser without JavaScript gets. The map is drawn by the embedded Leaflet library and `/carte.js`, plain
//! scripts that run whether or not the wasm loads (the tab link loads this page fully for them).

use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;

use super::{SpaceHeader, SpacePage};
pub use crate::api::mandataire::{Carte, CarteCommune};
use crate::app::components::html::{put, Escaped};
use crate::app::components::load_error::LoadError;
use crate::app::components::map::MapFrame;

#[server(endpoint = "mandataire/carte")]
pub async fn mandataire_carte() -> Result<SpacePage<Carte>, AppError> {
    crate::server::mandataire::map_page()
}

/// The markers as the map script reads them: one unnamed layer of `{"nom", "lat", "lon", "lignes"}`.
fn markers_json(communes: &[CarteCommune]) -> String {
    let markers: Vec<serde_json::Value> = communes
        .iter()
        .filter_map(|c| {
            c.position.map(|(lat, lon)| {
                let titre = format!(
                    "{} : {}",
                    c.nom,
                    crate::rules::format::plural(c.nombre as usize, "mesure", "mesures")
                );
                serde_json::json!({ "nom": c.nom, "lat": lat, "lon": lon, "lignes": c.lignes, "texte": c.nombre, "titre": titre })
            })
        })
        .collect();
    serde_json::json!([{ "nom": "", "type": "lignes", "marqueurs": markers }]).to_string()
}

#[component]
pub fn CartePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| mandataire_carte());
    view! {
        <Title text="Vue carte"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>"Vue carte"</h1>
                        <SpaceHeader current="carte" header notice/>
                        <CarteView carte=data/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CarteView(carte: Carte) -> impl IntoView {
    let (located, unlocated): (Vec<_>, Vec<_>) = carte
        .communes
        .into_iter()
        .partition(|c| c.position.is_some());
    let markers = markers_json(&located);
    view! {
        <MapFrame
            label="Carte des mesures en cours"
            layers=markers
            tuiles=carte.tuiles
            attribution=carte.attribution
            sans_js="La carte nécessite JavaScript. Les mêmes informations figurent dans le tableau ci-dessous."
        />
        <CommuneTable caption="Mesures en cours par commune" communes=located/>
        {(!unlocated.is_empty()).then(|| view! {
            <h2>"Sans localisation"</h2>
            <CommuneTable caption="Mesures en cours dans des communes sans localisation" communes=unlocated/>
        })}
    }
}

/// The rows of the table, written as one string (see `components::html`): 1,000 mesures are 1,000 lines.
fn commune_rows(communes: &[CarteCommune]) -> String {
    let mut html = String::with_capacity(communes.iter().map(|c| 80 + c.lignes.len() * 60).sum());
    for c in communes {
        put(
            &mut html,
            format_args!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td><ul class=\"plain-list\">",
                Escaped(&c.nom),
                c.nombre
            ),
        );
        for line in &c.lignes {
            put(&mut html, format_args!("<li>{}</li>", Escaped(line)));
        }
        html.push_str("</ul></td></tr>");
    }
    html
}

#[component]
fn CommuneTable(caption: &'static str, communes: Vec<CarteCommune>) -> impl IntoView {
    if communes.is_empty() {
        return view! { <p>"Vous n'avez aucune mesure en cours."</p> }.into_any();
    }
    view! {
        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
            <table class="table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Commune"</th>
                        <th scope="col">"Nombre de mesures"</th>
                        <th scope="col">"Mesures"</th>
                    </tr>
                </thead>
                <tbody inner_html=commune_rows(&communes)></tbody>
            </table>
        </div>
    }
    .into_any()
}
