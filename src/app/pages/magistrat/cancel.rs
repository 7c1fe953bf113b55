//! "Annuler la réservation" (SPEC §6.4): a confirmation page with a POST button and "Retour".

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{cancel_page, CancelReservation, MagistratPage, MagistratSpaceHeader};
use crate::app::components::load_error::LoadError;

#[component]
pub fn CancelReservationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => cancel_page(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let action = Submission::<CancelReservation>::new();
    view! {
        <Title text="Annuler la réservation"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(MagistratPage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>"Annuler la réservation"</h1>
                        <MagistratSpaceHeader current="mesures" header notice/>
                        <p>{data.resume.clone()}</p>
                        {match data.refus.clone() {
                            Some(message) => view! {
                                <p class="notice notice-error" role="alert">{message}</p>
                            }.into_any(),
                            None => view! {
                                <p>"Une fois cette opération effectuée, la mesure sera définitivement supprimée de votre liste ainsi que de celle du mandataire."</p>
                                <PostForm action attr:class="form">
                                    <input type="hidden" name="id" value=data.id/>
                                    <div class="form-actions">
                                        <button type="submit" class="button">"Annuler la réservation"</button>
                                    </div>
                                </PostForm>
                            }.into_any(),
                        }}
                        <p><a href="/magistrat/mesures">"Retour"</a></p>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}
