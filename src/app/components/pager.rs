//! "Page précédente" / "Page suivante" of the long lists.

use leptos::prelude::*;

/// "Page précédente" / "Page suivante" links keeping the query's other parameters. A page with two paged
/// tables (the magistrat's map) names each one's parameter and navigation.
#[component]
pub fn Pager(
    base: String,
    page: usize,
    has_next: bool,
    /// The query parameter of the page number.
    #[prop(default = "page")]
    param: &'static str,
    /// The navigation's accessible name.
    #[prop(default = "Pagination")]
    label: &'static str,
) -> impl IntoView {
    let link = move |p: usize| {
        if base.contains('?') {
            format!("{base}&{param}={p}")
        } else {
            format!("{base}?{param}={p}")
        }
    };
    view! {
        <nav class="pager" aria-label=label>
            {(page > 1).then(|| view! { <a href=link(page - 1)>"Page précédente"</a> })}
            " "
            {has_next.then(|| view! { <a href=link(page + 1)>"Page suivante"</a> })}
        </nav>
    }
}
