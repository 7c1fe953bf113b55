//! `serve --horloge-de-test FICHIER` (issue 18): a clock the browser suite controls, so that a reservation can
//! be seen growing old ("Ancienne" after the delay, the reminder e-mail at twice the delay) against the real
//! binary. The file holds a whole number of seconds added to the system clock; it is read again every second.
//! Never used in production: the server says so in its log when the option is on.

use std::path::PathBuf;
use std::time::Duration;

/// Follows the file forever; an absent or unreadable file, or one that is not a number, leaves the clock as
/// it was.
pub async fn follow(path: PathBuf) {
    tracing::warn!(
        "horloge de test active : l'heure du serveur suit le fichier indiqué (tests seulement)"
    );
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut current = 0;
    loop {
        tick.tick().await;
        let Ok(text) = tokio::fs::read_to_string(&path).await else {
            continue;
        };
        if let Some(offset) = parse(&text) {
            if offset != current {
                current = offset;
                crate::db::set_clock_offset(offset);
                tracing::info!(secondes = offset, "horloge de test déplacée");
            }
        }
    }
}

/// The offset the file holds: a whole number of seconds, possibly negative.
fn parse(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_file_holds_whole_seconds() {
        assert_eq!(super::parse("5270400\n"), Some(5_270_400));
        assert_eq!(super::parse(" -60 "), Some(-60));
        assert_eq!(super::parse(""), None);
        assert_eq!(super::parse("61 jours"), None);
    }
}
