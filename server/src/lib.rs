//! Revier: the application as a library. `build(settings, listener)` connects the database,
//! runs migrations and returns an [`App`] handle; `App::run` serves HTTP and runs the
//! delivery queue until shutdown. Tests spawn it on port 0 with a fresh database.

pub mod cli;
pub mod db;
pub mod domain;
pub mod jobs;
pub mod settings;
pub mod telemetry;
pub mod web;

use std::collections::HashMap;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use revier_federation::client::HttpClient;
use revier_federation::net::NetworkPolicy;
use revier_federation::signatures::{Signer, SigningKey};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::db::Db;
use crate::domain::error::AppError;
pub use crate::settings::Settings;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Shared state of a running instance. Cheap to clone.
#[derive(Clone)]
pub struct App(Arc<AppInner>);

pub struct AppInner {
    pub settings: Settings,
    pub db: Db,
    /// Fetches (actors, keys, objects, WebFinger).
    pub http: HttpClient,
    /// Deliveries (longer timeout).
    pub delivery_http: HttpClient,
    /// Wakes the delivery dispatcher when work was enqueued.
    pub delivery_wakeup: Notify,
    /// Limits on fetching signers' keys (refetch interval, negative cache, concurrency).
    pub key_fetches: domain::key_fetches::KeyFetches,
    keys: Mutex<HashMap<i64, CachedSigner>>,
    base_url: String,
    /// Uploaded files (`media.store`: a local directory or an S3-compatible bucket).
    pub media: domain::media::MediaStore,
}

impl std::ops::Deref for App {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl App {
    /// Connects, migrates and prepares the instance actor.
    pub async fn new(settings: Settings) -> Result<App, AppError> {
        let db = Db::connect(&settings.database_url)
            .await
            .map_err(|e| AppError::context("cannot open the database", e))?;
        db.migrate().await.map_err(migration_failed)?;
        let policy = if settings.allow_loopback_federation {
            NetworkPolicy::AllowLoopback
        } else {
            NetworkPolicy::Public
        };
        let ua = format!("Revier/{VERSION} (+{})", settings.base_url());
        let http =
            HttpClient::new(policy, &ua, Duration::from_secs(20)).map_err(AppError::internal)?;
        let delivery_http = HttpClient::new(
            policy,
            &ua,
            Duration::from_secs(settings.delivery.timeout_secs),
        )
        .map_err(AppError::internal)?;
        let base_url = settings.base_url();
        let app = App(Arc::new(AppInner {
            media: domain::media::MediaStore::from_settings(&settings)?,
            settings,
            db,
            http,
            delivery_http,
            delivery_wakeup: Notify::new(),
            key_fetches: Default::default(),
            keys: Mutex::new(HashMap::new()),
            base_url,
        }));
        domain::accounts::ensure_instance_actor(&app).await?;
        Ok(app)
    }

    /// `scheme://domain` of this instance.
    pub fn base_url(&self) -> &str {
        &self.0.base_url
    }

    /// The signer of a local actor, its key parsed once and cached. The cached signer is
    /// used only while `actor` (just read from the database) still has the same key and key
    /// id: `revier key rotate` in another process replaces them, and the next signature uses
    /// the new key.
    pub fn signer_for(&self, actor: &db::actors::ActorRow) -> Result<Signer, AppError> {
        let pem = actor
            .private_key_pem
            .as_ref()
            .map(db::actors::PrivateKeyPem::expose)
            .ok_or_else(|| {
                AppError::internal(format!("actor {} has no private key", actor.ap_id))
            })?;
        let mut keys = self
            .keys
            .lock()
            .map_err(|_| AppError::internal("key cache poisoned"))?;
        if let Some(c) = keys.get_mut(&actor.id) {
            if c.private_key_pem == pem && c.signer.key_id == actor.key_id {
                c.confirmed = std::time::Instant::now();
                return Ok(c.signer.clone());
            }
        }
        let key = SigningKey::from_pem(pem).map_err(AppError::internal)?;
        let signer = Signer {
            key_id: actor.key_id.clone(),
            key,
        };
        keys.insert(
            actor.id,
            CachedSigner {
                signer: signer.clone(),
                private_key_pem: pem.to_string(),
                confirmed: std::time::Instant::now(),
            },
        );
        Ok(signer)
    }

    /// The signer of a local actor if it was used before and its key was confirmed against
    /// the database within [`KEY_RECHECK`]; else `None`, and the caller reads the actor and
    /// calls [`App::signer_for`] (which notices a key rotated by another process).
    pub fn cached_signer(&self, actor_id: i64) -> Option<Signer> {
        self.keys.lock().ok().and_then(|k| {
            k.get(&actor_id)
                .filter(|c| c.confirmed.elapsed() < KEY_RECHECK)
                .map(|c| c.signer.clone())
        })
    }
}

/// A migration error for the operator: a database from a newer version is refused with the
/// whole story (both migration numbers, what to do); anything else is our failure.
pub fn migration_failed(e: db::MigrationError) -> AppError {
    match e {
        e @ db::MigrationError::Newer(_) => AppError::Conflict(e.to_string()),
        other => AppError::context("migration failed", other),
    }
}

/// How long a cached signer is used without looking at the stored key again: short, so a key
/// rotated by `revier key rotate` (another process) is used almost at once, while a fan-out
/// still reads each sender's key about once per 250 ms, not once per delivery batch.
pub const KEY_RECHECK: Duration = Duration::from_millis(250);

/// A parsed signing key with the PEM it came from, to notice a rotation.
struct CachedSigner {
    signer: Signer,
    private_key_pem: String,
    confirmed: std::time::Instant,
}

/// A bound, ready server.
pub struct Server {
    pub app: App,
    listener: TcpListener,
    /// The separate `/metrics` listener (`metrics.bind`), bound by `build`.
    metrics_listener: Option<TcpListener>,
}

/// Builds the application on an already bound listener (port 0 in tests). The metrics
/// listener (`metrics.bind`) is bound here too, so a taken port fails the start.
pub async fn build(settings: Settings, listener: TcpListener) -> Result<Server, AppError> {
    let app = App::new(settings).await?;
    let metrics_listener = match app.settings.metrics.bind() {
        Some(addr) => Some(TcpListener::bind(addr).await.map_err(|e| {
            AppError::context(format!("cannot listen on {addr} (metrics.bind)"), e)
        })?),
        None => None,
    };
    // Backfills a stop cut short become due again, before anything can start a backfill:
    // done later (in the sources job), it could reset a backfill already running.
    domain::backfill::resume_interrupted(&app).await?;
    Ok(Server {
        app,
        listener,
        metrics_listener,
    })
}

impl Server {
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// The address of the separate metrics listener, when `metrics.bind` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener.as_ref()?.local_addr().ok()
    }

    /// Serves until `shutdown` resolves, with the delivery queue running. Then: stop accepting
    /// connections, let the requests in flight finish (at most
    /// `lifecycle.shutdown_timeout_secs`, after which their connections are closed), stop the
    /// background jobs, and stop the delivery queue (`QueueHandle::stop`: it lets the
    /// deliveries in flight finish, bounded, and leaves the rest queued in the database).
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), AppError> {
        let queue = jobs::delivery::spawn(self.app.clone());
        let scheduler = jobs::scheduled::spawn(self.app.clone());
        let search_index = jobs::search_index::spawn(self.app.clone());
        let domain_lists = jobs::domain_lists::spawn(self.app.clone());
        let moderation = jobs::moderation::spawn(self.app.clone());
        let sources = jobs::sources::spawn(self.app.clone());
        let router = web::router(self.app.clone());
        // `true` once `shutdown` resolved: both listeners stop accepting.
        let (stopping_tx, stopping) = tokio::sync::watch::channel(false);
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        tokio::spawn(async move {
            shutdown.await;
            let _ = stopping_tx.send(true);
        });
        let metrics = self.metrics_listener.map(|listener| {
            let router = web::metrics::listener_router(self.app.clone());
            tokio::spawn(
                axum::serve(listener, router)
                    .with_graceful_shutdown(stopped(stopping.clone()))
                    .into_future(),
            )
        });
        let serving = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stopped(stopping.clone()))
        .into_future();
        let grace = Duration::from_secs(self.app.settings.lifecycle.shutdown_timeout_secs);
        let deadline = async {
            stopped(stopping.clone()).await;
            tracing::info!(
                grace_secs = grace.as_secs(),
                "shutting down: no new connections; waiting for the requests in flight"
            );
            tokio::time::sleep(grace).await;
        };
        let result = tokio::select! {
            r = serving => r.map_err(AppError::internal),
            () = deadline => {
                tracing::warn!(
                    grace_secs = grace.as_secs(),
                    "requests still in flight after the shutdown timeout: their connections are closed"
                );
                Ok(())
            }
        };
        if let Some(task) = metrics {
            task.abort();
        }
        scheduler.abort();
        domain_lists.abort();
        moderation.abort();
        sources.abort();
        tracing::info!("stopping the delivery queue");
        queue.stop().await;
        search_index.stop().await;
        tracing::info!("stopped");
        result
    }

    /// Serves until SIGTERM or SIGINT (Ctrl-C).
    pub async fn run(self) -> Result<(), AppError> {
        let signal = shutdown_signal()?;
        self.run_until(signal).await
    }
}

/// Resolves at the first SIGTERM or SIGINT. The handlers are installed at once (before this
/// returns), so a signal that arrives during the start is not lost to the default action. A
/// second signal ends the process at once (exit code 130): what was not committed stays in
/// the database's queue and is sent after the next start.
pub fn shutdown_signal() -> Result<impl std::future::Future<Output = ()> + Send + 'static, AppError>
{
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())
            .map_err(|e| AppError::context("cannot handle SIGTERM", e))?;
        let mut int = signal(SignalKind::interrupt())
            .map_err(|e| AppError::context("cannot handle SIGINT", e))?;
        Ok(async move {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
            tracing::info!(signal = name, "shutdown requested");
            tokio::spawn(async move {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
                tracing::warn!("a second signal: exiting without waiting");
                std::process::exit(130);
            });
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
