//! The frame of every page (SPEC §2 "Frame"): skip link, header, footer.

use leptos::prelude::*;

#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#contenu">"Aller au contenu"</a> }
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="container header-inner">
                <a class="brand" href="/">"e-MJPM"</a>
                <nav aria-label="Compte">
                    <ul class="header-links">
                        <li><a href="/connexion">"Se connecter"</a></li>
                        <li><a href="/inscription">"Créer un compte"</a></li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container">
                <nav aria-label="Pied de page">
                    <ul class="footer-links">
                        <li><a href="/documentation">"Documentation"</a></li>
                        <li><a href="/accessibilite">"Accessibilité"</a></li>
                        <li><a href="/mentions-legales">"Mentions légales"</a></li>
                    </ul>
                </nav>
                <p class="footer-note">"e-MJPM, logiciel libre sous licence AGPL-3.0-or-later."</p>
            </div>
        </footer>
    }
}
