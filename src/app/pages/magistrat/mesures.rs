//! "Mesures réservées" (SPEC §6.4): the reservations of the magistrat's tribunal and what became of them.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{reserved_mesures, MagistratPage};
use crate::app::components::form::Notice;
use crate::app::pages::mandataire::LoadError;

#[component]
pub fn ReservedMesuresPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| reserved_mesures());
    view! {
        <Title text="Mesures réservées"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.get().map(|result| match result {
                Ok(MagistratPage { entete, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>"Mesures réservées"</h1>
                        <p class="space-name">{entete}</p>
                        {notice.map(|message| view! { <Notice message/> })}
                        {if data.is_empty() {
                            view! { <p>"Aucune mesure réservée."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrapper">
                                    <table class="table">
                                        <caption>"Mesures réservées par votre tribunal"</caption>
                                        <thead>
                                            <tr>
                                                {["Mandataire", "Type de mesure", "Genre", "Année de naissance", "Numéro RG", "Cabinet",
                                                  "Réservée le", "Réservée par", "État", "Date de décision", "Date de fin"]
                                                    .into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {data.into_iter().map(|row| view! {
                                                <tr>
                                                    <th scope="row">{row.mandataire}</th>
                                                    <td>{row.type_mesure}</td>
                                                    <td>{row.genre}</td>
                                                    <td>{row.annee_naissance}</td>
                                                    <td>{row.numero_rg}</td>
                                                    <td>{row.cabinet}</td>
                                                    <td>{row.reservee_le}</td>
                                                    <td>{row.reservee_par}</td>
                                                    <td>{row.etat}</td>
                                                    <td>{row.date_decision}</td>
                                                    <td>{row.date_fin}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}
