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
/// Under https the cookie is `__Host-` prefixed: only this host, over https, with `Path=/`, can set it.
const HOST_COOKIE: &str = "__Host-emjpm_flash";
const LIFETIME: Duration = Duration::from_secs(120);
/// At most this many one-time messages wait at once (a refused form each), and at most `MAX_BYTES` of them:
/// past either, the oldest are dropped. 10,000 browsers refused within two minutes is far beyond any
/// jurisdiction; the bytes bound what a flood of refused anonymous posts can make the server hold.
const MAX_ENTRIES: usize = 10_000;
const MAX_BYTES: usize = 32 * 1024 * 1024;

struct Entry {
    at: Instant,
    form: String,
    flash: PageFlash,
    bytes: usize,
}

#[derive(Default)]
struct Entries {
    by_id: HashMap<String, Entry>,
    bytes: usize,
}

impl Entries {
    fn remove(&mut self, id: &str) -> Option<Entry> {
        let entry = self.by_id.remove(id)?;
        self.bytes -= entry.bytes;
        Some(entry)
    }

    /// Drops the expired entries, then the oldest ones until `incoming` more bytes fit.
    fn make_room(&mut self, incoming: usize) {
        if self.by_id.len() < MAX_ENTRIES && self.bytes + incoming <= MAX_BYTES {
            return;
        }
        self.by_id.retain(|_, e| e.at.elapsed() < LIFETIME);
        self.bytes = self.by_id.values().map(|e| e.bytes).sum();
        if self.by_id.len() < MAX_ENTRIES && self.bytes + incoming <= MAX_BYTES {
            return;
        }
        // Down to nine tenths at once, so that a flood pays this sort once per thousand posts.
        let mut by_age: Vec<(Instant, String)> = self
            .by_id
            .iter()
            .map(|(id, e)| (e.at, id.clone()))
            .collect();
        by_age.sort_unstable();
        for (_, id) in by_age {
            if self.by_id.len() < MAX_ENTRIES * 9 / 10
                && self.bytes + incoming <= MAX_BYTES * 9 / 10
            {
                break;
            }
            self.remove(&id);
        }
    }
}

/// The memory an entry holds, roughly: its texts.
fn weight(form: &str, flash: &PageFlash) -> usize {
    let texts =
        |pairs: &[(String, String)]| pairs.iter().map(|(a, b)| a.len() + b.len()).sum::<usize>();
    let state = flash.form.as_ref().map_or(0, |f| {
        texts(&f.values)
            + texts(&f.errors)
            + f.lists
                .iter()
                .map(|(n, l)| n.len() + l.iter().map(String::len).sum::<usize>())
                .sum::<usize>()
            + f.choices
                .iter()
                .map(|(a, b, c)| a.len() + b.len() + c.len() * 64)
                .sum::<usize>()
    });
    64 + form.len() + state + flash.notice.as_ref().map_or(0, String::len)
}

#[derive(Default)]
pub struct FlashStore {
    entries: Mutex<Entries>,
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

    /// Like `put`, for an answer built outside Leptos: returns the `Set-Cookie` value to send. The id is
    /// always a new one drawn by the server: an id planted in a browser (by a sibling site, say) never
    /// receives that browser's refused form.
    pub fn put_returning_cookie(&self, parts: &Parts, form: &str, flash: PageFlash) -> String {
        let secure = secure(parts);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // The message this browser had not read yet is replaced, not left to expire.
        if let Some(previous) = cookie(&parts.headers, cookie_name(secure)) {
            entries.remove(previous);
        }
        let id = random_token();
        let bytes = weight(form, &flash);
        entries.make_room(bytes);
        entries.bytes += bytes;
        entries.by_id.insert(
            id.clone(),
            Entry {
                at: Instant::now(),
                form: form.to_owned(),
                flash,
                bytes,
            },
        );
        let name = cookie_name(secure);
        let attributes = if secure { "; Secure" } else { "" };
        format!("{name}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=120{attributes}")
    }

    /// Takes what waits for `form` in this browser, once. A notice is shown by whichever page comes next.
    pub fn take(&self, parts: &Parts, form: &str) -> PageFlash {
        let Some(id) = cookie(&parts.headers, cookie_name(secure(parts))) else {
            return PageFlash::default();
        };
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.by_id.get(id) {
            Some(entry) if entry.at.elapsed() >= LIFETIME => {
                entries.remove(id);
                PageFlash::default()
            }
            // Not this page's form: left for its page.
            Some(entry) if entry.form != form && entry.flash.form.is_some() => PageFlash::default(),
            Some(_) => entries.remove(id).map(|e| e.flash).unwrap_or_default(),
            None => PageFlash::default(),
        }
    }

    /// (entries, bytes) held now: for the limits' tests.
    pub fn held(&self) -> (usize, usize) {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        (entries.by_id.len(), entries.bytes)
    }
}

/// True when the site is served over https (the public address says so).
fn secure(parts: &Parts) -> bool {
    parts
        .extensions
        .get::<std::sync::Arc<crate::server::context::RequestFacts>>()
        .is_some_and(|facts| facts.https)
}

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        HOST_COOKIE
    } else {
        COOKIE
    }
}

/// Success on a page that stays: a plain form post comes back to `page` (with its query) and finds the notice
/// there once; with JavaScript the notice is the answer, shown in place.
pub fn stay(parts: &Parts, page: &str, notice: &str) -> crate::api::form::FormReply {
    if crate::server::context::plain_form_post(parts) {
        keep_notice(parts, notice);
        crate::server::context::redirect(page);
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
