//! "/documentation": the list of user guides (SPEC §15).

use leptos::prelude::*;
use leptos_meta::Title;

const GUIDES: [&str; 4] = [
    "Guide d'utilisation pour les MJPM Préposés",
    "Guide d'utilisation pour les MJPM Individuels",
    "Guide d'utilisation pour les magistrats",
    "Guide d'utilisation pour les administrateurs",
];

#[component]
pub fn DocumentationIndex() -> impl IntoView {
    view! {
        <Title text="Documentation"/>
        <div class="container prose">
            <h1>"Documentation"</h1>
            <p>
                "Les guides d'utilisation ci-dessous sont en cours de rédaction. Ils seront publiés ici avec des "
                "captures d'écran de l'application."
            </p>
            <ul>{GUIDES.iter().map(|title| view! { <li>{*title}</li> }).collect_view()}</ul>
        </div>
    }
}
