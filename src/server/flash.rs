//! One-time messages between a plain form post and the page it redirects to (no JavaScript): the refused
//! form with its values and errors, or the status message of a success. Kept in memory for two minutes
//! under a random id held in an `HttpOnly` cookie: it is presentation state, not data.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::request::Parts;

use crate::api::form::{FormState, PageFlash};
use crate::server::auth::session::{cookie, random_token};

const COOKIE: &str = "emjpm_flash";
const LIFETIME: Duration = Duration::from_secs(120);

#[derive(Default)]
pub struct FlashStore {
    entries: Mutex<HashMap<String, (Instant, String, PageFlash)>>,
}

impl FlashStore {
    /// Keeps a form state or a notice for the next page of this browser. `form` names the form, so that
    /// another page does not show it.
    pub fn put(&self, parts: &Parts, form: &str, flash: PageFlash) {
        let set_cookie = self.put_returning_cookie(parts, form, flash);
        if let (Some(response), Ok(value)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            axum::http::HeaderValue::from_str(&set_cookie),
        ) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }

    /// Like `put`, for an answer built outside Leptos: returns the `Set-Cookie` value to send.
    pub fn put_returning_cookie(&self, parts: &Parts, form: &str, flash: PageFlash) -> String {
        let id = cookie(&parts.headers, COOKIE)
            .filter(|id| id.len() == 43)
            .map_or_else(random_token, str::to_owned);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, (at, _, _)| at.elapsed() < LIFETIME);
        entries.insert(id.clone(), (Instant::now(), form.to_owned(), flash));
        format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=120")
    }

    /// Takes what waits for `form` in this browser, once. A notice is shown by whichever page comes next.
    pub fn take(&self, parts: &Parts, form: &str) -> PageFlash {
        let Some(id) = cookie(&parts.headers, COOKIE) else {
            return PageFlash::default();
        };
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.remove(id) {
            Some((at, owner, flash)) if at.elapsed() < LIFETIME => {
                if owner == form || flash.form.is_none() {
                    flash
                } else {
                    // Not this page's form: leave it for its page.
                    entries.insert(id.to_owned(), (at, owner, flash));
                    PageFlash::default()
                }
            }
            _ => PageFlash::default(),
        }
    }
}

/// Success on a page that stays: a plain form post comes back to `page` (with its query) and finds the notice
/// there once; with JavaScript the notice is the answer, shown in place.
pub fn stay(parts: &Parts, page: &str, notice: &str) -> crate::api::form::FormReply {
    if crate::server::context::plain_form_post(parts) {
        keep_notice(parts, notice);
        leptos_axum::redirect(page);
    }
    crate::api::form::FormReply::Saved(notice.to_owned())
}

/// Stores a refused form for its page when the post came without JavaScript.
pub fn keep_refused_form(parts: &Parts, form: &str, state: &FormState) {
    if let Ok(app) = crate::server::context::Visit::current() {
        app.state.flash.put(
            parts,
            form,
            PageFlash {
                form: Some(state.clone()),
                notice: None,
            },
        );
    }
}

/// Stores the one-time status message shown by the next page.
pub fn keep_notice(parts: &Parts, message: &str) {
    if let Ok(app) = crate::server::context::Visit::current() {
        app.state.flash.put(
            parts,
            "",
            PageFlash {
                form: None,
                notice: Some(message.to_owned()),
            },
        );
    }
}
