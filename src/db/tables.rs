//! Table definitions. Values are JSON bytes of the `db` module's records, so that a schema migration can
//! rewrite them without depending on Rust types that change.

use redb::TableDefinition;

/// Database-wide facts, such as `schema_version`.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// Next identifier of each kind of record ("user", "audit"…).
pub const SEQUENCES: TableDefinition<&str, u64> = TableDefinition::new("sequences");
/// User id → `users::User`.
pub const USERS: TableDefinition<u64, &[u8]> = TableDefinition::new("users");
/// Lower-case identifiant → user id.
pub const USERS_BY_IDENTIFIANT: TableDefinition<&str, u64> =
    TableDefinition::new("users_by_identifiant");
/// Lower-case e-mail → user id.
pub const USERS_BY_EMAIL: TableDefinition<&str, u64> = TableDefinition::new("users_by_email");
/// Audit entry id (increasing with time) → `audit::AuditEntry`.
pub const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");
/// (action, entry id): the journal filtered by action, and the list of actions, without a scan.
pub const AUDIT_BY_ACTION: TableDefinition<(&str, u64), ()> =
    TableDefinition::new("audit_by_action");
/// (actor's user id, entry id): the journal of some accounts, a user's own events.
pub const AUDIT_BY_ACTOR: TableDefinition<(u64, u64), ()> = TableDefinition::new("audit_by_actor");
/// (object, entry id), e.g. ("utilisateur 12", 345): the events about an account.
pub const AUDIT_BY_OBJECT: TableDefinition<(&str, u64), ()> =
    TableDefinition::new("audit_by_object");
/// Tribunal id → `tribunaux::Tribunal`.
pub const TRIBUNAUX: TableDefinition<u64, &[u8]> = TableDefinition::new("tribunaux");
/// Natural key ("TJ|siret:…" or "TI|nom:…") → tribunal id.
pub const TRIBUNAUX_BY_KEY: TableDefinition<&str, u64> = TableDefinition::new("tribunaux_by_key");
/// FINESS ET number → `etablissements::Etablissement`.
pub const ETABLISSEMENTS: TableDefinition<&str, &[u8]> = TableDefinition::new("etablissements");
/// SHA-256 of a session id (hex) → `sessions::Session`. The id itself is only in the user's cookie.
pub const SESSIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("sessions");
/// SHA-256 of a password-reset token (hex) → `reset_tokens::ResetToken`.
pub const RESET_TOKENS: TableDefinition<&str, &[u8]> = TableDefinition::new("reset_tokens");
/// User id → `profiles::Mandataire` (individuel, préposé, service).
pub const MANDATAIRES: TableDefinition<u64, &[u8]> = TableDefinition::new("mandataires");
/// (tribunal id, user id) of each mandataire's declared tribunal: a magistrat's list reads one range.
pub const MANDATAIRES_BY_TRIBUNAL: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("mandataires_by_tribunal");
/// User id → `profiles::Magistrat`.
pub const MAGISTRATS: TableDefinition<u64, &[u8]> = TableDefinition::new("magistrats");
/// E-mail id (increasing with time) → `outbox::Email`.
pub const OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("outbox");
/// Mesure id → `mesures::Mesure`.
pub const MESURES: TableDefinition<u64, &[u8]> = TableDefinition::new("mesures");
/// (owner, status, rank, mesure id): a mandataire's tabs read one range each, already in display order
/// (the rank puts the newest decision, end or reservation first), so a page decodes only its 50 mesures.
pub const MESURES_BY_OWNER: TableDefinition<(u64, u8, u64, u64), ()> =
    TableDefinition::new("mesures_by_owner");
/// Version 6–7 only: (owner, INSEE code) → the JSON list of the (nature, champ, birth year) of the owner's
/// mesures en cours there. Rewriting a whole list made a creation's cost grow with the owner's mesures;
/// version 8 replaced it by `MESURES_CARTE`.
pub const MESURES_PAR_COMMUNE: TableDefinition<(u64, &str), &[u8]> =
    TableDefinition::new("mesures_par_commune");
/// (owner, INSEE code, "nature|champ|birth year") → how many of the owner's mesures en cours share that line
/// in that commune: "Vue carte" reads these few records instead of every mesure, and a change touches one
/// counter.
pub const MESURES_CARTE: TableDefinition<(u64, &str, &str), u32> =
    TableDefinition::new("mesures_carte");
/// (owner, tribunal id or 0, numéro RG) → mesure id: the RG number is unique per mandataire and tribunal.
pub const MESURES_BY_RG: TableDefinition<(u64, u64, &str), u64> =
    TableDefinition::new("mesures_by_rg");
/// (reserving tribunal, mesure id): schema 6 only, replaced by `RESERVATIONS_BY_TRIBUNAL` in schema 7.
pub const MESURES_BY_TRIBUNAL: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("mesures_by_tribunal");
/// (reserving tribunal, status, mesure id): a tribunal's "Mesures réservées" by état, and the badge of
/// reservations en attente, without decoding the tribunal's other mesures.
pub const RESERVATIONS_BY_TRIBUNAL: TableDefinition<(u64, u8, u64), ()> =
    TableDefinition::new("reservations_by_tribunal");
/// "comptes" → the demo accounts (JSON list of `rules::account::DemoAccount`), in a database made by
/// `emjpm demo` only: its presence is what makes a database a demo one.
pub const DEMO: TableDefinition<&str, &[u8]> = TableDefinition::new("demo");
/// Service id (from the "user" sequence, so that it never meets a user id in `mandataires`) →
/// `services::Service`: the service's identity, members, antennes and waiting invitations.
pub const SERVICES: TableDefinition<u64, &[u8]> = TableDefinition::new("services");
/// Antenne id → `services::Antenne`, with its own capacity and counters.
pub const ANTENNES: TableDefinition<u64, &[u8]> = TableDefinition::new("antennes");
/// SHA-256 of an invitation token (hex) → service id. The token itself is only in the e-mail.
pub const INVITATIONS: TableDefinition<&str, u64> = TableDefinition::new("invitations");
/// (antenne, status, rank, mesure id): an antenne's mesures, filtered and counted without a scan, in the
/// order of `mesures_by_owner`.
pub const MESURES_BY_ANTENNE: TableDefinition<(u64, u8, u64, u64), ()> =
    TableDefinition::new("mesures_by_antenne");
/// (mandataire, note id) → `notes::Note`: the magistrats' private notes on a fiche (issue 18).
pub const NOTES: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("notes");
/// Tribunal id → the version of what its magistrats' lists show of its mandataires (issue 18): bumped in the
/// write transaction of every change of a mandataire profile of that tribunal (counters included), of such a
/// mandataire's name or status, or of a service (`scope_versions`).
pub const SCOPE_VERSIONS: TableDefinition<u64, u64> = TableDefinition::new("scope_versions");
/// (status code, user id) of every account (schema 12, issue 20): the admin's tabs, their counts and the
/// pending badge read their page and count here instead of decoding every account.
pub const USERS_BY_STATUS: TableDefinition<(u8, u64), ()> = TableDefinition::new("users_by_status");
