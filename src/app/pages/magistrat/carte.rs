//! "Vue carte" of the magistrat (SPEC §6.5, §11): with the §6.2 controls, the layer "Mandataires" (one
//! marker per mandataire at its commune, numbered and coloured by disponibilité, popup with "Voir la
//! fiche") and the layer "Mesures en cours" (counts per commune for the listed mandataires, never a mesure's
//! attributes), each with its table, which is all a browser without JavaScript gets. Drawn by the embedded
//! Leaflet and `/carte.js`, like the mandataire's map.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::mandataires::{query_from_url, MandataireFilters};
use super::{magistrat_carte, MagistratPage, MagistratSpaceHeader, MandataireList};
use crate::app::pages::mandataire::LoadError;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommuneCount {
    pub commune: String,
    pub position: Option<(f64, f64)>,
    pub mesures: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MagistratCarte {
    /// Every filtered mandataire (not paged).
    pub mandataires: MandataireList,
    pub communes: Vec<CommuneCount>,
    /// `None` when the background map is disabled.
    pub tuiles: Option<String>,
    pub attribution: String,
}

fn mesures(count: u32) -> String {
    if count > 1 {
        format!("{count} mesures en cours")
    } else {
        format!("{count} mesure en cours")
    }
}

/// The two layers as `/carte.js` reads them.
fn layers_json(carte: &MagistratCarte) -> String {
    let mandataires: Vec<serde_json::Value> = carte
        .mandataires
        .rows
        .iter()
        .filter_map(|m| {
            m.position.map(|(lat, lon)| {
                serde_json::json!({
                    "lat": lat,
                    "lon": lon,
                    "texte": m.disponibilite.to_string(),
                    "titre": m.nom,
                    "label": format!("{} : disponibilité {}", m.nom, m.disponibilite),
                    "niveau": m.niveau,
                    "lignes": [
                        m.type_label.clone(),
                        format!("Disponibilité : {}", m.disponibilite),
                        format!("En cours / souhaitées : {} / {}", m.en_cours, m.souhaitees),
                    ],
                    "lien": { "href": format!("/magistrat/mandataires/{}", m.id), "texte": "Voir la fiche" },
                })
            })
        })
        .collect();
    let communes: Vec<serde_json::Value> = carte
        .communes
        .iter()
        .filter_map(|c| {
            c.position.map(|(lat, lon)| {
                let label = format!("{} : {}", c.commune, mesures(c.mesures));
                serde_json::json!({
                    "lat": lat,
                    "lon": lon,
                    "texte": c.mesures.to_string(),
                    "titre": label,
                    "label": label,
                    "niveau": "level-neutral",
                    "lignes": [],
                })
            })
        })
        .collect();
    serde_json::json!([
        { "nom": "Mandataires", "marqueurs": mandataires },
        { "nom": "Mesures en cours", "marqueurs": communes },
    ])
    .to_string()
}

#[component]
pub fn MagistratCartePage() -> impl IntoView {
    let query = query_from_url();
    let data = Resource::new(query, |q| {
        magistrat_carte(q.type_mandataire, q.lieu, q.lieu_id)
    });
    view! {
        <Title text="Vue carte"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.get().map(|result| match result {
                Ok(MagistratPage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>"Vue carte"</h1>
                        <MagistratSpaceHeader current="carte" header notice/>
                        <MandataireFilters action="/magistrat/carte" list=data.mandataires.clone()/>
                        <CarteView carte=data/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CarteView(carte: MagistratCarte) -> impl IntoView {
    let layers = layers_json(&carte);
    view! {
        <link rel="stylesheet" href="/vendor/leaflet/leaflet.css"/>
        <p id="carte-sans-js" class="notice notice-info">"La carte nécessite JavaScript. Les mêmes informations figurent dans les tableaux ci-dessous."</p>
        <p id="carte-fond" class="notice notice-info" role="status" hidden=true>"Le fond de carte n'a pas pu être chargé."</p>
        <div
            id="carte"
            class="map"
            hidden=true
            role="region"
            aria-label="Carte des mandataires et des mesures en cours"
            data-couches=layers
            data-tuiles=carte.tuiles.clone().unwrap_or_default()
            data-attribution=carte.attribution.clone()
        ></div>
        <script src="/vendor/leaflet/leaflet.js" defer=true></script>
        <script src="/carte.js" defer=true></script>
        <h2>"Mandataires"</h2>
        {if carte.mandataires.rows.is_empty() {
            view! { <p>"Aucun mandataire dans cette zone"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrapper">
                    <table class="table">
                        <caption>"Mandataires de la carte, les plus disponibles d'abord"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Nom"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"Commune"</th>
                                <th scope="col">"Disponibilité"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {carte.mandataires.rows.into_iter().map(|m| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/magistrat/mandataires/{}", m.id)>{m.nom}</a></th>
                                    <td>{m.type_label}</td>
                                    <td>{m.commune}</td>
                                    <td><span class=format!("badge {}", m.niveau)>{m.disponibilite}</span></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2>"Mesures en cours"</h2>
        {if carte.communes.is_empty() {
            view! { <p>"Aucune mesure en cours pour ces mandataires."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrapper">
                    <table class="table">
                        <caption>"Mesures en cours des mandataires de la carte, par commune"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Commune"</th>
                                <th scope="col">"Nombre de mesures en cours"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {carte.communes.into_iter().map(|c| view! {
                                <tr>
                                    <th scope="row">{c.commune}{c.position.is_none().then_some(" (sans localisation)")}</th>
                                    <td>{c.mesures}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
