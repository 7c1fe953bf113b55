//! The homes of the mandataire and magistrat spaces (SPEC §1). Their workspaces (mesures, mandataires list)
//! are the subject of later issues; until then the home says who is logged in and where to go.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::app::layout::whoami;

#[component]
fn SpaceHome(title: &'static str) -> impl IntoView {
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Title text=title/>
        <div class="container">
            <h1>{title}</h1>
            <Suspense fallback=|| ()>
                {move || me.get().map(|me| me.ok().flatten().map(|me| view! {
                    <p>{format!("Bienvenue, {}.", me.nom)}</p>
                }))}
            </Suspense>
            <p>"Cet espace est en cours de construction."</p>
            <p><a href="/compte/mot-de-passe">"Modifier mon mot de passe"</a></p>
        </div>
    }
}

#[component]
pub fn MagistratHome() -> impl IntoView {
    view! { <SpaceHome title="Mandataires"/> }
}
