//! E-mails (SPEC §13): their texts, queued in the outbox inside the cause's write transaction, and the
//! background sender that delivers them over SMTP when `EMJPM_SMTP_URL` is set (it also runs the periodic
//! clean-up of old e-mails, audit entries and expired sessions). User actions never wait on
//! SMTP: they only write the outbox and wake the sender.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use redb::{ReadableDatabase, WriteTransaction};

use crate::db::outbox::{self, Email, EmailState};
use crate::db::{now, StoreError};
use crate::server::config::Settings;
use crate::server::AppState;

/// A pending e-mail is retried for this long, then marked "Échec".
const RETRY_FOR_SECS: i64 = 24 * 3600;
/// Without a wake-up, the sender looks at the outbox this often (retries, purge).
const POLL: Duration = Duration::from_secs(30);

pub const SUBJECT_SIGN_UP: &str = "Nouvelle inscription";
pub const SUBJECT_ACTIVATION: &str = "Validation du compte";
pub const SUBJECT_RESET: &str = "Nouveau mot de passe pour e-MJPM";
pub const SUBJECT_PASSWORD_CHANGED: &str = "Confirmation du mot de passe";
pub const SUBJECT_RESERVATION: &str = "e-MJPM : une nouvelle mesure vous a été attribuée";
pub const SUBJECT_CANCELLATION: &str = "e-MJPM : Annulation d'une réservation de mesure";
/// SPEC §13 (P2): an urgent reservation's subject.
pub const SUBJECT_RESERVATION_URGENT: &str =
    "e-MJPM : une nouvelle mesure urgente vous a été attribuée";

/// The facts of a reservation, for the mandataire's e-mails (SPEC §13).
pub struct ReservationFacts<'a> {
    pub tribunal: &'a str,
    pub cabinet: &'a str,
    pub type_mesure: &'a str,
    pub genre: &'a str,
    pub annee_naissance: u16,
    pub numero_rg: &'a str,
    /// The capacity sentence after the change.
    pub capacite: &'a str,
    /// "Oui, c'est une demande urgente" (issue 18).
    pub urgente: bool,
    /// "Date prévisionnelle du jugement", "jj/mm/aaaa", or empty.
    pub date_jugement: &'a str,
}

/// "e-MJPM : une nouvelle mesure vous a été attribuée" (`cancelled` false) or its cancellation.
pub fn reservation_body(
    settings: &Settings,
    facts: &ReservationFacts<'_>,
    cancelled: bool,
) -> String {
    let opening = if cancelled {
        "La réservation de mesure suivante a été annulée par le tribunal."
    } else {
        "Une nouvelle mesure vous a été attribuée. Une fois la notification officielle reçue, \
         acceptez-la dans l'onglet « Mesures en attente »."
    };
    let mut extra = String::new();
    if facts.urgente {
        extra.push_str("\nDemande urgente : oui");
    }
    if !facts.date_jugement.is_empty() {
        extra.push_str(&format!(
            "\nDate prévisionnelle du jugement : {}",
            facts.date_jugement
        ));
    }
    format!(
        "Bonjour,\n\n{opening}\n\nTribunal : {}\nCabinet : {}\nType de mesure : {}\nGenre du majeur : {}\n\
         Année de naissance du majeur : {}\nNuméro RG : {}{extra}\n\n{}\n\n{}",
        facts.tribunal,
        if facts.cabinet.is_empty() { "non précisé" } else { facts.cabinet },
        facts.type_mesure,
        facts.genre,
        facts.annee_naissance,
        if facts.numero_rg.is_empty() { "non précisé" } else { facts.numero_rg },
        facts.capacite,
        settings.link("/mandataire/mesures/en-attente")
    )
}

/// Queues one e-mail in the caller's transaction.
pub fn queue(
    write: &WriteTransaction,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), StoreError> {
    outbox::queue(write, to, subject, &format!("{body}\n\n-- \ne-MJPM\n"))?;
    Ok(())
}

/// "Nouvelle inscription" to the active admins and the contact address.
pub fn sign_up_body(
    settings: &Settings,
    name: &str,
    kind: &str,
    email: &str,
    tribunaux: &[String],
    user_id: u64,
) -> String {
    format!(
        "Bonjour,\n\nUne nouvelle inscription a été faite sur e-MJPM.\n\nNom : {name}\nType : {kind}\n\
         Adresse email : {email}\nTribunaux : {}\n\nMerci de vérifier ces informations et de valider le compte :\n{}",
        tribunaux.join(", "),
        settings.link(&format!("/admin/utilisateurs/{user_id}"))
    )
}

pub fn activation_body(settings: &Settings, identifiant: &str) -> String {
    format!(
        "Bonjour,\n\nVotre compte e-MJPM a été validé.\n\nIdentifiant : {identifiant}\n\
         Vous pouvez vous connecter : {}",
        settings.link("/connexion")
    )
}

/// "Nouveau mot de passe pour e-MJPM": queued with the link kept only as long as it is needed; the stored and
/// shown text has it masked (issue 14, point 7).
pub fn queue_reset(
    write: &WriteTransaction,
    settings: &Settings,
    to: &str,
    identifiant: &str,
    token: &str,
    until: i64,
) -> Result<(), StoreError> {
    let text = |link: &str| {
        format!(
            "Bonjour,\n\nUne réinitialisation de votre mot de passe e-MJPM a été demandée.\n\n\
             Identifiant : {identifiant}\nChoisissez un nouveau mot de passe en suivant ce lien :\n{link}\n\n\
             Ce lien est valable 2 heures et ne peut servir qu'une fois.\n\
             Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n-- \ne-MJPM\n"
        )
    };
    let link = settings.link(&format!("/reinitialiser-mot-de-passe?jeton={token}"));
    let masked = format!(
        "{}{LINK_MASKED}",
        settings.link("/reinitialiser-mot-de-passe?jeton=")
    );
    outbox::queue_secret(
        write,
        to,
        SUBJECT_RESET,
        &text(&masked),
        outbox::Secret {
            body: text(&link),
            until,
        },
    )?;
    Ok(())
}

pub const SUBJECT_ACCEPTED: &str = "e-MJPM : la mesure réservée a été acceptée";
pub const SUBJECT_DECLINED: &str = "e-MJPM : une mesure réservée a été refusée";

/// What the reserving magistrat is told of the mandataire's answer (issue 17).
pub struct AnswerFacts<'a> {
    pub type_mesure: &'a str,
    pub numero_rg: &'a str,
    pub mandataire: &'a str,
    /// "jj/mm/aaaa" of the answer.
    pub date: &'a str,
    /// The reason of a refusal; `None` for an acceptance.
    pub refus: Option<&'a str>,
}

/// "e-MJPM : la mesure réservée a été acceptée" / "… a été refusée", to the reserving magistrat.
pub fn answer_body(settings: &Settings, facts: &AnswerFacts<'_>) -> String {
    let rg = if facts.numero_rg.is_empty() {
        "non précisé"
    } else {
        facts.numero_rg
    };
    let (what, reason) = match facts.refus {
        None => ("acceptée".to_owned(), String::new()),
        Some(motif) => ("refusée".to_owned(), format!("\nMotif du refus : {motif}")),
    };
    format!(
        "Bonjour,\n\nLa mesure que vous avez réservée a été {what} par {} le {}.\n\n\
         Type de mesure : {}\nNuméro RG : {rg}{reason}\n\nVos mesures réservées : {}",
        facts.mandataire,
        facts.date,
        facts.type_mesure,
        settings.link("/magistrat/mesures")
    )
}

pub const SUBJECT_INVITATION: &str = "Invitation à rejoindre un service sur e-MJPM";

/// "Invitation à rejoindre un service": the link, like a reset link, is kept only until it expires and is
/// masked in the stored and shown text.
pub fn queue_invitation(
    write: &WriteTransaction,
    settings: &Settings,
    to: &str,
    service: &str,
    inviter: &str,
    token: &str,
    until: i64,
) -> Result<(), StoreError> {
    let text = |link: &str| {
        format!(
            "Bonjour,\n\n{inviter} vous invite à rejoindre le service mandataire « {service} » sur e-MJPM.\n\n\
             Créez votre compte en suivant ce lien :\n{link}\n\n\
             Ce lien est valable 7 jours et ne peut servir qu'une fois.\n\
             Si vous ne connaissez pas ce service, ignorez ce message.\n\n-- \ne-MJPM\n"
        )
    };
    let link = settings.link(&format!("/invitation?jeton={token}"));
    let masked = format!("{}{LINK_MASKED}", settings.link("/invitation?jeton="));
    outbox::queue_secret(
        write,
        to,
        SUBJECT_INVITATION,
        &text(&masked),
        outbox::Secret {
            body: text(&link),
            until,
        },
    )?;
    Ok(())
}

/// What replaces a reset link's token in the stored and shown text.
pub const LINK_MASKED: &str = "[masqué]";

pub fn password_changed_body(at: i64) -> String {
    format!(
        "Bonjour,\n\nVotre mot de passe e-MJPM a été modifié le {}.\n\n\
         Si vous n'êtes pas à l'origine de cette modification, contactez l'équipe e-MJPM.",
        crate::server::time::local_timestamp(at)
    )
}

/// Runs forever: delivers due e-mails when SMTP is configured, retries, marks "Échec" after 24 h. (The
/// clean-up of old e-mails is a scheduled job: `jobs`.)
pub async fn run_sender(state: AppState) {
    let transport = match state.settings.smtp_url.as_deref().map(transport) {
        None => None,
        Some(Ok(transport)) => Some(transport),
        Some(Err(reason)) => {
            tracing::error!(
                "EMJPM_SMTP_URL invalide ({reason}) : les courriels ne seront pas envoyés"
            );
            None
        }
    };
    loop {
        if let Some(transport) = &transport {
            if let Err(error) = deliver_due(&state, transport).await {
                tracing::error!(%error, "lecture de la file des courriels impossible");
            }
        }
        tokio::select! {
            () = state.mail_wakeup.notified() => {},
            () = tokio::time::sleep(POLL) => {},
        }
    }
}

fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map(|builder| builder.timeout(Some(Duration::from_secs(20))).build())
        .map_err(|_| "adresse non reconnue".to_owned())
}

async fn deliver_due(
    state: &AppState,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
) -> Result<(), StoreError> {
    let due = {
        let read = state.db.begin_read()?;
        outbox::due(&read, now())?
    };
    for mut email in due {
        let outcome = match message(&state.settings.smtp_from, &email) {
            Ok(message) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| smtp_reason(&e)),
            Err(reason) => Err(reason),
        };
        let at = now();
        email.attempts += 1;
        match outcome {
            Ok(()) => {
                email.state = EmailState::Sent;
                email.sent_at = Some(at);
                email.last_error = None;
                // Delivered: the secret is the recipient's alone now.
                email.secret = None;
                tracing::info!(id = email.id, "courriel envoyé");
            }
            Err(reason) => {
                tracing::warn!(id = email.id, %reason, "envoi d'un courriel en échec, nouvel essai prévu");
                email.last_error = Some(reason);
                if at - email.created_at >= RETRY_FOR_SECS {
                    email.state = EmailState::Failed;
                    email.secret = None;
                } else {
                    let backoff = 60_i64 << email.attempts.min(6);
                    email.next_attempt_at = at + backoff.min(3600);
                }
            }
        }
        let write = crate::server::blocking::begin_write(&state.db)?;
        outbox::put(&write, &email)?;
        crate::server::blocking::commit(write)?;
    }
    Ok(())
}

fn message(from: &str, email: &Email) -> Result<Message, String> {
    Message::builder()
        .from(from.parse().map_err(|_| "expéditeur invalide".to_owned())?)
        .to(email
            .to
            .parse()
            .map_err(|_| "destinataire invalide".to_owned())?)
        .subject(email.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(email.text_to_send().to_owned())
        .map_err(|_| "courriel mal formé".to_owned())
}

/// A French reason for the administrator; lettre's text may hold the server's answer, never our secrets.
fn smtp_reason(error: &lettre::transport::smtp::Error) -> String {
    if error.is_permanent() {
        "refusé par le serveur SMTP".to_owned()
    } else if error.is_transient() {
        "refus temporaire du serveur SMTP".to_owned()
    } else {
        "serveur SMTP injoignable".to_owned()
    }
}
