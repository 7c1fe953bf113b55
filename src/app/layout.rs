//! The frame of every page (SPEC §2 "Frame"): skip link, header with the account links, footer.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_router::hooks::use_location;

pub use crate::api::accounts::Me;
use crate::app::pages::login::Logout;

#[server(endpoint = "moi")]
pub async fn whoami() -> Result<Option<Me>, AppError> {
    use crate::rules::account::Role;
    Ok(crate::server::context::Visit::current()?
        .caller
        .map(|c| Me {
            nom: format!("{} {}", c.user.prenom, c.user.nom)
                .trim()
                .to_owned(),
            role: c.user.role.label().to_owned(),
            aide: match c.user.role {
                Role::Individuel => "/documentation/individuel",
                Role::Service => "/documentation/service",
                Role::Prepose => "/documentation/prepose",
                Role::Magistrat | Role::Greffier => "/documentation/magistrat",
                Role::Admin | Role::Direction => "/documentation/admin",
            }
            .to_owned(),
        }))
}

#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#contenu">"Aller au contenu"</a> }
}

/// Whether the database was made by `emjpm demo` (the banner needs no more than that).
#[server(endpoint = "demo")]
pub async fn demo_mode() -> Result<bool, AppError> {
    Ok(crate::server::context::Visit::current()?
        .state
        .demo_accounts
        .is_some())
}

/// "Version de démonstration" above every page of a demo database (SPEC §14).
#[component]
pub fn DemoBanner() -> impl IntoView {
    let demo = Resource::new(|| (), |_| demo_mode());
    view! {
        <Suspense fallback=|| ()>
            {move || demo.try_get().flatten().and_then(Result::ok).unwrap_or_default().then(|| view! {
                <p class="demo-banner">
                    <strong>{crate::rules::account::DEMO_BANNER}</strong>
                    " : les personnes, les mesures et les tribunaux affichés sont fictifs. "
                    <a href="/connexion">"Comptes de démonstration"</a>
                </p>
            })}
        </Suspense>
    }
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let location = use_location();
    // Asked again at each navigation: logging in or out changes it.
    let me = Resource::new(move || location.pathname.get(), |_| whoami());
    let logout = Submission::<Logout>::new();
    view! {
        <header class="site-header">
            <div class="container header-inner">
                <a class="brand" href="/">"e-MJPM"</a>
                <nav aria-label="Compte">
                    <Suspense fallback=|| ()>
                        {move || me.try_get().flatten().map(|me| match me.ok().flatten() {
                            Some(me) => view! {
                                <ul class="header-links">
                                    <li class="header-identity">{me.nom}" – "{me.role}</li>
                                    <li><a href=me.aide>"Aide"</a></li>
                                    <li>
                                        <PostForm action=logout attr:class="inline-form">
                                            <button type="submit" class="link-button">"Se déconnecter"</button>
                                        </PostForm>
                                    </li>
                                </ul>
                            }.into_any(),
                            None => view! {
                                <ul class="header-links">
                                    <li><a href="/connexion">"Se connecter"</a></li>
                                    <li><a href="/inscription">"Créer un compte"</a></li>
                                </ul>
                            }.into_any(),
                        })}
                    </Suspense>
                </nav>
            </div>
        </header>
    }
}

/// The configured contact address ("Nous contacter"), if any.
#[server(endpoint = "contact")]
pub async fn contact_address() -> Result<Option<String>, AppError> {
    Ok(crate::server::context::Visit::current()?
        .state
        .settings
        .contact_email
        .clone())
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let contact = Resource::new(|| (), |_| contact_address());
    view! {
        <footer class="site-footer">
            <div class="container">
                <nav aria-label="Pied de page">
                    <ul class="footer-links">
                        <li><a href="/documentation">"Documentation"</a></li>
                        <li><a href="/accessibilite">"Accessibilité"</a></li>
                        <li><a href="/mentions-legales">"Mentions légales"</a></li>
                        <Suspense fallback=|| ()>
                            {move || contact.try_get().flatten().and_then(|c| c.ok().flatten()).map(|address| view! {
                                <li><a href=format!("mailto:{address}")>"Nous contacter"</a></li>
                            })}
                        </Suspense>
                    </ul>
                </nav>
                <p class="footer-note">"e-MJPM, logiciel libre sous licence AGPL-3.0-or-later."</p>
            </div>
        </footer>
    }
}
