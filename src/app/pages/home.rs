//! "/": the landing page, with a "Code postal ou commune" search any visitor can use. It shows where a
//! commune is (département, région, coordinates) from the embedded reference data, and works the same with
//! and without JavaScript: the field is an autocomplete when the page is interactive, a plain text field
//! resolved by the server otherwise.

use leptos::prelude::*;

use crate::api::AppError;
use leptos::server_fn::codec::GetUrl;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub use crate::api::public::{CommuneLookup, PlaceInfo};
use crate::app::components::combobox::AutocompleteField;
use crate::app::components::form::{ChoiceList, ErrorSummary, REQUIRED_NOTICE};
use crate::rules::format;

const FIELD_ID: &str = "commune";
const FIELD_LABEL: &str = "Code postal ou commune";

/// Resolves the "Code postal ou commune" field: the picked id if any, else the typed text.
#[server(endpoint = "communes/localiser", input = GetUrl)]
pub async fn locate_commune(
    commune: String,
    commune_id: Option<String>,
) -> Result<CommuneLookup, AppError> {
    let state = expect_context::<crate::server::AppState>();
    Ok(crate::server::places::locate_commune(
        &state,
        &commune,
        commune_id.as_deref(),
    ))
}

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    // A radio picked among several matches (no JavaScript) or an autocomplete option (JavaScript).
    let submitted = move || {
        query.with(|q| {
            let chosen = q
                .get("commune_choix")
                .filter(|c| !c.is_empty())
                .or_else(|| q.get("commune_id"));
            q.get("commune").map(|typed| (typed, chosen))
        })
    };
    let lookup = Resource::new(submitted, |submitted| async move {
        match submitted {
            None => Ok(None),
            Some((typed, id)) => locate_commune(typed, id).await.map(Some),
        }
    });
    view! {
        <Title text="Accueil"/>
        <div class="container">
            <h1>"Trouvez le bon professionnel pour les majeurs à protéger"</h1>
            <p class="lead">
                "e-MJPM permet aux mandataires judiciaires à la protection des majeurs de déclarer leurs mesures "
                "et leurs disponibilités, et aux magistrats de trouver un mandataire disponible et de lui réserver une mesure."
            </p>
            <ul class="actions">
                <li><a class="button" href="/connexion">"Se connecter"</a></li>
                <li><a class="button button-secondary" href="/inscription">"Créer un compte"</a></li>
                <li><a href="/documentation">"Documentation"</a></li>
            </ul>
            <section class="panel" aria-labelledby="titre-recherche">
                <h2 id="titre-recherche">"Rechercher une commune"</h2>
                <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                    {move || {
                        let typed = query.with(|q| q.get("commune").unwrap_or_default());
                        lookup.try_get().flatten().map(|result| match result {
                            Ok(result) => view! { <CommuneSearch typed result/> }.into_any(),
                            Err(_) => view! {
                                <p class="error-message" role="alert">
                                    "Une erreur est survenue. Veuillez réessayer plus tard."
                                </p>
                            }.into_any(),
                        })
                    }}
                </Suspense>
            </section>
        </div>
    }
}

/// The search form with its current outcome. Everything typed stays in the field.
#[component]
fn CommuneSearch(typed: String, result: Option<CommuneLookup>) -> impl IntoView {
    let error = match &result {
        Some(CommuneLookup::Empty) => Some(format!("Le champ « {FIELD_LABEL} » est obligatoire.")),
        Some(CommuneLookup::NotFound { typed }) => Some(format!(
            "Aucune commune ne correspond à « {typed} ». Vérifiez l'orthographe ou saisissez le code postal."
        )),
        _ => None,
    };
    let (value, selected_id) = match &result {
        Some(CommuneLookup::Found(place)) => (place.label.clone(), place.id.clone()),
        _ => (typed, String::new()),
    };
    let choices = match &result {
        Some(CommuneLookup::Several { typed, options }) => Some((typed.clone(), options.clone())),
        _ => None,
    };
    let found = match result {
        Some(CommuneLookup::Found(place)) => Some(place),
        _ => None,
    };
    let summary = error
        .clone()
        .map(|message| vec![(FIELD_ID.to_owned(), message)]);
    view! {
        <form method="get" action="/" class="search-form" role="search" aria-label="Rechercher une commune" novalidate=true>
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            {summary.map(|errors| view! { <ErrorSummary errors/> })}
            <AutocompleteField
                kind="communes"
                name=FIELD_ID
                label=FIELD_LABEL
                required=true
                value=value
                selected_id=selected_id
                hint=Some("Par exemple : 62100 ou Calais".to_owned())
                error=error
            />
            {choices.map(|(typed, options)| view! {
                <ChoiceList
                    name="commune_choix"
                    legend=format!("Plusieurs résultats correspondent à « {typed} » : choisissez-en un.")
                    options
                />
            })}
            <button type="submit" class="button">"Rechercher"</button>
        </form>
        {found.map(|place| view! { <PlaceCard place/> })}
    }
}

#[component]
fn PlaceCard(place: PlaceInfo) -> impl IntoView {
    let coordinates = match place.coordinates {
        Some((lat, lon)) => format!(
            "{} {}, {} {}",
            format::decimal(lat.abs(), 5),
            if lat < 0.0 { "S" } else { "N" },
            format::decimal(lon.abs(), 5),
            if lon < 0.0 { "O" } else { "E" }
        ),
        None => "Sans localisation".to_owned(),
    };
    view! {
        <div class="result-card" role="status">
            <h3>{place.label.clone()}</h3>
            <dl class="facts">
                <dt>"Département"</dt>
                <dd>{place.departement}</dd>
                <dt>"Région"</dt>
                <dd>{place.region}</dd>
                <dt>"Population"</dt>
                <dd>{format!("{} habitants", format::integer(u64::from(place.population)))}</dd>
                <dt>"Coordonnées"</dt>
                <dd>{coordinates}</dd>
            </dl>
        </div>
    }
}
