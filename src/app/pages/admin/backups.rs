//! "/admin/sauvegarde" (SPEC §7 P2, issue 15): "Télécharger une sauvegarde" after the admin's password (a
//! plain form: the file comes back as the answer, with and without JavaScript), and the automatic backups.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{admin_backups, AdminTabs};
use crate::app::components::flash::take_page_flash;
use crate::app::components::form::{ErrorSummary, TextField};
use crate::app::components::load_error::LoadError;

#[component]
pub fn BackupsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_backups());
    let flash = Resource::new(|| (), |_| take_page_flash("sauvegarde".to_owned()));
    view! {
        <Title text="Sauvegarde"/>
        <div class="container wide">
            <h1>"Administration"</h1>
            <AdminTabs current="sauvegarde"/>
            <h2>"Sauvegarde"</h2>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || flash.try_get().flatten().map(|result| {
                    let form = result.unwrap_or_default().form.unwrap_or_default();
                    let errors = form.errors.clone();
                    let state = Signal::derive(move || (form.clone(), None));
                    view! {
                        {(!errors.is_empty()).then(|| view! { <ErrorSummary errors=errors.clone()/> })}
                        <form method="post" action="/admin/sauvegarde/telecharger" class="form">
                            <p>"Une copie complète et cohérente de la base est écrite à la demande, puis téléchargée. \
                                Confirmez votre mot de passe."</p>
                            <TextField state name="mot_de_passe" label="Mot de passe" required=true input_type="password" autocomplete="current-password"/>
                            <button type="submit" class="button">"Télécharger une sauvegarde"</button>
                        </form>
                    }
                })}
            </Suspense>
            <h2>"Sauvegardes automatiques"</h2>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok(page) => view! {
                        <p>{match page.heure {
                            Some(heure) => format!(
                                "Chaque nuit à {heure} h, le serveur écrit une sauvegarde vérifiée dans le dossier « sauvegardes » du dossier de données et garde les {} plus récentes.",
                                page.gardees
                            ),
                            None => "Les sauvegardes automatiques sont désactivées (--sauvegardes-gardees 0).".to_owned(),
                        }}</p>
                        {page.derniere.map(|(date, failure)| match failure {
                            None => view! { <p role="status">{format!("Dernière sauvegarde automatique réussie le {date}.")}</p> }.into_any(),
                            Some(reason) => view! {
                                <div class="error-summary" role="alert"><p>{format!("La sauvegarde automatique du {date} a échoué : {reason}.")}</p></div>
                            }.into_any(),
                        })}
                        {if page.fichiers.is_empty() {
                            view! { <p>"Aucune sauvegarde automatique pour l'instant."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                                    <table>
                                        <caption>"Sauvegardes automatiques, la plus récente en premier"</caption>
                                        <thead><tr><th scope="col">"Fichier"</th><th scope="col">"Taille"</th></tr></thead>
                                        <tbody>
                                            {page.fichiers.into_iter().map(|(name, size)| view! {
                                                <tr><th scope="row">{name}</th><td>{size}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }.into_any(),
                })}
            </Suspense>
        </div>
    }
}
