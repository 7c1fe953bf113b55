//! The tab row of a space (mandataire, magistrat): links with `aria-current="page"`, each with its badge;
//! numbers are always shown, colour is never the only sign (SPEC §5.1, §6.1).

use leptos::prelude::*;

/// One tab: its key (compared with the current page), address, label and badge.
pub struct Tab {
    pub key: &'static str,
    pub href: &'static str,
    pub label: &'static str,
    pub badge: AnyView,
}

impl Tab {
    pub fn new(key: &'static str, href: &'static str, label: &'static str) -> Self {
        Tab {
            key,
            href,
            label,
            badge: ().into_any(),
        }
    }

    pub fn badge(mut self, badge: impl IntoView + 'static) -> Self {
        self.badge = badge.into_any();
        self
    }
}

/// The class of a "waiting" badge: highlighted when something waits.
pub fn waiting_class(count: u32) -> &'static str {
    if count > 0 {
        "badge badge-highlight"
    } else {
        "badge"
    }
}

#[component]
pub fn SpaceTabs(
    /// The navigation's accessible name ("Espace mandataire", …).
    label: &'static str,
    current: &'static str,
    tabs: Vec<Tab>,
) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label=label>
            <ul>
                {tabs.into_iter().map(|tab| {
                    // The map pages load their scripts with a full page load (see the `carte` pages).
                    let external = (tab.key == "carte").then_some("external");
                    view! {
                        <li>
                            <a href=tab.href rel=external aria-current=(tab.key == current).then_some("page")>
                                {tab.label}
                                " "
                                {tab.badge}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}
