//! "Importer" (SPEC §5.8, issue 17): "Télécharger le modèle", then a file checked by "Vérifier le
//! fichier" (a plain multipart form, the same with and without JavaScript), then its preview and
//! "Importer". A refused file comes back with the report: its headline on the file field, then "Ligne <n> :
//! <message> (« <valeur> »)" per error.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{SpaceHeader, SpacePage};
use crate::api::form::FormState;
use crate::api::mandataire::{ImportPage as ImportData, ImportPreview};
use crate::api::AppError;
use crate::app::components::form::{error_id, form_state, FormReply};
use crate::app::components::load_error::LoadError;
use crate::rules::import::Column;

#[server(endpoint = "mandataire/import")]
pub async fn import_page() -> Result<SpacePage<ImportData>, AppError> {
    crate::server::mandataire::import::page()
}

#[server(endpoint = "mandataire/import/importer")]
pub async fn confirm_import(jeton: String) -> Result<FormReply, AppError> {
    crate::server::mandataire::import::confirm(&jeton)
}

#[server(endpoint = "mandataire/import/abandonner")]
pub async fn cancel_import() -> Result<FormReply, AppError> {
    crate::server::mandataire::import::cancel()
}

#[component]
pub fn ImportMesuresPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| import_page());
    view! {
        <Title text="Importer des mesures"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => view! {
                    <div class="container wide">
                        <h1>"Importer des mesures"</h1>
                        <SpaceHeader current="importer" header notice/>
                        {match data.apercu {
                            Some(apercu) => view! { <PreviewView apercu form=form.unwrap_or_default() service=data.service/> }.into_any(),
                            None => view! { <UploadView form=form.unwrap_or_default() service=data.service/> }.into_any(),
                        }}
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The report of a refused file: its headline, then its lines; focused on arrival (announced).
#[component]
fn ImportReport(form: FormState) -> impl IntoView {
    let headline = form.error("fichier");
    let lines: Vec<String> = form
        .errors
        .iter()
        .filter(|(field, _)| field == "rapport")
        .map(|(_, line)| line.clone())
        .collect();
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(element) = node.get() {
            let _ = element.focus();
        }
    });
    headline.map(|headline| {
        view! {
            <div class="error-summary import-report" role="alert" tabindex="-1" autofocus=true node_ref=node>
                <h2 class="error-summary-title">{headline}</h2>
                {(!lines.is_empty()).then(|| view! {
                    <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                })}
            </div>
        }
    })
}

/// Which columns the file may have, and what they accept.
#[component]
fn ColumnsHelp(service: bool) -> impl IntoView {
    let rows: Vec<(Column, &'static str)> = vec![
        (Column::DateDecision, "jj/mm/aaaa, pas dans le futur"),
        (Column::Type, "Tutelle, Curatelle simple, Curatelle renforcée, Sauvegarde de justice, MAJ… (le champ peut suivre : « Curatelle renforcée aux biens et à la personne »)"),
        (Column::Champ, "Aux biens, À la personne, Aux biens et à la personne"),
        (Column::CodePostal, "5 chiffres"),
        (Column::Commune, "le nom de la commune de ce code postal"),
        (Column::Genre, "Femme ou Homme (F, H, Madame, Monsieur)"),
        (Column::AnneeNaissance, "4 chiffres"),
        (Column::LieuDeVie, "À domicile, En établissement, En établissement avec conservation du domicile, SDF"),
        (Column::Finess, "numéro FINESS de l'établissement, pour les deux lieux de vie en établissement"),
        (Column::NumeroDossier, "votre référence, 50 caractères au plus ; jamais le nom du majeur"),
        (Column::NumeroRg, "lettres, chiffres, « / » et « - », 20 caractères au plus"),
        (Column::Tribunal, "nom ou SIRET d'un de vos tribunaux"),
        (Column::Antenne, "nom d'une antenne du service"),
        (Column::DateFin, "jj/mm/aaaa : la mesure est importée éteinte"),
        (Column::CauseSortie, "Mainlevée, Décès, Caducité…"),
    ];
    let required = |c: Column| Column::REQUIRED.contains(&c);
    view! {
        <details class="columns-help">
            <summary>"Colonnes acceptées"</summary>
            <p>"Les titres peuvent être écrits avec ou sans accents ni majuscules (« annee_naissance », « Année de naissance »…), dans n'importe quel ordre. Les valeurs aussi sont reconnues sans tenir compte des accents ni des majuscules."</p>
            <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
            <table class="table">
                <thead><tr><th scope="col">"Colonne"</th><th scope="col">"Obligatoire"</th><th scope="col">"Valeurs"</th></tr></thead>
                <tbody>
                    {rows.into_iter()
                        .filter(|(c, _)| service || *c != Column::Antenne)
                        .map(|(c, values)| view! {
                            <tr><td>{c.title()}</td><td>{if required(c) { "Oui" } else { "Non" }}</td><td>{values}</td></tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            </div>
        </details>
    }
}

/// "Télécharger le modèle" and the file form.
#[component]
fn UploadView(form: FormState, service: bool) -> impl IntoView {
    let busy = RwSignal::new(false);
    let invalid = form.error("fichier").is_some();
    let described = if invalid {
        format!("fichier-aide {}", error_id("fichier"))
    } else {
        "fichier-aide".to_owned()
    };
    let chosen = form.value("fichier_nom");
    view! {
        <ImportReport form=form.clone()/>
        <p>"Importez vos mesures depuis un fichier CSV ou Excel (.xlsx) : 5 Mo et 10 000 mesures au plus. Chaque ligne est vérifiée comme le formulaire « Enregistrer une nouvelle mesure » ; si une ligne contient une erreur, aucune mesure n'est importée. Les lignes dont le numéro de dossier existe déjà dans vos mesures sont ignorées."</p>
        <h2>"Télécharger le modèle"</h2>
        <p>"Le modèle contient les colonnes attendues et une ligne d'exemple à remplacer par vos mesures."</p>
        <ul class="link-list">
            <li><a href="/mandataire/import/modele.xlsx" download>"Télécharger le modèle (Excel)"</a></li>
            <li><a href="/mandataire/import/modele.csv" download>"Télécharger le modèle (CSV)"</a></li>
        </ul>
        <ColumnsHelp service/>
        <h2>"Vérifier le fichier"</h2>
        <form method="post" action="/mandataire/import/verifier" enctype="multipart/form-data" class="form"
            on:submit=move |_| busy.set(true)>
            <div class=if invalid { "field field-error" } else { "field" }>
                <label for="fichier">"Fichier (CSV ou Excel .xlsx) *"</label>
                <p class="hint" id="fichier-aide">
                    "CSV séparé par des points-virgules ou des virgules (UTF-8 ou Windows-1252), ou classeur Excel (.xlsx, première feuille). 5 Mo au plus."
                </p>
                {form.error("fichier").map(|message| view! {
                    <p class="error-message" id=error_id("fichier")>{message}</p>
                })}
                {(!chosen.is_empty()).then(|| view! { <p class="hint">"Fichier vérifié : "{chosen.clone()}</p> })}
                <input type="file" id="fichier" name="fichier" required=true
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    aria-describedby=described aria-invalid=invalid.then_some("true")/>
            </div>
            <button type="submit" class="button">"Vérifier le fichier"</button>
            <p role="status" class="hint">{move || busy.get().then_some("Vérification du fichier en cours, veuillez patienter…")}</p>
        </form>
    }
}

/// The checked file: counts, skipped lines, the first rows, "Importer" and "Abandonner".
#[component]
fn PreviewView(apercu: ImportPreview, form: FormState, service: bool) -> impl IntoView {
    let import = Submission::<ConfirmImport>::new();
    // Read with `try_` (see `form::Submission`).
    let pending = import.action.pending();
    let cancel = Submission::<CancelImport>::new();
    let state = form_state(import, form);
    let shown = apercu.lignes.len();
    let more = apercu.total.saturating_sub(shown);
    let mut headers = vec![
        "Ligne",
        "Date de décision",
        "Type de mesure",
        "Commune",
        "Genre",
        "Année de naissance",
        "Numéro de dossier",
        "Numéro RG",
        "Tribunal",
    ];
    if service {
        headers.push("Antenne");
    }
    view! {
        {move || view! { <ImportReport form=state.get().0/> }}
        {move || state.get().1.map(|message| view! { <div class="error-summary" role="alert"><p>{message}</p></div> })}
        <h2>"Fichier vérifié : « "{apercu.fichier.clone()}" »"</h2>
        <div class="notice" role="status">
            <p>{apercu.phrase.clone()}" Aucune erreur n'a été trouvée."</p>
            {apercu.ignorees.clone().map(|line| view! { <p>{line}</p> })}
        </div>
        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
        <table class="table">
            <caption>{format!("Aperçu des {} premières mesures", shown)}</caption>
            <thead><tr>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
            <tbody>
                {apercu.lignes.into_iter().map(|row| view! {
                    <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
        {(more > 0).then(|| view! { <p>{format!("… et {}.", crate::rules::format::plural(more, "autre mesure", "autres mesures"))}</p> })}
        <div class="form-actions">
            <PostForm action=import attr:class="inline-form">
                <input type="hidden" name="jeton" value=apercu.jeton.clone()/>
                <button type="submit" class="button">"Importer"</button>
            </PostForm>
            <PostForm action=cancel attr:class="inline-form">
                <button type="submit" class="button button-secondary">"Abandonner"</button>
            </PostForm>
        </div>
        <p role="status" class="hint">{move || pending.try_get().unwrap_or(false).then_some("Import en cours, veuillez patienter…")}</p>
    }
}
