//! "/admin/utilisateurs/:id/supprimer" (issue 19): what deleting the account does, then "Supprimer le compte"
//! (a plain form; with JavaScript the answer comes in place), or why it cannot be deleted now.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{admin_delete_page, AdminTabs, DeleteUser};
use crate::app::components::flash::take_page_flash;
use crate::app::components::form::{saved_message, version_of, Notice};
use crate::app::components::load_error::LoadError;

#[component]
pub fn DeleteUserPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let action = Submission::<DeleteUser>::new();
    let version = version_of(action);
    let data = Resource::new(
        move || (id(), version()),
        |(id, _)| async move {
            let flash = take_page_flash(String::new()).await.unwrap_or_default();
            match id {
                Some(id) => admin_delete_page(id).await.map(|page| (page, flash.notice)),
                None => Err(crate::api::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok((page, notice)) => {
                    let title = format!("Supprimer le compte de {}", page.nom);
                    let notice = notice.or_else(saved_message(action));
                    let back = format!("/admin/utilisateurs/{}", page.id);
                    view! {
                        <Title text=title.clone()/>
                        <div class="container wide">
                            <AdminTabs current="utilisateurs"/>
                            <h1>{title}</h1>
                            {notice.map(|message| view! { <Notice message/> })}
                            <p>{format!("Identifiant : {}", page.identifiant)}</p>
                            <h2>"Ce que fait la suppression"</h2>
                            <ul>
                                {page.consequences.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                            </ul>
                            {match page.refus {
                                Some(reason) => view! {
                                    <p class="notice notice-error" role="alert">{reason}</p>
                                    <p><a href=back>"Retour au compte"</a></p>
                                }.into_any(),
                                None => view! {
                                    <p><strong>"Cette action est définitive."</strong></p>
                                    <PostForm action>
                                        <input type="hidden" name="id" value=page.id/>
                                        <div class="form-actions">
                                            <button type="submit" class="button button-danger">"Supprimer le compte"</button>
                                            <a href=back>"Annuler"</a>
                                        </div>
                                    </PostForm>
                                }.into_any(),
                            }}
                        </div>
                    }.into_any()
                }
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}
