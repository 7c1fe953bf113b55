//! Group commit (issue 20): the writes that arrive together share one durable redb transaction.
//!
//! redb has one writer at a time and each durable commit waits for the disk (about 0.4 ms here), so one
//! transaction per request caps the writes at the disk's commit rate, and 32 requests queued on the writer's
//! lock cost more in wake-ups than in work. Here one thread owns the writing: it takes every job waiting in
//! its queue (up to `BATCH`), runs them one after the other in a single write transaction, commits it
//! durably, and only then answers each job. **No answer leaves before the commit that holds its write**: a
//! job's result travels back only after `commit()` returned `Ok`.
//!
//! A job must check what it relies on before writing anything and say "no" by its result (a refusal is an
//! `Ok`); an `Err` (storage, a record that does not decode) may come after some writes, so the batch's
//! transaction is abandoned and each of its jobs runs again alone, in its own transaction: a failing job
//! never takes the others' writes with it, nor leaves half of its own.

use std::sync::mpsc;
use std::sync::{Arc, Weak};

use redb::{Database, WriteTransaction};

use crate::db::StoreError;

/// Jobs gathered in one transaction at most: bounds a transaction's size and the wait of the first.
const BATCH: usize = 256;
/// Jobs waiting at most: beyond, callers wait for room (back-pressure rather than memory).
const QUEUE: usize = 4_096;

type Outcome = Box<dyn std::any::Any + Send>;
type Work = Box<dyn FnMut(&WriteTransaction) -> Result<Outcome, StoreError> + Send>;

struct Job {
    work: Work,
    answer: tokio::sync::oneshot::Sender<Result<Outcome, StoreError>>,
}

/// The handle requests use; cloning is cheap.
#[derive(Clone)]
pub struct Writer {
    queue: mpsc::SyncSender<Job>,
}

impl Writer {
    /// Starts the writing thread of `db`. It holds the database weakly: dropping the application's state
    /// closes the database as before (the thread ends when the last `Writer` is dropped).
    pub fn start(db: &Arc<Database>) -> Writer {
        let db = Arc::downgrade(db);
        let (queue, jobs) = mpsc::sync_channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("emjpm-writer".to_owned())
            .spawn(move || write_loop(&db, &jobs))
            .expect("the writer thread starts");
        Writer { queue }
    }

    /// Runs `work` in a write transaction shared with the other writes of the moment, and answers once
    /// that transaction is durably committed. `work` may run twice (see the module's note), so it reads
    /// and writes only through the transaction it is given.
    pub async fn run<T: Send + 'static>(
        &self,
        mut work: impl FnMut(&WriteTransaction) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job = Job {
            work: Box::new(move |write| work(write).map(|t| Box::new(t) as Outcome)),
            answer,
        };
        // Queued at once unless 4,096 jobs wait: only then is the wait taken off the async worker. (Each
        // `off_async` hands the worker to another thread: done at every write, it kept dozens of threads,
        // each with its allocator's pages, alive under load — issue 20's memory.)
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(job)) => {
                let queue = self.queue.clone();
                crate::server::blocking::off_async(move || queue.send(job)).map_err(|_| {
                    StoreError::Corrupt("l'écriture en base est arrêtée".to_owned())
                })?;
            }
            Err(mpsc::TrySendError::Disconnected(_)) => {
                return Err(StoreError::Corrupt(
                    "l'écriture en base est arrêtée".to_owned(),
                ));
            }
        }
        let outcome = answered
            .await
            .map_err(|_| StoreError::Corrupt("l'écriture en base est arrêtée".to_owned()))??;
        outcome
            .downcast::<T>()
            .map(|t| *t)
            .map_err(|_| StoreError::Corrupt("réponse d'écriture inattendue".to_owned()))
    }
}

fn write_loop(db: &Weak<Database>, jobs: &mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        metrics::histogram!("emjpm_group_commit_jobs").record(batch.len() as f64);
        match run_together(db, &mut batch) {
            Ok(outcomes) => {
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    let _ = job.answer.send(Ok(outcome));
                }
            }
            Err(_) => {
                // Each job alone: the failing one fails, the others are written.
                for mut job in batch {
                    let outcome = run_together(db, std::slice::from_mut(&mut job))
                        .map(|mut outcomes| outcomes.remove(0));
                    let _ = job.answer.send(outcome);
                }
            }
        }
    }
}

/// The jobs in one transaction, committed durably; their outcomes, in order, only once committed.
fn run_together(db: &Weak<Database>, batch: &mut [Job]) -> Result<Vec<Outcome>, StoreError> {
    let db = db
        .upgrade()
        .ok_or_else(|| StoreError::Corrupt("la base de données est fermée".to_owned()))?;
    let write = db.begin_write()?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for job in batch.iter_mut() {
        outcomes.push((job.work)(&write)?);
    }
    write.commit()?;
    metrics::counter!("emjpm_commits_total").increment(1);
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::{ReadableDatabase, ReadableTable};

    const T: redb::TableDefinition<u64, u64> = redb::TableDefinition::new("t");

    fn database() -> (tempfile::TempDir, Arc<Database>) {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::create(dir.path().join("w.redb")).unwrap();
        (dir, Arc::new(db))
    }

    /// Every answer comes after the commit holding its write: a read transaction begun the moment the
    /// answer arrives sees the write, for 2,000 writes sent by 32 tasks at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_write_is_answered_before_its_commit() {
        let (_dir, db) = database();
        let writer = Writer::start(&db);
        let mut tasks = Vec::new();
        for task in 0..32u64 {
            let (writer, db) = (writer.clone(), Arc::clone(&db));
            tasks.push(tokio::spawn(async move {
                for n in 0..63u64 {
                    let key = task * 1_000 + n;
                    writer
                        .run(move |write| {
                            write.open_table(T)?.insert(key, key)?;
                            Ok(())
                        })
                        .await
                        .unwrap();
                    let read = db.begin_read().unwrap();
                    let table = read.open_table(T).unwrap();
                    assert_eq!(table.get(key).unwrap().map(|v| v.value()), Some(key));
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let read = db.begin_read().unwrap();
        assert_eq!(read.open_table(T).unwrap().iter().unwrap().count(), 32 * 63);
    }

    /// A job failing after a write takes nothing with it: its write is gone, the others' are kept.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_job_leaves_nothing_and_spares_the_others() {
        let (_dir, db) = database();
        let writer = Writer::start(&db);
        let mut tasks = Vec::new();
        for key in 0..50u64 {
            let writer = writer.clone();
            tasks.push(tokio::spawn(async move {
                writer
                    .run(move |write| {
                        write.open_table(T)?.insert(key, key)?;
                        if key % 10 == 3 {
                            return Err(StoreError::Corrupt("échec voulu".to_owned()));
                        }
                        Ok(key)
                    })
                    .await
            }));
        }
        for (key, task) in tasks.into_iter().enumerate() {
            let outcome = task.await.unwrap();
            assert_eq!(outcome.is_err(), key % 10 == 3, "job {key}");
        }
        let read = db.begin_read().unwrap();
        let table = read.open_table(T).unwrap();
        for key in 0..50u64 {
            assert_eq!(
                table.get(key).unwrap().is_some(),
                key % 10 != 3,
                "key {key}"
            );
        }
    }
}
