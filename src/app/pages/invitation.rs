//! The invitation page (issue 16): the link of "Inviter un membre" opens it; the invitee creates an account
//! in the service. A plain form: it works the same without JavaScript.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::service::{InvitationPage, JoinForm};
use crate::api::AppError;
use crate::app::components::form::{
    form_state, FormErrors, FormReply, FormState, TextField, REQUIRED_NOTICE,
};
use crate::app::components::load_error::LoadError;

#[server(endpoint = "invitation")]
pub async fn invitation_data(jeton: String) -> Result<InvitationPage, AppError> {
    crate::server::service::invitation::page(&jeton)
}

#[server(endpoint = "invitation/rejoindre")]
pub async fn join_service(#[server(flatten)] form: JoinForm) -> Result<FormReply, AppError> {
    crate::server::service::invitation::join(form).await
}

#[component]
pub fn InvitationPageView() -> impl IntoView {
    let query = use_query_map();
    let jeton = move || query.with(|q| q.get("jeton").unwrap_or_default());
    let data = Resource::new(jeton, invitation_data);
    view! {
        <Title text="Rejoindre un service"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(page) => view! {
                    <div class="container">
                        <h1>"Rejoindre un service mandataire"</h1>
                        {match (page.service.clone(), page.message.clone()) {
                            (Some(service), _) => view! {
                                <p>{format!("Vous êtes invité à rejoindre le service « {service} » sur e-MJPM. Votre adresse email sera {}.", page.email)}</p>
                                <JoinFormView jeton=jeton() initial=page.form.clone().unwrap_or_default()/>
                            }.into_any(),
                            (None, message) => view! {
                                <div class="notice notice-error" role="alert">{message.unwrap_or_default()}</div>
                                <p><a href="/connexion">"Se connecter"</a></p>
                            }.into_any(),
                        }}
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn JoinFormView(jeton: String, initial: FormState) -> impl IntoView {
    let action = Submission::<JoinService>::new();
    let state = form_state(action, initial);
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <input type="hidden" name="jeton" value=jeton/>
            <TextField state name="identifiant" label="Identifiant désiré" required=true autocomplete="username"/>
            <TextField state name="mot_de_passe" label="Mot de passe désiré" required=true input_type="password"
                autocomplete="new-password" hint="10 caractères au moins, dont deux types parmi : minuscules, majuscules, chiffres, caractères spéciaux."/>
            <TextField state name="confirmation" label="Confirmation du mot de passe" required=true input_type="password"
                autocomplete="new-password"/>
            <TextField state name="nom" label="Nom" required=true autocomplete="family-name"/>
            <TextField state name="prenom" label="Prénom" required=true autocomplete="given-name"/>
            <div class="form-actions">
                <button type="submit" class="button">"Créer mon compte"</button>
            </div>
        </PostForm>
    }
}
