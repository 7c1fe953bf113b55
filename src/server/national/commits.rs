//! `emjpm mesurer-commits DOSSIER` (hidden, issue 20): the machine's limit of durable redb commits, the
//! yardstick of the mesure creations' throughput. One writer commits the smallest change (one counter)
//! durably, again and again, in a database of its own in DOSSIER: put it on the disk of the data directory.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::server::commands::CommandError;

const TABLE: redb::TableDefinition<u64, u64> = redb::TableDefinition::new("commits");

/// Commits durably for `seconds`; "commits-durables <per second>" then the median and worst latency.
pub fn measure(dir: &Path, seconds: f64) -> Result<String, CommandError> {
    let fail = |e: redb::Error| CommandError::Store(e.to_string());
    std::fs::create_dir_all(dir).map_err(|e| CommandError::Store(e.to_string()))?;
    let path = dir.join("commits.redb");
    let _ = std::fs::remove_file(&path);
    let database = redb::Database::create(&path).map_err(|e| fail(e.into()))?;
    let until = Instant::now() + Duration::from_secs_f64(seconds.clamp(0.1, 600.0));
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut n = 0u64;
    while Instant::now() < until {
        let one = Instant::now();
        let write = database.begin_write().map_err(|e| fail(e.into()))?;
        write
            .open_table(TABLE)
            .map_err(|e| fail(e.into()))?
            .insert(0, n)
            .map_err(|e| fail(e.into()))?;
        write.commit().map_err(|e| fail(e.into()))?;
        latencies.push(one.elapsed());
        n += 1;
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(database);
    let _ = std::fs::remove_file(&path);
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Ok(format!(
        "commits-durables {:.0}\np50_us {}\np99_us {}",
        n as f64 / elapsed,
        at(0.5).as_micros(),
        at(0.99).as_micros()
    ))
}
