//! "Mandataires" (SPEC §6.2): the active mandataires who declared the magistrat's tribunal, most available
//! first, with the "Type" and "Code postal ou commune" controls of a plain GET form (no JavaScript needed).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    magistrat_mandataires, MagistratPage, MagistratSpaceHeader, MandataireQuery, MandataireRow,
    STALE_WARNING_HTML,
};
use crate::app::components::combobox::AutocompleteField;
use crate::app::components::html::{put, Escaped};
use crate::app::components::load_error::LoadError;
use crate::app::components::pager::Pager;
use crate::rules::format::plural;
use crate::rules::search::MandataireSort;

const TYPES: [(&str, &str); 4] = [
    ("", "Tous"),
    ("individuel", "Individuels"),
    ("prepose", "Préposés"),
    ("service", "Services"),
];

/// The controls as the query string gives them.
pub fn query_from_url() -> impl Fn() -> MandataireQuery + Copy {
    let query = use_query_map();
    move || {
        query.with(|q| MandataireQuery {
            type_mandataire: q.get("type_mandataire").unwrap_or_default(),
            lieu: q.get("lieu").unwrap_or_default(),
            lieu_id: q.get("lieu_id").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            nom: q.get("nom").unwrap_or_default(),
            tri: q.get("tri").unwrap_or_default(),
            disponibles: q.get("disponibles").unwrap_or_default(),
        })
    }
}

#[component]
pub fn MandatairesPage() -> impl IntoView {
    let query = query_from_url();
    let data = Resource::new(query, |q| {
        magistrat_mandataires(
            q.type_mandataire,
            q.lieu,
            q.lieu_id,
            q.page,
            q.nom,
            q.tri,
            q.disponibles,
        )
    });
    view! {
        <Title text="Mandataires"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(MagistratPage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>"Mandataires"</h1>
                        <MagistratSpaceHeader current="mandataires" header notice/>
                        <MandataireFilters action="/magistrat/mandataires" query=data.query.clone() erreur_lieu=data.erreur_lieu.clone() sort=true/>
                        <h2>{plural(data.total, "professionnel", "professionnels")}</h2>
                        {data.origine.clone().map(|from| view! { <p>{format!("Distances à vol d'oiseau depuis {from}.")}</p> })}
                        // Plain links carrying the list's controls: the file is the filtered list, every page.
                        {(data.total > 0).then(|| view! {
                            <p class="actions-inline">
                                <a class="button button-secondary" href=format!("/magistrat/export/mandataires.csv?{}", data.base) rel="external" download="">
                                    "Exporter (CSV)"<span class="visually-hidden">" : la liste des mandataires"</span></a>
                                " "
                                <a class="button button-secondary" href=format!("/magistrat/export/mandataires.xlsx?{}", data.base) rel="external" download="">
                                    "Exporter (Excel)"<span class="visually-hidden">" : la liste des mandataires"</span></a>
                            </p>
                        })}
                        <MandataireTable rows=data.rows sorted=MandataireSort::parse(&data.query.tri)/>
                        <Pager base=format!("/magistrat/mandataires?{}", data.base) page=data.query.page has_next=data.has_next/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The §6.2 controls: "Type", "Nom", "Code postal ou commune", "Places disponibles uniquement" and, on
/// the list, "Trier par", with "Rechercher": a plain GET form, so every search is an address to share.
#[component]
pub fn MandataireFilters(
    action: &'static str,
    query: MandataireQuery,
    erreur_lieu: Option<String>,
    /// The list sorts; the map does not.
    #[prop(optional)]
    sort: bool,
) -> impl IntoView {
    let chosen = MandataireSort::parse(&query.tri);
    view! {
        <form method="get" action=action class="filters" role="search" aria-label="Rechercher un mandataire">
            <div class="field">
                <label for="type_mandataire">"Type"</label>
                <select id="type_mandataire" name="type_mandataire">
                    {TYPES.into_iter().map(|(value, label)| view! {
                        <option value=value selected=query.type_mandataire == value>{label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="nom">"Nom"</label>
                <input type="search" id="nom" name="nom" value=query.nom.clone() maxlength="100" autocomplete="off"/>
            </div>
            <AutocompleteField
                kind="communes"
                name="lieu"
                label="Code postal ou commune"
                required=false
                value=query.lieu.clone()
                selected_id=query.lieu_id.clone()
                hint=None
                error=erreur_lieu
            />
            {sort.then(|| view! {
                <div class="field">
                    <label for="tri">"Trier par"</label>
                    <select id="tri" name="tri" aria-describedby="tri-aide">
                        {MandataireSort::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=s == chosen>{s.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint" id="tri-aide">"Distance : depuis la commune ou le code postal saisi, sinon depuis le tribunal."</p>
                </div>
            })}
            <div class="choice">
                <input type="checkbox" id="disponibles" name="disponibles" value="oui" checked=query.disponibles == "oui"/>
                <label for="disponibles">"Places disponibles uniquement"</label>
            </div>
            <button type="submit" class="button">"Rechercher"</button>
        </form>
    }
}

/// The rows of "Mandataires", written as one string (see `components::html`).
fn mandataire_rows(rows: &[MandataireRow]) -> String {
    let mut html = String::with_capacity(rows.len() * 700);
    for row in rows {
        let nom = Escaped(&row.nom);
        let distance = row
            .distance
            .as_deref()
            .map(|d| format!("<br/><span class=\"distance\">{}</span>", Escaped(d)))
            .unwrap_or_default();
        put(
            &mut html,
            format_args!(
                "<tr><td>{}</td><th scope=\"row\"><a href=\"/magistrat/mandataires/{id}\">{nom}</a></th>\
                 <td>{}{distance}</td><td><span class=\"badge {}\">{}</span>{}</td><td>{} / {}</td><td>{}</td><td>{}",
                Escaped(&row.type_label),
                Escaped(&row.commune),
                Escaped(&row.niveau),
                row.disponibilite,
                if row.suspendu { "<br/>Activité suspendue" } else { "" },
                row.en_cours,
                row.souhaitees,
                row.en_attente,
                Escaped(&row.mise_a_jour),
                id = row.id,
            ),
        );
        if row.perime {
            html.push_str("<br/>");
            html.push_str(STALE_WARNING_HTML);
        }
        put(
            &mut html,
            format_args!(
                "</td><td><a href=\"/magistrat/mandataires/{}/reserver\">Réserver une mesure\
                 <span class=\"visually-hidden\"> pour {nom}</span></a></td></tr>",
                row.id
            ),
        );
    }
    html
}

#[component]
fn MandataireTable(rows: Vec<MandataireRow>, sorted: MandataireSort) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"Aucun mandataire dans cette zone"</p> }.into_any();
    }
    let caption = match sorted {
        MandataireSort::Disponibilite => {
            "Mandataires agréés auprès de votre tribunal, les plus disponibles d'abord"
        }
        MandataireSort::NomAz => "Mandataires agréés auprès de votre tribunal, par nom de A à Z",
        MandataireSort::NomZa => "Mandataires agréés auprès de votre tribunal, par nom de Z à A",
        MandataireSort::Distance => {
            "Mandataires agréés auprès de votre tribunal, les plus proches d'abord"
        }
    };
    view! {
        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
            <table class="table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        {["Type", "Nom", "Commune", "Disponibilité", "En cours / souhaitées", "En attente", "Mise à jour", "Réserver une mesure"]
                            .into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody inner_html=mandataire_rows(&rows)></tbody>
            </table>
        </div>
    }
    .into_any()
}
