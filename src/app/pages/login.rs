//! "/connexion" (SPEC §4.3) and the logout button's server function ("/deconnexion").

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::app::components::flash::take_page_flash;
use crate::app::components::form::{
    form_state, FormErrors, FormReply, FormState, Notice, TextField, REQUIRED_NOTICE,
};
use crate::rules::account::DemoAccount;

#[server(endpoint = "connexion")]
pub async fn login(
    #[server(default)] identifiant: String,
    #[server(default)] mot_de_passe: String,
    #[server(default)] retour: String,
) -> Result<FormReply, AppError> {
    crate::server::accounts::login(identifiant, mot_de_passe, retour).await
}

/// The "Comptes de démonstration" of a demo database (SPEC §14); `None` on a real one.
#[server(endpoint = "comptes-demo")]
pub async fn demo_accounts() -> Result<Option<Vec<DemoAccount>>, AppError> {
    Ok(crate::server::context::Visit::current()?
        .state
        .demo_accounts
        .as_ref()
        .clone())
}

/// "Se déconnecter": SPEC §3 gives it the address "/deconnexion".
#[server(prefix = "", endpoint = "deconnexion")]
pub async fn logout() -> Result<FormReply, AppError> {
    crate::server::accounts::logout().await
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_page_flash("connexion".to_owned()));
    let query = use_query_map();
    let demo = Resource::new(|| (), |_| demo_accounts());
    view! {
        <Title text="Se connecter"/>
        <div class="container narrow">
            <h1>"Se connecter"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || flash.try_get().flatten().map(|result| {
                    let flash = result.unwrap_or_default();
                    let mut initial = flash.form.unwrap_or_default();
                    if initial.value("retour").is_empty() {
                        let retour = query.with_untracked(|q| q.get("retour").unwrap_or_default());
                        initial.set("retour", retour);
                    }
                    view! {
                        {flash.notice.map(|message| view! { <Notice message/> })}
                        <LoginForm initial/>
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || demo.try_get().flatten().and_then(|r| r.ok().flatten()).map(|accounts| view! { <DemoAccounts accounts/> })}
            </Suspense>
        </div>
    }
}

/// The demo accounts and their passwords, to try every role (only a demo database has them).
#[component]
fn DemoAccounts(accounts: Vec<DemoAccount>) -> impl IntoView {
    view! {
        <section class="demo-accounts" aria-labelledby="comptes-demo">
            <h2 id="comptes-demo">"Comptes de démonstration"</h2>
            <p>"Cette version de démonstration contient des données fictives. Connectez-vous avec l'un de ces comptes :"</p>
            <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                <table class="table">
                    <caption>"Comptes de démonstration"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Identifiant"</th>
                            <th scope="col">"Rôle"</th>
                            <th scope="col">"Mot de passe"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {accounts.into_iter().map(|account| view! {
                            <tr>
                                <th scope="row"><code>{account.identifiant}</code></th>
                                <td>{account.role}</td>
                                <td><code>{account.mot_de_passe}</code></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// An island: with JavaScript a refusal answers in place and keeps the password (SPEC §2 "Forms").
#[island]
fn LoginForm(initial: FormState) -> impl IntoView {
    let action = Submission::<Login>::new();
    let retour = initial.value("retour");
    let state = form_state(action, initial);
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <input type="hidden" name="retour" value=retour/>
            <TextField state name="identifiant" label="Identifiant ou adresse email" required=true autocomplete="username"/>
            <TextField state name="mot_de_passe" label="Mot de passe" required=true input_type="password" autocomplete="current-password"/>
            <button type="submit" class="button">"Me connecter"</button>
        </PostForm>
        <ul class="links">
            <li><a href="/mot-de-passe-oublie">"J'ai oublié mon mot de passe ou mon identifiant"</a></li>
            <li><a href="/inscription">"Créer un compte"</a></li>
        </ul>
    }
}
