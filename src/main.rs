//! `emjpm`: the e-MJPM server and its administration commands, in one executable.

use std::process::ExitCode;

use emjpm::server::config::{self, Parsed};

/// mimalloc rather than the system allocator: server-side rendering makes many short-lived allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // No transparent huge pages for this process (issue 20): mimalloc advises them for its large regions,
    // and a 2 MB page counts whole in the resident memory however little of it is used: 206 MB of the
    // 288 MB a national server held at rest, against a budget of 200 MB.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) only sets a flag of this process's memory; it reads no pointer.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
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
