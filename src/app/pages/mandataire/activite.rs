//! "Suspendre mon activité" (issue 17): an optional reason, shown to magistrats with a disponibilité of 0
//! while the activity is suspended; "Reprendre mon activité" (a button of "Mes informations") ends it.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{SpaceHeader, SpacePage};
use crate::api::mandataire::SuspendForm;
use crate::api::AppError;
use crate::app::components::form::{form_state, FormErrors, FormReply, FormState, TextField};
use crate::app::components::load_error::LoadError;

#[server(endpoint = "mandataire/activite")]
pub async fn suspend_page() -> Result<SpacePage<FormState>, AppError> {
    crate::server::mandataire::activity::suspend_page()
}

#[server(endpoint = "mandataire/activite/suspendre")]
pub async fn suspend(#[server(flatten)] form: SuspendForm) -> Result<FormReply, AppError> {
    crate::server::mandataire::activity::suspend(form)
}

#[server(endpoint = "mandataire/activite/reprendre")]
pub async fn resume() -> Result<FormReply, AppError> {
    crate::server::mandataire::activity::resume()
}

#[component]
pub fn SuspendPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| suspend_page());
    view! {
        <Title text="Suspendre mon activité"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => view! {
                    <div class="container wide">
                        <h1>"Suspendre mon activité"</h1>
                        <SpaceHeader current="informations" header notice/>
                        <SuspendFormView initial=form.unwrap_or(data)/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn SuspendFormView(initial: FormState) -> impl IntoView {
    let action = Submission::<Suspend>::new();
    let state = form_state(action, initial);
    view! {
        <p>"Pendant la suspension, les magistrats voient une disponibilité de 0 et la mention « Activité suspendue » avec votre motif. Ils peuvent encore vous réserver une mesure, avec un avertissement. Vos mesures ne changent pas."</p>
        <PostForm action attr:novalidate=true attr:class="form">
            <FormErrors state/>
            <TextField state name="motif" label="Motif" hint="Facultatif, 300 caractères au plus. Par exemple : congé jusqu'au 15 mars."/>
            <div class="form-actions">
                <button type="submit" class="button">"Suspendre mon activité"</button>
                <a href="/mandataire/informations">"Annuler"</a>
            </div>
        </PostForm>
    }
}
