//! Typed settings: defaults that run on a laptop, then a TOML file (`--config`), then
//! `REVIER_*` environment variables. `validate` names the offending setting in one line.

use std::net::SocketAddr;
use std::path::Path;

use serde::Deserialize;

/// Everything the server can be told. Passed in, never global.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Public host name (with port in test mode), e.g. `revier.example` or `127.0.0.1:8801`.
    pub domain: String,
    /// Address to listen on.
    pub bind: String,
    /// `sqlite://path` or `postgres://user:pw@host/db`.
    pub database_url: String,
    /// Test mode: plain http, loopback peers with ports. Never on in production.
    pub allow_loopback_federation: bool,
    /// Instance name shown in NodeInfo and pages.
    pub instance_name: String,
    /// Language of content that names none.
    pub default_language: String,
    pub delivery: DeliverySettings,
    /// Outgoing e-mail (invitations, password resets, registration answers); off while
    /// `smtp.host` is empty.
    pub smtp: SmtpSettings,
    pub media: MediaSettings,
    pub moderation: ModerationSettings,
    /// Rate limits in memory (inbox POSTs, API writes), per minute.
    pub limits: LimitSettings,
    /// Backfill of new sources and freshness of what they sent (issue 10).
    pub backfill: BackfillSettings,
    /// `/metrics` (issue 11): off unless a token or a separate listener is set.
    pub metrics: MetricsSettings,
    /// Stopping and logging (issue 11).
    pub lifecycle: LifecycleSettings,
    /// How the delivery queue shares work between processes and stops (issue 11).
    pub queue: QueueSettings,
    /// The open-data catalogue at `/opendata` (issue 12).
    pub opendata: OpenDataSettings,
}

/// The licence every distribution of `/opendata` carries, the DCAT-AP.de URI of the Data
/// licence Germany – Zero – 2.0 unless the admin chooses another.
pub const DEFAULT_OPENDATA_LICENSE: &str = "http://dcat-ap.de/def/licenses/dl-zero-de/2.0";

/// A licence the catalogue knows by name: its short name (accepted in the setting), its URI
/// (DCAT-AP.de's licence vocabulary), its title, and whether reusers must name the source
/// (then the catalogue states the attribution text, DCAT-AP.de's
/// `dcatde:licenseAttributionByText`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownLicense {
    pub short: &'static str,
    pub uri: &'static str,
    pub title: &'static str,
    pub attribution: bool,
}

/// The licences `opendata.license` knows by short name; any other absolute http(s) URI is
/// accepted as it is.
pub const KNOWN_OPENDATA_LICENSES: [KnownLicense; 5] = [
    KnownLicense {
        short: "dl-de/zero-2-0",
        uri: DEFAULT_OPENDATA_LICENSE,
        title: "Datenlizenz Deutschland – Zero – Version 2.0",
        attribution: false,
    },
    KnownLicense {
        short: "dl-de/by-2-0",
        uri: "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
        title: "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        attribution: true,
    },
    KnownLicense {
        short: "cc-zero",
        uri: "http://dcat-ap.de/def/licenses/cc-zero",
        title: "Creative Commons CC Zero License (cc-zero)",
        attribution: false,
    },
    KnownLicense {
        short: "cc-by-4.0",
        uri: "http://dcat-ap.de/def/licenses/cc-by/4.0",
        title: "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)",
        attribution: true,
    },
    KnownLicense {
        short: "cc-by-sa-4.0",
        uri: "http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
        title: "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International (CC BY-SA 4.0)",
        attribution: true,
    },
];

/// The open-data catalogue (issue 12).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenDataSettings {
    /// The licence of every distribution: a short name from [`KNOWN_OPENDATA_LICENSES`]
    /// (`dl-de/zero-2-0`, `dl-de/by-2-0`, `cc-zero`, `cc-by-4.0`, ...) or an absolute http(s)
    /// URI of a licence.
    pub license: String,
}

impl Default for OpenDataSettings {
    fn default() -> Self {
        OpenDataSettings {
            license: DEFAULT_OPENDATA_LICENSE.into(),
        }
    }
}

/// The licence an `opendata.license` value names: (URI, the known licence if it is one).
pub fn opendata_license(value: &str) -> Option<(String, Option<KnownLicense>)> {
    let v = value.trim();
    if let Some(k) = KNOWN_OPENDATA_LICENSES
        .iter()
        .find(|k| k.short.eq_ignore_ascii_case(v) || k.uri == v)
    {
        return Some((k.uri.to_string(), Some(*k)));
    }
    let url = url::Url::parse(v).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some() && !v.contains(' '))
        .then(|| (v.to_string(), None))
}

impl OpenDataSettings {
    /// The licence's URI and, for a known one, its description (validated settings always
    /// name one; the default otherwise).
    pub fn license(&self) -> (String, Option<KnownLicense>) {
        opendata_license(&self.license).unwrap_or_else(|| {
            (
                DEFAULT_OPENDATA_LICENSE.to_string(),
                Some(KNOWN_OPENDATA_LICENSES[0]),
            )
        })
    }
}

/// Where `/metrics` is served (issue 11). Neither set: nowhere (404). `Debug` never shows the
/// token.
#[derive(Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    /// A secret: `/metrics` on the public listener answers only `Authorization: Bearer <token>`
    /// (at least 16 characters). Empty: not on the public listener.
    pub token: String,
    /// A second listener serving `/metrics` without a token, e.g. `127.0.0.1:9184` (keep it
    /// off the public network). Empty: none.
    pub bind: String,
}

impl MetricsSettings {
    /// The token, when one is set.
    pub fn token(&self) -> Option<&str> {
        Some(self.token.as_str()).filter(|t| !t.is_empty())
    }

    /// The separate listener's address, when one is set.
    pub fn bind(&self) -> Option<&str> {
        Some(self.bind.trim()).filter(|b| !b.is_empty())
    }
}

impl std::fmt::Debug for MetricsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let token = if self.token.is_empty() {
            ""
        } else {
            "(hidden)"
        };
        f.debug_struct("MetricsSettings")
            .field("token", &token)
            .field("bind", &self.bind)
            .finish()
    }
}

/// How the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl LogFormat {
    fn parse(v: &str) -> Option<LogFormat> {
        match v.trim().to_ascii_lowercase().as_str() {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }
}

/// Stopping and logging (issue 11).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LifecycleSettings {
    /// On SIGTERM or SIGINT, how long requests in flight may take to finish before their
    /// connections are closed (seconds, 0..3600).
    pub shutdown_timeout_secs: u64,
    /// `text` or `json`.
    pub log_format: LogFormat,
}

impl Default for LifecycleSettings {
    fn default() -> Self {
        LifecycleSettings {
            shutdown_timeout_secs: 30,
            log_format: LogFormat::Text,
        }
    }
}

/// The delivery queue across processes (issue 11): several `revier serve` on one PostgreSQL
/// split the deliveries by leasing hosts and rows; a process that dies stops renewing its
/// leases and the others take its work once they ran out.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueSettings {
    /// This process sends deliveries. `false`: it only serves the web and queues work for the
    /// processes that send (PostgreSQL wakes them at once).
    pub send: bool,
    /// How long a process's claim on a host and its rows lasts without renewal (seconds,
    /// 3..600; renewed every third of it): how soon others take over a killed process's work.
    pub lease_secs: u64,
    /// The queue looks for due work this often even without a wake-up (seconds, 1..3600).
    pub poll_secs: u64,
    /// On shutdown, how long requests already in flight may take to finish (seconds, 0..600);
    /// what is left is given back to the queue.
    pub stop_secs: u64,
}

impl Default for QueueSettings {
    fn default() -> Self {
        QueueSettings {
            send: true,
            lease_secs: 15,
            poll_secs: 1,
            stop_secs: 10,
        }
    }
}

impl QueueSettings {
    fn validate(&self) -> Result<(), SettingsError> {
        if !(3..=600).contains(&self.lease_secs) {
            return Err(bad("queue.lease_secs", "must be between 3 and 600 seconds"));
        }
        if !(1..=3600).contains(&self.poll_secs) {
            return Err(bad("queue.poll_secs", "must be between 1 and 3600 seconds"));
        }
        if self.stop_secs > 600 {
            return Err(bad("queue.stop_secs", "must be at most 600 seconds"));
        }
        Ok(())
    }

    /// Applies one `REVIER_QUEUE_*` variable.
    fn apply_env(&mut self, key: &str, value: &str) -> Result<(), SettingsError> {
        let secs = |name: &'static str| {
            value
                .trim()
                .parse::<u64>()
                .map_err(|_| bad(name, format!("{value:?} is not a whole number of seconds")))
        };
        match key {
            "REVIER_QUEUE_SEND" => {
                self.send =
                    parse_bool(value).ok_or_else(|| bad("queue.send", "expected true or false"))?
            }
            "REVIER_QUEUE_LEASE_SECS" => self.lease_secs = secs("queue.lease_secs")?,
            "REVIER_QUEUE_POLL_SECS" => self.poll_secs = secs("queue.poll_secs")?,
            "REVIER_QUEUE_STOP_SECS" => self.stop_secs = secs("queue.stop_secs")?,
            _ => {}
        }
        Ok(())
    }
}

/// Moderation (issue 9).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModerationSettings {
    /// How long a suspended local account's data is kept before it is purged (days, 1..3650);
    /// lifting the suspension before then restores the account as it was.
    pub suspension_retention_days: u32,
}

impl Default for ModerationSettings {
    fn default() -> Self {
        ModerationSettings {
            suspension_retention_days: 30,
        }
    }
}

/// Requests per minute, counted in memory by `web::throttle`; a key over its limit is answered
/// 429 with `Retry-After`. The burst is how many may come at once before the per-minute pace
/// applies.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    /// Inbox POSTs per minute from one remote host (the host of the signature's keyId; the
    /// client address when unsigned).
    pub inbox_per_minute: u32,
    /// Inbox POSTs one host may send at once.
    pub inbox_burst: u32,
    /// API writes (POST, PUT, PATCH, DELETE under /api/) per minute per token (or address).
    pub api_writes_per_minute: u32,
    /// API writes one token may send at once.
    pub api_writes_burst: u32,
    /// Most keys (hosts, tokens, addresses) each limiter remembers; past it, the oldest idle
    /// ones are forgotten, and then a new key is refused until there is room.
    pub max_keys: usize,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            inbox_per_minute: 300,
            inbox_burst: 100,
            api_writes_per_minute: 60,
            api_writes_burst: 30,
            max_keys: 100_000,
        }
    }
}

/// How much a new source's backfill may read, and how fresh source content is kept (issue 10).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackfillSettings {
    /// Most objects one backfill stores or looks at (1..10000).
    pub max_items: u32,
    /// Most collection pages one backfill reads (1..1000).
    pub max_pages: u32,
    /// Objects published longer ago than this are not backfilled (days, 1..3650).
    pub max_age_days: u32,
    /// Time one backfill may take before it stops (seconds, 1..3600).
    pub max_secs: u64,
    /// Bytes of documents one backfill may read (1 KiB..1 GiB).
    pub max_bytes: u64,
    /// Remote events leave the views (and are dropped) this many days after their end
    /// (0..3650; 0: right after their end).
    pub keep_past_events_days: u32,
    /// Remote projects are fetched again from their origin this often (seconds, 60..30 days).
    pub project_refresh_secs: u64,
    /// How often the source job looks for due backfills, refreshes and expired events
    /// (seconds, 1..3600).
    pub tick_secs: u64,
}

impl Default for BackfillSettings {
    fn default() -> Self {
        BackfillSettings {
            max_items: 200,
            max_pages: 10,
            max_age_days: 365,
            max_secs: 60,
            max_bytes: 8 * 1024 * 1024,
            keep_past_events_days: 1,
            project_refresh_secs: 24 * 3600,
            tick_secs: 60,
        }
    }
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain SMTP (a relay on the same host or in a private network).
    None,
    /// STARTTLS after connecting, required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl SmtpSecurity {
    fn parse(v: &str) -> Option<SmtpSecurity> {
        match v.trim().to_ascii_lowercase().as_str() {
            "none" => Some(SmtpSecurity::None),
            "starttls" => Some(SmtpSecurity::Starttls),
            "tls" => Some(SmtpSecurity::Tls),
            _ => None,
        }
    }
}

/// The SMTP server that sends the instance's e-mail. `Debug` never shows the password.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpSettings {
    /// Host name of the SMTP server; empty: no e-mail (pages show links to pass on instead).
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// Empty: no authentication.
    pub username: String,
    pub password: String,
    /// The sender, e.g. `Revier <revier@example.org>`.
    pub from: String,
}

impl SmtpSettings {
    /// True when a host is set.
    pub fn is_configured(&self) -> bool {
        !self.host.trim().is_empty()
    }
}

impl Default for SmtpSettings {
    fn default() -> Self {
        SmtpSettings {
            host: String::new(),
            port: 587,
            security: SmtpSecurity::Starttls,
            username: String::new(),
            password: String::new(),
            from: String::new(),
        }
    }
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let password = if self.password.is_empty() {
            ""
        } else {
            "(hidden)"
        };
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &password)
            .field("from", &self.from)
            .finish()
    }
}

/// Where uploaded images are kept (`media.store`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MediaStoreKind {
    /// Files in `media.directory` (one process, or several sharing that directory).
    #[default]
    Local,
    /// An S3-compatible object store (AWS S3, MinIO, Garage, Ceph...): what several `revier
    /// serve` processes on several machines share.
    S3,
}

impl MediaStoreKind {
    fn parse(v: &str) -> Option<MediaStoreKind> {
        match v.trim().to_ascii_lowercase().as_str() {
            "local" => Some(MediaStoreKind::Local),
            "s3" => Some(MediaStoreKind::S3),
            _ => None,
        }
    }
}

/// Uploaded images and where they are kept. `Debug` never shows the S3 secret.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaSettings {
    /// `local` (default) or `s3`.
    pub store: MediaStoreKind,
    /// Where the local store keeps files; default: `media` next to the SQLite file, or
    /// `./data/media` with PostgreSQL.
    pub directory: Option<String>,
    /// Largest upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// The bucket (it must exist; Revier does not create it).
    pub s3_bucket: String,
    /// The endpoint of an S3-compatible server, e.g. `https://s3.example.org`; empty: AWS
    /// (`https://s3.<region>.amazonaws.com`). Requests are path-style (`endpoint/bucket/key`).
    pub s3_endpoint: String,
    pub s3_region: String,
    pub s3_access_key_id: String,
    /// A secret: never logged.
    pub s3_secret_access_key: String,
    /// Plain `http://` to the endpoint; only for an endpoint on loopback (tests, a local MinIO).
    pub s3_allow_http: bool,
}

impl Default for MediaSettings {
    fn default() -> Self {
        MediaSettings {
            store: MediaStoreKind::Local,
            directory: None,
            max_upload_bytes: 10 * 1024 * 1024,
            s3_bucket: String::new(),
            s3_endpoint: String::new(),
            s3_region: "us-east-1".into(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
            s3_allow_http: false,
        }
    }
}

impl std::fmt::Debug for MediaSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secret = if self.s3_secret_access_key.is_empty() {
            ""
        } else {
            "(hidden)"
        };
        f.debug_struct("MediaSettings")
            .field("store", &self.store)
            .field("directory", &self.directory)
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("s3_bucket", &self.s3_bucket)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_region", &self.s3_region)
            .field("s3_access_key_id", &self.s3_access_key_id)
            .field("s3_secret_access_key", &secret)
            .field("s3_allow_http", &self.s3_allow_http)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliverySettings {
    /// First retry delay; each further failure doubles it.
    pub retry_base_secs: u64,
    /// Upper bound for the retry delay.
    pub retry_max_secs: u64,
    /// A host failing continuously for this long is marked dead until it contacts us.
    pub dead_after_secs: u64,
    /// Timeout of one delivery request.
    pub timeout_secs: u64,
    /// Hosts served at the same time, over all hosts (each worker makes up to 4 requests to
    /// its host at once), so a fan-out to thousands of hosts cannot open thousands of
    /// connections and tasks.
    pub max_workers: usize,
    /// A changed participant count of an event is federated (`Update{Event}`) at most once
    /// per this many seconds, so a Join/Leave storm sends one Update, not one per RSVP.
    pub count_update_secs: u64,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings {
            retry_base_secs: 30,
            retry_max_secs: 6 * 3600,
            dead_after_secs: 3 * 24 * 3600,
            timeout_secs: 15,
            max_workers: 32,
            count_update_secs: 5,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            domain: "localhost:8080".into(),
            bind: "127.0.0.1:8080".into(),
            database_url: "sqlite://./data/revier.db".into(),
            allow_loopback_federation: false,
            instance_name: "Revier".into(),
            default_language: "de".into(),
            delivery: DeliverySettings::default(),
            smtp: SmtpSettings::default(),
            media: MediaSettings::default(),
            moderation: ModerationSettings::default(),
            limits: LimitSettings::default(),
            backfill: BackfillSettings::default(),
            metrics: MetricsSettings::default(),
            lifecycle: LifecycleSettings::default(),
            queue: QueueSettings::default(),
            opendata: OpenDataSettings::default(),
        }
    }
}

/// A setting that is wrong, with its name.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting {name}{}: {reason}", env_hint(name))]
pub struct SettingsError {
    pub name: &'static str,
    pub reason: String,
}

/// The environment variable that sets a file key, for the error line.
fn env_hint(name: &str) -> String {
    match name {
        "domain" | "bind" | "database_url" | "instance_name" | "default_language" => {
            format!(" (REVIER_{})", name.to_ascii_uppercase())
        }
        "delivery.max_workers"
        | "delivery.count_update_secs"
        | "limits.inbox_per_minute"
        | "limits.api_writes_per_minute"
        | "smtp.host"
        | "smtp.port"
        | "smtp.security"
        | "smtp.from"
        | "metrics.token"
        | "metrics.bind"
        | "queue.send"
        | "queue.lease_secs"
        | "queue.poll_secs"
        | "queue.stop_secs"
        | "opendata.license" => {
            format!(" (REVIER_{})", name.replace('.', "_").to_ascii_uppercase())
        }
        "lifecycle.shutdown_timeout_secs" => " (REVIER_SHUTDOWN_TIMEOUT_SECS)".into(),
        "lifecycle.log_format" => " (REVIER_LOG_FORMAT)".into(),
        media if media.starts_with("media.") => {
            format!(" (REVIER_{})", name.replace('.', "_").to_ascii_uppercase())
        }
        _ => String::new(),
    }
}

/// Upper bound for `delivery.max_workers`: each worker may hold a database connection and four
/// HTTP connections.
const MAX_DELIVERY_WORKERS: usize = 1024;

fn bad(name: &'static str, reason: impl Into<String>) -> SettingsError {
    SettingsError {
        name,
        reason: reason.into(),
    }
}

impl Settings {
    /// Defaults, then the file, then the environment; validated.
    pub fn load(file: Option<&Path>, env: &[(String, String)]) -> Result<Settings, SettingsError> {
        let mut s = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| bad("--config", format!("cannot read {}: {e}", path.display())))?;
                toml::from_str::<Settings>(&text)
                    .map_err(|e| bad("--config", e.message().to_string()))?
            }
            None => Settings::default(),
        };
        for (key, value) in env {
            match key.as_str() {
                "REVIER_DOMAIN" => s.domain = value.clone(),
                "REVIER_BIND" => s.bind = value.clone(),
                "REVIER_DATABASE_URL" => s.database_url = value.clone(),
                "REVIER_ALLOW_LOOPBACK_FEDERATION" => {
                    s.allow_loopback_federation = parse_bool(value).ok_or_else(|| {
                        bad("REVIER_ALLOW_LOOPBACK_FEDERATION", "expected true or false")
                    })?
                }
                "REVIER_INSTANCE_NAME" => s.instance_name = value.clone(),
                "REVIER_DEFAULT_LANGUAGE" => s.default_language = value.clone(),
                "REVIER_DELIVERY_MAX_WORKERS" => {
                    s.delivery.max_workers = value.trim().parse().map_err(|_| {
                        bad(
                            "delivery.max_workers",
                            format!("{value:?} is not a whole number"),
                        )
                    })?
                }
                "REVIER_DELIVERY_COUNT_UPDATE_SECS" => {
                    s.delivery.count_update_secs = value.trim().parse().map_err(|_| {
                        bad(
                            "delivery.count_update_secs",
                            format!("{value:?} is not a whole number of seconds"),
                        )
                    })?
                }
                "REVIER_LIMITS_INBOX_PER_MINUTE" => {
                    s.limits.inbox_per_minute = value.trim().parse().map_err(|_| {
                        bad(
                            "limits.inbox_per_minute",
                            format!("{value:?} is not a whole number"),
                        )
                    })?
                }
                "REVIER_LIMITS_API_WRITES_PER_MINUTE" => {
                    s.limits.api_writes_per_minute = value.trim().parse().map_err(|_| {
                        bad(
                            "limits.api_writes_per_minute",
                            format!("{value:?} is not a whole number"),
                        )
                    })?
                }
                other if other.starts_with("REVIER_SMTP_") => {
                    apply_smtp_env(&mut s.smtp, other, value)?
                }
                "REVIER_METRICS_TOKEN" => s.metrics.token = value.trim().to_string(),
                "REVIER_METRICS_BIND" => s.metrics.bind = value.trim().to_string(),
                "REVIER_SHUTDOWN_TIMEOUT_SECS" => {
                    s.lifecycle.shutdown_timeout_secs = value.trim().parse().map_err(|_| {
                        bad(
                            "lifecycle.shutdown_timeout_secs",
                            format!("{value:?} is not a whole number of seconds"),
                        )
                    })?
                }
                "REVIER_LOG_FORMAT" => {
                    s.lifecycle.log_format = LogFormat::parse(value)
                        .ok_or_else(|| bad("lifecycle.log_format", "expected text or json"))?
                }
                other if other.starts_with("REVIER_MEDIA_") => {
                    apply_media_env(&mut s.media, other, value)?
                }
                other if other.starts_with("REVIER_QUEUE_") => s.queue.apply_env(other, value)?,
                "REVIER_OPENDATA_LICENSE" => s.opendata.license = value.trim().to_string(),
                _ => {}
            }
        }
        s.validate()?;
        Ok(s)
    }

    /// Checks every setting; the error names the first wrong one.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let d = &self.domain;
        if d.is_empty()
            || d.contains(['/', '@', '?', '#', ' '])
            || url::Url::parse(&format!("http://{d}/"))
                .map(|u| u.host_str().is_none())
                .unwrap_or(true)
        {
            return Err(bad(
                "domain",
                format!("{d:?} is not a host name (with an optional port)"),
            ));
        }
        if d.contains(':') && !self.allow_loopback_federation && !d.starts_with("localhost:") {
            return Err(bad(
                "domain",
                "a port in the domain needs REVIER_ALLOW_LOOPBACK_FEDERATION=true (test mode)",
            ));
        }
        self.bind.parse::<SocketAddr>().map_err(|_| {
            bad(
                "bind",
                format!("{:?} is not an address like 127.0.0.1:8080", self.bind),
            )
        })?;
        let db = &self.database_url;
        if !(db.starts_with("sqlite:")
            || db.starts_with("postgres://")
            || db.starts_with("postgresql://"))
        {
            return Err(bad(
                "database_url",
                "must start with sqlite:// or postgres://",
            ));
        }
        if crate::domain::text::Language::parse(&self.default_language).is_err() {
            return Err(bad(
                "default_language",
                format!("{:?} is not a language tag", self.default_language),
            ));
        }
        if self.delivery.retry_base_secs == 0
            || self.delivery.retry_max_secs < self.delivery.retry_base_secs
        {
            return Err(bad(
                "delivery.retry_max_secs",
                "must be at least delivery.retry_base_secs, which must be > 0",
            ));
        }
        if !(1..=MAX_DELIVERY_WORKERS).contains(&self.delivery.max_workers) {
            return Err(bad(
                "delivery.max_workers",
                format!("must be between 1 and {MAX_DELIVERY_WORKERS}"),
            ));
        }
        if !(1..=3600).contains(&self.delivery.count_update_secs) {
            return Err(bad(
                "delivery.count_update_secs",
                "must be between 1 and 3600 seconds",
            ));
        }
        self.queue.validate()?;
        self.validate_moderation()?;
        self.validate_backfill()?;
        self.validate_limits()?;
        self.validate_smtp()?;
        self.validate_media()?;
        self.validate_opendata()?;
        self.validate_operations()
    }

    /// `opendata.license`: a licence we know by name, or an absolute http(s) URI.
    fn validate_opendata(&self) -> Result<(), SettingsError> {
        if opendata_license(&self.opendata.license).is_none() {
            let known: Vec<&str> = KNOWN_OPENDATA_LICENSES.iter().map(|k| k.short).collect();
            return Err(bad(
                "opendata.license",
                format!(
                    "{:?} is neither an http(s) URI of a licence nor one of {}",
                    self.opendata.license,
                    known.join(", ")
                ),
            ));
        }
        Ok(())
    }

    /// `metrics` and `lifecycle` (issue 11).
    fn validate_operations(&self) -> Result<(), SettingsError> {
        if let Some(token) = self.metrics.token() {
            // The value is a secret: the error never repeats it.
            if token.chars().count() < 16 || token.chars().any(|c| c.is_whitespace()) {
                return Err(bad(
                    "metrics.token",
                    "must be at least 16 characters without spaces",
                ));
            }
        }
        if let Some(bind) = self.metrics.bind() {
            if bind.parse::<SocketAddr>().is_err() {
                return Err(bad(
                    "metrics.bind",
                    format!("{bind:?} is not an address like 127.0.0.1:9184"),
                ));
            }
            if bind == self.bind.trim() {
                return Err(bad("metrics.bind", "must differ from bind"));
            }
        }
        if self.lifecycle.shutdown_timeout_secs > 3600 {
            return Err(bad(
                "lifecycle.shutdown_timeout_secs",
                "must be at most 3600 seconds",
            ));
        }
        Ok(())
    }

    fn validate_limits(&self) -> Result<(), SettingsError> {
        let l = &self.limits;
        for (name, v) in [
            ("limits.inbox_per_minute", l.inbox_per_minute),
            ("limits.inbox_burst", l.inbox_burst),
            ("limits.api_writes_per_minute", l.api_writes_per_minute),
            ("limits.api_writes_burst", l.api_writes_burst),
        ] {
            if v == 0 {
                return Err(bad(name, "must be at least 1"));
            }
        }
        if l.max_keys < 100 {
            return Err(bad("limits.max_keys", "must be at least 100"));
        }
        Ok(())
    }

    fn validate_backfill(&self) -> Result<(), SettingsError> {
        let b = &self.backfill;
        let checks: [(&'static str, bool, &str); 8] = [
            (
                "backfill.max_items",
                (1..=10_000).contains(&b.max_items),
                "between 1 and 10000",
            ),
            (
                "backfill.max_pages",
                (1..=1000).contains(&b.max_pages),
                "between 1 and 1000",
            ),
            (
                "backfill.max_age_days",
                (1..=3650).contains(&b.max_age_days),
                "between 1 and 3650 days",
            ),
            (
                "backfill.max_secs",
                (1..=3600).contains(&b.max_secs),
                "between 1 and 3600 seconds",
            ),
            (
                "backfill.max_bytes",
                (1024..=1 << 30).contains(&b.max_bytes),
                "between 1 KiB and 1 GiB",
            ),
            (
                "backfill.keep_past_events_days",
                b.keep_past_events_days <= 3650,
                "at most 3650 days",
            ),
            (
                "backfill.project_refresh_secs",
                (60..=30 * 86_400).contains(&b.project_refresh_secs),
                "between 60 seconds and 30 days",
            ),
            (
                "backfill.tick_secs",
                (1..=3600).contains(&b.tick_secs),
                "between 1 and 3600 seconds",
            ),
        ];
        for (name, ok, range) in checks {
            if !ok {
                return Err(bad(name, format!("must be {range}")));
            }
        }
        Ok(())
    }

    fn validate_moderation(&self) -> Result<(), SettingsError> {
        if !(1..=3650).contains(&self.moderation.suspension_retention_days) {
            return Err(bad(
                "moderation.suspension_retention_days",
                "must be between 1 and 3650 days",
            ));
        }
        Ok(())
    }

    fn validate_smtp(&self) -> Result<(), SettingsError> {
        let smtp = &self.smtp;
        if !smtp.is_configured() {
            return Ok(());
        }
        if smtp.host.contains(['/', '@', ' ', ':']) {
            return Err(bad(
                "smtp.host",
                format!("{:?} is not a host name", smtp.host),
            ));
        }
        if smtp.port == 0 {
            return Err(bad("smtp.port", "must be a port number (1-65535)"));
        }
        if smtp.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(bad(
                "smtp.from",
                format!(
                    "{:?} is not a sender like `Revier <revier@example.org>`",
                    smtp.from
                ),
            ));
        }
        Ok(())
    }

    fn validate_media(&self) -> Result<(), SettingsError> {
        let m = &self.media;
        if !(1024..=100 * 1024 * 1024).contains(&m.max_upload_bytes) {
            return Err(bad(
                "media.max_upload_bytes",
                "must be between 1 KiB and 100 MiB",
            ));
        }
        if m.store == MediaStoreKind::Local {
            return Ok(());
        }
        // S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens.
        let b = &m.s3_bucket;
        if !(3..=63).contains(&b.len())
            || !b
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        {
            return Err(bad(
                "media.s3_bucket",
                format!("{b:?} is not a bucket name (3-63 of a-z, 0-9, '.', '-')"),
            ));
        }
        if m.s3_region.trim().is_empty() {
            return Err(bad("media.s3_region", "must not be empty"));
        }
        // Keys are required: without them the S3 client would look for credentials on the
        // machine (environment, instance metadata), which Revier's settings do not describe.
        if m.s3_access_key_id.trim().is_empty() {
            return Err(bad(
                "media.s3_access_key_id",
                "must be set for media.store = s3",
            ));
        }
        if m.s3_secret_access_key.is_empty() {
            return Err(bad(
                "media.s3_secret_access_key",
                "must be set for media.store = s3",
            ));
        }
        if m.s3_endpoint.is_empty() {
            return Ok(());
        }
        let url = url::Url::parse(&m.s3_endpoint)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| {
                bad(
                    "media.s3_endpoint",
                    format!("{:?} is not an http(s) URL", m.s3_endpoint),
                )
            })?;
        // Plain http is the operator's explicit choice (a MinIO on loopback or on a private
        // container network, as Mastodon's S3_PROTOCOL=http allows); the endpoint is set by
        // the operator, never by a remote party.
        if url.scheme() == "http" && !m.s3_allow_http {
            return Err(bad(
                "media.s3_endpoint",
                "an http:// endpoint needs media.s3_allow_http = true (only on a network you trust)",
            ));
        }
        Ok(())
    }

    /// The directory of the local media store.
    pub fn media_directory(&self) -> std::path::PathBuf {
        if let Some(dir) = &self.media.directory {
            return dir.into();
        }
        let sqlite_file = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))
            .map(|p| p.split('?').next().unwrap_or(p));
        match sqlite_file.and_then(|f| Path::new(f).parent()) {
            Some(parent) if !parent.as_os_str().is_empty() => parent.join("media"),
            _ => "./data/media".into(),
        }
    }

    /// `http` in test mode, else `https`.
    pub fn scheme(&self) -> &'static str {
        if self.allow_loopback_federation {
            "http"
        } else {
            "https"
        }
    }

    /// `scheme://domain`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme(), self.domain)
    }
}

/// One `REVIER_SMTP_*` variable into the smtp settings.
fn apply_smtp_env(smtp: &mut SmtpSettings, key: &str, value: &str) -> Result<(), SettingsError> {
    match key {
        "REVIER_SMTP_HOST" => smtp.host = value.trim().to_string(),
        "REVIER_SMTP_PORT" => {
            smtp.port = value
                .trim()
                .parse()
                .map_err(|_| bad("smtp.port", format!("{value:?} is not a port number")))?
        }
        "REVIER_SMTP_SECURITY" => {
            smtp.security = SmtpSecurity::parse(value)
                .ok_or_else(|| bad("smtp.security", "expected none, starttls or tls"))?
        }
        "REVIER_SMTP_USERNAME" => smtp.username = value.to_string(),
        "REVIER_SMTP_PASSWORD" => smtp.password = value.to_string(),
        "REVIER_SMTP_FROM" => smtp.from = value.to_string(),
        _ => {}
    }
    Ok(())
}

/// One `REVIER_MEDIA_*` variable into the media settings.
fn apply_media_env(m: &mut MediaSettings, key: &str, value: &str) -> Result<(), SettingsError> {
    match key {
        "REVIER_MEDIA_STORE" => {
            m.store = MediaStoreKind::parse(value)
                .ok_or_else(|| bad("media.store", "expected local or s3"))?
        }
        "REVIER_MEDIA_DIRECTORY" => {
            m.directory = Some(value.to_string()).filter(|d| !d.trim().is_empty())
        }
        "REVIER_MEDIA_MAX_UPLOAD_BYTES" => {
            m.max_upload_bytes = value.trim().parse().map_err(|_| {
                bad(
                    "media.max_upload_bytes",
                    format!("{value:?} is not a whole number of bytes"),
                )
            })?
        }
        "REVIER_MEDIA_S3_BUCKET" => m.s3_bucket = value.trim().to_string(),
        "REVIER_MEDIA_S3_ENDPOINT" => m.s3_endpoint = value.trim().to_string(),
        "REVIER_MEDIA_S3_REGION" => m.s3_region = value.trim().to_string(),
        "REVIER_MEDIA_S3_ACCESS_KEY_ID" => m.s3_access_key_id = value.trim().to_string(),
        "REVIER_MEDIA_S3_SECRET_ACCESS_KEY" => m.s3_secret_access_key = value.to_string(),
        "REVIER_MEDIA_S3_ALLOW_HTTP" => {
            m.s3_allow_http = parse_bool(value)
                .ok_or_else(|| bad("media.s3_allow_http", "expected true or false"))?
        }
        _ => {}
    }
    Ok(())
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_run_on_a_laptop() {
        let s = Settings::load(None, &[]).unwrap();
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.domain, "localhost:8080");
        assert_eq!(s.database_url, "sqlite://./data/revier.db");
        assert!(!s.allow_loopback_federation);
        assert_eq!(s.base_url(), "https://localhost:8080");
        assert_eq!(s.media_directory(), Path::new("./data/media"));
    }

    #[test]
    fn environment_overrides_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        std::fs::write(
            &path,
            "domain = \"file.example\"\nbind = \"127.0.0.1:9000\"\n",
        )
        .unwrap();
        let s = Settings::load(Some(&path), &env(&[("REVIER_DOMAIN", "env.example")])).unwrap();
        assert_eq!(s.domain, "env.example");
        assert_eq!(s.bind, "127.0.0.1:9000");
    }

    #[test]
    fn invalid_settings_name_the_setting() {
        let e = Settings::load(None, &env(&[("REVIER_BIND", "nonsense")])).unwrap_err();
        assert_eq!(e.name, "bind");
        assert!(
            e.to_string()
                .starts_with("invalid setting bind (REVIER_BIND): "),
            "{e}"
        );
        let e = Settings::load(None, &env(&[("REVIER_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert_eq!(e.name, "database_url");
        let e = Settings::load(None, &env(&[("REVIER_ALLOW_LOOPBACK_FEDERATION", "maybe")]))
            .unwrap_err();
        assert_eq!(e.name, "REVIER_ALLOW_LOOPBACK_FEDERATION");
        let e = Settings::load(None, &env(&[("REVIER_DELIVERY_MAX_WORKERS", "0")])).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "invalid setting delivery.max_workers (REVIER_DELIVERY_MAX_WORKERS): "
            ),
            "{e}"
        );
        let e = Settings::load(None, &env(&[("REVIER_DELIVERY_MAX_WORKERS", "many")])).unwrap_err();
        assert_eq!(e.name, "delivery.max_workers");
        let e =
            Settings::load(None, &env(&[("REVIER_DELIVERY_COUNT_UPDATE_SECS", "0")])).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "invalid setting delivery.count_update_secs (REVIER_DELIVERY_COUNT_UPDATE_SECS): "
            ),
            "{e}"
        );
        let s = Settings::load(None, &env(&[("REVIER_DELIVERY_MAX_WORKERS", "4")])).unwrap();
        assert_eq!(s.delivery.max_workers, 4);
        let e = Settings::load(None, &env(&[("REVIER_DOMAIN", "a/b")])).unwrap_err();
        assert_eq!(e.name, "domain");
        let e = Settings::load(None, &env(&[("REVIER_DOMAIN", "127.0.0.1:8801")])).unwrap_err();
        assert_eq!(e.name, "domain");
    }

    #[test]
    fn test_mode_uses_http_urls() {
        let s = Settings::load(
            None,
            &env(&[
                ("REVIER_DOMAIN", "127.0.0.1:8801"),
                ("REVIER_ALLOW_LOOPBACK_FEDERATION", "true"),
            ]),
        )
        .unwrap();
        assert_eq!(s.base_url(), "http://127.0.0.1:8801");
    }

    #[test]
    fn suspension_retention_is_thirty_days_unless_set_and_never_zero() {
        let s = Settings::load(None, &[]).unwrap();
        assert_eq!(s.moderation.suspension_retention_days, 30);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("revier.toml");
        std::fs::write(&path, "[moderation]\nsuspension_retention_days = 0\n").unwrap();
        let e = Settings::load(Some(&path), &[]).unwrap_err();
        assert!(
            e.to_string()
                .contains("moderation.suspension_retention_days"),
            "{e}"
        );
    }

    #[test]
    fn queue_settings_come_from_the_environment_and_are_bounded() {
        let s = Settings::load(None, &[]).unwrap();
        assert!(s.queue.send);
        assert_eq!((s.queue.lease_secs, s.queue.poll_secs), (15, 1));
        let s = Settings::load(
            None,
            &env(&[
                ("REVIER_QUEUE_SEND", "false"),
                ("REVIER_QUEUE_LEASE_SECS", "5"),
                ("REVIER_QUEUE_POLL_SECS", "60"),
                ("REVIER_QUEUE_STOP_SECS", "0"),
            ]),
        )
        .unwrap();
        assert!(!s.queue.send);
        assert_eq!(
            (s.queue.lease_secs, s.queue.poll_secs, s.queue.stop_secs),
            (5, 60, 0)
        );
        let e = Settings::load(None, &env(&[("REVIER_QUEUE_LEASE_SECS", "1")])).unwrap_err();
        assert_eq!(e.name, "queue.lease_secs");
        assert!(e.to_string().contains("REVIER_QUEUE_LEASE_SECS"), "{e}");
        let e = Settings::load(None, &env(&[("REVIER_QUEUE_SEND", "perhaps")])).unwrap_err();
        assert_eq!(e.name, "queue.send");
    }

    #[test]
    fn the_example_config_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../revier.example.toml");
        let s = Settings::load(Some(&path), &[]).unwrap();
        assert_eq!(s.domain, "localhost:8080");
    }

    #[test]
    fn smtp_password_is_never_shown() {
        let s = Settings::load(
            None,
            &env(&[
                ("REVIER_SMTP_HOST", "mail.example.org"),
                ("REVIER_SMTP_PASSWORD", "s3cret-pw"),
                ("REVIER_SMTP_FROM", "Revier <revier@example.org>"),
                ("REVIER_SMTP_SECURITY", "tls"),
            ]),
        )
        .unwrap();
        assert_eq!(s.smtp.security, SmtpSecurity::Tls);
        assert!(s.smtp.is_configured());
        let shown = format!("{s:?}");
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        assert!(shown.contains("(hidden)"), "{shown}");
    }

    fn s3_env(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("REVIER_MEDIA_STORE", "s3"),
            ("REVIER_MEDIA_S3_BUCKET", "revier-media"),
            ("REVIER_MEDIA_S3_ACCESS_KEY_ID", "AKIDTEST"),
            ("REVIER_MEDIA_S3_SECRET_ACCESS_KEY", "s3cret-media-key"),
        ];
        pairs.extend_from_slice(extra);
        env(&pairs)
    }

    #[test]
    fn media_store_is_local_unless_s3_is_set_with_its_keys() {
        let s = Settings::load(None, &[]).unwrap();
        assert_eq!(s.media.store, MediaStoreKind::Local);
        let s =
            Settings::load(None, &s3_env(&[("REVIER_MEDIA_S3_REGION", "eu-central-1")])).unwrap();
        assert_eq!(s.media.store, MediaStoreKind::S3);
        assert_eq!(s.media.s3_bucket, "revier-media");
        assert_eq!(s.media.s3_region, "eu-central-1");
        let shown = format!("{s:?}");
        assert!(!shown.contains("s3cret-media-key"), "{shown}");
        assert!(shown.contains("(hidden)"), "{shown}");

        let e = Settings::load(None, &env(&[("REVIER_MEDIA_STORE", "ftp")])).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid setting media.store (REVIER_MEDIA_STORE): "),
            "{e}"
        );
        let e = Settings::load(None, &env(&[("REVIER_MEDIA_STORE", "s3")])).unwrap_err();
        assert_eq!(e.name, "media.s3_bucket");
        let e =
            Settings::load(None, &s3_env(&[("REVIER_MEDIA_S3_BUCKET", "Bad_Bucket")])).unwrap_err();
        assert_eq!(e.name, "media.s3_bucket");
        let e = Settings::load(None, &s3_env(&[("REVIER_MEDIA_S3_SECRET_ACCESS_KEY", "")]))
            .unwrap_err();
        assert_eq!(e.name, "media.s3_secret_access_key");
        assert!(!e.to_string().contains("s3cret"), "{e}");
    }

    #[test]
    fn plain_http_to_the_object_store_needs_allow_http() {
        let e = Settings::load(
            None,
            &s3_env(&[("REVIER_MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000")]),
        )
        .unwrap_err();
        assert_eq!(e.name, "media.s3_endpoint");
        let s = Settings::load(
            None,
            &s3_env(&[
                ("REVIER_MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000"),
                ("REVIER_MEDIA_S3_ALLOW_HTTP", "true"),
            ]),
        )
        .unwrap();
        assert!(s.media.s3_allow_http);
        let e = Settings::load(
            None,
            &s3_env(&[("REVIER_MEDIA_S3_ENDPOINT", "http://minio.internal:9000")]),
        )
        .unwrap_err();
        assert_eq!(e.name, "media.s3_endpoint");
        let s = Settings::load(
            None,
            &s3_env(&[
                ("REVIER_MEDIA_S3_ENDPOINT", "http://minio.internal:9000"),
                ("REVIER_MEDIA_S3_ALLOW_HTTP", "true"),
            ]),
        )
        .unwrap();
        assert_eq!(s.media.s3_endpoint, "http://minio.internal:9000");
        let s = Settings::load(
            None,
            &s3_env(&[("REVIER_MEDIA_S3_ENDPOINT", "https://s3.example.org")]),
        )
        .unwrap();
        assert_eq!(s.media.s3_endpoint, "https://s3.example.org");
        let e = Settings::load(
            None,
            &s3_env(&[("REVIER_MEDIA_S3_ENDPOINT", "s3.example.org")]),
        )
        .unwrap_err();
        assert_eq!(e.name, "media.s3_endpoint");
    }

    #[test]
    fn metrics_token_is_never_shown_nor_repeated_in_errors() {
        let s = Settings::load(
            None,
            &env(&[
                ("REVIER_METRICS_TOKEN", "scrape-secret-0123456789"),
                ("REVIER_METRICS_BIND", "127.0.0.1:9184"),
                ("REVIER_SHUTDOWN_TIMEOUT_SECS", "5"),
                ("REVIER_LOG_FORMAT", "JSON"),
            ]),
        )
        .unwrap();
        assert_eq!(s.metrics.token(), Some("scrape-secret-0123456789"));
        assert_eq!(s.metrics.bind(), Some("127.0.0.1:9184"));
        assert_eq!(s.lifecycle.shutdown_timeout_secs, 5);
        assert_eq!(s.lifecycle.log_format, LogFormat::Json);
        let shown = format!("{s:?}");
        assert!(!shown.contains("scrape-secret"), "{shown}");
        let e =
            Settings::load(None, &env(&[("REVIER_METRICS_TOKEN", "short-secret")])).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid setting metrics.token (REVIER_METRICS_TOKEN): "),
            "{e}"
        );
        assert!(!e.to_string().contains("short-secret"), "{e}");
        let e = Settings::load(None, &env(&[("REVIER_METRICS_BIND", "nowhere")])).unwrap_err();
        assert_eq!(e.name, "metrics.bind");
        let e = Settings::load(None, &env(&[("REVIER_LOG_FORMAT", "xml")])).unwrap_err();
        assert!(e.to_string().contains("REVIER_LOG_FORMAT"), "{e}");
        let d = Settings::load(None, &[]).unwrap();
        assert_eq!(d.metrics.token(), None);
        assert_eq!(d.metrics.bind(), None);
        assert_eq!(d.lifecycle.shutdown_timeout_secs, 30);
        assert_eq!(d.lifecycle.log_format, LogFormat::Text);
    }

    #[test]
    fn opendata_license_is_dl_de_zero_unless_set_and_must_be_a_licence_uri() {
        let s = Settings::load(None, &[]).unwrap();
        assert_eq!(s.opendata.license().0, DEFAULT_OPENDATA_LICENSE);
        let s = Settings::load(None, &env(&[("REVIER_OPENDATA_LICENSE", "DL-DE/BY-2-0")])).unwrap();
        let (uri, known) = s.opendata.license();
        assert_eq!(uri, "http://dcat-ap.de/def/licenses/dl-by-de/2.0");
        assert!(known.unwrap().attribution);
        let own = "https://example.org/licences/open-1";
        let s = Settings::load(None, &env(&[("REVIER_OPENDATA_LICENSE", own)])).unwrap();
        assert_eq!(s.opendata.license(), (own.to_string(), None));
        for wrong in ["public domain", "ftp://example.org/l", "dl-de/zero"] {
            let e = Settings::load(None, &env(&[("REVIER_OPENDATA_LICENSE", wrong)])).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with("invalid setting opendata.license (REVIER_OPENDATA_LICENSE): "),
                "{e}"
            );
        }
    }

    #[test]
    fn smtp_needs_a_valid_sender() {
        let e =
            Settings::load(None, &env(&[("REVIER_SMTP_HOST", "mail.example.org")])).unwrap_err();
        assert_eq!(e.name, "smtp.from");
        assert!(e.to_string().contains("REVIER_SMTP_FROM"), "{e}");
    }
}
