//! What a page finds waiting for it after a plain form post: the refused form or the one-time notice.

use leptos::prelude::*;

use crate::api::form::PageFlash;
use crate::api::AppError;

/// What a refused form finds after the redirect, and the page's own data.
#[server(endpoint = "formulaire")]
pub async fn take_page_flash(form: String) -> Result<PageFlash, AppError> {
    crate::server::accounts::page_flash(&form)
}
