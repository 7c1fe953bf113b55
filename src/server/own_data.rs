//! "Télécharger mes données" (issue 19, RGPD right of access and portability): every logged-in user downloads,
//! from "Mes informations", a ZIP of what e-MJPM keeps about their account — `compte.json` (the account, its
//! profile; never the password's hash), for a mandataire the mesures as CSV files with the import's columns
//! (en cours, en attente, éteintes), for a magistrat or greffier the reservations they made, and the account's
//! journal events — with a `LISEZMOI.txt`. Read in one read transaction off the request threads; audited.

use std::io::Write;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use redb::{ReadTransaction, ReadableDatabase};
use serde_json::json;

use crate::api::AppError;
use crate::db::users::User;
use crate::db::{audit, mesures, profiles, services, tribunaux};
use crate::rules::account::Role;
use crate::rules::mesure::Status;
use crate::server::auth::Caller;
use crate::server::spreadsheet::{cell, csv_bytes};
use crate::server::time::{local_date, local_timestamp};
use crate::server::AppState;

/// The journal events a file holds at most (12 months are kept).
const MAX_EVENTS: usize = 100_000;

/// `GET /compte/mes-donnees.zip`.
pub async fn download(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let roles = [
        Role::Individuel,
        Role::Prepose,
        Role::Service,
        Role::Magistrat,
        Role::Greffier,
        Role::Admin,
    ];
    let (facts, caller) =
        match crate::server::context::caller_of(&request, "/compte/mot-de-passe", &roles) {
            Ok(found) => found,
            Err(answer) => return *answer,
        };
    let built = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        // Audited first, so that the archive's journal holds this download too.
        let write = crate::server::blocking::begin_write(&state.db)?;
        audit::record(
            &write,
            Some(caller.user.id),
            &facts.ip,
            "Téléchargement de mes données",
            &format!("utilisateur {}", caller.user.id),
            "Succès",
        )?;
        crate::server::blocking::commit(write)?;
        let read = state.db.begin_read().map_err(AppError::internal)?;
        let files = files(&read, &caller)?;
        drop(read);
        zip_of(&files).map_err(AppError::internal)
    })
    .await;
    match built {
        Ok(Ok(bytes)) => {
            let name = format!("emjpm-mes-donnees-{}.zip", crate::server::time::today_iso());
            (
                [
                    (
                        axum::http::header::CONTENT_TYPE,
                        "application/zip".to_owned(),
                    ),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                    (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(Err(error)) => crate::server::errors::error_page(&error),
        Err(_) => crate::server::errors::internal_error_page(),
    }
}

/// The files of the archive, by name.
pub fn files(read: &ReadTransaction, caller: &Caller) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let user = crate::db::users::get(read, caller.user.id)?.ok_or(AppError::NotFound)?;
    let mut files = vec![(
        "compte.json".to_owned(),
        serde_json::to_vec_pretty(&account_json(read, &user)?).map_err(AppError::internal)?,
    )];
    let mut contents = vec!["compte.json : votre compte et votre profil."];
    if user.role.is_mandataire() {
        let owner = caller.owner();
        let mut names = crate::server::mandataire::TribunalNames::new(read);
        let mut tribunal_name = |id: Option<u64>| names.name(id);
        for (status, file) in [
            (Status::EnCours, "mesures-en-cours.csv"),
            (Status::EnAttente, "mesures-en-attente.csv"),
            (Status::Eteinte, "mesures-eteintes.csv"),
        ] {
            let list = mesures::of_owner(read, owner, status)?;
            let columns = if status == Status::Eteinte {
                Status::Eteinte
            } else {
                Status::EnCours
            };
            let (headers, rows) =
                crate::server::mandataire::export::table(&list, columns, &mut tribunal_name, None);
            files.push((
                file.to_owned(),
                csv_bytes(&headers, &rows).map_err(AppError::internal)?,
            ));
        }
        contents.push("mesures-en-cours.csv, mesures-en-attente.csv, mesures-eteintes.csv : vos mesures (colonnes du modèle d'import).");
    }
    if user.role.is_tribunal() {
        files.push((
            "reservations.csv".to_owned(),
            reservations_csv(read, user.id)?,
        ));
        contents.push("reservations.csv : les mesures que vous avez réservées.");
    }
    files.push(("journal.csv".to_owned(), journal_csv(read, &user)?));
    contents
        .push("journal.csv : les événements du journal liés à votre compte (12 derniers mois).");
    let readme = format!(
        "Vos données dans e-MJPM, au {}.\n\n{}\n\nLes fichiers CSV sont en UTF-8, séparés par des points-virgules.\n\
         Votre mot de passe n'est conservé que sous une forme qui ne permet pas de le retrouver : il ne figure pas ici.\n",
        local_timestamp(crate::db::now()),
        contents.join("\n")
    );
    files.insert(0, ("LISEZMOI.txt".to_owned(), readme.into_bytes()));
    Ok(files)
}

/// The account and its profile, without any secret.
fn account_json(read: &ReadTransaction, user: &User) -> Result<serde_json::Value, AppError> {
    let mut account = json!({
        "identifiant": user.identifiant,
        "adresse_email": user.email,
        "nom": user.nom,
        "prenom": user.prenom,
        "type": user.role.label(),
        "etat": format!("{:?}", user.status),
        "creation": local_timestamp(user.created_at),
        "derniere_connexion": user.last_login.map(local_timestamp),
    });
    let tribunal_name = |id: u64| -> Result<String, AppError> {
        Ok(tribunaux::get(read, id)?.map(|t| t.nom).unwrap_or_default())
    };
    if let Some(service) = user
        .service
        .map(|s| services::get(read, s))
        .transpose()?
        .flatten()
    {
        account["service"] = json!({ "nom": service.nom, "siret": service.siret });
    }
    let owner = match user.role {
        Role::Service => user.service.unwrap_or(user.id),
        _ => user.id,
    };
    if let Some(profile) = profiles::mandataire(read, owner)? {
        let names: Vec<String> = profile
            .tribunaux
            .iter()
            .map(|id| tribunal_name(*id))
            .collect::<Result<_, _>>()?;
        account["profil"] = serde_json::to_value(&profile).map_err(AppError::internal)?;
        account["profil"]["tribunaux_noms"] = json!(names);
        if let Some(at) = profile.derniere_mise_a_jour {
            account["profil"]["derniere_mise_a_jour_date"] = json!(local_date(at));
        }
    }
    if let Some(profile) = profiles::magistrat(read, user.id)? {
        account["profil"] = serde_json::to_value(&profile).map_err(AppError::internal)?;
        account["profil"]["tribunal_nom"] = json!(tribunal_name(profile.tribunal_id)?);
    }
    Ok(account)
}

/// The reservations this magistrat or greffier made, whatever their tribunal then.
fn reservations_csv(read: &ReadTransaction, user_id: u64) -> Result<Vec<u8>, AppError> {
    let ids = mesures::all_reservation_ids(read)?;
    let mut rows = Vec::new();
    for mesure in mesures::get_many(read, &ids)? {
        let Some(reservation) = mesure
            .reservation
            .as_ref()
            .filter(|r| r.magistrat_id == user_id)
        else {
            continue;
        };
        let etat = match mesure.status {
            Status::EnAttente => "En attente",
            Status::EnCours => "Acceptée",
            Status::Eteinte => "Éteinte",
            Status::Refusee => "Refusée",
        };
        rows.push(
            [
                local_date(reservation.reserved_at),
                tribunaux::get(read, reservation.tribunal_id)?
                    .map(|t| t.nom)
                    .unwrap_or_default(),
                crate::server::magistrat::owner_name(read, mesure.owner)?,
                mesure.nature.label().to_owned(),
                mesure.numero_rg.clone().unwrap_or_default(),
                reservation.cabinet.clone().unwrap_or_default(),
                if reservation.urgente { "Oui" } else { "Non" }.to_owned(),
                etat.to_owned(),
            ]
            .iter()
            .map(|v| cell(v))
            .collect(),
        );
    }
    let headers = [
        "Réservée le",
        "Tribunal",
        "Mandataire",
        "Type de mesure",
        "Numéro RG",
        "Cabinet",
        "Urgente",
        "État",
    ];
    csv_bytes(&headers, &rows).map_err(AppError::internal)
}

/// The journal entries by the account or about it, newest first.
fn journal_csv(read: &ReadTransaction, user: &User) -> Result<Vec<u8>, AppError> {
    let entries = audit::about(
        read,
        user.id,
        &format!("utilisateur {}", user.id),
        MAX_EVENTS,
    )?;
    let rows: Vec<Vec<String>> = entries
        .into_iter()
        .map(|e| {
            [local_timestamp(e.at), e.action, e.object, e.ip, e.result]
                .iter()
                .map(|v| cell(v))
                .collect()
        })
        .collect();
    csv_bytes(
        &["Date", "Action", "Objet", "Adresse IP", "Résultat"],
        &rows,
    )
    .map_err(AppError::internal)
}

/// The archive, deflated.
fn zip_of(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        out.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        out.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}
