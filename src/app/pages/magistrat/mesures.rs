//! "Mesures réservées" (SPEC §6.4): the reservations of the magistrat's tribunal and what became of them,
//! with "Modifier" and "Annuler la réservation" while en attente. Never lieu de vie, commune or dossier.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{reserved_mesures, MagistratPage, MagistratSpaceHeader, ReservedRow};
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
            {move || data.get().map(|result| match result {
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
                <tbody>
                    {rows.into_iter().map(|row| {
                        let described = format!("{} pour {}", row.type_mesure, row.mandataire);
                        view! {
                            <tr>
                                <th scope="row">{row.mandataire}</th>
                                <td>{row.type_mesure}</td>
                                <td>{row.genre}</td>
                                <td>{row.annee_naissance}</td>
                                <td>{row.numero_rg}</td>
                                <td>{row.cabinet}</td>
                                <td>{row.reservee_le}</td>
                                <td>{row.reservee_par}</td>
                                <td>
                                    {if row.urgente { view! { <span class="badge level-full">"Urgente"</span> }.into_any() } else { "Non".into_any() }}
                                    {(!row.date_jugement.is_empty()).then(|| view! { <br/>{format!("Jugement prévu le {}", row.date_jugement)} })}
                                </td>
                                <td>{row.ancienne.then(|| view! { <span class="badge level-full">"Ancienne"</span><br/> })}{row.etat}{(!row.motif_refus.is_empty()).then(|| view! { <br/>{format!("Motif : {}", row.motif_refus)} })}</td>
                                <td>{row.date_decision}</td>
                                <td>{row.date_fin}</td>
                                <td>
                                    {row.en_attente.then(|| view! {
                                        <div class="row-actions">
                                            <a href=format!("/magistrat/mesures/{}/modifier", row.id)>
                                                "Modifier"<span class="visually-hidden">{format!(" la réservation : {described}")}</span>
                                            </a>
                                            <a href=format!("/magistrat/mesures/{}/annuler", row.id)>
                                                "Annuler la réservation"<span class="visually-hidden">{format!(" : {described}")}</span>
                                            </a>
                                        </div>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
