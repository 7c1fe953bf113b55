//! "Page précédente" / "Page suivante" of the long lists.

use leptos::prelude::*;

/// "Page précédente" / "Page suivante" links keeping the query's other parameters.
#[component]
pub fn Pager(base: String, page: usize, has_next: bool) -> impl IntoView {
    let link = move |p: usize| {
        if base.contains('?') {
            format!("{base}&page={p}")
        } else {
            format!("{base}?page={p}")
        }
    };
    view! {
        <nav class="pager" aria-label="Pagination">
            {(page > 1).then(|| view! { <a href=link(page - 1)>"Page précédente"</a> })}
            " "
            {has_next.then(|| view! { <a href=link(page + 1)>"Page suivante"</a> })}
        </nav>
    }
}
