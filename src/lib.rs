//! e-MJPM, Rust edition.
//!
//! One crate, two builds: with the `ssr` feature it is the server (axum, redb, tantivy), with the `hydrate`
//! feature it is the browser code (wasm) that hydrates the pages the server rendered. `rules` and `app` are
//! shared by both; `server` and `db` exist only on the server.

pub mod api;
pub mod app;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the wasm module: hydrates the islands of the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands: only the interactive parts (forms with passwords, autocompletes) are hydrated; every other
    // part of a page is plain server-rendered HTML whose forms post like without JavaScript.
    leptos::mount::hydrate_islands();
}
