//! "/admin/tribunaux/import" and "/admin/etablissements/import" (SPEC §9): a file upload form (multipart,
//! the same with and without JavaScript) posting to `/admin/import/<kind>`; the report comes back in the
//! page's flash.

use leptos::prelude::*;
use leptos_meta::Title;

use super::AdminTabs;
use crate::app::components::flash::take_page_flash;
use crate::app::components::form::Notice;

#[component]
fn ImportPage(kind: &'static str, title: &'static str, tab: &'static str) -> impl IntoView {
    let flash = Resource::new(|| (), move |_| take_page_flash(format!("import-{kind}")));
    view! {
        <Title text=title/>
        <div class="container wide">
            <AdminTabs current=tab/>
            <h1>{title}</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || flash.try_get().flatten().map(|result| {
                    let flash = result.unwrap_or_default();
                    let report = flash.form.map(|f| f.errors).unwrap_or_default();
                    view! {
                        {flash.notice.map(|message| view! { <Notice message/> })}
                        {(!report.is_empty()).then(|| view! {
                            <div class="import-report" role="status">
                                <h2>"Compte rendu"</h2>
                                <ul>{report.into_iter().map(|(_, line)| view! { <li>{line}</li> }).collect_view()}</ul>
                            </div>
                        })}
                    }
                })}
            </Suspense>
            <form method="post" action=format!("/admin/import/{kind}") enctype="multipart/form-data" class="form">
                <div class="field">
                    <label for="fichier">"Fichier *"</label>
                    <p class="hint" id="fichier-aide">
                        {if kind == "tribunaux" {
                            "Fichier CSV des tribunaux (UTF-8, virgules, en-tête type,nom,siret…), 100 Mo au plus."
                        } else {
                            "Extrait officiel FINESS (lignes structureet et geolocalisation) ou CSV simplifié (en-tête finess_et…), 100 Mo au plus."
                        }}
                    </p>
                    <input type="file" id="fichier" name="fichier" required=true accept=".csv,text/csv" aria-describedby="fichier-aide"/>
                </div>
                {(kind == "etablissements").then(|| view! {
                    <div class="choice">
                        <input type="checkbox" id="toutes_categories" name="toutes_categories" value="oui"/>
                        <label for="toutes_categories">"Importer toutes les catégories"</label>
                    </div>
                })}
                <button type="submit" class="button">"Importer"</button>
            </form>
            <p><a href=format!("/admin/{kind}")>"Retour"</a></p>
        </div>
    }
}

#[component]
pub fn ImportTribunauxPage() -> impl IntoView {
    view! { <ImportPage kind="tribunaux" title="Importer des tribunaux" tab="tribunaux"/> }
}

#[component]
pub fn ImportEtablissementsPage() -> impl IntoView {
    view! { <ImportPage kind="etablissements" title="Importer des établissements" tab="etablissements"/> }
}
