//! The accept loop both servers share, plain HTTP and mutual TLS: a cap on open connections,
//! a deadline for a request's headers and another for its body, and a graceful shutdown that
//! lets open connections finish. A client that connects and sends nothing, or trickles a body,
//! cannot hold a task and a socket for longer than these limits.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use futures_util::StreamExt;
use hyper::body::{Body as _, Incoming};
use hyper::http::Extensions;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, rt};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long open connections get to finish their requests once shutdown starts.
const GRACEFUL_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// After an accept error that is not about one connection (typically out of file
/// descriptors), retrying at once would spin; a pause lets connections close.
const ACCEPT_ERROR_BACKOFF: Duration = Duration::from_secs(1);

/// What one client may hold of the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From the moment a connection is ready for a request (accepted, or its previous answer
    /// written) to the end of the request's headers. An idle keep-alive connection is closed
    /// after it too.
    pub header_read_timeout_ms: u64,
    /// From the end of a request's headers to the end of its body.
    pub body_timeout_ms: u64,
    /// Connections open at once; one more is closed as soon as it is accepted.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    /// Generous for a bank on a slow link (a 32 MiB batch in a minute is about 4 Mbit/s),
    /// tight enough that idle sockets do not pile up.
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout_ms: 10_000,
            body_timeout_ms: 60_000,
            max_connections: 2_048,
        }
    }
}

/// Serves `app` over plain HTTP until `shutdown` completes.
pub async fn serve_plain(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    accept_loop(
        listener,
        limits,
        shutdown,
        move |stream, remote, stopping| {
            serve_http(
                TokioIo::new(stream),
                remote,
                app.clone(),
                |_| {},
                limits,
                stopping,
            )
        },
    )
    .await
}

/// Accepts connections until `shutdown` completes, each served by `serve_one` on its own
/// task while the connection cap allows, then stops accepting and gives open connections up
/// to 10 s to finish. Accept errors are logged and retried rather than returned, because they
/// are transient (a reset connection, a full descriptor table) and one of them must not take
/// the gateway down.
pub(crate) async fn accept_loop<F, Fut>(
    listener: TcpListener,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
    serve_one: F,
) -> io::Result<()>
where
    F: Fn(TcpStream, SocketAddr, watch::Receiver<bool>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    enum Event {
        Shutdown,
        Accepted(io::Result<(TcpStream, SocketAddr)>),
        Reaped,
    }

    let (stop, stopping) = watch::channel(false);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);

    loop {
        let event = tokio::select! {
            () = &mut shutdown => Event::Shutdown,
            accepted = listener.accept() => Event::Accepted(accepted),
            // Finished connections are collected as they end so the set does not grow
            // with the node's uptime.
            Some(result) = connections.join_next(), if !connections.is_empty() => {
                if let Err(error) = result {
                    tracing::error!(%error, "connection task failed");
                }
                Event::Reaped
            }
        };
        match event {
            Event::Shutdown => break,
            Event::Reaped => {}
            Event::Accepted(Ok((stream, remote))) => {
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    tracing::warn!(
                        %remote,
                        max_connections = limits.max_connections,
                        "connection closed: the node is at its connection cap"
                    );
                    continue;
                };
                let connection = serve_one(stream, remote, stopping.clone());
                connections.spawn(async move {
                    connection.await;
                    drop(slot);
                });
            }
            Event::Accepted(Err(error)) if is_connection_error(&error) => {
                tracing::debug!(%error, "accept failed for one connection");
            }
            Event::Accepted(Err(error)) => {
                tracing::error!(%error, "accept failed; retrying in 1 s");
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(ACCEPT_ERROR_BACKOFF) => {}
                }
            }
        }
    }

    drop(listener);
    stop.send_replace(true);
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(GRACEFUL_SHUTDOWN_TIMEOUT, drained)
        .await
        .is_err()
    {
        tracing::warn!(
            open = connections.len(),
            "connections still open after the graceful shutdown period; closing them"
        );
    }
    connections.shutdown().await;
    Ok(())
}

fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves HTTP/1.1 requests on one connection until the client closes it, a limit closes it,
/// or shutdown starts (then the request in progress is finished first). Every request
/// carries the peer's [`ConnectInfo<SocketAddr>`] and whatever `annotate` adds.
pub(crate) async fn serve_http<I>(
    io: I,
    remote: SocketAddr,
    app: Router,
    annotate: impl Fn(&mut Extensions) + Clone + Send + Sync + 'static,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) where
    I: rt::Read + rt::Write + Unpin + Send + 'static,
{
    let body_timeout = Duration::from_millis(limits.body_timeout_ms);
    let service = service_fn(move |request: Request<Incoming>| {
        let mut request = request.map(|body| deadline_body(body, body_timeout));
        let extensions = request.extensions_mut();
        annotate(extensions);
        extensions.insert(ConnectInfo(remote));
        app.clone().oneshot(request)
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(limits.header_read_timeout_ms));
    let mut connection = pin!(builder.serve_connection(io, service));
    let result = tokio::select! {
        result = connection.as_mut() => result,
        () = stopped(&mut stopping) => {
            // Finishes the request in progress, if any, then closes instead of keeping alive.
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = result {
        tracing::debug!(%remote, %error, "connection closed with an error");
    }
}

/// A request body that fails once `timeout` has passed without it ending: the handler reading
/// it answers with an error instead of waiting for a client that trickles bytes.
fn deadline_body(body: Incoming, timeout: Duration) -> Body {
    if body.is_end_stream() {
        return Body::empty();
    }
    let deadline = tokio::time::Instant::now() + timeout;
    let chunks = Body::new(body).into_data_stream();
    Body::from_stream(futures_util::stream::unfold(
        Some(chunks),
        move |chunks| async move {
            let mut chunks = chunks?;
            match tokio::time::timeout_at(deadline, chunks.next()).await {
                Ok(Some(chunk)) => Some((chunk.map_err(io::Error::other), Some(chunks))),
                Ok(None) => None,
                Err(_) => Some((
                    Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("the request body did not arrive within {timeout:?}"),
                    )),
                    None,
                )),
            }
        },
    ))
}

/// Completes once shutdown has started. The guard `wait_for` returns is dropped here because
/// it is not `Send` and must not live across the connection's awaits.
pub(crate) async fn stopped(stopping: &mut watch::Receiver<bool>) {
    // An error means the sender is gone, which happens only after shutdown has begun.
    let _ = stopping.wait_for(|stop| *stop).await;
}
