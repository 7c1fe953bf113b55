//! The admins' second factor (issue 19): "/connexion/code", the login's second step, and
//! "/compte/double-authentification", the enrolment (QR code drawn on the server, the secret in text, a
//! first code to confirm; the recovery codes shown once). Plain forms: everything works without JavaScript.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::accounts::TwoFactorPage;
use crate::api::AppError;
use crate::app::components::flash::take_page_flash;
use crate::app::components::form::{
    form_state, saved_message, version_of, FormErrors, FormReply, FormState, Notice, TextField,
};
use crate::app::components::load_error::LoadError;

#[server(endpoint = "connexion/code")]
pub async fn login_code(#[server(default)] code: String) -> Result<FormReply, AppError> {
    crate::server::accounts::two_factor::login_code(code).await
}

#[server(endpoint = "connexion/code/attente")]
pub async fn login_code_waiting() -> Result<bool, AppError> {
    crate::server::accounts::two_factor::login_code_waiting()
}

#[server(endpoint = "admin/double-authentification")]
pub async fn load_two_factor() -> Result<TwoFactorPage, AppError> {
    crate::server::accounts::two_factor::enrol_page()
}

#[server(endpoint = "admin/double-authentification/commencer")]
pub async fn begin_two_factor() -> Result<FormReply, AppError> {
    crate::server::accounts::two_factor::begin()
}

#[server(endpoint = "admin/double-authentification/confirmer")]
pub async fn confirm_two_factor(#[server(default)] code: String) -> Result<FormReply, AppError> {
    crate::server::accounts::two_factor::confirm(code).await
}

#[server(endpoint = "admin/double-authentification/desactiver")]
pub async fn disable_two_factor(#[server(default)] code: String) -> Result<FormReply, AppError> {
    crate::server::accounts::two_factor::disable(code).await
}

const CODE_HINT: &str = "Le code à 6 chiffres affiché par votre application d'authentification, ou l'un de vos codes de secours.";

/// "/connexion/code".
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move {
            let flash = take_page_flash("connexion-code".to_owned())
                .await
                .unwrap_or_default();
            login_code_waiting().await.map(|waiting| (waiting, flash))
        },
    );
    view! {
        <Title text="Code de vérification"/>
        <div class="container narrow">
            <h1>"Code de vérification"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Ok((true, flash)) => view! {
                        <p>"Votre compte est protégé par la double authentification."</p>
                        <LoginCodeForm initial=flash.form.unwrap_or_default()/>
                    }.into_any(),
                    Ok((false, _)) => view! {
                        <p>"Aucune connexion n'attend de code sur ce navigateur, ou elle a expiré (5 minutes)."</p>
                        <p><a href="/connexion">"Se connecter"</a></p>
                    }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

#[island]
fn LoginCodeForm(initial: FormState) -> impl IntoView {
    let action = Submission::<LoginCode>::new();
    let state = form_state(action, initial);
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <FormErrors state/>
            <TextField state name="code" label="Code de vérification" required=true autocomplete="one-time-code"
                inputmode="numeric" hint=CODE_HINT/>
            <button type="submit" class="button">"Valider"</button>
        </PostForm>
    }
}

/// "/compte/double-authentification" (admins).
#[component]
pub fn TwoFactorEnrolPage() -> impl IntoView {
    let begin = Submission::<BeginTwoFactor>::new();
    let version = version_of(begin);
    let data = Resource::new(version, |_| async move {
        let flash = take_page_flash("double-authentification".to_owned())
            .await
            .unwrap_or_default();
        load_two_factor().await.map(|page| (page, flash))
    });
    view! {
        <Title text="Mon compte – Double authentification"/>
        <div class="container wide">
            <crate::app::pages::admin::AdminTabs current="compte"/>
            <h1>"Double authentification"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok((page, flash)) => {
                        let form = flash.form.unwrap_or_default();
                        let notice = flash.notice;
                        match (page.actif_depuis.clone(), page.qr_svg.clone()) {
                            (Some(depuis), _) => view! {
                                <EnrolledView depuis restants=page.codes_restants obligatoire=page.obligatoire notice initial=form/>
                            }.into_any(),
                            (None, Some(svg)) => view! {
                                <p>"1. Scannez ce code avec votre application d'authentification (par exemple FreeOTP, Aegis ou celle de votre téléphone) :"</p>
                                <div class="qr-code" role="img" aria-label="Code QR à scanner avec votre application d'authentification" inner_html=svg></div>
                                <p>"Ou saisissez cette clé dans l'application : "<code class="secret">{page.secret.clone().unwrap_or_default()}</code></p>
                                <p>"2. Saisissez le code à 6 chiffres qu'elle affiche :"</p>
                                <ConfirmForm initial=form/>
                            }.into_any(),
                            (None, None) => view! {
                                {page.obligatoire.then(|| view! {
                                    <p class="notice notice-warning" role="status">"La double authentification est obligatoire pour les administrateurs de ce site : activez-la pour accéder à l'administration."</p>
                                })}
                                {notice.map(|message| view! { <Notice message/> })}
                                <p>"À la connexion, un code à 6 chiffres donné par une application de votre téléphone vous sera demandé en plus de votre mot de passe."</p>
                                <PostForm action=begin>
                                    <button type="submit" class="button">"Activer la double authentification"</button>
                                </PostForm>
                            }.into_any(),
                        }
                    }
                })}
            </Suspense>
            <h2>"Mon compte"</h2>
            <p class="actions-inline">
                <a class="button button-secondary" href="/compte/mot-de-passe">"Modifier mon mot de passe"</a>
                " "
                <a class="button button-secondary" href="/compte/mes-donnees.zip" rel="external" download="">"Télécharger mes données"</a>
            </p>
        </div>
    }
}

#[island]
fn ConfirmForm(initial: FormState) -> impl IntoView {
    let action = Submission::<ConfirmTwoFactor>::new();
    let state = form_state(action, initial);
    let saved = saved_message(action);
    view! {
        {move || saved().map(|message| view! { <Notice message/> })}
        <PostForm action attr:novalidate=true attr:class="form">
            <FormErrors state/>
            <TextField state name="code" label="Code de vérification" required=true autocomplete="one-time-code" inputmode="numeric"/>
            <button type="submit" class="button">"Confirmer"</button>
        </PostForm>
    }
}

#[component]
fn EnrolledView(
    depuis: String,
    restants: usize,
    obligatoire: bool,
    notice: Option<String>,
    initial: FormState,
) -> impl IntoView {
    view! {
        {notice.map(|message| view! { <Notice message/> })}
        <p>{format!("La double authentification est active depuis le {depuis}. Codes de secours restants : {restants}.")}</p>
        {(!obligatoire).then(|| view! {
            <h2>"Désactiver"</h2>
            <DisableForm initial/>
        })}
    }
}

#[island]
fn DisableForm(initial: FormState) -> impl IntoView {
    let action = Submission::<DisableTwoFactor>::new();
    let state = form_state(action, initial);
    let saved = saved_message(action);
    view! {
        {move || saved().map(|message| view! { <Notice message/> })}
        <PostForm action attr:novalidate=true attr:class="form">
            <FormErrors state/>
            <TextField state name="code" label="Code de vérification" required=true autocomplete="one-time-code" inputmode="numeric" hint=CODE_HINT/>
            <button type="submit" class="button button-secondary">"Désactiver la double authentification"</button>
        </PostForm>
    }
}
