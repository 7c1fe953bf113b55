//! `emjpm`: the e-MJPM server and its administration commands, in one executable.

use std::process::ExitCode;

use emjpm::server::config::{self, Parsed};

/// mimalloc rather than the system allocator: server-side rendering makes many short-lived allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options (the values of `mi_option_t` in the mimalloc 3 sources that libmimalloc-sys 0.1.49,
/// pinned by Cargo.lock, builds; the crate does not name them). By default mimalloc gives freed pages
/// back to the system 10 ms after, its arenas' 100 ms after, and keeps two full pages per size class and
/// thread: after a burst of requests the server held 40 to 60 MB more than its live data (issue 20's
/// budget of 200 MB). The arenas now wait 10 ms too and no full page is kept. (Given back at once, the
/// pages that allocate most — a mandataire's map of 5,000 mesures — lost 40 % of their throughput.)
const MI_OPTION_PURGE_DELAY: libc::c_int = 15;
const MI_OPTION_ARENA_PURGE_MULT: libc::c_int = 24;
const MI_OPTION_PAGE_FULL_RETAIN: libc::c_int = 36;

unsafe extern "C" {
    fn mi_option_set(option: libc::c_int, value: libc::c_long);
}

fn return_freed_memory_early() {
    for (option, value) in [
        (MI_OPTION_PURGE_DELAY, 10),
        (MI_OPTION_ARENA_PURGE_MULT, 1),
        (MI_OPTION_PAGE_FULL_RETAIN, 0),
    ] {
        // SAFETY: sets one of mimalloc's numeric options, before the server's threads start.
        unsafe { mi_option_set(option, value) };
    }
}

/// A panic is logged as one error line (where, and its message) rather than by the default hook. With
/// `RUST_BACKTRACE` set, the default hook symbolises a backtrace, and the symbol tables it loads for that
/// stay in memory for the life of the process: 35 MB of a national server's resident memory (issue 20),
/// after the one known panic, a leptos `Suspense` that re-reads a page whose client has gone. Debug builds
/// (`cargo leptos watch`) keep the default hook and its backtraces.
fn log_panics_in_one_line() {
    if cfg!(debug_assertions) {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(sans message)");
        let location = info
            .location()
            .map(|at| format!("{}:{}", at.file(), at.line()))
            .unwrap_or_default();
        let thread = std::thread::current();
        tracing::error!(
            thread = thread.name().unwrap_or("?"),
            %location,
            message,
            "panique"
        );
    }));
}

fn main() -> ExitCode {
    // No transparent huge pages for this process (issue 20): mimalloc advises them for its large regions,
    // and a 2 MB page counts whole in the resident memory however little of it is used: 206 MB of the
    // 288 MB a national server held at rest, against a budget of 200 MB.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) only sets a flag of this process's memory; it reads no pointer.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    return_freed_memory_early();
    let cli = match config::parse(std::env::args_os()) {
        Parsed::Run(cli) => cli,
        Parsed::Exit { message, code } => {
            if code == 0 {
                print!("{message}");
            } else {
                eprintln!("{message}");
            }
            return ExitCode::from(code);
        }
    };
    emjpm::server::time::set_zone(cli.fuseau_horaire.clone());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("EMJPM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    log_panics_in_one_line();
    // Threads that a burst of blocking work (commits, backups, password checks) added end after 2 s idle
    // instead of tokio's 10: each keeps its own pages in the allocator (issue 20's resident memory).
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_keep_alive(std::time::Duration::from_secs(2))
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!(
                "Erreur : impossible de démarrer ({}).",
                emjpm::server::errors::io_reason(&error)
            );
            return ExitCode::FAILURE;
        }
    };
    let import = match &cli.command {
        Some(config::Command::ImportTribunaux(args)) => {
            Some(emjpm::server::commands::import_tribunaux(args))
        }
        Some(config::Command::ImportEtablissements(args)) => {
            Some(emjpm::server::commands::import_etablissements(args))
        }
        _ => None,
    };
    if let Some(result) = import {
        return match result {
            Ok((report, imported)) => {
                println!("{report}");
                if imported {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(error) => {
                eprintln!("Erreur : {}", sentence(&error.to_string()));
                ExitCode::FAILURE
            }
        };
    }
    if let Some(config::Command::CreateAdmin(args)) = &cli.command {
        return outcome(emjpm::server::commands::create_admin(args));
    }
    if let Some(config::Command::Demo(args)) = &cli.command {
        return outcome(emjpm::server::demo::run(args));
    }
    if let Some(config::Command::GenererNational(args)) = &cli.command {
        return outcome(emjpm::server::national::run(args));
    }
    if let Some(config::Command::MesurerCommits(args)) = &cli.command {
        return outcome(emjpm::server::national::commits::measure(
            &args.dossier,
            args.secondes,
        ));
    }
    if let Some(config::Command::Verifier(args)) = &cli.command {
        return outcome(emjpm::server::commands::verify(args));
    }
    if let Some(config::Command::Backup(args)) = &cli.command {
        return outcome(emjpm::server::commands::backup(args));
    }
    if let Some(config::Command::Restore(args)) = &cli.command {
        return outcome(emjpm::server::commands::restore(args));
    }
    match runtime.block_on(emjpm::server::serve(cli.serve_args())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Erreur : {}", sentence(&error.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// The end of a command other than `serve`: its text on standard output, or "Erreur : …" on standard error.
fn outcome<T: std::fmt::Display, E: std::fmt::Display>(result: Result<T, E>) -> ExitCode {
    match result {
        Ok(text) => {
            println!("{}", text.to_string().trim_end());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("Erreur : {}", sentence(&error.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// One sentence ending with a full stop (messages from the rules already have one).
fn sentence(text: &str) -> String {
    if text.ends_with('.') {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}
