//! "Mes informations" of the magistrat (SPEC §6.6): "Nom", "Prénom", "Genre", "Adresse email", "Tribunal"
//! (read-only: admins change it), "Cabinet"; "Modifier mon profil" and "Modifier mon mot de passe".

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;

use super::{MagistratPage, MagistratSpaceHeader};
pub use crate::api::magistrat::{MagistratFacts, MagistratProfileFields, MagistratProfileValues};
use crate::app::components::form::{
    form_state, FormErrors, FormReply, FormState, RadioGroup, TextField, REQUIRED_NOTICE,
};
use crate::app::components::load_error::LoadError;

#[server(endpoint = "magistrat/informations")]
pub async fn magistrat_informations() -> Result<MagistratPage<MagistratFacts>, AppError> {
    crate::server::magistrat::profile::informations_page()
}

#[server(endpoint = "magistrat/profil")]
pub async fn magistrat_profile_form() -> Result<MagistratPage<MagistratProfileValues>, AppError> {
    crate::server::magistrat::profile::form_page()
}

#[server(endpoint = "magistrat/profil/enregistrer")]
pub async fn save_magistrat_profile(
    #[server(flatten)] form: MagistratProfileFields,
) -> Result<FormReply, AppError> {
    crate::server::magistrat::profile::save(form).await
}

#[component]
pub fn MagistratInformationsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| magistrat_informations());
    view! {
        <Title text="Mes informations"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(MagistratPage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>"Mes informations"</h1>
                        <MagistratSpaceHeader current="informations" header notice/>
                        <dl class="facts">
                            {data.coordonnees.into_iter().map(|(label, value)| view! {
                                <dt>{label}</dt>
                                <dd>{value}</dd>
                            }).collect_view()}
                        </dl>
                        <p class="hint">"Pour changer de tribunal, contactez l'équipe e-MJPM."</p>
                        <p>
                            <a class="button" href="/magistrat/informations/modifier">"Modifier mon profil"</a>
                            " "
                            <a class="button button-secondary" href="/compte/mot-de-passe">"Modifier mon mot de passe"</a>
                            " "
                            <a class="button button-secondary" href="/compte/mes-donnees.zip" rel="external" download="">"Télécharger mes données"</a>
                        </p>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn EditMagistratProfilePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| magistrat_profile_form());
    view! {
        <Title text="Modifier mon profil"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(MagistratPage { header, notice, form, data }) => view! {
                    <div class="container wide">
                        <h1>"Modifier mon profil"</h1>
                        <MagistratSpaceHeader current="informations" header notice/>
                        <p>{format!("Tribunal : {}", data.tribunal)}</p>
                        <MagistratProfileFormView initial=form.unwrap_or(data.values)/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// An island: with JavaScript a refusal answers in place and keeps "Mot de passe actuel".
#[island]
fn MagistratProfileFormView(initial: FormState) -> impl IntoView {
    let action = Submission::<SaveMagistratProfile>::new();
    let state = form_state(action, initial);
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <TextField state name="nom" label="Nom" required=true autocomplete="family-name"/>
            <TextField state name="prenom" label="Prénom" required=true autocomplete="given-name"/>
            <RadioGroup state name="genre" legend="Genre" required=true options=vec![("F", "Femme"), ("H", "Homme")]/>
            <TextField state name="email" label="Adresse email" required=true autocomplete="email" input_type="email"/>
            <TextField state name="mot_de_passe_actuel" label="Mot de passe actuel" input_type="password"
                autocomplete="current-password" hint="Seulement si vous changez d'adresse email."/>
            <TextField state name="cabinet" label="Cabinet (optionnel)"/>
            <div class="form-actions">
                <button type="submit" class="button">"Valider"</button>
                <a href="/magistrat/informations">"Annuler"</a>
            </div>
        </PostForm>
    }
}
