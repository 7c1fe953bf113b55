//! The command channel (issue 15): while the server holds the database, `create-admin`, `import-tribunaux`,
//! `import-etablissements` and `backup` hand their work to it over a Unix socket inside the data directory,
//! and print the same report as when they run alone.
//!
//! Only the data directory's owner can drive it, checked three ways: the socket lives in the 0700 data
//! directory and is itself 0600; the server answers only a peer whose user id (`SO_PEERCRED`) is its own;
//! and the command, before sending anything (a password, say), checks that the path is a socket owned by its
//! own user with no rights for others, and that the process answering runs as its own user — a file or a
//! socket planted at the path by someone else is refused.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The socket's name inside the data directory.
pub const SOCKET: &str = "emjpm.sock";
/// The longest request line: a command and its arguments (paths, identity, a password).
const MAX_REQUEST_BYTES: u64 = 64 * 1024;
/// How long a command waits for the server's answer.
const ANSWER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1800);

/// What a command asks of the running server.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "commande", rename_all = "kebab-case")]
pub enum Request {
    CreateAdmin {
        identifiant: String,
        email: String,
        nom: String,
        prenom: String,
        mot_de_passe: String,
    },
    ImportTribunaux {
        fichier: PathBuf,
    },
    ImportEtablissements {
        fichier: PathBuf,
        toutes_categories: bool,
    },
    Backup {
        fichier: PathBuf,
        force: bool,
    },
    /// `create-admin --reinitialiser-2fa` (issue 19).
    ResetTwoFactor {
        identifiant: String,
    },
}

/// The server's answer: the text the command prints, and whether it succeeded.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Answer {
    /// The command's success (an import that imported nothing prints its report and fails).
    pub ok: bool,
    pub texte: String,
    /// A refusal, printed as "Erreur : …" like the command's own.
    pub erreur: Option<String>,
}

/// Why the channel could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error(
        "le serveur e-MJPM utilise ce dossier de données, mais son canal de commande « {0} » n'est pas sûr \
         (il n'appartient pas à l'utilisateur qui lance la commande, ou d'autres peuvent y accéder) : \
         rien n'a été envoyé"
    )]
    Unsafe(PathBuf),
    #[error("le serveur e-MJPM utilise ce dossier de données, mais son canal de commande ne répond pas ({0})")]
    Unreachable(String),
}

/// The socket's path for a data directory.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET)
}

/// This process's effective user id.
fn own_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The user id of the process at the other end of a connected Unix socket.
fn peer_uid(fd: std::os::unix::io::RawFd) -> Option<u32> {
    let mut credentials = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut length = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `credentials` and `length` are valid for writes of the sizes given.
    let done = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            std::ptr::addr_of_mut!(credentials).cast(),
            &mut length,
        )
    };
    (done == 0).then_some(credentials.uid)
}

/// Sends `request` to the server running on `data_dir` (the command side), after checking that the path is
/// the owner's socket and that the owner's process answers.
pub fn send(data_dir: &Path, request: &Request) -> Result<Answer, ChannelError> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    use std::os::unix::io::AsRawFd;
    let socket = path(data_dir);
    let meta = std::fs::symlink_metadata(&socket)
        .map_err(|e| ChannelError::Unreachable(crate::server::errors::io_reason(&e)))?;
    if !meta.file_type().is_socket() || meta.uid() != own_uid() || meta.mode() & 0o077 != 0 {
        return Err(ChannelError::Unsafe(socket));
    }
    let stream = std::os::unix::net::UnixStream::connect(&socket)
        .map_err(|e| ChannelError::Unreachable(crate::server::errors::io_reason(&e)))?;
    if peer_uid(stream.as_raw_fd()) != Some(own_uid()) {
        return Err(ChannelError::Unsafe(socket));
    }
    // A backup of a national database takes minutes; a server that never answers is given up on.
    let _ = stream.set_read_timeout(Some(ANSWER_TIMEOUT));
    let _ = stream.set_write_timeout(Some(std::time::Duration::from_secs(30)));
    let mut line =
        serde_json::to_vec(request).map_err(|e| ChannelError::Unreachable(e.to_string()))?;
    line.push(b'\n');
    (&stream)
        .write_all(&line)
        .map_err(|e| ChannelError::Unreachable(crate::server::errors::io_reason(&e)))?;
    let mut answer = String::new();
    BufReader::new(&stream)
        .read_line(&mut answer)
        .map_err(|e| ChannelError::Unreachable(crate::server::errors::io_reason(&e)))?;
    serde_json::from_str(&answer)
        .map_err(|_| ChannelError::Unreachable("réponse illisible".to_owned()))
}

/// The server side: binds the socket (replacing whatever a previous run left at the path: the database's
/// lock proves no other server runs here) and serves each connection on a blocking thread. Returns the
/// task's handle; the socket is removed when the server stops (`remove`).
pub fn listen(state: crate::server::AppState) -> std::io::Result<tokio::task::JoinHandle<()>> {
    use std::os::unix::fs::PermissionsExt;
    let socket = path(&state.data_dir);
    if std::fs::symlink_metadata(&socket).is_ok() {
        std::fs::remove_file(&socket)?;
    }
    let listener = tokio::net::UnixListener::bind(&socket)?;
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))?;
    Ok(tokio::spawn(async move {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(error) => {
                    tracing::warn!(%error, "canal de commande : connexion refusée");
                    continue;
                }
            };
            let peer = stream.peer_cred().ok().map(|c| c.uid());
            if peer != Some(own_uid()) {
                tracing::warn!(
                    peer = ?peer,
                    "canal de commande : un processus d'un autre utilisateur a été refusé"
                );
                continue;
            }
            let state = state.clone();
            tokio::spawn(async move {
                let Ok(stream) = stream.into_std() else {
                    return;
                };
                let _ = tokio::task::spawn_blocking(move || serve_one(&state, stream)).await;
            });
        }
    }))
}

/// Removes the socket (at a clean stop).
pub fn remove(data_dir: &Path) {
    let _ = std::fs::remove_file(path(data_dir));
}

/// Reads one request, runs it, writes the answer.
fn serve_one(state: &crate::server::AppState, stream: std::os::unix::net::UnixStream) {
    use std::io::Read;
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(30)));
    let mut line = String::new();
    let read = BufReader::new((&stream).take(MAX_REQUEST_BYTES)).read_line(&mut line);
    let answer = match read
        .ok()
        .and_then(|_| serde_json::from_str::<Request>(&line).ok())
    {
        Some(request) => run(state, request),
        None => Answer {
            ok: false,
            texte: String::new(),
            erreur: Some("requête illisible".to_owned()),
        },
    };
    if let Ok(mut bytes) = serde_json::to_vec(&answer) {
        bytes.push(b'\n');
        let _ = (&stream).write_all(&bytes);
    }
}

/// Runs a command's work on the server's own database, with the same report as the command alone.
fn run(state: &crate::server::AppState, request: Request) -> Answer {
    use crate::server::commands;
    let kind = match &request {
        Request::CreateAdmin { .. } => "create-admin",
        Request::ImportTribunaux { .. } => "import-tribunaux",
        Request::ImportEtablissements { .. } => "import-etablissements",
        Request::Backup { .. } => "backup",
        Request::ResetTwoFactor { .. } => "create-admin --reinitialiser-2fa",
    };
    let started = std::time::Instant::now();
    let outcome = match request {
        Request::CreateAdmin {
            identifiant,
            email,
            nom,
            prenom,
            mot_de_passe,
        } => commands::create_admin_in(
            &state.db,
            &identifiant,
            &email,
            &nom,
            &prenom,
            &mot_de_passe,
        )
        .map(|text| (text, true)),
        Request::ResetTwoFactor { identifiant } => {
            crate::server::reset_two_factor::reset_in(&state.db, &identifiant)
                .map(|text| (text, true))
        }
        Request::ImportTribunaux { fichier } => {
            let _one_import = state.import_lock.blocking_lock();
            commands::import_tribunaux_in(&state.db, &state.reference, &fichier).inspect(|_| {
                if let Err(error) = crate::server::refresh_tribunaux(state) {
                    tracing::error!(%error, "index des tribunaux non reconstruit");
                }
            })
        }
        Request::ImportEtablissements {
            fichier,
            toutes_categories,
        } => {
            let _one_import = state.import_lock.blocking_lock();
            commands::import_etablissements_in(
                &state.db,
                &state.reference,
                &fichier,
                toutes_categories,
            )
            .inspect(|_| {
                if let Err(error) = crate::server::refresh_etablissements(state) {
                    tracing::error!(%error, "index des établissements non reconstruit");
                }
            })
        }
        Request::Backup { fichier, force } => {
            commands::backup_in(&state.db, &fichier, force).map(|text| (text, true))
        }
    };
    tracing::info!(
        commande = kind,
        ok = outcome.as_ref().is_ok_and(|(_, ok)| *ok),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "commande reçue par le canal local"
    );
    match outcome {
        Ok((texte, ok)) => Answer {
            ok,
            texte,
            erreur: None,
        },
        Err(error) => Answer {
            ok: false,
            texte: String::new(),
            erreur: Some(error.to_string()),
        },
    }
}
