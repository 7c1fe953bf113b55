//! Passwords (SPEC §4.3): "/mot-de-passe-oublie", "/reinitialiser-mot-de-passe?jeton=…" and, logged in,
//! "/compte/mot-de-passe".

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::app::components::flash::take_page_flash;
use crate::app::components::form::{
    form_state, saved_message, FormErrors, FormReply, FormState, Notice, TextField, REQUIRED_NOTICE,
};

const POLICY_HINT: &str =
    "10 caractères au moins, dont deux types parmi : minuscules, majuscules, chiffres, caractères spéciaux.";

#[server(endpoint = "mot-de-passe-oublie")]
pub async fn request_reset(#[server(default)] email: String) -> Result<FormReply, AppError> {
    crate::server::accounts::request_reset(email).await
}

#[server(endpoint = "reinitialiser/valide")]
pub async fn reset_link_valid(jeton: String) -> Result<bool, AppError> {
    crate::server::accounts::reset_link_valid(&jeton)
}

#[server(endpoint = "reinitialiser")]
pub async fn reset_password(
    #[server(default)] jeton: String,
    #[server(default)] nouveau: String,
    #[server(default)] confirmation: String,
) -> Result<FormReply, AppError> {
    crate::server::accounts::reset_password(jeton, nouveau, confirmation).await
}

#[server(endpoint = "compte/mot-de-passe")]
pub async fn change_password(
    #[server(default)] actuel: String,
    #[server(default)] nouveau: String,
    #[server(default)] confirmation: String,
) -> Result<FormReply, AppError> {
    crate::server::accounts::change_password(actuel, nouveau, confirmation).await
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_page_flash("mot-de-passe-oublie".to_owned()));
    view! {
        <Title text="Mot de passe oublié"/>
        <div class="container narrow">
            <h1>"Mot de passe oublié"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || flash.try_get().flatten().map(|result| {
                    let flash = result.unwrap_or_default();
                    let action = Submission::<RequestReset>::new();
                    let state = form_state(action, flash.form.unwrap_or_default());
                    let saved = saved_message(action);
                    view! {
                        {flash.notice.map(|message| view! { <Notice message/> })}
                        {move || saved().map(|message| view! { <Notice message/> })}
                        <p>"Saisissez l'adresse email de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe et le rappel de votre identifiant."</p>
                        <PostForm action attr:novalidate=true attr:class="form">
                            <p class="required-notice">{REQUIRED_NOTICE}</p>
                            <FormErrors state/>
                            <TextField state name="email" label="Adresse email" required=true input_type="email" autocomplete="email"/>
                            <button type="submit" class="button">"Recevoir un lien de réinitialisation"</button>
                        </PostForm>
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let jeton = move || query.with(|q| q.get("jeton").unwrap_or_default());
    let data = Resource::new(jeton, |jeton| async move {
        let flash = take_page_flash("reinitialiser".to_owned()).await?;
        let valid = reset_link_valid(jeton.clone()).await?;
        Ok::<_, AppError>((jeton, valid, flash.form.unwrap_or_default()))
    });
    view! {
        <Title text="Choisir un nouveau mot de passe"/>
        <div class="container narrow">
            <h1>"Choisir un nouveau mot de passe"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Ok((jeton, true, initial)) => view! { <ResetForm jeton initial/> }.into_any(),
                    Ok((_, false, _)) => view! {
                        <p class="error-message" role="alert">
                            "Ce lien de réinitialisation n'est plus valable. Faites une nouvelle demande."
                        </p>
                        <p><a href="/mot-de-passe-oublie">"Faire une nouvelle demande"</a></p>
                    }.into_any(),
                    Err(_) => view! { <p role="alert">"Une erreur est survenue. Veuillez réessayer plus tard."</p> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

/// An island: with JavaScript a refusal answers in place and keeps the passwords.
#[island]
fn ResetForm(jeton: String, initial: FormState) -> impl IntoView {
    let action = Submission::<ResetPassword>::new();
    let state = form_state(action, initial);
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <input type="hidden" name="jeton" value=jeton/>
            <TextField state name="nouveau" label="Nouveau mot de passe" required=true input_type="password" autocomplete="new-password" hint=POLICY_HINT/>
            <TextField state name="confirmation" label="Confirmation du nouveau mot de passe" required=true input_type="password" autocomplete="new-password"/>
            <button type="submit" class="button">"Enregistrer mon nouveau mot de passe"</button>
        </PostForm>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_page_flash("mot-de-passe".to_owned()));
    view! {
        <Title text="Modifier mon mot de passe"/>
        <div class="container narrow">
            <h1>"Modifier mon mot de passe"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || flash.try_get().flatten().map(|result| {
                    let flash = result.unwrap_or_default();
                    view! {
                        {flash.notice.map(|message| view! { <Notice message/> })}
                        <ChangePasswordForm initial=flash.form.unwrap_or_default()/>
                    }
                })}
            </Suspense>
            // Every role, admins included (issue 19): what e-MJPM keeps about the account.
            <h2>"Mes données"</h2>
            <p>"Une archive ZIP de ce qu'e-MJPM conserve sur votre compte : profil, mesures ou réservations, événements du journal."</p>
            <p><a class="button button-secondary" href="/compte/mes-donnees.zip" rel="external" download="">"Télécharger mes données"</a></p>
        </div>
    }
}

/// An island: with JavaScript the answer shows in place and the passwords stay typed.
#[island]
fn ChangePasswordForm(initial: FormState) -> impl IntoView {
    let action = Submission::<ChangePassword>::new();
    let state = form_state(action, initial);
    let saved = saved_message(action);
    view! {
        {move || saved().map(|message| view! { <Notice message/> })}
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <TextField state name="actuel" label="Mot de passe actuel" required=true input_type="password" autocomplete="current-password"/>
            <TextField state name="nouveau" label="Nouveau mot de passe" required=true input_type="password" autocomplete="new-password" hint=POLICY_HINT/>
            <TextField state name="confirmation" label="Confirmation du nouveau mot de passe" required=true input_type="password" autocomplete="new-password"/>
            <button type="submit" class="button">"Enregistrer"</button>
        </PostForm>
    }
}
