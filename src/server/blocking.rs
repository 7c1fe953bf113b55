//! Storage work that blocks — waiting for the one writer, a commit's fsync, a long scan — done without
//! holding one of tokio's worker threads (one per core): while it waits, the other requests of that thread
//! go on elsewhere, and `/sante` keeps answering (issue 14, point 5; figures in docs/HARDENING.md).
//!
//! `block_in_place` rather than `spawn_blocking`: the request's context (the Leptos owner that carries the
//! answer's status and headers, the transaction borrowed from the caller) stays on this thread, and no
//! closure has to own its data. Tokio moves the thread's other tasks to a fresh worker first. On a
//! current-thread runtime (some tests) or off any runtime (the commands), the work simply runs.

use tokio::runtime::{Handle, RuntimeFlavor};

/// Runs `work`, which may block, without stalling the async worker it is called from.
pub fn off_async<T>(work: impl FnOnce() -> T) -> T {
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

/// `db.begin_write()`, which waits for the writer in place.
pub fn begin_write(db: &redb::Database) -> Result<redb::WriteTransaction, redb::TransactionError> {
    off_async(|| db.begin_write())
}

/// `write.commit()`, whose fsync waits for the disk.
pub fn commit(write: redb::WriteTransaction) -> Result<(), redb::CommitError> {
    let done = off_async(|| write.commit());
    if done.is_ok() {
        metrics::counter!("emjpm_commits_total").increment(1);
    }
    done
}
