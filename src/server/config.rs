//! Command line and environment configuration (SPEC §14). Flags override environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "emjpm",
    version,
    about = "e-MJPM : les mandataires judiciaires à la protection des majeurs et les magistrats, dans un seul programme.",
    disable_help_subcommand = true,
    help_template = "{about}\n\nUsage : {usage}\n\n{all-args}",
    next_help_heading = "Options"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options de `serve`, la commande par défaut.
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Fuseau horaire de la juridiction (nom IANA, par exemple Indian/Reunion) : « aujourd'hui », dates et
    /// heures affichées.
    #[arg(
        long = "fuseau-horaire",
        env = "EMJPM_FUSEAU_HORAIRE",
        default_value = crate::server::time::DEFAULT_ZONE,
        global = true,
        value_name = "FUSEAU",
        value_parser = crate::server::time::zone_named
    )]
    pub fuseau_horaire: jiff::tz::TimeZone,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Démarre le serveur web (commande par défaut).
    Serve(Box<ServeArgs>),
    /// Importe un fichier de tribunaux (CSV) et affiche le compte rendu.
    ImportTribunaux(ImportArgs),
    /// Importe un fichier d'établissements (CSV simplifié, en-tête commençant par finess_et).
    ImportEtablissements(ImportEtablissementsArgs),
    /// Crée un compte administrateur actif. Mot de passe : variable EMJPM_ADMIN_PASSWORD, sinon demandé au terminal.
    CreateAdmin(CreateAdminArgs),
    /// Remplit le dossier de données avec une démonstration : comptes de chaque rôle, mesures, tribunaux.
    Demo(DemoArgs),
    /// Remplit un dossier vide d'un jeu de données fictif à l'échelle nationale (mesures de performance).
    GenererNational(NationalArgs),
    /// Mesure la limite de validations durables de la base sur ce disque (banc d'essai).
    #[command(hide = true)]
    MesurerCommits(CommitsArgs),
    /// Vérifie la cohérence de la base (serveur arrêté) : compteurs, index, journal. Ne modifie rien.
    Verifier(VerifierArgs),
    /// Écrit une copie cohérente de la base dans FICHIER, que le serveur tourne ou non.
    Backup(BackupArgs),
    /// Remplace la base par une sauvegarde vérifiée (serveur arrêté) ; l'ancienne est gardée à côté.
    Restore(RestoreArgs),
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// Le fichier de sauvegarde à écrire.
    #[arg(value_name = "FICHIER")]
    pub file: PathBuf,
    /// Remplace le fichier s'il existe déjà.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// La sauvegarde à remettre en place.
    #[arg(value_name = "FICHIER")]
    pub file: PathBuf,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct VerifierArgs {
    /// Affiche aussi le numéro de dossier de chaque mesure qui en a un (un par ligne), pour les tests de
    /// résistance aux arrêts brutaux.
    #[arg(long, hide = true)]
    pub numeros_de_dossier: bool,
    #[command(flatten)]
    pub data: DataDirArg,
}

pub use crate::server::national::args::{CommitsArgs, NationalArgs};

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Fichier des tribunaux à importer ; sans lui, quelques tribunaux « (démo) » sont créés.
    #[arg(long, value_name = "FICHIER")]
    pub tribunaux: Option<PathBuf>,
    /// Fichier des établissements à importer ; sans lui, quelques établissements « (démo) » sont créés.
    #[arg(long, value_name = "FICHIER")]
    pub etablissements: Option<PathBuf>,
    /// Ajoute la démonstration même à une base qui contient déjà d'autres données.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct CreateAdminArgs {
    /// Identifiant de connexion (3 à 50 caractères : lettres sans accent, chiffres, point, tiret, tiret bas).
    #[arg(long)]
    pub identifiant: String,
    /// Adresse email de l'administrateur.
    #[arg(
        long,
        default_value = "",
        required_unless_present = "reinitialiser_2fa"
    )]
    pub email: String,
    /// Réinitialise la double authentification de l'administrateur existant IDENTIFIANT (téléphone perdu) :
    /// elle lui sera proposée de nouveau. Aucun mot de passe n'est demandé.
    #[arg(long = "reinitialiser-2fa")]
    pub reinitialiser_2fa: bool,
    /// Nom affiché.
    #[arg(long, default_value = "Administrateur")]
    pub nom: String,
    /// Prénom affiché.
    #[arg(long, default_value = "")]
    pub prenom: String,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Le fichier à importer.
    #[arg(value_name = "FICHIER")]
    pub file: PathBuf,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct ImportEtablissementsArgs {
    #[command(flatten)]
    pub import: ImportArgs,
    /// Importe toutes les catégories FINESS, pas seulement celles utiles aux mandataires.
    #[arg(long)]
    pub toutes_categories: bool,
}

/// `--data-dir`, shared by every command.
#[derive(Debug, Clone, Args)]
pub struct DataDirArg {
    /// Dossier des données (base de données et index de recherche), créé s'il n'existe pas.
    #[arg(
        long = "data-dir",
        env = "EMJPM_DATA_DIR",
        default_value = "emjpm-data",
        value_name = "DOSSIER"
    )]
    pub path: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Adresse et port d'écoute, par exemple 127.0.0.1:3000.
    #[arg(
        long,
        env = "EMJPM_LISTEN",
        default_value = "127.0.0.1:3000",
        value_name = "ADRESSE:PORT"
    )]
    pub listen: SocketAddr,
    /// Nombre maximal de connexions ouvertes en même temps (les suivantes attendent) ; abaissé si la
    /// limite de fichiers ouverts du système ne le permet pas.
    #[arg(
        long,
        env = "EMJPM_CONNEXIONS_MAX",
        default_value_t = 4096,
        value_name = "NOMBRE",
        value_parser = clap::value_parser!(u32).range(1..=1_000_000)
    )]
    pub connexions_max: u32,
    /// Requêtes d'autocomplétion permises par seconde et par adresse (le double en rafale) ; 0 : sans limite.
    #[arg(
        long,
        env = "EMJPM_AUTOCOMPLETION_PAR_SECONDE",
        default_value_t = 20,
        value_name = "NOMBRE"
    )]
    pub autocompletion_par_seconde: u32,
    /// Heure (0 à 23, heure du fuseau de la juridiction) de la sauvegarde automatique quotidienne.
    #[arg(
        long,
        env = "EMJPM_SAUVEGARDE_HEURE",
        default_value_t = 2,
        value_name = "HEURE",
        value_parser = clap::value_parser!(u8).range(0..=23)
    )]
    pub sauvegarde_heure: u8,
    /// Nombre de sauvegardes automatiques gardées dans DOSSIER/sauvegardes ; 0 : pas de sauvegarde automatique.
    #[arg(
        long,
        env = "EMJPM_SAUVEGARDES_GARDEES",
        default_value_t = 14,
        value_name = "NOMBRE",
        value_parser = clap::value_parser!(u32).range(0..=3650)
    )]
    pub sauvegardes_gardees: u32,
    /// Jours après lesquels une réservation toujours en attente est signalée « Ancienne » ; au double de ce
    /// délai, le magistrat qui l'a faite reçoit un courriel lui demandant de la confirmer ou de l'annuler.
    #[arg(
        long,
        env = "EMJPM_RESERVATION_ANCIENNE_JOURS",
        default_value_t = 60,
        value_name = "JOURS",
        value_parser = clap::value_parser!(u32).range(1..=3650)
    )]
    pub reservation_ancienne_jours: u32,
    /// Adresses IP autorisées à lire /metrics (format Prometheus), séparées par des virgules ; vide : pas de
    /// /metrics.
    #[arg(
        long,
        env = "EMJPM_METRIQUES_ADRESSES",
        value_name = "ADRESSES",
        value_delimiter = ','
    )]
    pub metriques_adresses: Vec<std::net::IpAddr>,
    /// Années pendant lesquelles une mesure éteinte est conservée après sa date de fin, puis effacée.
    #[arg(
        long,
        env = "EMJPM_CONSERVATION_MESURES_ANS",
        default_value_t = 5,
        value_name = "ANS",
        value_parser = clap::value_parser!(u32).range(1..=50)
    )]
    pub conservation_mesures_ans: u32,
    /// Années après lesquelles un compte désactivé est supprimé (les administrateurs sont prévenus 30 jours
    /// avant dans l'onglet « Utilisateurs »).
    #[arg(
        long,
        env = "EMJPM_CONSERVATION_COMPTES_DESACTIVES_ANS",
        default_value_t = 2,
        value_name = "ANS",
        value_parser = clap::value_parser!(u32).range(1..=50)
    )]
    pub conservation_comptes_desactives_ans: u32,
    /// Rend la double authentification obligatoire pour les administrateurs : un administrateur qui ne l'a pas
    /// activée doit le faire à sa prochaine connexion, avant toute page d'administration.
    #[arg(long, env = "EMJPM_DOUBLE_AUTHENTIFICATION_OBLIGATOIRE")]
    pub double_authentification_obligatoire: bool,
    /// Pour les tests seulement : l'heure du serveur avance du nombre de secondes écrit dans ce fichier (relu
    /// chaque seconde), et les tâches périodiques regardent l'heure chaque seconde. Jamais en production.
    #[arg(long, value_name = "FICHIER")]
    pub horloge_de_test: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub data: DataDirArg,
    /// Adresse publique du site, utilisée dans les liens des courriels et pour vérifier l'origine des requêtes.
    #[arg(long, env = "EMJPM_PUBLIC_URL", value_name = "URL", value_parser = parse_public_url)]
    pub public_url: Option<url::Url>,
    /// Expéditeur des courriels. Le serveur SMTP se donne par la variable EMJPM_SMTP_URL seulement
    /// (smtp://hôte:port, smtps://utilisateur:motdepasse@hôte), car elle peut contenir un secret.
    #[arg(
        long,
        env = "EMJPM_SMTP_FROM",
        default_value = "e-MJPM <ne-pas-repondre@emjpm.invalid>",
        value_name = "ADRESSE"
    )]
    pub smtp_from: String,
    /// Adresse de contact : lien « Nous contacter » et copie des courriels « Nouvelle inscription ».
    #[arg(long, env = "EMJPM_CONTACT_EMAIL", value_name = "ADRESSE")]
    pub contact_email: Option<String>,
    /// Fait confiance à l'en-tête X-Forwarded-For d'un serveur mandataire (proxy) placé devant e-MJPM.
    #[arg(long, env = "EMJPM_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Durée d'inactivité (en minutes) après laquelle une session prend fin.
    #[arg(
        long,
        env = "EMJPM_SESSION_IDLE_MINUTES",
        default_value_t = 60,
        value_name = "MINUTES"
    )]
    pub session_idle_minutes: u32,
    /// Durée maximale (en heures) d'une session.
    #[arg(
        long,
        env = "EMJPM_SESSION_MAX_HOURS",
        default_value_t = 12,
        value_name = "HEURES"
    )]
    pub session_max_hours: u32,
    /// Modèle d'adresse des tuiles du fond de carte ({z}, {x}, {y}) ; « none » désactive le fond de carte.
    #[arg(
        long,
        env = "EMJPM_TILE_URL",
        default_value = "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        value_name = "URL"
    )]
    pub tile_url: String,
    /// Mention des sources du fond de carte.
    #[arg(
        long,
        env = "EMJPM_TILE_ATTRIBUTION",
        default_value = "© les contributeurs d'OpenStreetMap",
        value_name = "TEXTE"
    )]
    pub tile_attribution: String,
}

/// What the running server needs of its configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    pub public_url: url::Url,
    /// `EMJPM_SMTP_URL`; never logged, it may hold a password.
    pub smtp_url: Option<String>,
    pub smtp_from: String,
    pub contact_email: Option<String>,
    pub trust_proxy: bool,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    /// `None` when the background map is disabled ("none").
    pub tile_url: Option<String>,
    pub tile_attribution: String,
    /// Autocomplete requests allowed per second and address (SPEC §10); 0 for none.
    pub autocomplete_per_second: u32,
    /// The hour of the nightly backup; `None` when automatic backups are off.
    pub backup_hour: Option<u8>,
    /// Automatic backups kept.
    pub backups_kept: usize,
    /// The addresses allowed to read /metrics; empty: no /metrics.
    pub metrics_addresses: Vec<std::net::IpAddr>,
    /// A reservation still en attente this long is "Ancienne" (issue 18), in seconds.
    pub old_reservation_secs: i64,
    /// `--horloge-de-test`: the file whose number of seconds moves the clock (tests only).
    pub test_clock: Option<std::path::PathBuf>,
    /// Years a mesure éteinte is kept after its end date (issue 19).
    pub mesures_eteintes_years: u32,
    /// Years after which a deactivated account is erased (issue 19).
    pub comptes_desactives_years: u32,
    /// Admins must enrol a second factor (issue 19).
    pub admin_two_factor_required: bool,
}

impl Settings {
    pub fn from_args(args: &ServeArgs) -> Settings {
        Settings {
            public_url: args.public_url(),
            smtp_url: std::env::var("EMJPM_SMTP_URL")
                .ok()
                .filter(|v| !v.trim().is_empty()),
            smtp_from: args.smtp_from.clone(),
            contact_email: args.contact_email.clone().filter(|v| !v.trim().is_empty()),
            trust_proxy: args.trust_proxy,
            session_idle_secs: i64::from(args.session_idle_minutes.max(1)) * 60,
            session_absolute_secs: i64::from(args.session_max_hours.max(1)) * 3600,
            tile_url: Some(args.tile_url.trim().to_owned())
                .filter(|u| !u.is_empty() && !u.eq_ignore_ascii_case("none")),
            tile_attribution: args.tile_attribution.clone(),
            autocomplete_per_second: args.autocompletion_par_seconde,
            backup_hour: (args.sauvegardes_gardees > 0).then_some(args.sauvegarde_heure),
            backups_kept: args.sauvegardes_gardees as usize,
            metrics_addresses: args.metriques_adresses.clone(),
            old_reservation_secs: i64::from(args.reservation_ancienne_jours) * 86_400,
            test_clock: args.horloge_de_test.clone(),
            mesures_eteintes_years: args.conservation_mesures_ans,
            comptes_desactives_years: args.conservation_comptes_desactives_ans,
            admin_two_factor_required: args.double_authentification_obligatoire,
        }
    }

    /// The origin of the tile server ("https://tile.openstreetmap.org"), for the pages' image policy.
    pub fn tile_origin(&self) -> Option<String> {
        let template = self.tile_url.as_deref()?;
        // The template's braces are not valid in a host: read the scheme and host only.
        let probe = template.replace("{s}", "a").replace(['{', '}'], "");
        let url = url::Url::parse(&probe).ok()?;
        Some(url.origin().ascii_serialization()).filter(|o| o != "null")
    }

    pub fn https(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// An absolute link for e-mails.
    pub fn link(&self, path: &str) -> String {
        self.public_url
            .join(path)
            .map_or_else(|_| path.to_owned(), |u| u.to_string())
    }
}

impl Cli {
    /// The serve arguments, whether `serve` was written or not; `None` for another command.
    pub fn serve_args(self) -> ServeArgs {
        match self.command {
            Some(Command::Serve(args)) => *args,
            _ => self.serve,
        }
    }
}

impl ServeArgs {
    /// The public URL, by default the listening address over http.
    pub fn public_url(&self) -> url::Url {
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        let host = if self.listen.ip().is_unspecified() {
            "127.0.0.1".to_owned()
        } else {
            self.listen.ip().to_string()
        };
        let host = if self.listen.is_ipv6() && !self.listen.ip().is_unspecified() {
            format!("[{host}]")
        } else {
            host
        };
        url::Url::parse(&format!("http://{host}:{}/", self.listen.port()))
            .expect("a socket address forms a valid URL")
    }
}

fn parse_public_url(value: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(value).map_err(|_| "adresse invalide".to_owned())?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("l'adresse doit commencer par http:// ou https://".to_owned());
    }
    Ok(url)
}

/// What the command line asked for: run, or print something and exit with a code.
pub enum Parsed {
    Run(Box<Cli>),
    Exit { message: String, code: u8 },
}

/// Parses the command line; every refusal is one French line (clap's own texts are English).
pub fn parse<I, T>(args: I) -> Parsed
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => Parsed::Run(Box::new(cli)),
        Err(error) => match error.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Parsed::Exit {
                message: error.render().to_string(),
                code: 0,
            },
            _ => Parsed::Exit {
                message: french_error(&error),
                code: 2,
            },
        },
    }
}

fn french_error(error: &clap::Error) -> String {
    let context = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    // "--listen <ADRESSE:PORT>" → "--listen"
    let argument = context(ContextKind::InvalidArg)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    let value = context(ContextKind::InvalidValue);
    let detail = match error.kind() {
        ErrorKind::UnknownArgument => format!("option inconnue « {argument} »"),
        ErrorKind::InvalidSubcommand => format!("commande inconnue « {value} »"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error)
                .map(ToString::to_string)
                .unwrap_or_default();
            if argument.contains("listen") || reason.is_empty() {
                format!(
                    "valeur invalide « {value} » pour {argument}{}",
                    listen_hint(&argument)
                )
            } else {
                format!("valeur invalide « {value} » pour {argument} : {reason}")
            }
        }
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("une valeur est attendue après {argument}")
        }
        ErrorKind::ArgumentConflict => format!("options incompatibles : {argument}"),
        ErrorKind::MissingRequiredArgument => {
            format!(
                "option obligatoire manquante : {}",
                context(ContextKind::InvalidArg)
                    .replace(" <", " ")
                    .replace('>', "")
            )
        }
        _ => "ligne de commande invalide".to_owned(),
    };
    format!("Erreur : {detail}. Voir « emjpm --help ».")
}

fn listen_hint(argument: &str) -> &'static str {
    if argument.contains("listen") {
        " (attendu : adresse IP et port, par exemple 127.0.0.1:3000)"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(args: &[&str]) -> (String, u8) {
        match parse(args.iter().copied()) {
            Parsed::Exit { message, code } => (message, code),
            Parsed::Run(_) => panic!("{args:?} should have been refused"),
        }
    }

    #[test]
    fn defaults_serve_on_loopback() {
        let Parsed::Run(cli) = parse(["emjpm"]) else {
            panic!("refused")
        };
        let args = cli.serve_args();
        assert_eq!(args.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(args.public_url().as_str(), "http://127.0.0.1:3000/");
    }

    #[test]
    fn serve_subcommand_takes_the_same_flags() {
        let Parsed::Run(cli) = parse([
            "emjpm",
            "serve",
            "--listen",
            "0.0.0.0:8080",
            "--data-dir",
            "/tmp/x",
        ]) else {
            panic!("refused")
        };
        let args = cli.serve_args();
        assert_eq!(args.listen.port(), 8080);
        assert_eq!(args.public_url().as_str(), "http://127.0.0.1:8080/");
        assert_eq!(args.data.path, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn bad_flags_give_one_french_line() {
        let (message, code) = refusal(&["emjpm", "--bogus"]);
        assert_eq!(code, 2);
        assert_eq!(
            message,
            "Erreur : option inconnue « --bogus ». Voir « emjpm --help »."
        );
        let (message, _) = refusal(&["emjpm", "--listen", "nowhere"]);
        assert!(
            message.starts_with("Erreur : valeur invalide « nowhere » pour --listen"),
            "{message}"
        );
        assert_eq!(message.lines().count(), 1);
        let (message, _) = refusal(&["emjpm", "--public-url", "ftp://x"]);
        assert!(message.contains("http:// ou https://"), "{message}");
    }
}
