//! The accept loop (issue 14, points 6 and 10; values and reasons in docs/HARDENING.md). `axum::serve` has
//! no header timeout and no cap on connections: a few hundred clients that trickle their headers, or some
//! thousands that connect and say nothing, would hold the server and exhaust its file descriptors. Here:
//!
//! - at most `max_connections` connections are open at once (below the process's descriptor limit); the
//!   next ones wait in the kernel's queue until one closes;
//! - a connection has `HEADER_TIMEOUT` to send a request's headers, which also closes a kept-alive
//!   connection idle for that long (hyper starts the timer whenever it waits for a request);
//! - the body and the whole answer have their own bounds (`limits`).
//!
//! HTTP/1.1 only: browsers speak it to a plain-HTTP server, and a reverse proxy speaks it to its upstream.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// The time a client has to send a request's headers, and the longest a kept-alive connection stays idle.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the requests under way may take to finish once a stop is asked for.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Descriptors kept for everything but connections: the database, the search indexes' files (tantivy
/// opens a few per segment), the log, the SMTP connection, the blocking threads.
const RESERVED_DESCRIPTORS: u64 = 256;

/// The connection cap for this process: the configured one, but never above what the descriptor limit
/// leaves once `RESERVED_DESCRIPTORS` are kept aside. Raises the soft descriptor limit to the hard one first.
pub fn connection_cap(configured: usize) -> usize {
    let limit = raise_descriptor_limit();
    let room = limit.saturating_sub(RESERVED_DESCRIPTORS).max(16);
    configured
        .min(usize::try_from(room).unwrap_or(usize::MAX))
        .max(1)
}

/// Raises the soft limit on open files to the hard one; returns the soft limit in force.
#[cfg(unix)]
fn raise_descriptor_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

#[cfg(not(unix))]
fn raise_descriptor_limit() -> u64 {
    1024
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests under way finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    max_connections: usize,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(64 * 1024)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, or a connection reset before it was accepted: wait a little
                    // rather than spin, and keep serving.
                    tracing::warn!(%error, "connexion non acceptée");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo(remote));
                let app = app.clone();
                async move {
                    use tower::ServiceExt;
                    app.oneshot(request).await
                }
            });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are the client's (reset, header timeout): nothing to tell the operator.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("des requêtes n'étaient pas finies au bout de {} s", SHUTDOWN_GRACE.as_secs());
        }
    }
}
