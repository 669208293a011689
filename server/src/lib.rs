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
    keys: Mutex<HashMap<i64, Signer>>,
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
        db.migrate()
            .await
            .map_err(|e| AppError::context("migration failed", e))?;
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

    /// The signer of a local actor, its key parsed once and cached.
    pub fn signer_for(&self, actor: &db::actors::ActorRow) -> Result<Signer, AppError> {
        if let Some(s) = self.cached_signer(actor.id) {
            return Ok(s);
        }
        let pem = actor
            .private_key_pem
            .as_ref()
            .map(db::actors::PrivateKeyPem::expose)
            .ok_or_else(|| {
                AppError::internal(format!("actor {} has no private key", actor.ap_id))
            })?;
        let key = SigningKey::from_pem(pem).map_err(AppError::internal)?;
        let signer = Signer {
            key_id: actor.key_id.clone(),
            key,
        };
        self.keys
            .lock()
            .map_err(|_| AppError::internal("key cache poisoned"))?
            .insert(actor.id, signer.clone());
        Ok(signer)
    }

    /// The signer of a local actor if it was used before.
    pub fn cached_signer(&self, actor_id: i64) -> Option<Signer> {
        self.keys
            .lock()
            .ok()
            .and_then(|k| k.get(&actor_id).cloned())
    }
}

/// A bound, ready server.
pub struct Server {
    pub app: App,
    listener: TcpListener,
}

/// Builds the application on an already bound listener (port 0 in tests).
pub async fn build(settings: Settings, listener: TcpListener) -> Result<Server, AppError> {
    let app = App::new(settings).await?;
    Ok(Server { app, listener })
}

impl Server {
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Serves until `shutdown` resolves, with the delivery queue running.
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
        let result = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(AppError::internal);
        scheduler.abort();
        domain_lists.abort();
        moderation.abort();
        sources.abort();
        queue.stop().await;
        search_index.stop().await;
        result
    }

    /// Serves until Ctrl-C.
    pub async fn run(self) -> Result<(), AppError> {
        self.run_until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    }
}
