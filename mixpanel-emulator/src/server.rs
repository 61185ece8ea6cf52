//! Binding the listener and running the server task until it is told to stop.

use std::future::IntoFuture as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::Config;
use crate::handle::EmulatorHandle;
use crate::routes;
use crate::state::Shared;

/// How long requests in flight may take to finish once shutdown starts; after that the server
/// task ends regardless.
pub(crate) const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Binds `addr`, spawns the server on the current tokio runtime and returns its handle.
pub(crate) async fn spawn(
    addr: SocketAddr,
    config: Config,
) -> std::io::Result<(SocketAddr, EmulatorHandle)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let shared = Arc::new(Shared::new(config));
    let app = Router::new()
        .fallback(routes::handle)
        .with_state(Arc::clone(&shared));

    let (stop_tx, stop_rx) = watch::channel(false);
    let (stopped_tx, stopped_rx) = watch::channel(false);
    tokio::spawn(async move {
        let mut graceful = stop_rx.clone();
        let serve = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                // An error means every sender is gone, which also asks for a stop.
                let _ = graceful.wait_for(|stop| *stop).await;
            })
            .into_future();
        let mut hard = stop_rx;
        let deadline = async move {
            let _ = hard.wait_for(|stop| *stop).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        tokio::select! {
            result = serve => {
                if let Err(error) = result {
                    tracing::warn!(%error, "mixpanel emulator server stopped with an error");
                }
            }
            () = deadline => tracing::warn!("mixpanel emulator: requests still running after the grace period were dropped"),
        }
        // Nobody listening any more is fine.
        let _ = stopped_tx.send(true);
    });
    tracing::debug!(%local, "mixpanel emulator listening");
    Ok((
        local,
        EmulatorHandle::new(local, shared, stop_tx, stopped_rx),
    ))
}
