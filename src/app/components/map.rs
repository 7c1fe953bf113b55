//! The frame of a "Vue carte" (SPEC §11): the embedded Leaflet, the map element, its layers as a JSON data
//! block or the address of their JSON, and the notices. `/carte.js` draws the map; the page's tables below hold the same facts.

use leptos::prelude::*;

use super::html::json_in_script;

#[component]
pub fn MapFrame(
    /// The map region's accessible name.
    label: &'static str,
    /// The layers as `/carte.js` reads them (JSON), written in the page.
    #[prop(optional)]
    layers: Option<String>,
    /// Or where the script reads them (the magistrat's map: hundreds of markers, issue 20).
    #[prop(optional)]
    source: Option<String>,
    /// The tile URL template; `None` when the background map is disabled.
    tuiles: Option<String>,
    attribution: String,
    /// What a browser without JavaScript reads instead of the map.
    sans_js: &'static str,
) -> impl IntoView {
    view! {
        <link rel="stylesheet" href="/vendor/leaflet/leaflet.css"/>
        // Hidden by the map script when it runs (a `<noscript>` would not show in browsers that only stop
        // running scripts).
        <p id="carte-sans-js" class="notice notice-info">{sans_js}</p>
        <p id="carte-fond" class="notice notice-info" role="status" hidden=true>"Le fond de carte n'a pas pu être chargé."</p>
        <div
            id="carte"
            class="map"
            hidden=true
            role="region"
            aria-label=label
            data-tuiles=tuiles.unwrap_or_default()
            data-attribution=attribution
            data-couches=source
        ></div>
        <p id="carte-erreur" class="notice notice-error" role="status" hidden=true>"Les marqueurs de la carte n'ont pas pu être chargés. Les mêmes informations figurent dans les tableaux ci-dessous."</p>
        // The markers as data, not as an attribute: no escaping of every quote.
        {layers.map(|layers| view! {
            <script type="application/json" id="carte-couches" inner_html=json_in_script(&layers)></script>
        })}
        <script src="/vendor/leaflet/leaflet.js" defer=true></script>
        <script src="/carte.js" defer=true></script>
    }
}
