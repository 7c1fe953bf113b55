//! "Mesures réservées" (SPEC §6.4): the reservations of the magistrat's tribunal and what became of them,
//! with "Modifier" and "Annuler la réservation" while en attente. Never lieu de vie, commune or dossier.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{reserved_mesures, MagistratPage, MagistratSpaceHeader, ReservedRow};
use crate::app::components::html::{put, Escaped};
use crate::app::components::load_error::LoadError;
use crate::app::components::pager::Pager;
use crate::rules::format::plural;

const ETATS: [(&str, &str); 5] = [
    ("", "Tous"),
    ("en_attente", "En attente"),
    ("acceptee", "Acceptée"),
    ("eteinte", "Éteinte"),
    ("refusee", "Refusée"),
];

#[component]
pub fn ReservedMesuresPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            (
                q.get("etat").unwrap_or_default(),
                q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            )
        })
    };
    let data = Resource::new(filter, |(etat, page)| reserved_mesures(etat, page));
    view! {
        <Title text="Mesures réservées"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(MagistratPage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>"Mesures réservées"</h1>
                        <MagistratSpaceHeader current="mesures" header notice/>
                        <form method="get" action="/magistrat/mesures" class="filters" role="search" aria-label="Filtrer les mesures réservées">
                            <div class="field">
                                <label for="etat">"État"</label>
                                <select id="etat" name="etat">
                                    {ETATS.into_iter().map(|(value, label)| view! {
                                        <option value=value selected=data.etat == value>{label}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="button">"Filtrer"</button>
                        </form>
                        <p>{plural(data.total, "mesure réservée", "mesures réservées")}</p>
                        <ReservedTable rows=data.rows/>
                        <Pager base=format!("/magistrat/mesures?etat={}", data.etat) page=data.page has_next=data.has_next/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The rows written as one string (`components::html`: a view per cell made this page twice as slow as
/// the list of mandataires at national scale, issue 20).
fn reserved_rows(rows: &[ReservedRow]) -> String {
    let mut html = String::with_capacity(rows.len() * 600);
    for row in rows {
        let described = format!("{} pour {}", row.type_mesure, row.mandataire);
        put(
            &mut html,
            format_args!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>",
                Escaped(&row.mandataire),
                Escaped(&row.type_mesure),
                Escaped(&row.genre),
                Escaped(&row.annee_naissance),
                Escaped(&row.numero_rg),
                Escaped(&row.cabinet),
                Escaped(&row.reservee_le),
                Escaped(&row.reservee_par),
            ),
        );
        html.push_str(if row.urgente {
            "<span class=\"badge level-full\">Urgente</span>"
        } else {
            "Non"
        });
        if !row.date_jugement.is_empty() {
            put(
                &mut html,
                format_args!("<br/>Jugement prévu le {}", Escaped(&row.date_jugement)),
            );
        }
        html.push_str("</td><td>");
        if row.ancienne {
            html.push_str("<span class=\"badge level-full\">Ancienne</span><br/>");
        }
        put(&mut html, format_args!("{}", Escaped(&row.etat)));
        if !row.motif_refus.is_empty() {
            put(
                &mut html,
                format_args!("<br/>Motif : {}", Escaped(&row.motif_refus)),
            );
        }
        put(
            &mut html,
            format_args!(
                "</td><td>{}</td><td>{}</td><td>",
                Escaped(&row.date_decision),
                Escaped(&row.date_fin)
            ),
        );
        if row.en_attente {
            put(
                &mut html,
                format_args!(
                    "<div class=\"row-actions\"><a href=\"/magistrat/mesures/{id}/modifier\">Modifier<span class=\"visually-hidden\"> la réservation : {d}</span></a>\
                     <a href=\"/magistrat/mesures/{id}/annuler\">Annuler la réservation<span class=\"visually-hidden\"> : {d}</span></a></div>",
                    id = row.id,
                    d = Escaped(&described),
                ),
            );
        }
        html.push_str("</td></tr>");
    }
    html
}

#[component]
fn ReservedTable(rows: Vec<ReservedRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"Aucune mesure réservée."</p> }.into_any();
    }
    view! {
        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
            <table class="table">
                <caption>"Mesures réservées par votre tribunal"</caption>
                <thead>
                    <tr>
                        {["Mandataire", "Type de mesure", "Genre", "Année de naissance", "Numéro RG", "Cabinet",
                          "Réservée le", "Réservée par", "Urgente", "État", "Date de décision", "Date de fin", "Actions"]
                            .into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody inner_html=reserved_rows(&rows)></tbody>
            </table>
        </div>
    }
    .into_any()
}
