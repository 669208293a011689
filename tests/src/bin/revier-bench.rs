//! `revier-bench`: federation throughput of a real Revier instance, on loopback only.
//!
//! What it measures, in one run:
//!
//! 1. **CPU reference** (`crypto`): `openssl speed -seconds S rsa2048`, one process and
//!    `-multi N` (N = the cores of this machine), sign/s and verify/s; then aws-lc-rs as Revier
//!    uses it: `SigningKey::sign` on 1 and N threads, and `signatures::precheck` + `verify`
//!    (PEM parsing included, as the inbox does it per request).
//! 2. **Fan-out** (`fanout`): an in-process Revier instance (test harness, SQLite by default)
//!    with two organizations, each followed by 1,000 remote actors on 200 distinct loopback
//!    hosts (127.0.0.2 … 127.0.0.201, 5 followers per host; each host a small axum receiver
//!    that answers 202, counts, and verifies the signature of every 10th delivery). One org's
//!    followers have a shared inbox, as Mastodon's do (200 deliveries per announcement); the
//!    other's do not (1,000 deliveries, 5 per host). Each round publishes one announcement via
//!    `revier::domain::announcements::publish` and waits until every receiver got its delivery
//!    and Revier's `deliveries` table is empty. One warm-up round, then `--rounds` measured
//!    rounds per variant; reported: median deliveries/s, p50/p99 latency from the start of
//!    `publish` to the arrival at the receiver, CPU used by this process and by the machine,
//!    and CPU time per delivery. For comparison the same 1,000 inboxes are then served
//!    without the queue: `HttpClient::deliver` (sign + POST) and plain POSTs of pre-signed
//!    requests, showing what the queue itself costs.
//! 3. **Inbox** (`inbox`): signing peers (the harness `Peer`) whose keys Revier fetched once
//!    (warm-up), followed by a local user, post `--activities` distinct `Create{Note}`, all
//!    signed before the clock starts, to `/inbox` with `--concurrency` requests in flight.
//!    Reported: activities/s, p50/p99 request latency, every status, notes stored.
//! 4. **Feeds** (`feeds`, issue 6 defect 7): `--feed-zones` weekly events (default 150), each
//!    in another time zone, then `/events.ics`: the first (cold) and the median of 5 following
//!    fetch times; the latency of `GET /users/{name}` (the actor document) alone, and again
//!    while `--feed-clients` clients (default 4) fetch `/events.ics` in a loop for
//!    `--feed-seconds` (default 5). A feed rendered on the async workers shows up as a long
//!    p99/max of those small requests.
//! 5. **Web pages** (`web`, issue 8 part 8): one organization, event, project and announcement
//!    made through the API, then copied in the database (one `INSERT … SELECT` per table, every
//!    column copied, so columns added later come along) up to 200 organizations, 1,000
//!    projects, 10,000 events and 20,000 announcements. Then `--web-requests` sequential GETs
//!    (after 5 warm-up requests) of the home page, the month calendar (`/events?view=month`),
//!    the project directory filtered by license and a search: median, p99 and max time to the
//!    last byte over loopback (server time plus a loopback round trip); a page that answers 404
//!    is reported as missing. The home page weight: HTML and stylesheet, each gzip -6, summed.
//!    Targets: p99 ≤ 50 ms, home page ≤ 60 kB compressed.
//! 6. **Regional calendar** (`regional`, issue 10): `--regional-events` events (default
//!    100,000) from `--regional-sources` sources (default 20; remote actors on their own hosts,
//!    each a `sources` row, every event with its `source_id`), half of them over and half
//!    upcoming, spread over the Ruhr area; and one collection (30 km around Dortmund, without
//!    #spam). Then `--web-requests` sequential GETs each of the calendar (`/events`), its month
//!    view, the collection's page and its API list: median, p99 and max. Target: p99 ≤ 50 ms.
//! 7. **Memory** (`idle`): peak RSS (VmHWM) of this process, and the idle RSS of the real
//!    `revier serve` binary (from the same target directory) started with a fresh SQLite
//!    database, read 2 s after it answered `/.well-known/nodeinfo`.
//! 8. **Scale** (issue 11), each phase on its own:
//!    - `fanout-scale`: one announcement to `--scale-followers` (50,000) followers with their
//!      own inboxes on `--scale-hosts` (5,000) loopback hosts (127.10.0.2 upwards, one receiver
//!      each, as in the fan-out phase), after one to 1,000 followers on 200 of those hosts, both
//!      published through the API of the real `revier serve` (set up in-process, then served
//!      by the binary, so its RSS is its own and not the receivers'); then direct sign+POST
//!      (`HttpClient::deliver`) of the same inboxes with as many requests in flight as the
//!      queue allows (`delivery.max_workers` × 4). The RSS of `revier serve` is sampled every
//!      20 ms: at start, before the large round, at N/4, N/2, N received, and peak.
//!      Targets: ≥ 90 % of the 1,000-follower rate, within 5 % of direct, RSS ≤ 150 MB.
//!    - `readpath`: WebFinger, the org actor and an announcement (as AP JSON) with `wrk
//!      --latency` (`--readpath-threads`/`-connections`/`-seconds`) against the instance and
//!      against nginx (a config in a temp dir, loopback port, `daemon off`) serving the bytes
//!      Revier answered from files with the same content type: req/s, p99, ratio (≥ 50 %).
//!      Needs `apt-get install -y wrk nginx-light`.
//!    - `two-process` (PostgreSQL only): `--two-process-deliveries` (10,000) to
//!      `--two-process-hosts` (500) hosts, published through the API of one real `revier
//!      serve`, first with one process, then with two on the same database (the second on
//!      another port, the same domain): deliveries/s, duplicates, speed-up (≥ 1.6×).
//!    - `startup`: `--startup-runs` cold starts of `revier serve` on a fresh SQLite database,
//!      `/.well-known/nodeinfo` polled every 5 ms: time to the first 200 (≤ 300 ms) and idle
//!      RSS 2 s later (≤ 20 MB); medians.
//!
//!    - `inbox-served`: the inbox of the real `revier serve` (its own process, so its CPU is
//!      its own: utime + stime from `/proc/<pid>/stat`) under `wrk` (`--served-connections`,
//!      `--served-seconds`) posting `--served-activities` distinct `Create{Note}` signed before
//!      the clock starts by 8 peer actors whose keys the instance fetched and that a local user
//!      follows. Reported: notes stored per second (distinct activities verified and stored;
//!      wrk's own count includes any repeats once the prepared set is used up), p99, server
//!      CPU µs per stored note, peak RSS. Targets: ≥ 5,000/s, p99 < 50 ms, ≤ 200 µs,
//!      RSS ≤ 100 MB.
//!
//!    Their figures are under `"scale"` in the JSON line. Debug builds prove that they run
//!    (tiny sizes, e.g. `--only fanout-scale --scale-followers 400 --scale-hosts 40`); the
//!    figures are taken in release on a quiet machine.
//!
//! The run ends with one JSON line holding every figure, the ratio of fan-out deliveries/s to
//! the OpenSSL multi-process signing rate, and whether the targets of the issue were met:
//! fan-out ≥ 70 % of `openssl speed -multi N rsa2048` sign/s, idle RSS ≤ 30 MB. All phases
//! share the machine's cores with whatever else runs; the report shows the CPU that other
//! processes used during each measurement and warns when it was significant.
//!
//! Build and run (release; note that both binaries must be named, `--bin` applies to every
//! selected package):
//!
//! ```text
//! cargo build --release -p revier-e2e -p revier --bin revier-bench --bin revier
//! target/release/revier-bench                       # SQLite in a temp dir, ~40 s
//! target/release/revier-bench --database-url postgres://user:pw@127.0.0.1/postgres
//! target/release/revier-bench --only fanout --rounds 10
//! ```
//!
//! With `--database-url` a fresh database is created on that PostgreSQL server (as the test
//! harness does) and dropped at the end. No request leaves the loopback interface; every loop
//! is bounded in count and in time. See `--help` for all options.

#![recursion_limit = "256"]

use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::post;
use axum::Router;
use revier::db;
use revier::db::actors::NewActor;
use revier::domain::announcements::{publish, NewAnnouncement};
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::{Instance, TestDb};
use revier_federation::client::{DeliveryOutcome, HttpClient};
use revier_federation::signatures::{
    self, generate_keypair, sign_request, IncomingRequest, Signer, SigningKey,
};
use serde_json::{json, Value};
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use url::Url;

const AP: &str = "application/activity+json";

const HELP: &str = "\
revier-bench: fan-out, inbox and memory benchmark of Revier on loopback (details in the doc
comment of tests/src/bin/revier-bench.rs).

USAGE: revier-bench [OPTIONS]

  --database-url URL        PostgreSQL admin URL: a fresh database is created there and dropped
                            afterwards. Default: SQLite in a temp dir.
  --only LIST               phases to run, comma-separated: crypto,fanout,inbox,feeds,web,
                            regional,idle,fanout-scale,readpath,two-process,startup,
                            inbox-served
                            (default: all)
  --hosts N                 receiving loopback hosts, 127.0.0.2 upwards (default 200, max 250)
  --followers-per-host N    follower actors per host and variant (default 5, max 50)
  --rounds N                measured announcements per fan-out variant (default 5, max 50)
  --verify-every N          receivers verify the signature of every N-th delivery (default 10;
                            0: never)
  --activities N            pre-signed Create{Note} posted to /inbox (default 2000, max 50000)
  --senders N               signing peer actors posting them (default 4, max 64)
  --concurrency N           inbox requests in flight (default 32, max 256)
  --feed-zones N            time zones (one weekly event each) in the feeds phase (default 150,
                            max 400)
  --feed-clients N          clients fetching /events.ics at once (default 4, max 64)
  --feed-seconds N          seconds of concurrent feed fetching (default 5, max 60)
  --web-requests N          sequential GETs per page in the web and regional phases (default 200,
                            max 5000)
  --regional-events N       events in the regional phase (default 100000, max 1000000)
  --regional-sources N      sources they come from (default 20, max 200)
  --openssl-seconds N       seconds per openssl speed measurement (default 3, max 30)
  --crypto-seconds N        seconds per aws-lc-rs measurement (default 2, max 30)
  --no-openssl              skip openssl speed
  --no-compare              skip the fan-out comparison without the queue
  --scale-followers N       followers in the fanout-scale phase (default 50000, max 100000)
  --scale-hosts N           loopback hosts they live on (default 5000, max 10000)
  --readpath-seconds N      seconds of wrk per page and server in the readpath phase (default 10,
                            max 120)
  --readpath-connections N  wrk connections (default 32, max 1000)
  --readpath-threads N      wrk threads (default 2, max 16)
  --two-process-deliveries N  deliveries in the two-process phase (default 10000, max 100000;
                            needs --database-url)
  --two-process-hosts N     loopback hosts they go to (default 500, max 10000)
  --startup-runs N          cold starts in the startup phase (default 5, max 50)
  --served-activities N     distinct signed Create{Note} for inbox-served (default 40000)
  --served-seconds S        wrk's duration in inbox-served (default 6)
  --served-connections N    wrk's connections in inbox-served (default 64)
  --revier-bin PATH         the revier binary for the idle measurement (default: `revier` next
                            to this binary)
  -h, --help                this text

Output: a readable report, then one line of JSON with every figure (null: not measured).
";

#[derive(Debug, Clone)]
struct Opts {
    database_url: Option<String>,
    crypto: bool,
    fanout: bool,
    inbox: bool,
    feeds: bool,
    web: bool,
    regional: bool,
    idle: bool,
    hosts: usize,
    per_host: usize,
    rounds: usize,
    verify_every: usize,
    activities: usize,
    senders: usize,
    concurrency: usize,
    openssl_secs: u32,
    crypto_secs: u64,
    openssl: bool,
    compare: bool,
    revier_bin: Option<PathBuf>,
    feed_zones: usize,
    feed_clients: usize,
    feed_secs: u64,
    web_requests: usize,
    regional_events: usize,
    regional_sources: usize,
    fanout_scale: bool,
    readpath: bool,
    two_process: bool,
    startup: bool,
    inbox_served: bool,
    served_activities: usize,
    served_secs: u64,
    served_connections: usize,
    scale_followers: usize,
    scale_hosts: usize,
    readpath_secs: u64,
    readpath_connections: usize,
    readpath_threads: usize,
    two_process_deliveries: usize,
    two_process_hosts: usize,
    startup_runs: usize,
}

fn parse_opts() -> Result<Option<Opts>, String> {
    let mut o = Opts {
        database_url: None,
        crypto: true,
        fanout: true,
        inbox: true,
        feeds: true,
        web: true,
        regional: true,
        idle: true,
        hosts: 200,
        per_host: 5,
        rounds: 5,
        verify_every: 10,
        activities: 2000,
        senders: 4,
        concurrency: 32,
        openssl_secs: 3,
        crypto_secs: 2,
        openssl: true,
        compare: true,
        revier_bin: None,
        feed_zones: 150,
        feed_clients: 4,
        feed_secs: 5,
        web_requests: 200,
        regional_events: 100_000,
        regional_sources: 20,
        fanout_scale: true,
        readpath: true,
        two_process: true,
        startup: true,
        inbox_served: true,
        served_activities: 40_000,
        served_secs: 6,
        served_connections: 64,
        scale_followers: 50_000,
        scale_hosts: 5_000,
        readpath_secs: 10,
        readpath_connections: 32,
        readpath_threads: 2,
        two_process_deliveries: 10_000,
        two_process_hosts: 500,
        startup_runs: 5,
    };
    fn num(name: &str, v: String, min: usize, max: usize) -> Result<usize, String> {
        let n: usize = v
            .parse()
            .map_err(|_| format!("{name}: {v:?} is not a number"))?;
        if n < min || n > max {
            return Err(format!("{name} must be between {min} and {max}"));
        }
        Ok(n)
    }
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--database-url" => o.database_url = Some(value(&a)?),
            "--only" => {
                let list = value(&a)?;
                o.crypto = false;
                o.fanout = false;
                o.inbox = false;
                o.feeds = false;
                o.web = false;
                o.regional = false;
                o.idle = false;
                o.fanout_scale = false;
                o.readpath = false;
                o.two_process = false;
                o.startup = false;
                o.inbox_served = false;
                for p in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    match p {
                        "crypto" => o.crypto = true,
                        "fanout" => o.fanout = true,
                        "inbox" => o.inbox = true,
                        "feeds" => o.feeds = true,
                        "web" => o.web = true,
                        "regional" => o.regional = true,
                        "idle" => o.idle = true,
                        "fanout-scale" => o.fanout_scale = true,
                        "readpath" => o.readpath = true,
                        "two-process" => o.two_process = true,
                        "startup" => o.startup = true,
                        "inbox-served" => o.inbox_served = true,
                        other => return Err(format!("--only: unknown phase {other:?}")),
                    }
                }
            }
            "--hosts" => o.hosts = num(&a, value(&a)?, 1, 250)?,
            "--followers-per-host" => o.per_host = num(&a, value(&a)?, 1, 50)?,
            "--rounds" => o.rounds = num(&a, value(&a)?, 1, 50)?,
            "--verify-every" => o.verify_every = num(&a, value(&a)?, 0, 1_000_000)?,
            "--activities" => o.activities = num(&a, value(&a)?, 1, 50_000)?,
            "--senders" => o.senders = num(&a, value(&a)?, 1, 64)?,
            "--concurrency" => o.concurrency = num(&a, value(&a)?, 1, 256)?,
            "--openssl-seconds" => o.openssl_secs = num(&a, value(&a)?, 1, 30)? as u32,
            "--crypto-seconds" => o.crypto_secs = num(&a, value(&a)?, 1, 30)? as u64,
            "--feed-zones" => o.feed_zones = num(&a, value(&a)?, 1, 400)?,
            "--feed-clients" => o.feed_clients = num(&a, value(&a)?, 1, 64)?,
            "--web-requests" => o.web_requests = num(&a, value(&a)?, 1, 5000)?,
            "--regional-events" => o.regional_events = num(&a, value(&a)?, 1, 1_000_000)?,
            "--regional-sources" => o.regional_sources = num(&a, value(&a)?, 1, 200)?,
            "--feed-seconds" => o.feed_secs = num(&a, value(&a)?, 1, 60)? as u64,
            "--scale-followers" => o.scale_followers = num(&a, value(&a)?, 1, 100_000)?,
            "--scale-hosts" => o.scale_hosts = num(&a, value(&a)?, 1, 10_000)?,
            "--readpath-seconds" => o.readpath_secs = num(&a, value(&a)?, 1, 120)? as u64,
            "--readpath-connections" => o.readpath_connections = num(&a, value(&a)?, 1, 1000)?,
            "--readpath-threads" => o.readpath_threads = num(&a, value(&a)?, 1, 16)?,
            "--two-process-deliveries" => {
                o.two_process_deliveries = num(&a, value(&a)?, 1, 100_000)?
            }
            "--two-process-hosts" => o.two_process_hosts = num(&a, value(&a)?, 1, 10_000)?,
            "--served-activities" => o.served_activities = num(&a, value(&a)?, 100, 200_000)?,
            "--served-seconds" => o.served_secs = num(&a, value(&a)?, 1, 120)? as u64,
            "--served-connections" => o.served_connections = num(&a, value(&a)?, 1, 1000)?,
            "--startup-runs" => o.startup_runs = num(&a, value(&a)?, 1, 50)?,
            "--no-openssl" => o.openssl = false,
            "--no-compare" => o.compare = false,
            "--revier-bin" => o.revier_bin = Some(PathBuf::from(value(&a)?)),
            other => return Err(format!("unknown option {other:?} (see --help)")),
        }
    }
    if let Some(u) = &o.database_url {
        if !(u.starts_with("postgres://") || u.starts_with("postgresql://")) {
            return Err("--database-url must be a postgres:// URL (SQLite is the default)".into());
        }
    }
    Ok(Some(o))
}

fn main() -> ExitCode {
    let opts = match parse_opts() {
        Ok(Some(o)) => o,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("revier-bench: {e}");
            return ExitCode::from(2);
        }
    };
    // The harness picks PostgreSQL when this variable names a server; set it (or clear it, for
    // the SQLite default) before any thread exists.
    match &opts.database_url {
        Some(u) => std::env::set_var("REVIER_TEST_POSTGRES_URL", u),
        None => std::env::remove_var("REVIER_TEST_POSTGRES_URL"),
    }
    let cores = cores();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("revier-bench: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(opts, cores)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("revier-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

// ---------------------------------------------------------------------------------------------
// Small helpers: statistics, /proc, CPU accounting.

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let idx = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[idx]
}

fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// A `VmXXX:` line of /proc/<pid>/status, in kB.
fn proc_status_kb(pid: &str, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn clk_tck() -> f64 {
    static TCK: OnceLock<f64> = OnceLock::new();
    *TCK.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .filter(|t| *t > 0.0)
            .unwrap_or(100.0)
    })
}

/// CPU seconds of this process so far, user + system, including waited-for children (openssl).
fn own_cpu_secs() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let Some((_, rest)) = s.rsplit_once(')') else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12) + t(13) + t(14)) / clk_tck()
}

/// (busy, total) jiffies of the whole machine.
fn machine_jiffies() -> (f64, f64) {
    let Ok(s) = std::fs::read_to_string("/proc/stat") else {
        return (0.0, 0.0);
    };
    let Some(line) = s.lines().find(|l| l.starts_with("cpu ")) else {
        return (0.0, 0.0);
    };
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .take(8)
        .filter_map(|x| x.parse().ok())
        .collect();
    let total: f64 = v.iter().sum();
    let idle = v.get(3).copied().unwrap_or(0.0) + v.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}

/// CPU use over an interval, in percent of one core (200 % = two cores busy).
#[derive(Debug, Clone, Copy, Default)]
struct CpuUse {
    ours: f64,
    machine: f64,
    cpu_secs: f64,
}

impl CpuUse {
    fn others(&self) -> f64 {
        (self.machine - self.ours).max(0.0)
    }
}

struct CpuMeter {
    own0: f64,
    sys0: (f64, f64),
    t0: Instant,
}

/// The most CPU other processes used during a measurement: (percent, phase).
static OTHERS_MAX: Mutex<(f64, String)> = Mutex::new((0.0, String::new()));

impl CpuMeter {
    fn start() -> CpuMeter {
        CpuMeter {
            own0: own_cpu_secs(),
            sys0: machine_jiffies(),
            t0: Instant::now(),
        }
    }

    fn stop(&self, phase: &str) -> CpuUse {
        let wall = self.t0.elapsed().as_secs_f64().max(1e-9);
        let cpu_secs = own_cpu_secs() - self.own0;
        let (b1, t1) = machine_jiffies();
        let (db, dt) = (b1 - self.sys0.0, t1 - self.sys0.1);
        let machine = if dt > 0.0 {
            db / dt * cores() as f64 * 100.0
        } else {
            0.0
        };
        let u = CpuUse {
            ours: cpu_secs / wall * 100.0,
            machine,
            cpu_secs,
        };
        // Jiffies are coarse: only intervals of ≥ 0.3 s say something about other processes.
        if wall >= 0.3 {
            if let Ok(mut m) = OTHERS_MAX.lock() {
                if u.others() > m.0 {
                    *m = (u.others(), phase.to_string());
                }
            }
        }
        u
    }
}

// ---------------------------------------------------------------------------------------------
// 1. CPU reference: openssl speed and aws-lc-rs.

#[derive(Debug, Clone, Copy, Default)]
struct Rates {
    sign: f64,
    verify: f64,
    cpu: CpuUse,
}

async fn openssl_speed(secs: u32, multi: Option<usize>) -> Result<Rates, String> {
    let mut cmd = tokio::process::Command::new("openssl");
    cmd.arg("speed").arg("-seconds").arg(secs.to_string());
    if let Some(n) = multi {
        cmd.arg("-multi").arg(n.to_string());
    }
    cmd.arg("rsa2048")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let meter = CpuMeter::start();
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot run openssl ({e}); is it installed?"))?;
    // sign + verify, plus slack; never wait longer.
    let limit = Duration::from_secs(2 * secs as u64 + 30);
    let out = tokio::time::timeout(limit, child.wait_with_output())
        .await
        .map_err(|_| format!("openssl speed did not finish within {}s", limit.as_secs()))?
        .map_err(|e| format!("openssl speed failed: {e}"))?;
    let cpu = meter.stop(if multi.is_some() {
        "openssl speed -multi"
    } else {
        "openssl speed"
    });
    let text = String::from_utf8_lossy(&out.stdout);
    // "rsa 2048 bits 0.000222s 0.000013s   4512.0  74227.0": the last two numbers.
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("rsa") && l.contains("2048 bits"))
        .ok_or_else(|| {
            format!(
                "no rsa 2048 line in the output of openssl speed (exit {})",
                out.status
            )
        })?;
    let nums: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok())
        .collect();
    match nums.as_slice() {
        [.., s, v] if *s > 0.0 => Ok(Rates {
            sign: *s,
            verify: *v,
            cpu,
        }),
        _ => Err(format!("cannot read sign/verify rates from {line:?}")),
    }
}

/// A realistic signing string (what Revier signs per delivery).
fn sample_signing_string() -> Vec<u8> {
    format!(
        "(request-target): post /inbox\nhost: 127.0.0.42:40123\ndate: {}\n\
         digest: SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ncontent-type: {AP}",
        httpdate::fmt_http_date(SystemTime::now())
    )
    .into_bytes()
}

/// Runs `work` on `threads` threads for `secs` seconds each; returns calls per second.
fn rate_on_threads(threads: usize, secs: u64, work: impl Fn() + Sync) -> f64 {
    let t0 = Instant::now();
    let total: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let work = &work;
                s.spawn(move || {
                    let deadline = Instant::now() + Duration::from_secs(secs);
                    let mut n = 0u64;
                    // Bounded by time, and by count as a safety net.
                    while Instant::now() < deadline && n < 100_000_000 {
                        work();
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    total as f64 / t0.elapsed().as_secs_f64()
}

struct AwsLc {
    sign1: Rates,
    signm: Rates,
    verify1: Rates,
    verifym: Rates,
}

fn awslc_rates(threads: usize, secs: u64) -> anyhow::Result<AwsLc> {
    let (private, public_pem) = generate_keypair().map_err(|e| anyhow::anyhow!("{e}"))?;
    let key = SigningKey::from_pem(&private).map_err(|e| anyhow::anyhow!("{e}"))?;
    let msg = sample_signing_string();
    let sign = |n: usize, secs: u64| {
        let m = CpuMeter::start();
        let r = rate_on_threads(n, secs, || {
            let _ = key.sign(&msg);
        });
        Rates {
            sign: r,
            verify: 0.0,
            cpu: m.stop("aws-lc-rs sign"),
        }
    };
    let sign1 = sign(1, secs);
    let signm = sign(threads, secs);
    // A whole signed POST through precheck (Digest) + verify (PEM parse + RSA verify).
    let signer = Signer {
        key_id: "http://127.0.0.1:1/users/x#main-key".into(),
        key: key.clone(),
    };
    let url = Url::parse("http://127.0.0.1:2/inbox")?;
    let body = br#"{"@context":"https://www.w3.org/ns/activitystreams","type":"Create"}"#.to_vec();
    let mut headers = HeaderMap::new();
    for (k, v) in sign_request(&signer, "POST", &url, Some((&body, AP)), SystemTime::now())? {
        headers.insert(k, v.parse()?);
    }
    headers.insert("content-type", AP.parse()?);
    let req = IncomingRequest {
        method: "POST",
        path_and_query: "/inbox",
        headers: &headers,
        body: &body,
    };
    let ok = signatures::precheck(&req, SystemTime::now())
        .and_then(|p| signatures::verify(&req, &p, &public_pem))
        .is_ok();
    anyhow::ensure!(ok, "the reference signature does not verify");
    let verify = |n: usize, secs: u64| {
        let m = CpuMeter::start();
        let r = rate_on_threads(n, secs, || {
            let _ = signatures::precheck(&req, SystemTime::now())
                .and_then(|p| signatures::verify(&req, &p, &public_pem));
        });
        Rates {
            sign: 0.0,
            verify: r,
            cpu: m.stop("aws-lc-rs verify"),
        }
    };
    let verify1 = verify(1, secs.div_ceil(2));
    let verifym = verify(threads, secs.div_ceil(2));
    Ok(AwsLc {
        sign1,
        signm,
        verify1,
        verifym,
    })
}

// ---------------------------------------------------------------------------------------------
// 2. Fan-out: receivers on 127.0.0.2.. and the rounds.

/// What all receivers share.
struct Sink {
    base: Instant,
    /// Start of the current round, µs since `base`.
    round_start_us: AtomicU64,
    expected: AtomicUsize,
    count: AtomicUsize,
    latencies_us: Mutex<Vec<u64>>,
    done: Notify,
    verify_every: usize,
    verified: AtomicUsize,
    verify_failed: AtomicUsize,
    unexpected: AtomicUsize,
    /// keyId → public PEM of the sending org actors.
    keys: HashMap<String, String>,
}

impl Sink {
    fn reset(&self, expected: usize) {
        self.latencies_us.lock().expect("lock").clear();
        self.count.store(0, Ordering::SeqCst);
        self.expected.store(expected, Ordering::SeqCst);
        self.round_start_us
            .store(self.base.elapsed().as_micros() as u64, Ordering::SeqCst);
    }

    fn sorted_latencies(&self) -> Vec<u64> {
        let mut lat = self.latencies_us.lock().expect("lock").clone();
        lat.sort_unstable();
        lat
    }

    /// Waits (at most `limit`) until `expected` deliveries arrived.
    async fn wait_all(&self, expected: usize, limit: Duration) -> bool {
        tokio::time::timeout(limit, async {
            // `done` fires when the count is reached; re-check so no wake-up is lost.
            while self.count.load(Ordering::SeqCst) < expected {
                let _ = tokio::time::timeout(Duration::from_millis(50), self.done.notified()).await;
            }
        })
        .await
        .is_ok()
    }
}

async fn receive(
    State(sink): State<Arc<Sink>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let now = sink.base.elapsed().as_micros() as u64;
    let lat = now.saturating_sub(sink.round_start_us.load(Ordering::SeqCst));
    sink.latencies_us.lock().expect("lock").push(lat);
    let n = sink.count.fetch_add(1, Ordering::SeqCst) + 1;
    if sink.verify_every > 0 && (n - 1) % sink.verify_every == 0 {
        let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let req = IncomingRequest {
            method: "POST",
            path_and_query: path,
            headers: &headers,
            body: &body,
        };
        let ok = signatures::precheck(&req, SystemTime::now())
            .ok()
            .and_then(|p| {
                sink.keys
                    .get(&p.key_id)
                    .map(|pem| signatures::verify(&req, &p, pem).is_ok())
            })
            .unwrap_or(false);
        if ok {
            sink.verified.fetch_add(1, Ordering::Relaxed);
        } else {
            sink.verify_failed.fetch_add(1, Ordering::Relaxed);
        }
    }
    if n == sink.expected.load(Ordering::SeqCst) {
        sink.done.notify_one();
    }
    StatusCode::ACCEPTED
}

async fn unexpected(State(sink): State<Arc<Sink>>) -> StatusCode {
    sink.unexpected.fetch_add(1, Ordering::Relaxed);
    StatusCode::NOT_FOUND
}

/// One receiving host per loopback address 127.0.0.2 … ; returns their `ip:port` and tasks.
async fn start_receivers(
    sink: Arc<Sink>,
    hosts: usize,
) -> anyhow::Result<(Vec<SocketAddr>, Vec<JoinHandle<()>>)> {
    let router = Router::new()
        .route("/inbox", post(receive))
        .route("/users/{name}/inbox", post(receive))
        .fallback(unexpected)
        .with_state(sink);
    let mut addrs = Vec::with_capacity(hosts);
    let mut tasks = Vec::with_capacity(hosts);
    for i in 0..hosts {
        let ip = Ipv4Addr::new(127, 0, 0, 2 + i as u8);
        let listener = tokio::net::TcpListener::bind((ip, 0)).await.map_err(|e| {
            anyhow::anyhow!(
                "cannot listen on {ip} ({e}); this benchmark needs all of 127.0.0.0/8 on lo (Linux)"
            )
        })?;
        addrs.push(listener.local_addr()?);
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        }));
    }
    Ok((addrs, tasks))
}

fn remote_follower(addr: &SocketAddr, name: &str, shared: bool, public_pem: &str) -> NewActor {
    let base = format!("http://{addr}");
    let id = format!("{base}/users/{name}");
    NewActor {
        ap_id: id.clone(),
        kind: revier::db::actors::ActorKind::Person,
        local: false,
        username: name.into(),
        host: addr.to_string(),
        name: format!("Follower {name} on {addr}"),
        summary: String::new(),
        url: id.clone(),
        icon_url: None,
        inbox: format!("{id}/inbox"),
        shared_inbox: shared.then(|| format!("{base}/inbox")),
        outbox: format!("{id}/outbox"),
        followers: format!("{id}/followers"),
        following: format!("{id}/following"),
        key_id: format!("{id}#main-key"),
        public_key_pem: public_pem.to_string(),
        private_key_pem: None,
        manually_approves: false,
        discoverable: false,
        fields: Vec::new(),
        published: 0,
    }
}

#[derive(Debug, Clone, Default)]
struct RoundResult {
    deliveries: usize,
    received: usize,
    publish_ms: f64,
    arrived_ms: f64,
    wall_ms: f64,
    per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    cpu: CpuUse,
    complete: bool,
}

impl RoundResult {
    fn cpu_us_per_delivery(&self) -> f64 {
        self.cpu.cpu_secs * 1e6 / self.deliveries.max(1) as f64
    }

    fn line(&self, label: &str) -> String {
        format!(
            "    {label:<10} {:>6.0} deliveries/s  wall {:>6.1} ms (publish {:>4.1}, all arrived {:>6.1})  \
             p50 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms  CPU ours {:>3.0} % others {:>3.0} %  {:>4.0} µs CPU/delivery{}",
            self.per_s,
            self.wall_ms,
            self.publish_ms,
            self.arrived_ms,
            self.p50_ms,
            self.p99_ms,
            self.max_ms,
            self.cpu.ours,
            self.cpu.others(),
            self.cpu_us_per_delivery(),
            if self.complete {
                String::new()
            } else {
                format!("  INCOMPLETE ({} of {} received)", self.received, self.deliveries)
            }
        )
    }
}

#[derive(Debug, Clone, Default)]
struct VariantResult {
    deliveries_per_round: usize,
    rounds: Vec<RoundResult>,
    median_per_s: f64,
    median_wall_ms: f64,
    p50_ms: f64,
    p99_ms: f64,
    cpu_ours: f64,
    cpu_others: f64,
    cpu_us_per_delivery: f64,
    all_complete: bool,
}

impl VariantResult {
    fn from_rounds(
        deliveries_per_round: usize,
        rounds: Vec<RoundResult>,
        all_lat: &mut [u64],
        warm_ok: bool,
    ) -> Self {
        all_lat.sort_unstable();
        let med =
            |f: &dyn Fn(&RoundResult) -> f64| median(&rounds.iter().map(f).collect::<Vec<_>>());
        VariantResult {
            deliveries_per_round,
            median_per_s: med(&|r| r.per_s),
            median_wall_ms: med(&|r| r.wall_ms),
            p50_ms: ms(percentile(all_lat, 0.50)),
            p99_ms: ms(percentile(all_lat, 0.99)),
            cpu_ours: med(&|r| r.cpu.ours),
            cpu_others: med(&|r| r.cpu.others()),
            cpu_us_per_delivery: med(&|r| r.cpu_us_per_delivery()),
            all_complete: warm_ok && rounds.iter().all(|r| r.complete),
            rounds,
        }
    }

    fn json(&self) -> Value {
        json!({
            "deliveries_per_round": self.deliveries_per_round,
            "rounds": self.rounds.len(),
            "deliveries_per_s_median": round1(self.median_per_s),
            "wall_ms_median": round1(self.median_wall_ms),
            "latency_p50_ms": round1(self.p50_ms),
            "latency_p99_ms": round1(self.p99_ms),
            "cpu_percent_ours_median": round1(self.cpu_ours),
            "cpu_percent_others_median": round1(self.cpu_others),
            "cpu_us_per_delivery_median": round1(self.cpu_us_per_delivery),
            "all_complete": self.all_complete,
            "per_round_deliveries_per_s": self.rounds.iter().map(|r| round1(r.per_s)).collect::<Vec<_>>(),
            "per_round_p99_ms": self.rounds.iter().map(|r| round1(r.p99_ms)).collect::<Vec<_>>(),
            "per_round_publish_ms": self.rounds.iter().map(|r| round1(r.publish_ms)).collect::<Vec<_>>(),
        })
    }
}

async fn fanout_round(
    inst: &Instance,
    sink: &Sink,
    user: &db::accounts::UserRow,
    slug: &str,
    expected: usize,
    label: &str,
) -> anyhow::Result<RoundResult> {
    let draft = NewAnnouncement::parse(
        &format!("Benchmark {label}: Infotag am Samstag #Revier #Bench"),
        Some("de"),
        "de",
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    sink.reset(expected);
    let cpu = CpuMeter::start();
    let t0 = Instant::now();
    publish(&inst.app, user, slug, draft)
        .await
        .map_err(|e| anyhow::anyhow!("publish failed: {e}"))?;
    let publish_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let arrived = sink.wait_all(expected, Duration::from_secs(60)).await;
    let arrived_ms = t0.elapsed().as_secs_f64() * 1000.0;
    // Then the queue must be empty (rows are deleted after the 2xx answers).
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut drained = false;
    while Instant::now() < deadline {
        if inst.count("SELECT COUNT(*) FROM deliveries").await == 0 {
            drained = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let wall = t0.elapsed();
    let cpu = cpu.stop("fan-out");
    let received = sink.count.load(Ordering::SeqCst);
    let lat = sink.sorted_latencies();
    Ok(RoundResult {
        deliveries: expected,
        received,
        publish_ms,
        arrived_ms,
        wall_ms: wall.as_secs_f64() * 1000.0,
        per_s: received.min(expected) as f64 / wall.as_secs_f64(),
        p50_ms: ms(percentile(&lat, 0.50)),
        p99_ms: ms(percentile(&lat, 0.99)),
        max_ms: ms(lat.last().copied().unwrap_or(0)),
        cpu,
        complete: arrived && drained && received == expected,
    })
}

async fn fanout_variant(
    inst: &Instance,
    sink: &Sink,
    user: &db::accounts::UserRow,
    slug: &str,
    name: &'static str,
    expected: usize,
    rounds: usize,
) -> anyhow::Result<VariantResult> {
    println!("  {name}: {expected} deliveries per announcement (through Revier's queue)");
    let warm = fanout_round(inst, sink, user, slug, expected, &format!("{name} warm-up")).await?;
    println!("{}", warm.line("warm-up"));
    let mut results = Vec::with_capacity(rounds);
    let mut all_lat: Vec<u64> = Vec::new();
    for r in 0..rounds {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let res = fanout_round(
            inst,
            sink,
            user,
            slug,
            expected,
            &format!("{name} round {r}"),
        )
        .await?;
        all_lat.extend(sink.latencies_us.lock().expect("lock").iter().copied());
        println!("{}", res.line(&format!("round {r}")));
        results.push(res);
    }
    Ok(VariantResult::from_rounds(
        expected,
        results,
        &mut all_lat,
        warm.complete,
    ))
}

/// The same inboxes served without the queue, `concurrency` requests in flight: either
/// `HttpClient::deliver` (sign + POST, as the queue does it), or with `presign` plain POSTs of
/// requests signed before the clock starts.
async fn direct_round(
    sink: &Sink,
    inboxes: &[Url],
    body: &Arc<Vec<u8>>,
    signer: &Signer,
    presign: bool,
    client: &HttpClient,
    concurrency: usize,
) -> anyhow::Result<RoundResult> {
    let n = inboxes.len();
    let presigned: Vec<Mutex<Option<HeaderMap>>> = inboxes
        .iter()
        .map(|u| Mutex::new(presign.then(|| signed_headers(signer, u, body))))
        .collect();
    let presigned = Arc::new(presigned);
    let inboxes = Arc::new(inboxes.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let plain = revier_e2e::http();
    sink.reset(n);
    let cpu = CpuMeter::start();
    let t0 = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..concurrency.min(n) {
        let (inboxes, next, body, presigned, plain) = (
            inboxes.clone(),
            next.clone(),
            body.clone(),
            presigned.clone(),
            plain.clone(),
        );
        let (client, signer) = (client.clone(), signer.clone());
        set.spawn(async move {
            let mut failures = 0usize;
            let mut first: Option<String> = None;
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= inboxes.len() {
                    break;
                }
                let failed = if presign {
                    let headers = presigned[i]
                        .lock()
                        .expect("lock")
                        .take()
                        .unwrap_or_default();
                    match plain
                        .post(inboxes[i].clone())
                        .headers(headers)
                        .body(body.to_vec())
                        .send()
                        .await
                    {
                        Ok(r) if r.status().is_success() => None,
                        Ok(r) => Some(format!("status {}", r.status())),
                        Err(e) => Some(e.to_string()),
                    }
                } else {
                    match client.deliver(&inboxes[i], &body, &signer).await {
                        DeliveryOutcome::Delivered => None,
                        other => Some(format!("{other:?}")),
                    }
                };
                if let Some(why) = failed {
                    failures += 1;
                    first.get_or_insert(why);
                }
            }
            (failures, first)
        });
    }
    let mut failures = 0;
    let mut first = None;
    while let Some(r) = set.join_next().await {
        let (f, why) = r?;
        failures += f;
        first = first.or(why);
    }
    let wall = t0.elapsed();
    let cpu = cpu.stop("direct deliveries");
    if let Some(why) = first {
        println!("  direct: {failures} of {n} failed, the first: {why}");
    }
    let received = sink.count.load(Ordering::SeqCst);
    let lat = sink.sorted_latencies();
    Ok(RoundResult {
        deliveries: n,
        received,
        publish_ms: 0.0,
        arrived_ms: wall.as_secs_f64() * 1000.0,
        wall_ms: wall.as_secs_f64() * 1000.0,
        per_s: received.min(n) as f64 / wall.as_secs_f64(),
        p50_ms: ms(percentile(&lat, 0.50)),
        p99_ms: ms(percentile(&lat, 0.99)),
        max_ms: ms(lat.last().copied().unwrap_or(0)),
        cpu,
        complete: failures == 0 && received == n,
    })
}

struct FanoutResult {
    hosts: usize,
    followers: usize,
    shared: VariantResult,
    each: VariantResult,
    direct_sign: Option<VariantResult>,
    direct_presigned: Option<VariantResult>,
    direct_concurrency: usize,
    verified: usize,
    verify_failed: usize,
    unexpected: usize,
}

async fn fanout_bench(
    inst: &Instance,
    opts: &Opts,
) -> anyhow::Result<(FanoutResult, Vec<JoinHandle<()>>)> {
    inst.user("bench").await;
    let org_shared = inst.org("bench-shared", "bench").await;
    let org_each = inst.org("bench-each", "bench").await;
    let mut conn = inst.app.db.conn().await?;
    let user = db::accounts::find_user_by_username(&mut conn, "bench")
        .await?
        .ok_or_else(|| anyhow::anyhow!("bench user missing"))?;
    let mut orgs = Vec::new();
    for ap_id in [&org_shared, &org_each] {
        orgs.push(
            db::actors::find_actor_by_ap_id(&mut conn, ap_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("{ap_id} missing"))?,
        );
    }
    drop(conn);
    let keys = orgs
        .iter()
        .map(|a| (a.key_id.clone(), a.public_key_pem.clone()))
        .collect();
    let sink = Arc::new(Sink {
        base: Instant::now(),
        round_start_us: AtomicU64::new(0),
        expected: AtomicUsize::new(usize::MAX),
        count: AtomicUsize::new(0),
        latencies_us: Mutex::new(Vec::new()),
        done: Notify::new(),
        verify_every: opts.verify_every,
        verified: AtomicUsize::new(0),
        verify_failed: AtomicUsize::new(0),
        unexpected: AtomicUsize::new(0),
        keys,
    });
    let (addrs, receiver_tasks) = start_receivers(sink.clone(), opts.hosts).await?;
    let followers = opts.hosts * opts.per_host;
    let t_setup = Instant::now();
    // One remote key for all followers: Revier never needs it to deliver.
    let (_, follower_pem) = generate_keypair().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut per_actor_inboxes = Vec::with_capacity(followers);
    let mut tx = inst.app.db.begin().await?;
    let now = db::now_micros();
    for addr in &addrs {
        for j in 0..opts.per_host {
            for (shared, prefix, org) in [(true, "s", &orgs[0]), (false, "p", &orgs[1])] {
                let a = remote_follower(addr, &format!("{prefix}{j}"), shared, &follower_pem);
                let row = db::actors::upsert_remote_actor(&mut tx, &a, now).await?;
                let follow_id = format!("{}/follows/{}", a.ap_id, org.id);
                db::follows::upsert_follow(
                    &mut tx,
                    row.id,
                    org.id,
                    &follow_id,
                    db::follows::FollowState::Accepted,
                    now,
                )
                .await?;
                if !shared {
                    per_actor_inboxes.push(Url::parse(&a.inbox)?);
                }
            }
        }
    }
    tx.commit().await?;
    println!(
        "\n== Fan-out: {followers} followers per org on {} loopback hosts ({} .. {}), {} per host; set up in {:.0} ms",
        addrs.len(),
        addrs.first().map(|a| a.to_string()).unwrap_or_default(),
        addrs.last().map(|a| a.to_string()).unwrap_or_default(),
        opts.per_host,
        t_setup.elapsed().as_secs_f64() * 1000.0
    );
    println!(
        "  latency: from the start of publish to the arrival at the receiver; CPU: this process \
         (instance, receivers, client) and other processes{}",
        if opts.database_url.is_some() {
            ", which include the PostgreSQL server"
        } else {
            ""
        }
    );
    let shared = fanout_variant(
        inst,
        &sink,
        &user,
        "bench-shared",
        "shared inbox",
        opts.hosts,
        opts.rounds,
    )
    .await?;
    let each = fanout_variant(
        inst,
        &sink,
        &user,
        "bench-each",
        "per-actor inbox",
        followers,
        opts.rounds,
    )
    .await?;

    // The same 1,000 inboxes without the queue, with the body Revier sent last.
    let body = {
        let mut conn = inst.app.db.conn().await?;
        let json: String =
            sqlx::query_scalar("SELECT json FROM outgoing_activities ORDER BY id DESC LIMIT 1")
                .fetch_one(&mut *conn)
                .await?;
        Arc::new(json.into_bytes())
    };
    let signer = inst
        .app
        .signer_for(&orgs[1])
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // As many requests in flight as the queue allows at most: 4 per host.
    let direct_concurrency = (opts.hosts * 4).min(followers);
    let mut direct = Vec::new();
    let variants: &[(&str, bool)] = if opts.compare {
        &[
            ("sign + POST (HttpClient::deliver)", false),
            ("POST of pre-signed requests", true),
        ]
    } else {
        &[]
    };
    for &(label, presign) in variants {
        println!("  without the queue, {followers} per-actor inboxes, {direct_concurrency} in flight: {label}");
        let mut rounds = Vec::new();
        let mut all_lat = Vec::new();
        let client = &inst.app.delivery_http;
        let warm = direct_round(
            &sink,
            &per_actor_inboxes,
            &body,
            &signer,
            presign,
            client,
            direct_concurrency,
        )
        .await?;
        for r in 0..opts.rounds.min(3) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let res = direct_round(
                &sink,
                &per_actor_inboxes,
                &body,
                &signer,
                presign,
                client,
                direct_concurrency,
            )
            .await?;
            all_lat.extend(sink.latencies_us.lock().expect("lock").iter().copied());
            println!("{}", res.line(&format!("round {r}")));
            rounds.push(res);
        }
        direct.push(Some(VariantResult::from_rounds(
            followers,
            rounds,
            &mut all_lat,
            warm.complete,
        )));
    }
    let direct_presigned = direct.pop().flatten();
    let direct_sign = direct.pop().flatten();
    let result = FanoutResult {
        hosts: addrs.len(),
        followers,
        shared,
        each,
        direct_sign,
        direct_presigned,
        direct_concurrency,
        verified: sink.verified.load(Ordering::Relaxed),
        verify_failed: sink.verify_failed.load(Ordering::Relaxed),
        unexpected: sink.unexpected.load(Ordering::Relaxed),
    };
    Ok((result, receiver_tasks))
}

// ---------------------------------------------------------------------------------------------
// 3. Inbox.

struct InboxResult {
    n: usize,
    wall_ms: f64,
    per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    statuses: BTreeMap<u16, usize>,
    stored_notes: i64,
    cpu: CpuUse,
    sign_ms: f64,
}

/// A signed request, ready to send: headers and body.
type Prepared = (HeaderMap, Vec<u8>);

fn create_note(peer: &Peer, actor: &PeerActor, run: &str, i: usize) -> Vec<u8> {
    let note_id = format!("{}/notes/{run}-{i}", peer.base);
    let body = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": format!("{}/activities/create-{run}-{i}", peer.base),
        "type": "Create",
        "actor": actor.id,
        "published": "2026-01-01T12:00:00Z",
        "to": [revier_federation::PUBLIC],
        "cc": [format!("{}/followers", actor.id)],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": actor.id,
            "url": note_id,
            "published": "2026-01-01T12:00:00Z",
            "to": [revier_federation::PUBLIC],
            "cc": [format!("{}/followers", actor.id)],
            "content": format!(
                "<p>Benchmark note {i}: Das Repair-Café öffnet am Samstag um 14 Uhr, \
                 <a href=\"https://example.org/events/{i}\" rel=\"nofollow noopener\">Details</a>. \
                 <a href=\"{}/tags/bench\" class=\"mention hashtag\" rel=\"tag\">#<span>Bench</span></a></p>",
                peer.base
            ),
            "contentMap": {"de": format!("<p>Benchmark note {i}</p>")},
            "tag": [{"type": "Hashtag", "href": format!("{}/tags/bench", peer.base), "name": "#Bench"}],
            "sensitive": false
        }
    });
    serde_json::to_vec(&body).expect("json")
}

fn signed_headers(signer: &Signer, url: &Url, body: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (k, v) in
        sign_request(signer, "POST", url, Some((body, AP)), SystemTime::now()).expect("sign")
    {
        headers.insert(k, v.parse().expect("header value"));
    }
    headers.insert("content-type", AP.parse().expect("header value"));
    headers
}

async fn inbox_bench(inst: &Instance, opts: &Opts) -> anyhow::Result<InboxResult> {
    let peer = Peer::start().await;
    let actors: Vec<PeerActor> = (0..opts.senders)
        .map(|k| peer.add_actor(&format!("poster{k}")))
        .collect();
    inst.user("reader").await;
    let reader_actor = {
        let mut conn = inst.app.db.conn().await?;
        db::actors::find_local_actor_by_username(&mut conn, "reader")
            .await?
            .ok_or_else(|| anyhow::anyhow!("reader actor missing"))?
    };
    let inbox = Url::parse(&inst.url("/inbox"))?;
    let client = revier_e2e::http();
    let run = revier::domain::random_token(6).to_ascii_lowercase();

    // Warm-up: Revier fetches each key once and stores the actor; then the reader follows them.
    for (k, a) in actors.iter().enumerate() {
        let body = create_note(&peer, a, &run, 1_000_000 + k);
        let headers = signed_headers(&a.signer, &inbox, &body);
        let resp = client
            .post(inbox.clone())
            .headers(headers)
            .body(body)
            .send()
            .await?;
        anyhow::ensure!(
            resp.status().as_u16() == 202,
            "warm-up POST by {} answered {}",
            a.id,
            resp.status()
        );
        let mut conn = inst.app.db.conn().await?;
        let stored = db::actors::find_actor_by_ap_id(&mut conn, &a.id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("Revier did not store {} after the warm-up", a.id))?;
        let follow_id = format!("{}/follows/{k}", inst.base);
        db::follows::upsert_follow(
            &mut conn,
            reader_actor.id,
            stored.id,
            &follow_id,
            db::follows::FollowState::Accepted,
            db::now_micros(),
        )
        .await?;
    }
    let notes_before = inst.count("SELECT COUNT(*) FROM remote_notes").await;

    // Sign everything before the clock starts (Date stays well within the 5 min + 1 h window).
    let t_sign = Instant::now();
    let prepared: Vec<Mutex<Option<Prepared>>> = (0..opts.activities)
        .map(|i| {
            let a = &actors[i % actors.len()];
            let body = create_note(&peer, a, &run, i);
            Mutex::new(Some((signed_headers(&a.signer, &inbox, &body), body)))
        })
        .collect();
    let sign_ms = t_sign.elapsed().as_secs_f64() * 1000.0;
    let work = Arc::new(prepared);
    let next = Arc::new(AtomicUsize::new(0));

    let cpu = CpuMeter::start();
    let t0 = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..opts.concurrency.min(opts.activities) {
        let (work, next, client, inbox) =
            (work.clone(), next.clone(), client.clone(), inbox.clone());
        set.spawn(async move {
            let mut out: Vec<(u64, u16)> = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= work.len() {
                    break;
                }
                let Some((headers, body)) = work[i].lock().expect("lock").take() else {
                    continue;
                };
                let t = Instant::now();
                let status = match client
                    .post(inbox.clone())
                    .headers(headers)
                    .body(body)
                    .send()
                    .await
                {
                    Ok(r) => {
                        let s = r.status().as_u16();
                        let _ = r.bytes().await;
                        s
                    }
                    Err(_) => 0,
                };
                out.push((t.elapsed().as_micros() as u64, status));
            }
            out
        });
    }
    let mut lat = Vec::with_capacity(opts.activities);
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    while let Some(r) = set.join_next().await {
        for (us, status) in r? {
            lat.push(us);
            *statuses.entry(status).or_default() += 1;
        }
    }
    let wall = t0.elapsed();
    let cpu = cpu.stop("inbox");
    lat.sort_unstable();
    let stored_notes = inst.count("SELECT COUNT(*) FROM remote_notes").await - notes_before;
    Ok(InboxResult {
        n: opts.activities,
        wall_ms: wall.as_secs_f64() * 1000.0,
        per_s: opts.activities as f64 / wall.as_secs_f64(),
        p50_ms: ms(percentile(&lat, 0.50)),
        p99_ms: ms(percentile(&lat, 0.99)),
        max_ms: ms(lat.last().copied().unwrap_or(0)),
        statuses,
        stored_notes,
        cpu,
        sign_ms,
    })
}

// ---------------------------------------------------------------------------------------------
// 4. Idle RSS of `revier serve`.

struct IdleResult {
    rss_kb: u64,
    hwm_kb: u64,
    startup_ms: f64,
}

struct Latencies {
    n: usize,
    p50: f64,
    p99: f64,
    max: f64,
}

impl Latencies {
    fn of(mut us: Vec<u64>) -> Latencies {
        us.sort_unstable();
        Latencies {
            n: us.len(),
            p50: ms(percentile(&us, 0.50)),
            p99: ms(percentile(&us, 0.99)),
            max: ms(us.last().copied().unwrap_or(0)),
        }
    }

    fn json(&self) -> Value {
        json!({"n": self.n, "p50_ms": round1(self.p50), "p99_ms": round1(self.p99), "max_ms": round1(self.max)})
    }
}

struct FeedsResult {
    zones: usize,
    events: usize,
    bytes: usize,
    cold_ms: f64,
    warm_ms: f64,
    idle: Latencies,
    loaded: Latencies,
    feeds_served: usize,
    loaded_feed_ms: f64,
}

impl FeedsResult {
    fn json(&self) -> Value {
        json!({
            "zones": self.zones, "events": self.events, "bytes": self.bytes,
            "feed_cold_ms": round1(self.cold_ms), "feed_warm_median_ms": round1(self.warm_ms),
            "actor_get_alone": self.idle.json(), "actor_get_during_feeds": self.loaded.json(),
            "feeds_served_meanwhile": self.feeds_served,
            "feed_median_ms_meanwhile": round1(self.loaded_feed_ms),
        })
    }
}

/// Distinct IANA zones, spread over the whole list (not only Africa/...).
fn bench_zones(n: usize) -> Vec<&'static str> {
    let all: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name())
        .filter(|n| n.contains('/') && !n.starts_with("Etc/"))
        .collect();
    let step = (all.len() / n.max(1)).max(1);
    all.into_iter().step_by(step).take(n).collect()
}

async fn timed_get(
    client: &reqwest::Client,
    url: &str,
    accept: &str,
) -> anyhow::Result<(u64, usize)> {
    let t = Instant::now();
    let resp = client.get(url).header("accept", accept).send().await?;
    anyhow::ensure!(resp.status().is_success(), "GET {url}: {}", resp.status());
    let len = resp.bytes().await?.len();
    Ok((t.elapsed().as_micros() as u64, len))
}

async fn feeds_bench(inst: &Instance, opts: &Opts) -> anyhow::Result<FeedsResult> {
    let token = inst.user("bench").await;
    inst.org("feeds", "bench").await;
    let client = reqwest::Client::new();
    let zones = bench_zones(opts.feed_zones);
    for (i, zone) in zones.iter().enumerate() {
        // Series that began two years ago and go on: the calendar must describe each zone
        // over several years.
        let body = json!({
            "title": format!("Treffen {i} ({zone})"),
            "start": "2025-01-07T19:00", "end": "2025-01-07T21:00", "timezone": zone,
            "recurrence": {"rrule": "FREQ=WEEKLY"}
        });
        let resp = client
            .post(inst.url("/api/v1/orgs/feeds/events"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await?;
        // A zone where 19:00 does not exist that day is skipped, as a user would pick another.
        if !resp.status().is_success() && resp.status().as_u16() != 422 {
            anyhow::bail!("creating the event in {zone}: {}", resp.status());
        }
    }
    let events = inst
        .count("SELECT COUNT(*) FROM events")
        .await
        .try_into()
        .unwrap_or(0);
    let feed = inst.url("/events.ics");
    let actor = inst.url("/users/bench");
    let (cold, bytes) = timed_get(&client, &feed, "text/calendar").await?;
    let mut warm = Vec::new();
    for _ in 0..5 {
        warm.push(timed_get(&client, &feed, "text/calendar").await?.0 as f64 / 1000.0);
    }
    let mut idle = Vec::new();
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        idle.push(timed_get(&client, &actor, AP).await?.0);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut fetchers = Vec::new();
    for _ in 0..opts.feed_clients {
        let (client, feed, stop) = (client.clone(), feed.clone(), stop.clone());
        fetchers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                match timed_get(&client, &feed, "text/calendar").await {
                    Ok((us, _)) => times.push(us as f64 / 1000.0),
                    Err(_) => break,
                }
            }
            times
        }));
    }
    let mut loaded = Vec::new();
    let until = Instant::now() + Duration::from_secs(opts.feed_secs);
    while Instant::now() < until {
        loaded.push(timed_get(&client, &actor, AP).await?.0);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut feed_times = Vec::new();
    for f in fetchers {
        feed_times.extend(f.await.unwrap_or_default());
    }
    Ok(FeedsResult {
        zones: zones.len(),
        events,
        bytes,
        cold_ms: cold as f64 / 1000.0,
        warm_ms: median(&warm),
        idle: Latencies::of(idle),
        loaded: Latencies::of(loaded),
        feeds_served: feed_times.len(),
        loaded_feed_ms: median(&feed_times),
    })
}

/// Starts `revier serve` on a fresh SQLite database, polls `/.well-known/nodeinfo` every
/// `poll` until it answers 200 (the start-up time), then reads its RSS 2 s later.
async fn idle_rss(bin: &PathBuf, poll: Duration) -> Result<IdleResult, String> {
    if !bin.is_file() {
        return Err(format!(
            "{} does not exist; build it with `cargo build --release -p revier --bin revier` (or pass --revier-bin)",
            bin.display()
        ));
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        l.local_addr().map_err(|e| e.to_string())?.port()
    };
    let addr = format!("127.0.0.1:{port}");
    let log_path = dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let log2 = log.try_clone().map_err(|e| e.to_string())?;
    let t0 = Instant::now();
    let mut child = tokio::process::Command::new(bin)
        .arg("serve")
        .env("REVIER_BIND", &addr)
        .env("REVIER_DOMAIN", &addr)
        .env("REVIER_ALLOW_LOOPBACK_FEDERATION", "true")
        .env(
            "REVIER_DATABASE_URL",
            format!("sqlite://{}/b.db", dir.path().display()),
        )
        .env("REVIER_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log2))
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let pid = child.id().ok_or("the child has no pid")?.to_string();
    let client = revier_e2e::http();
    let url = format!("http://{addr}/.well-known/nodeinfo");
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut up = false;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            return Err(format!("revier serve exited with {status}: {}", log.trim()));
        }
        if let Ok(r) = client
            .get(&url)
            .timeout(Duration::from_secs(2))
            .send()
            .await
        {
            if r.status().is_success() {
                up = true;
                break;
            }
        }
        tokio::time::sleep(poll).await;
    }
    let startup_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let result = if up {
        tokio::time::sleep(Duration::from_secs(2)).await;
        match (
            proc_status_kb(&pid, "VmRSS:"),
            proc_status_kb(&pid, "VmHWM:"),
        ) {
            (Some(rss_kb), Some(hwm_kb)) => Ok(IdleResult {
                rss_kb,
                hwm_kb,
                startup_ms,
            }),
            _ => Err(format!("cannot read /proc/{pid}/status")),
        }
    } else {
        Err("revier serve did not answer /.well-known/nodeinfo within 30 s".into())
    };
    let _ = child.kill().await;
    let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
    result
}

// ---------------------------------------------------------------------------------------------

async fn drop_postgres_db(admin: &str, db_url: &str) {
    use sqlx::Connection;
    let Some(name) = Url::parse(db_url)
        .ok()
        .map(|u| u.path().trim_start_matches('/').to_string())
    else {
        return;
    };
    if !name.starts_with("revier_test_") {
        return;
    }
    if let Ok(mut conn) = sqlx::AnyConnection::connect(admin).await {
        if let Err(e) = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut conn)
            .await
        {
            eprintln!("note: could not drop the benchmark database {name}: {e}");
        }
    }
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

async fn run(opts: Opts, cores: usize) -> anyhow::Result<()> {
    let started = Instant::now();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "revier-bench {}: {cores} cores, {}; load average at start {}",
        revier::VERSION,
        if opts.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    // 1. CPU reference, while nothing else of ours runs.
    let (mut openssl1, mut opensslm, mut awslc) = (None, None, None);
    if opts.crypto {
        println!("\n== CPU reference: RSA-2048 (PKCS#1 v1.5, SHA-256)");
        if opts.openssl {
            let one = openssl_speed(opts.openssl_secs, None).await;
            let multi = openssl_speed(opts.openssl_secs, Some(cores)).await;
            for (label, r) in [
                ("openssl speed, 1 process".to_string(), &one),
                (format!("openssl speed -multi {cores}"), &multi),
            ] {
                match r {
                    Ok(r) => println!(
                        "  {label:<38} {:>7.0} sign/s {:>8.0} verify/s   (machine CPU {:>3.0} %)",
                        r.sign, r.verify, r.cpu.machine
                    ),
                    Err(e) => println!("  {label:<38} NOT MEASURED: {e}"),
                }
            }
            openssl1 = one.ok();
            opensslm = multi.ok();
        } else {
            println!("  openssl speed skipped (--no-openssl)");
        }
        let secs = opts.crypto_secs;
        let a = tokio::task::spawn_blocking(move || awslc_rates(cores, secs)).await??;
        let row = |label: &str, r: &Rates, v: f64, what: &str| {
            println!(
                "  {label:<38} {v:>7.0} {what:<8}                 (CPU ours {:>3.0} %, others {:>3.0} %)",
                r.cpu.ours,
                r.cpu.others()
            )
        };
        row(
            "aws-lc-rs SigningKey::sign, 1 thread",
            &a.sign1,
            a.sign1.sign,
            "sign/s",
        );
        row(
            &format!("aws-lc-rs SigningKey::sign, {cores} threads"),
            &a.signm,
            a.signm.sign,
            "sign/s",
        );
        row(
            "signatures::precheck+verify, 1 thread",
            &a.verify1,
            a.verify1.verify,
            "verify/s",
        );
        row(
            &format!("signatures::precheck+verify, {cores} thr."),
            &a.verifym,
            a.verifym.verify,
            "verify/s",
        );
        println!(
            "  (precheck+verify: Digest, PEM decode and RSA verify per request, as the inbox does)"
        );
        awslc = Some(a);
    }

    // 2 + 3. One in-process instance for fan-out and inbox.
    let (mut fanout, mut inbox) = (None, None);
    let (mut rss_started_kb, mut peak_rss_kb) = (0, 0);
    if opts.fanout || opts.inbox {
        let db = Arc::new(TestDb::new().await);
        let inst = Instance::start_with(db.clone(), 0, |_| {}).await;
        rss_started_kb = proc_status_kb("self", "VmRSS:").unwrap_or(0);
        let mut receivers = Vec::new();
        let outcome: anyhow::Result<()> = async {
            if opts.fanout {
                let (f, tasks) = fanout_bench(&inst, &opts).await?;
                receivers = tasks;
                println!(
                    "  receivers verified {} sampled signatures of Revier's deliveries, {} failed; {} unexpected requests",
                    f.verified, f.verify_failed, f.unexpected
                );
                fanout = Some(f);
            }
            if opts.inbox {
                println!(
                    "\n== Inbox: {} pre-signed Create{{Note}} by {} peer actors to /inbox, {} in flight",
                    opts.activities, opts.senders, opts.concurrency
                );
                let r = inbox_bench(&inst, &opts).await?;
                println!("  signed beforehand in {:.0} ms", r.sign_ms);
                println!(
                    "  {:.0} activities/s  wall {:.0} ms  p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms  CPU ours {:.0} % others {:.0} %  {:.0} µs CPU/activity",
                    r.per_s,
                    r.wall_ms,
                    r.p50_ms,
                    r.p99_ms,
                    r.max_ms,
                    r.cpu.ours,
                    r.cpu.others(),
                    r.cpu.cpu_secs * 1e6 / r.n.max(1) as f64
                );
                let statuses: Vec<String> = r
                    .statuses
                    .iter()
                    .map(|(s, n)| if *s == 0 { format!("transport error: {n}") } else { format!("{s}: {n}") })
                    .collect();
                println!("  statuses {}; notes stored {} of {}", statuses.join(", "), r.stored_notes, r.n);
                inbox = Some(r);
            }
            Ok(())
        }
        .await;
        peak_rss_kb = proc_status_kb("self", "VmHWM:").unwrap_or(0);
        for t in &receivers {
            t.abort();
        }
        let db_url = db.url.clone();
        let _ = tokio::time::timeout(Duration::from_secs(30), inst.stop()).await;
        if let Some(admin) = &opts.database_url {
            drop_postgres_db(admin, &db_url).await;
        }
        outcome?;
    }

    // 4. Feeds.
    let feeds = if opts.feeds {
        println!(
            "\n== Feeds: /events.ics with weekly events in {} time zones; GET of an actor meanwhile",
            opts.feed_zones
        );
        let db = Arc::new(TestDb::new().await);
        let inst = Instance::start_with(db.clone(), 0, |_| {}).await;
        let r = feeds_bench(&inst, &opts).await;
        let db_url = db.url.clone();
        let _ = tokio::time::timeout(Duration::from_secs(30), inst.stop()).await;
        if let Some(admin) = &opts.database_url {
            drop_postgres_db(admin, &db_url).await;
        }
        let r = r?;
        println!(
            "  feed: {} events, {} KB; first fetch {:.0} ms, then median {:.0} ms",
            r.events,
            r.bytes / 1024,
            r.cold_ms,
            r.warm_ms
        );
        println!(
            "  actor GET alone:             p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms  ({} requests)",
            r.idle.p50, r.idle.p99, r.idle.max, r.idle.n
        );
        println!(
            "  actor GET during {} feed clients: p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms  ({} requests; {} feeds served, {:.0} ms median each)",
            opts.feed_clients, r.loaded.p50, r.loaded.p99, r.loaded.max, r.loaded.n, r.feeds_served, r.loaded_feed_ms
        );
        Some(r)
    } else {
        None
    };

    // 5. Web pages.
    let web = if opts.web {
        println!(
            "\n== Web pages: {} sequential GETs each over {WEB_ORGS} organizations, {WEB_PROJECTS} projects, {WEB_EVENTS} events, {WEB_ANNOUNCEMENTS} announcements",
            opts.web_requests
        );
        let db = Arc::new(TestDb::new().await);
        let inst = Instance::start_with(db.clone(), 0, |_| {}).await;
        let r = web_bench(&inst, &opts).await;
        let db_url = db.url.clone();
        let _ = tokio::time::timeout(Duration::from_secs(30), inst.stop()).await;
        if let Some(admin) = &opts.database_url {
            drop_postgres_db(admin, &db_url).await;
        }
        Some(r?)
    } else {
        None
    };

    // 6. Regional calendar.
    let regional = if opts.regional {
        println!(
            "\n== Regional calendar: {} events from {} sources, {} sequential GETs per page",
            opts.regional_events, opts.regional_sources, opts.web_requests
        );
        let db = Arc::new(TestDb::new().await);
        let inst = Instance::start_with(db.clone(), 0, |_| {}).await;
        let r = regional_bench(&inst, &opts).await;
        let db_url = db.url.clone();
        let _ = tokio::time::timeout(Duration::from_secs(30), inst.stop()).await;
        if let Some(admin) = &opts.database_url {
            drop_postgres_db(admin, &db_url).await;
        }
        Some(r?)
    } else {
        None
    };

    // 7. Memory.
    println!("\n== Memory");
    if peak_rss_kb > 0 {
        println!(
            "  this process (instance, {} receivers, clients): peak RSS {:.1} MB; {:.1} MB right after the instance started",
            fanout.as_ref().map(|f| f.hosts).unwrap_or(0),
            mb(peak_rss_kb),
            mb(rss_started_kb)
        );
    }
    let bin = opts.revier_bin.clone().unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join("revier")))
            .unwrap_or_else(|| PathBuf::from("revier"))
    });
    let idle = if opts.idle {
        let r = idle_rss(&bin, Duration::from_millis(50)).await;
        match &r {
            Ok(i) => println!(
                "  `revier serve` ({}) idle: RSS {:.1} MB (peak {:.1} MB), answered after {:.0} ms",
                bin.display(),
                mb(i.rss_kb),
                mb(i.hwm_kb),
                i.startup_ms
            ),
            Err(e) => println!("  `revier serve` idle RSS NOT MEASURED: {e}"),
        }
        r.ok()
    } else {
        println!("  idle RSS not measured (phase not selected)");
        None
    };

    // 8. Scale (issue 11).
    let scale = scale_phases(&opts).await;

    // Targets.
    let sign_multi = opensslm.map(|r| r.sign);
    let ratio = |v: Option<f64>| sign_multi.zip(v).map(|(s, v)| v / s);
    let each_per_s = fanout.as_ref().map(|f| f.each.median_per_s);
    let shared_per_s = fanout.as_ref().map(|f| f.shared.median_per_s);
    let ratio_each = ratio(each_per_s);
    let ratio_shared = ratio(shared_per_s);
    let idle_mb = idle.as_ref().map(|i| mb(i.rss_kb));
    let fanout_met = |r: Option<f64>| r.map(|r| r >= 0.70);
    let idle_met = idle_mb.map(|m| m <= 30.0);
    let verdict = |m: Option<bool>| match m {
        Some(true) => "MET",
        Some(false) => "NOT MET",
        None => "not measured",
    };
    println!("\n== Targets");
    match (sign_multi, &fanout) {
        (Some(s), Some(f)) => {
            println!("  fan-out ≥ 70 % of openssl -multi {cores} sign/s ({s:.0}/s, i.e. ≥ {:.0} deliveries/s):", 0.7 * s);
            for (label, v, r) in [("per-actor inbox", &f.each, ratio_each), ("shared inbox", &f.shared, ratio_shared)] {
                println!(
                    "    {label:<16} {:>6.0} deliveries/s = {:>5.1} %  {}",
                    v.median_per_s,
                    r.unwrap_or(0.0) * 100.0,
                    verdict(fanout_met(r))
                );
            }
            for (label, v) in [("sign + POST, no queue", &f.direct_sign), ("pre-signed POST, no queue", &f.direct_presigned)] {
                let Some(v) = v else { continue };
                println!("    (for comparison: {label}: {:.0} deliveries/s = {:.1} %)", v.median_per_s, v.median_per_s / s * 100.0);
            }
        }
        _ => println!("  fan-out target: not measured (needs the crypto phase with openssl, and the fanout phase)"),
    }
    match idle_mb {
        Some(m) => println!("  idle RSS ≤ 30 MB: {m:.1} MB  {}", verdict(idle_met)),
        None => println!("  idle RSS ≤ 30 MB: not measured"),
    }
    let (others_max, others_phase) = OTHERS_MAX.lock().map(|m| m.clone()).unwrap_or_default();
    if others_max >= 15.0 {
        println!(
            "  WARNING: other processes used up to {others_max:.0} % CPU during a measurement ({others_phase}); \
             figures are lower than on a quiet machine"
        );
    }
    println!("  (whole run {:.0} s)", started.elapsed().as_secs_f64());

    let summary = json!({
        "bench": "revier-bench",
        "version": revier::VERSION,
        "database": if opts.database_url.is_some() { "postgres" } else { "sqlite" },
        "cores": cores,
        "openssl_sign_per_s_1": openssl1.map(|r| round1(r.sign)),
        "openssl_verify_per_s_1": openssl1.map(|r| round1(r.verify)),
        "openssl_multi": cores,
        "openssl_sign_per_s_multi": sign_multi.map(round1),
        "openssl_verify_per_s_multi": opensslm.map(|r| round1(r.verify)),
        "awslc_sign_per_s_1": awslc.as_ref().map(|a| round1(a.sign1.sign)),
        "awslc_sign_per_s_multi": awslc.as_ref().map(|a| round1(a.signm.sign)),
        "revier_verify_per_s_1": awslc.as_ref().map(|a| round1(a.verify1.verify)),
        "revier_verify_per_s_multi": awslc.as_ref().map(|a| round1(a.verifym.verify)),
        "fanout_hosts": fanout.as_ref().map(|f| f.hosts),
        "fanout_followers": fanout.as_ref().map(|f| f.followers),
        "fanout_deliveries_per_s": each_per_s.map(round1),
        "fanout_p99_ms": fanout.as_ref().map(|f| round1(f.each.p99_ms)),
        "fanout_shared_inbox_deliveries_per_s": shared_per_s.map(round1),
        "fanout_shared_inbox_p99_ms": fanout.as_ref().map(|f| round1(f.shared.p99_ms)),
        "fanout_deliveries_per_s_over_openssl_sign_per_s_multi": ratio_each.map(round3),
        "fanout_shared_inbox_deliveries_per_s_over_openssl_sign_per_s_multi": ratio_shared.map(round3),
        "fanout_per_inbox": fanout.as_ref().map(|f| f.each.json()),
        "fanout_shared_inbox": fanout.as_ref().map(|f| f.shared.json()),
        "fanout_no_queue_concurrency": fanout.as_ref().map(|f| f.direct_concurrency),
        "fanout_no_queue_sign_and_post": fanout.as_ref().and_then(|f| f.direct_sign.as_ref()).map(VariantResult::json),
        "fanout_no_queue_presigned_post": fanout.as_ref().and_then(|f| f.direct_presigned.as_ref()).map(VariantResult::json),
        "receiver_signatures_verified": fanout.as_ref().map(|f| f.verified),
        "receiver_signatures_failed": fanout.as_ref().map(|f| f.verify_failed),
        "inbox_activities": inbox.as_ref().map(|i| i.n),
        "inbox_concurrency": opts.concurrency,
        "inbox_activities_per_s": inbox.as_ref().map(|i| round1(i.per_s)),
        "inbox_p50_ms": inbox.as_ref().map(|i| round1(i.p50_ms)),
        "inbox_p99_ms": inbox.as_ref().map(|i| round1(i.p99_ms)),
        "inbox_statuses": inbox.as_ref().map(|i| i.statuses.iter().map(|(s, n)| (s.to_string(), json!(n))).collect::<serde_json::Map<String, Value>>()),
        "inbox_notes_stored": inbox.as_ref().map(|i| i.stored_notes),
        "inbox_cpu_percent_ours": inbox.as_ref().map(|i| round1(i.cpu.ours)),
        "inbox_cpu_us_per_activity": inbox.as_ref().map(|i| round1(i.cpu.cpu_secs * 1e6 / i.n.max(1) as f64)),
        "feeds": feeds.as_ref().map(FeedsResult::json),
        "web": web.as_ref().map(WebResult::json),
        "regional": regional.as_ref().map(RegionalResult::json),
        "scale": scale,
        "peak_rss_mb": (peak_rss_kb > 0).then(|| round1(mb(peak_rss_kb))),
        "idle_rss_mb": idle_mb.map(round1),
        "others_cpu_percent_max": round1(others_max),
        "targets": {
            "fanout_ge_70pct_openssl_sign_multi": fanout_met(ratio_each),
            "fanout_shared_inbox_ge_70pct_openssl_sign_multi": fanout_met(ratio_shared),
            "idle_rss_le_30mb": idle_met,
            "regional_calendar_p99_le_50ms": regional.as_ref().and_then(RegionalResult::calendar_met),
        },
        "run_seconds": round1(started.elapsed().as_secs_f64()),
    });
    println!("{summary}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 6. Web pages (issue 8, part 8): server time of the public pages over a large instance.

/// The pages measured: label, path. A page that answers 404 is reported as missing.
const WEB_PAGES: &[(&str, &str)] = &[
    ("home page", "/"),
    ("month calendar", "/events?view=month"),
    ("projects, license filter", "/projects?license=EUPL-1.2"),
    ("search", "/search?q=Stammtisch"),
];
const WEB_ORGS: i64 = 200;
const WEB_PROJECTS: i64 = 1_000;
const WEB_EVENTS: i64 = 10_000;
const WEB_ANNOUNCEMENTS: i64 = 20_000;

/// The columns of `table`, in order (SQLite or PostgreSQL).
async fn table_columns(
    conn: &mut db::Conn,
    postgres: bool,
    table: &str,
) -> anyhow::Result<Vec<String>> {
    let sql = if postgres {
        format!(
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_name = '{table}' AND table_schema = current_schema() ORDER BY ordinal_position"
        )
    } else {
        format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
    };
    Ok(sqlx::query_scalar::<_, String>(&sql)
        .fetch_all(&mut *conn)
        .await?)
}

/// Inserts `n` copies of the row `template` of `table` in one statement: every column but `id`
/// copied, except the ones in `overrides` (column, SQL expression over the template row `t`
/// and the copy's number `n.i`, 1..=n). Columns that other parts add later are copied too.
async fn clone_rows(
    conn: &mut db::Conn,
    postgres: bool,
    table: &str,
    template: i64,
    n: i64,
    overrides: &[(&str, String)],
) -> anyhow::Result<()> {
    let columns: Vec<String> = table_columns(conn, postgres, table)
        .await?
        .into_iter()
        .filter(|c| c != "id")
        .collect();
    anyhow::ensure!(!columns.is_empty(), "table {table} has no columns");
    let values: Vec<String> = columns
        .iter()
        .map(|c| {
            overrides
                .iter()
                .find(|(name, _)| name == c)
                .map(|(_, expr)| expr.clone())
                .unwrap_or_else(|| format!("t.{c}"))
        })
        .collect();
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
         INSERT INTO {table} ({}) SELECT {} FROM {table} t, n WHERE t.id = {template}",
        columns.join(", "),
        values.join(", ")
    );
    sqlx::query(&sql)
        .execute(&mut *conn)
        .await
        .map_err(|e| anyhow::anyhow!("copying {table}: {e}"))?;
    Ok(())
}

/// An actor's URL columns with `from` replaced by `from-<n>` (the copies' own addresses).
fn actor_overrides(from: &str) -> Vec<(&'static str, String)> {
    let mut o: Vec<(&'static str, String)> = [
        "ap_id",
        "url",
        "inbox",
        "outbox",
        "followers",
        "following",
        "key_id",
    ]
    .into_iter()
    .map(|c| (c, format!("REPLACE(t.{c}, '{from}', '{from}-' || n.i)")))
    .collect();
    o.push(("local_username", "t.local_username || '-' || n.i".into()));
    o.push(("username", "t.username || '-' || n.i".into()));
    o.push(("name", "t.name || ' ' || n.i".into()));
    o
}

/// The id of the row of `table` where `column` is `value`.
async fn id_of(conn: &mut db::Conn, table: &str, column: &str, value: &str) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar::<_, i64>(&format!("SELECT id FROM {table} WHERE {column} = $1"))
            .bind(value)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// One organization, event, project and announcement made the ordinary way (API), then copied
/// in the database up to the sizes of the issue: 200 organizations, 1,000 projects (licenses
/// EUPL-1.2, MIT, Apache-2.0, AGPL-3.0-or-later in turn), 10,000 events (from 60 days ago to a
/// year ahead, spread over the organizations) and 20,000 announcements (one a minute back in
/// time). Each statement is one transaction.
async fn seed_web(inst: &Instance) -> anyhow::Result<()> {
    let token = inst.user("webmaster").await;
    inst.org("bench", "webmaster").await;
    let event = json!({"title": "Open-Source-Stammtisch", "start": "2030-01-07T19:00",
        "end": "2030-01-07T21:00", "timezone": "Europe/Berlin", "tags": ["OpenSource"],
        "place": {"name": "Union Gewerbehof", "locality": "Dortmund"}});
    let (s, v) = revier_e2e::scenario::create_event(inst, &token, "bench", event).await;
    anyhow::ensure!(s == 201, "template event: {s} {v}");
    let yaml = revier_e2e::scenario::publiccode_fixture("v0.4.yml");
    let (s, project) = revier_e2e::scenario::import_yaml(inst, &token, "bench", &yaml).await;
    anyhow::ensure!(s == 201, "template project: {s} {project}");
    revier_e2e::scenario::publish_announcement(
        inst,
        &token,
        "bench",
        json!({"content": "Neues vom **Stammtisch** im Ruhrgebiet #OpenSource", "language": "de"}),
    )
    .await;
    let postgres = inst.db.is_postgres();
    let base = inst.base.clone();
    let slug = project["slug"].as_str().unwrap_or_default().to_string();
    let mut conn = inst.app.db.conn().await?;
    let conn = &mut *conn;
    // Organizations: their actors, then the orgs rows pointing at them.
    let org_actor = id_of(conn, "actors", "ap_id", &format!("{base}/orgs/bench")).await?;
    clone_rows(
        conn,
        postgres,
        "actors",
        org_actor,
        WEB_ORGS - 1,
        &actor_overrides("/orgs/bench"),
    )
    .await?;
    let first_org = id_of(conn, "orgs", "slug", "bench").await?;
    clone_rows(
        conn,
        postgres,
        "orgs",
        first_org,
        WEB_ORGS - 1,
        &[
            ("slug", "t.slug || '-' || n.i".into()),
            (
                "actor_id",
                format!("(SELECT a.id FROM actors a WHERE a.ap_id = '{base}/orgs/bench-' || n.i)"),
            ),
        ],
    )
    .await?;
    let orgs = inst
        .count(&format!(
            "SELECT COUNT(*) FROM orgs WHERE id >= {first_org} AND id < {}",
            first_org + WEB_ORGS
        ))
        .await;
    anyhow::ensure!(
        orgs == WEB_ORGS,
        "the copied organizations are not numbered in a row ({orgs})"
    );
    let org_of = format!("{first_org} + (n.i % {WEB_ORGS})");
    seed_web_projects(conn, postgres, &base, &slug, &org_of).await?;
    seed_web_events_and_notes(conn, postgres, &base, &org_of).await
}

async fn seed_web_projects(
    conn: &mut db::Conn,
    postgres: bool,
    base: &str,
    slug: &str,
    org_of: &str,
) -> anyhow::Result<()> {
    let from = format!("/projects/{slug}");
    let actor = id_of(conn, "actors", "ap_id", &format!("{base}{from}")).await?;
    clone_rows(
        conn,
        postgres,
        "actors",
        actor,
        WEB_PROJECTS - 1,
        &actor_overrides(&from),
    )
    .await?;
    let project = id_of(conn, "projects", "slug", slug).await?;
    clone_rows(conn, postgres, "projects", project, WEB_PROJECTS - 1, &[
        ("slug", "t.slug || '-' || n.i".into()),
        ("name", "t.name || ' ' || n.i".into()),
        ("org_id", org_of.to_string()),
        ("actor_id", format!("(SELECT a.id FROM actors a WHERE a.ap_id = '{base}{from}-' || n.i)")),
        ("license", "CASE n.i % 4 WHEN 0 THEN 'EUPL-1.2' WHEN 1 THEN 'MIT' WHEN 2 THEN 'Apache-2.0' ELSE 'AGPL-3.0-or-later' END".into()),
    ]).await
}

async fn seed_web_events_and_notes(
    conn: &mut db::Conn,
    postgres: bool,
    base: &str,
    org_of: &str,
) -> anyhow::Result<()> {
    const DAY: i64 = 86_400_000_000;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)?
        .as_micros() as i64;
    let today = now - now % DAY + 18 * 3_600_000_000;
    let event = sqlx::query_scalar::<_, i64>("SELECT MIN(id) FROM events")
        .fetch_one(&mut *conn)
        .await?;
    let start = format!("{today} + ((n.i % 425) - 60) * {DAY} + (n.i % 5) * 3600000000");
    clone_rows(
        conn,
        postgres,
        "events",
        event,
        WEB_EVENTS - 1,
        &[
            ("ap_id", "t.ap_id || '-' || n.i".into()),
            ("uid", "t.uid || '-' || n.i".into()),
            ("title", "t.title || ' ' || n.i".into()),
            ("org_id", org_of.to_string()),
            (
                "actor_id",
                format!("(SELECT o.actor_id FROM orgs o WHERE o.id = {org_of})"),
            ),
            ("starts_at", start.clone()),
            ("ends_at", format!("{start} + 7200000000")),
            ("series_end", format!("{start} + 7200000000")),
        ],
    )
    .await?;
    // Each copy's id is its address, as for any local event.
    sqlx::query(&format!(
        "UPDATE events SET ap_id = '{base}/events/' || id WHERE id > {event}"
    ))
    .execute(&mut *conn)
    .await?;
    let note = sqlx::query_scalar::<_, i64>("SELECT MIN(id) FROM announcements")
        .fetch_one(&mut *conn)
        .await?;
    clone_rows(
        conn,
        postgres,
        "announcements",
        note,
        WEB_ANNOUNCEMENTS - 1,
        &[
            ("org_id", org_of.to_string()),
            ("content_md", "t.content_md || ' ' || n.i".into()),
            (
                "content_html",
                "t.content_html || '<p>' || n.i || '</p>'".into(),
            ),
            ("published", format!("{now} - n.i * 60000000")),
        ],
    )
    .await
}

/// The copies are whole: the counts are reached, and a copied organization, project and event
/// have their pages (with their own names).
async fn check_seed(inst: &Instance) -> anyhow::Result<()> {
    for (table, n) in [
        ("orgs", WEB_ORGS),
        ("projects", WEB_PROJECTS),
        ("events", WEB_EVENTS),
        ("announcements", WEB_ANNOUNCEMENTS),
    ] {
        let have = inst.count(&format!("SELECT COUNT(*) FROM {table}")).await;
        anyhow::ensure!(have >= n, "{table}: {have} rows, {n} wanted");
    }
    let event = inst.count("SELECT MAX(id) FROM events").await;
    let slug =
        sqlx::query_scalar::<_, String>("SELECT slug FROM projects ORDER BY id DESC LIMIT 1")
            .fetch_one(&mut *inst.app.db.conn().await?)
            .await?;
    for (path, text) in [
        ("/orgs/bench-7".to_string(), "bench-7".to_string()),
        (
            format!("/projects/{slug}"),
            "Open Data Portal Connector".to_string(),
        ),
        (
            format!("/events/{event}"),
            "Open-Source-Stammtisch".to_string(),
        ),
    ] {
        let resp = reqwest::Client::new()
            .get(inst.url(&path))
            .header("accept", "text/html")
            .send()
            .await?;
        let status = resp.status();
        let body = resp.text().await?;
        anyhow::ensure!(
            status.is_success() && body.contains(&text),
            "seeded page {path}: {status}"
        );
    }
    Ok(())
}

/// Median, p99 and max of sequential GETs of one page, or why it was not measured.
struct PageTiming {
    label: &'static str,
    path: &'static str,
    outcome: Result<(Latencies, usize), String>,
}

async fn time_page(
    client: &reqwest::Client,
    url: &str,
    n: usize,
) -> Result<(Latencies, usize), String> {
    let get = || async {
        let t = Instant::now();
        let resp = client
            .get(url)
            .header("accept", "text/html")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let len = resp.bytes().await.map_err(|e| e.to_string())?.len();
        Ok::<_, String>((status, t.elapsed().as_micros() as u64, len))
    };
    let (status, _, _) = get().await?;
    if status == 404 {
        return Err("missing (404)".into());
    }
    if status != 200 {
        return Err(format!("FAILED: status {status}"));
    }
    for _ in 0..4 {
        get().await?;
    }
    let (mut times, mut bytes) = (Vec::with_capacity(n), 0);
    for _ in 0..n {
        let (status, us, len) = get().await?;
        if status != 200 {
            return Err(format!("FAILED: status {status} during the run"));
        }
        times.push(us);
        bytes = len;
    }
    Ok((Latencies::of(times), bytes))
}

/// gzip -6 of `bytes`, through the system's gzip.
fn gzip_len(bytes: &[u8]) -> anyhow::Result<usize> {
    use std::io::Write;
    let mut child = std::process::Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or_else(|| anyhow::anyhow!("gzip stdin"))?
        .write_all(bytes)?;
    Ok(child.wait_with_output()?.stdout.len())
}

/// The home page's HTML and stylesheet: raw bytes and gzip -6 bytes of both.
async fn home_weight(
    client: &reqwest::Client,
    inst: &Instance,
) -> anyhow::Result<(usize, usize, usize)> {
    let html = client
        .get(inst.url("/"))
        .header("accept", "text/html")
        .send()
        .await?
        .bytes()
        .await?;
    let text = String::from_utf8_lossy(&html);
    let mut css = Vec::new();
    for part in text.split("<link").skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if !tag.contains("stylesheet") {
            continue;
        }
        if let Some(href) = tag
            .split("href=\"")
            .nth(1)
            .and_then(|h| h.split('"').next())
        {
            css.extend_from_slice(&client.get(inst.url(href)).send().await?.bytes().await?);
        }
    }
    Ok((html.len(), css.len(), gzip_len(&html)? + gzip_len(&css)?))
}

struct WebResult {
    seed_secs: f64,
    pages: Vec<PageTiming>,
    weight: Option<(usize, usize, usize)>,
}

impl WebResult {
    fn json(&self) -> Value {
        let pages: serde_json::Map<String, Value> = self
            .pages
            .iter()
            .map(|p| {
                let v = match &p.outcome {
                    Ok((l, bytes)) => json!({"path": p.path, "median_ms": round3(l.p50), "p99_ms": round3(l.p99),
                        "max_ms": round3(l.max), "requests": l.n, "bytes": bytes, "p99_le_50ms": l.p99 <= 50.0}),
                    Err(e) => json!({"path": p.path, "not_measured": e}),
                };
                (p.label.to_string(), v)
            })
            .collect();
        json!({
            "orgs": WEB_ORGS, "projects": WEB_PROJECTS, "events": WEB_EVENTS, "announcements": WEB_ANNOUNCEMENTS,
            "seed_seconds": round1(self.seed_secs), "pages": pages,
            "home_html_bytes": self.weight.map(|w| w.0), "home_css_bytes": self.weight.map(|w| w.1),
            "home_gzip_bytes": self.weight.map(|w| w.2),
            "home_gzip_le_60kb": self.weight.map(|w| w.2 <= 60 * 1024),
        })
    }
}

async fn web_bench(inst: &Instance, opts: &Opts) -> anyhow::Result<WebResult> {
    let t = Instant::now();
    seed_web(inst).await?;
    let seed_secs = t.elapsed().as_secs_f64();
    check_seed(inst).await?;
    println!(
        "  seeded {WEB_ORGS} organizations, {WEB_PROJECTS} projects, {WEB_EVENTS} events, {WEB_ANNOUNCEMENTS} announcements in {seed_secs:.1} s"
    );
    // The search index catches up with the seeded rows before anything is measured (a live
    // instance indexes as rows arrive, in the background job).
    let t = Instant::now();
    while !revier::domain::search::refresh_index(&inst.app)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {}
    println!("  search index built in {:.1} s", t.elapsed().as_secs_f64());
    let client = reqwest::Client::builder().no_proxy().build()?;
    let mut pages = Vec::new();
    println!(
        "  {:<26} {:<28} {:>9} {:>8} {:>8} {:>9}",
        "page", "path", "median", "p99", "max", "bytes"
    );
    for (label, path) in WEB_PAGES {
        let outcome = time_page(&client, &inst.url(path), opts.web_requests).await;
        match &outcome {
            Ok((l, bytes)) => println!(
                "  {label:<26} {path:<28} {:>6.2} ms {:>5.2} ms {:>5.2} ms {bytes:>9}  p99 ≤ 50 ms: {}",
                l.p50, l.p99, l.max, if l.p99 <= 50.0 { "MET" } else { "NOT MET" }
            ),
            Err(e) => println!("  {label:<26} {path:<28} {e}"),
        }
        pages.push(PageTiming {
            label,
            path,
            outcome,
        });
    }
    let weight = home_weight(&client, inst).await.ok();
    match weight {
        Some((html, css, gz)) => println!(
            "  home page weight: HTML {html} B + CSS {css} B; gzip -6 {:.1} kB  ≤ 60 kB: {}",
            gz as f64 / 1024.0,
            if gz <= 60 * 1024 { "MET" } else { "NOT MET" }
        ),
        None => println!("  home page weight NOT MEASURED"),
    }
    Ok(WebResult {
        seed_secs,
        pages,
        weight,
    })
}

// ---------------------------------------------------------------------------------------------
// 7. Regional calendar (issue 10): the hub's calendar over many events from many sources.

/// The pages measured in the regional phase: label, path.
const REGIONAL_PAGES: &[(&str, &str)] = &[
    ("regional calendar", "/events"),
    ("regional month", "/events?view=month"),
    ("collection page", "/collections/ruhr-30km"),
    ("collection API", "/api/v1/collections/ruhr-30km/events"),
];

/// `events` events from `sources` remote sources (hosts src1.example …), one INSERT … SELECT
/// per source over a recursive number series (both databases have `WITH RECURSIVE`): starts
/// from a year ago to a year ahead, two hours long, places spread over 51.0–52.2 °N and
/// 6.5–8.3 °E, every 7th tagged #rust and every 11th #spam, every 5th online.
async fn seed_regional(inst: &Instance, events: usize, sources: usize) -> anyhow::Result<()> {
    let now = db::now_micros();
    let per = events.div_ceil(sources) as i64;
    let year = 365 * 86_400_000_000i64;
    let step = (2 * year) / (per * sources as i64).max(1);
    for k in 1..=sources {
        let actor = format!("https://src{k}.example/actor");
        inst.insert_remote_actor(&actor, &format!("https://src{k}.example/inbox"))
            .await;
        let mut conn = inst.app.db.conn().await?;
        let actor_id = sqlx::query_scalar::<_, i64>("SELECT id FROM actors WHERE ap_id = $1")
            .bind(&actor)
            .fetch_one(&mut *conn)
            .await?;
        let source_id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO sources (actor_id, kind, input, created_at) VALUES ($1, 'actor', $2, $3) \
             RETURNING id",
        )
        .bind(actor_id)
        .bind(format!("src{k}.example"))
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        // n.i is this source's number of the event; g its number over all sources.
        let sql = format!(
            "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {per}) \
             INSERT INTO events (ap_id, local, actor_id, title, url, starts_at, ends_at, timezone, \
             latitude, longitude, locality, online_url, category, tags, language, join_mode, status, \
             series_end, published, source_id) \
             SELECT 'https://src{k}.example/events/' || n.i, 0, {actor_id}, \
             'Regionales Treffen ' || n.i || ' (Quelle {k})', 'https://src{k}.example/events/' || n.i, \
             {start} + (n.i * {sources} + {k}) * {step}, {start} + (n.i * {sources} + {k}) * {step} + 7200000000, \
             'Europe/Berlin', 51.0 + ((n.i * 7919 + {k} * 131) % 1000) * 0.0012, \
             6.5 + ((n.i * 104729 + {k} * 37) % 1000) * 0.0018, 'Ruhr', \
             CASE WHEN n.i % 5 = 0 THEN 'https://meet.example/' || n.i ELSE NULL END, 'SCIENCE_TECH', \
             CASE WHEN n.i % 11 = 0 THEN '[\"spam\"]' WHEN n.i % 7 = 0 THEN '[\"rust\"]' ELSE '[]' END, \
             'de', 'free', 'scheduled', {start} + (n.i * {sources} + {k}) * {step} + 7200000000, \
             {now}, {source_id} FROM n",
            start = now - year,
        );
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    let mut conn = inst.app.db.conn().await?;
    revier::db::collections::insert_collection(
        &mut conn,
        &revier::db::collections::CollectionValues {
            slug: "ruhr-30km",
            name: "Dortmund und Umgebung",
            description: "",
            filter: &revier::db::filters::ContentFilter {
                area: Some(revier::db::filters::Area {
                    lat: 51.5136,
                    lon: 7.4653,
                    radius_km: 30.0,
                }),
                exclude_tags: vec!["spam".into()],
                ..Default::default()
            },
        },
        None,
        now,
    )
    .await?;
    // Fresh statistics, as a long-running database has them.
    sqlx::query("ANALYZE").execute(&mut *conn).await?;
    Ok(())
}

struct RegionalResult {
    events: usize,
    sources: usize,
    seed_secs: f64,
    pages: Vec<PageTiming>,
}

impl RegionalResult {
    fn json(&self) -> Value {
        let pages: serde_json::Map<String, Value> = self
            .pages
            .iter()
            .map(|p| {
                let v = match &p.outcome {
                    Ok((l, bytes)) => json!({"path": p.path, "p50_ms": round3(l.p50), "p99_ms": round3(l.p99),
                        "max_ms": round3(l.max), "requests": l.n, "bytes": bytes, "p99_le_50ms": l.p99 <= 50.0}),
                    Err(e) => json!({"path": p.path, "not_measured": e}),
                };
                (p.label.to_string(), v)
            })
            .collect();
        json!({"events": self.events, "sources": self.sources, "seed_seconds": round1(self.seed_secs), "pages": pages})
    }

    /// Whether the calendar list's p99 met 50 ms (None: not measured).
    fn calendar_met(&self) -> Option<bool> {
        self.pages
            .first()
            .and_then(|p| p.outcome.as_ref().ok())
            .map(|(l, _)| l.p99 <= 50.0)
    }
}

async fn regional_bench(inst: &Instance, opts: &Opts) -> anyhow::Result<RegionalResult> {
    let t = Instant::now();
    seed_regional(inst, opts.regional_events, opts.regional_sources).await?;
    let seed_secs = t.elapsed().as_secs_f64();
    let events = inst
        .count("SELECT COUNT(*) FROM events WHERE source_id IS NOT NULL")
        .await;
    println!(
        "  seeded {events} events from {} sources in {seed_secs:.1} s",
        opts.regional_sources
    );
    let client = reqwest::Client::builder().no_proxy().build()?;
    // The seed is visible: the calendar lists a source's event with its origin.
    let body = client
        .get(inst.url("/events"))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        body.contains("Regionales Treffen") && body.contains(".example"),
        "the calendar does not list the seeded events"
    );
    let mut pages = Vec::new();
    println!(
        "  {:<20} {:<40} {:>9} {:>8} {:>8} {:>9}",
        "page", "path", "p50", "p99", "max", "bytes"
    );
    for (label, path) in REGIONAL_PAGES {
        let outcome = time_page(&client, &inst.url(path), opts.web_requests).await;
        match &outcome {
            Ok((l, bytes)) => println!(
                "  {label:<20} {path:<40} {:>6.2} ms {:>5.2} ms {:>5.2} ms {bytes:>9}  p99 ≤ 50 ms: {}",
                l.p50, l.p99, l.max, if l.p99 <= 50.0 { "MET" } else { "NOT MET" }
            ),
            Err(e) => println!("  {label:<20} {path:<40} {e}"),
        }
        pages.push(PageTiming {
            label,
            path,
            outcome,
        });
    }
    Ok(RegionalResult {
        events: events as usize,
        sources: opts.regional_sources,
        seed_secs,
        pages,
    })
}

// ---------------------------------------------------------------------------------------------
// 8. Scale (issue 11): `fanout-scale`, `readpath`, `two-process`, `startup`.

/// A receivers' sink that verifies with the public keys `keys` (keyId → PEM).
fn new_sink(verify_every: usize, keys: HashMap<String, String>) -> Arc<Sink> {
    Arc::new(Sink {
        base: Instant::now(),
        round_start_us: AtomicU64::new(0),
        expected: AtomicUsize::new(usize::MAX),
        count: AtomicUsize::new(0),
        latencies_us: Mutex::new(Vec::new()),
        done: Notify::new(),
        verify_every,
        verified: AtomicUsize::new(0),
        verify_failed: AtomicUsize::new(0),
        unexpected: AtomicUsize::new(0),
        keys,
    })
}

/// The address of scale host `i`: 127.10.0.2 … 127.10.0.251, 127.11.0.2 …, so thousands of
/// hosts stay on loopback (all of 127.0.0.0/8 is on `lo` under Linux).
fn scale_ip(i: usize) -> Ipv4Addr {
    Ipv4Addr::new(127, 10 + (i / 250) as u8, 0, 2 + (i % 250) as u8)
}

/// Receivers on `hosts` addresses from [`scale_ip`], the same routes as the fan-out phase.
async fn start_scale_receivers(
    sink: Arc<Sink>,
    hosts: usize,
) -> anyhow::Result<(Vec<SocketAddr>, Vec<JoinHandle<()>>)> {
    let router = Router::new()
        .route("/inbox", post(receive))
        .route("/users/{name}/inbox", post(receive))
        .fallback(unexpected)
        .with_state(sink);
    let mut addrs = Vec::with_capacity(hosts);
    let mut tasks = Vec::with_capacity(hosts);
    for i in 0..hosts {
        let ip = scale_ip(i);
        let listener = tokio::net::TcpListener::bind((ip, 0))
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {ip} ({e})"))?;
        addrs.push(listener.local_addr()?);
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        }));
    }
    Ok((addrs, tasks))
}

/// `per_host` followers with their own inboxes (no shared inbox) on each of `addrs`, all
/// following `org`; returns their inboxes.
async fn add_followers(
    inst: &Instance,
    org: &db::actors::ActorRow,
    addrs: &[SocketAddr],
    per_host: usize,
    prefix: &str,
) -> anyhow::Result<Vec<Url>> {
    let (_, pem) = generate_keypair().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut inboxes = Vec::with_capacity(addrs.len() * per_host);
    let mut tx = inst.app.db.begin().await?;
    let now = db::now_micros();
    for addr in addrs {
        for j in 0..per_host {
            let a = remote_follower(addr, &format!("{prefix}{j}"), false, &pem);
            let row = db::actors::upsert_remote_actor(&mut tx, &a, now).await?;
            let follow_id = format!("{}/follows/{}", a.ap_id, org.id);
            db::follows::upsert_follow(
                &mut tx,
                row.id,
                org.id,
                &follow_id,
                db::follows::FollowState::Accepted,
                now,
            )
            .await?;
            inboxes.push(Url::parse(&a.inbox)?);
        }
    }
    tx.commit().await?;
    Ok(inboxes)
}

/// RSS of this process sampled during a round: (deliveries received so far, RSS in kB).
#[derive(Default)]
struct RssTrace {
    samples: Vec<(usize, u64)>,
}

impl RssTrace {
    fn peak_kb(&self) -> u64 {
        self.samples.iter().map(|s| s.1).max().unwrap_or(0)
    }

    /// The RSS when at least `n` deliveries had arrived.
    fn at(&self, n: usize) -> Option<u64> {
        self.samples.iter().find(|s| s.0 >= n).map(|s| s.1)
    }
}

/// One announcement of `slug`, published through the API of the `revier serve` on `port`,
/// to `expected` inboxes; done when all arrived and its `deliveries` table is empty. The RSS
/// of the process `pid` is sampled every 20 ms.
#[allow(clippy::too_many_arguments)]
async fn served_round(
    port: u16,
    token: &str,
    slug: &str,
    sink: &Arc<Sink>,
    store: &db::Db,
    expected: usize,
    pid: u32,
    label: &str,
) -> anyhow::Result<(RoundResult, RssTrace)> {
    sink.reset(expected);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (sink, stop) = (sink.clone(), stop.clone());
        let pid = pid.to_string();
        tokio::spawn(async move {
            let mut trace = RssTrace::default();
            // Bounded: at most 30 minutes of samples.
            for _ in 0..90_000 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let n = sink.count.load(Ordering::SeqCst);
                if let Some(kb) = proc_status_kb(&pid, "VmRSS:") {
                    trace.samples.push((n, kb));
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            trace
        })
    };
    let cpu = CpuMeter::start();
    let t0 = Instant::now();
    let (status, body) = revier_e2e::api(
        reqwest::Method::POST,
        &format!("http://127.0.0.1:{port}/api/v1/orgs/{slug}/announcements"),
        Some(token),
        Some(json!({ "content": format!("Benchmark {label}: Infotag am Samstag #Revier") })),
    )
    .await;
    anyhow::ensure!(status == 201, "publish through the API: {status} {body}");
    let publish_ms = t0.elapsed().as_secs_f64() * 1000.0;
    // At least 100 deliveries/s, and a minute more: a debug build at tiny sizes fits too.
    let limit = Duration::from_secs(60 + (expected / 100) as u64);
    let arrived = sink.wait_all(expected, limit).await;
    let arrived_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let mut drained = false;
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let mut conn = store.conn().await?;
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries")
            .fetch_one(&mut *conn)
            .await?;
        drop(conn);
        if left == 0 {
            drained = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let wall = t0.elapsed();
    let cpu = cpu.stop("fan-out at scale");
    stop.store(true, Ordering::SeqCst);
    let mut trace = sampler.await?;
    let received = sink.count.load(Ordering::SeqCst);
    if let Some(kb) = proc_status_kb(&pid.to_string(), "VmRSS:") {
        trace.samples.push((received, kb));
    }
    let lat = sink.sorted_latencies();
    Ok((
        RoundResult {
            deliveries: expected,
            received,
            publish_ms,
            arrived_ms,
            wall_ms: wall.as_secs_f64() * 1000.0,
            per_s: received.min(expected) as f64 / wall.as_secs_f64(),
            p50_ms: ms(percentile(&lat, 0.50)),
            p99_ms: ms(percentile(&lat, 0.99)),
            max_ms: ms(lat.last().copied().unwrap_or(0)),
            cpu,
            complete: arrived && drained && received == expected,
        },
        trace,
    ))
}

fn round_json(r: &RoundResult) -> Value {
    json!({
        "deliveries": r.deliveries,
        "received": r.received,
        "deliveries_per_s": round1(r.per_s),
        "wall_ms": round1(r.wall_ms),
        "p50_ms": round1(r.p50_ms),
        "p99_ms": round1(r.p99_ms),
        "cpu_percent_ours": round1(r.cpu.ours),
        "cpu_percent_others": round1(r.cpu.others()),
        "complete": r.complete,
    })
}

/// `fanout-scale`: one announcement to `--scale-followers` (50,000) followers on
/// `--scale-hosts` (5,000) loopback hosts, against one to 1,000 followers and direct
/// sign+POST of the same inboxes in the same run. Revier runs as the real binary (`revier
/// serve`), so its RSS is its own, without the receivers'.
async fn fanout_scale_bench(opts: &Opts) -> anyhow::Result<Value> {
    let bin = revier_bin(opts);
    anyhow::ensure!(
        bin.is_file(),
        "{} does not exist (cargo build -p revier --bin revier, or --revier-bin)",
        bin.display()
    );
    let n = opts.scale_followers;
    let hosts = opts.scale_hosts.min(n);
    let per_host = n.div_ceil(hosts);
    let small_hosts = hosts.min(200);
    let small_per_host = 1000usize.min(n).div_ceil(small_hosts);
    println!(
        "\n== Fan-out at scale: {} followers on {hosts} loopback hosts ({per_host} each) vs {} on {small_hosts} hosts; `revier serve` ({})",
        hosts * per_host,
        small_hosts * small_per_host,
        bin.display()
    );
    let db = Arc::new(TestDb::new().await);
    // Set up in-process (accounts, followers), then stopped: the real binary delivers.
    let inst = Instance::start_with(db.clone(), 0, |_| {}).await;
    let token = inst.user("bench").await;
    let small_ap = inst.org("scale-small", "bench").await;
    let big_ap = inst.org("scale-big", "bench").await;
    let mut orgs = Vec::new();
    {
        let mut conn = inst.app.db.conn().await?;
        for ap in [&small_ap, &big_ap] {
            orgs.push(
                db::actors::find_actor_by_ap_id(&mut conn, ap)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("{ap} missing"))?,
            );
        }
    }
    let keys = orgs
        .iter()
        .map(|a| (a.key_id.clone(), a.public_key_pem.clone()))
        .collect();
    let sink = new_sink(opts.verify_every, keys);
    let (addrs, tasks) = start_scale_receivers(sink.clone(), hosts).await?;
    let t_setup = Instant::now();
    let small_inboxes =
        add_followers(&inst, &orgs[0], &addrs[..small_hosts], small_per_host, "s").await?;
    let big_inboxes = add_followers(&inst, &orgs[1], &addrs, per_host, "b").await?;
    println!(
        "  {} followers stored in {:.1} s",
        small_inboxes.len() + big_inboxes.len(),
        t_setup.elapsed().as_secs_f64()
    );
    let signer = inst
        .app
        .signer_for(&orgs[1])
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let client = inst.app.delivery_http.clone();
    let in_flight = inst.app.settings.delivery.max_workers * 4;
    let domain = inst.domain.clone();
    let db_url = db.url.clone();
    let (_, port) = inst.stop().await;
    let store = db::Db::connect(&db_url).await?;
    let dir = tempfile::tempdir()?;
    let outcome = async {
        let mut child = spawn_serve(
            &bin,
            &format!("127.0.0.1:{port}"),
            &domain,
            &db_url,
            &dir.path().join("serve.log"),
        )
        .await?;
        let pid = child.id().ok_or_else(|| anyhow::anyhow!("no pid"))?;
        let rss_started = proc_status_kb(&pid.to_string(), "VmRSS:").unwrap_or(0);
        let run = |slug: &'static str, expected: usize, label: &'static str| {
            served_round(port, &token, slug, &sink, &store, expected, pid, label)
        };
        let (warm, _) = run("scale-small", small_inboxes.len(), "warm-up").await?;
        println!("{}", warm.line("warm-up"));
        let (small, _) = run("scale-small", small_inboxes.len(), "small").await?;
        println!("{}", small.line(&small_inboxes.len().to_string()));
        let rss_before = proc_status_kb(&pid.to_string(), "VmRSS:").unwrap_or(0);
        let (big, trace) = run("scale-big", big_inboxes.len(), "large").await?;
        println!("{}", big.line(&big_inboxes.len().to_string()));
        let _ = child.kill().await;
        // Direct sign+POST of the same inboxes and body, as many in flight as the queue allows.
        let body = {
            let mut conn = store.conn().await?;
            let json: String =
                sqlx::query_scalar("SELECT json FROM outgoing_activities ORDER BY id DESC LIMIT 1")
                    .fetch_one(&mut *conn)
                    .await?;
            Arc::new(json.into_bytes())
        };
        let direct_small =
            direct_round(&sink, &small_inboxes, &body, &signer, false, &client, in_flight).await?;
        println!("{}", direct_small.line("direct S"));
        let direct_big =
            direct_round(&sink, &big_inboxes, &body, &signer, false, &client, in_flight).await?;
        println!("{}", direct_big.line("direct N"));
        let total = big_inboxes.len();
        let q = |f: usize| trace.at(total * f / 4).map(mb).map(round1);
        let shown = |v: Option<f64>| v.map_or("?".to_string(), |v| format!("{v:.1}"));
        let ratio_scale = big.per_s / small.per_s.max(f64::MIN_POSITIVE);
        let ratio_direct = big.per_s / direct_big.per_s.max(f64::MIN_POSITIVE);
        let peak = mb(trace.peak_kb());
        println!(
            "  {total} vs {} followers: {:.0} vs {:.0} deliveries/s = {:.0} % (target ≥ 90 %: {})",
            small_inboxes.len(),
            big.per_s,
            small.per_s,
            ratio_scale * 100.0,
            if ratio_scale >= 0.9 { "MET" } else { "NOT MET" }
        );
        println!(
            "  queue vs direct sign+POST of the same {total} inboxes ({in_flight} in flight): {:.0} % (target ≥ 95 %: {})",
            ratio_direct * 100.0,
            if ratio_direct >= 0.95 { "MET" } else { "NOT MET" }
        );
        println!(
            "  RSS of `revier serve`: {:.1} MB at start, {:.1} MB before the large round, at N/4 {} MB, N/2 {} MB, N {} MB, peak {peak:.1} MB (target ≤ 150 MB: {})",
            mb(rss_started),
            mb(rss_before),
            shown(q(1)),
            shown(q(2)),
            shown(q(4)),
            if peak <= 150.0 { "MET" } else { "NOT MET" }
        );
        println!(
            "  receivers verified {} sampled signatures, {} failed; {} unexpected requests",
            sink.verified.load(Ordering::Relaxed),
            sink.verify_failed.load(Ordering::Relaxed),
            sink.unexpected.load(Ordering::Relaxed)
        );
        Ok::<Value, anyhow::Error>(json!({
            "hosts": hosts,
            "followers": total,
            "small_followers": small_inboxes.len(),
            "queue_small": round_json(&small),
            "queue_large": round_json(&big),
            "direct_small": round_json(&direct_small),
            "direct_large": round_json(&direct_big),
            "direct_in_flight": in_flight,
            "large_over_small": round3(ratio_scale),
            "queue_over_direct_large": round3(ratio_direct),
            "rss_mb_started": round1(mb(rss_started)),
            "rss_mb_before": round1(mb(rss_before)),
            "rss_mb_at_quarter": q(1),
            "rss_mb_at_half": q(2),
            "rss_mb_at_end": q(4),
            "rss_mb_peak": round1(peak),
            "signatures_failed": sink.verify_failed.load(Ordering::Relaxed),
            "targets": {
                "large_ge_90pct_of_small": ratio_scale >= 0.9,
                "queue_within_5pct_of_direct": ratio_direct >= 0.95,
                "rss_le_150mb": peak <= 150.0,
            },
        }))
    }
    .await;
    for t in &tasks {
        t.abort();
    }
    store.pool.close().await;
    if let Some(admin) = &opts.database_url {
        drop_postgres_db(admin, &db_url).await;
    }
    outcome
}

/// A `wrk` run: requests/s, p99 latency (ms), non-2xx answers.
struct WrkResult {
    per_s: f64,
    p99_ms: f64,
    requests: u64,
    non_2xx: u64,
}

/// `wrk`'s latency like `1.23ms`, `850.00us` or `1.02s` in milliseconds.
fn wrk_ms(v: &str) -> Option<f64> {
    let (num, factor) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (v, 1.0)
    };
    num.parse::<f64>().ok().map(|x| x * factor)
}

fn parse_wrk(out: &str) -> Option<WrkResult> {
    let field = |prefix: &str| {
        out.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.split_whitespace().last())
            .map(str::to_string)
    };
    let per_s = field("Requests/sec:")?.parse().ok()?;
    let p99_ms = wrk_ms(&field("99%")?)?;
    let requests = out
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let non_2xx = field("Non-2xx or 3xx responses:")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Some(WrkResult {
        per_s,
        p99_ms,
        requests,
        non_2xx,
    })
}

async fn run_wrk(opts: &Opts, url: &str, accept: &str) -> anyhow::Result<WrkResult> {
    let out = tokio::time::timeout(
        Duration::from_secs(opts.readpath_secs + 30),
        tokio::process::Command::new("wrk")
            .args([
                "-t",
                &opts.readpath_threads.to_string(),
                "-c",
                &opts.readpath_connections.to_string(),
                "-d",
                &format!("{}s", opts.readpath_secs),
                "--latency",
                "-H",
                &format!("Accept: {accept}"),
                url,
            ])
            .kill_on_drop(true)
            .output(),
    )
    .await
    .map_err(|_| anyhow::anyhow!("wrk did not finish"))??;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    anyhow::ensure!(
        out.status.success(),
        "wrk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_wrk(&text).ok_or_else(|| anyhow::anyhow!("cannot read wrk's output:\n{text}"))
}

/// An nginx master in the foreground; stopped with SIGTERM when dropped, so that its workers
/// exit with it (SIGKILL to the master would leave them running).
struct Nginx {
    child: std::process::Child,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// nginx serving `files` (path, content type, bytes) from a temp dir on a loopback port, in
/// the foreground (no daemon); stopped when the returned [`Nginx`] is dropped.
async fn start_nginx(
    dir: &std::path::Path,
    files: &[(String, &str, Vec<u8>)],
) -> anyhow::Result<(Nginx, u16)> {
    use std::os::unix::fs::PermissionsExt;
    let www = dir.join("www");
    let mut locations = String::new();
    for (path, content_type, bytes) in files {
        let file = www.join(path.trim_start_matches('/'));
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&file, bytes)?;
        locations.push_str(&format!(
            "    location = {path} {{ default_type {content_type}; }}\n"
        ));
    }
    // nginx's workers run as `nobody` when started as root: they must read the files.
    for entry in walk(dir)? {
        let mode = if entry.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(mode))?;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let conf = format!(
        "daemon off;\nworker_processes auto;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 1024; }}\n\
         http {{\n  access_log off;\n  types {{ }}\n  keepalive_requests 1000000;\n\
           server {{\n    listen 127.0.0.1:{port};\n    root {d}/www;\n{locations}  }}\n}}\n",
        d = dir.display()
    );
    let conf_path = dir.join("nginx.conf");
    std::fs::write(&conf_path, conf)?;
    let nginx = Nginx {
        child: std::process::Command::new("nginx")
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&conf_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!("cannot start nginx ({e}); apt-get install -y nginx-light")
            })?,
    };
    let client = revier_e2e::http();
    for _ in 0..200 {
        if client
            .get(format!("http://127.0.0.1:{port}{}", files[0].0))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok((nginx, port));
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    anyhow::bail!(
        "nginx did not answer: {}",
        std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
    )
}

/// Every directory and file under `dir`, `dir` included.
fn walk(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if out[i].is_dir() {
            let entries: Vec<PathBuf> = std::fs::read_dir(&out[i])?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            out.extend(entries);
        }
        i += 1;
    }
    Ok(out)
}

/// `readpath`: WebFinger, actor and announcement GETs with `wrk`, against Revier and against
/// nginx serving the same bytes from files, with the same load parameters.
async fn readpath_bench(opts: &Opts) -> anyhow::Result<Value> {
    for tool in ["wrk", "nginx"] {
        let found = std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        anyhow::ensure!(
            found,
            "{tool} is not installed (apt-get install -y wrk nginx-light)"
        );
    }
    println!(
        "\n== Read path: wrk -t{} -c{} -d{}s against Revier and nginx (same JSON from files)",
        opts.readpath_threads, opts.readpath_connections, opts.readpath_secs
    );
    let db = Arc::new(TestDb::new().await);
    let inst = Instance::start_with(db.clone(), 0, |_| {}).await;
    let outcome = async {
        inst.user("reader").await;
        let org_ap = inst.org("lesekreis", "reader").await;
        let mut conn = inst.app.db.conn().await?;
        let user = db::accounts::find_user_by_username(&mut conn, "reader")
            .await?
            .ok_or_else(|| anyhow::anyhow!("user missing"))?;
        drop(conn);
        let draft = NewAnnouncement::parse("Lesekreis am Donnerstag #Revier", Some("de"), "de")
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let row = publish(&inst.app, &user, "lesekreis", draft)
            .await
            .map_err(|e| anyhow::anyhow!("publish failed: {e}"))?;
        let actor_path = Url::parse(&org_ap)?.path().to_string();
        let pages: Vec<(&str, String, &str)> = vec![
            (
                "webfinger",
                format!(
                    "/.well-known/webfinger?resource=acct:lesekreis@{}",
                    inst.domain
                ),
                "application/jrd+json",
            ),
            ("actor", actor_path, AP),
            ("announcement", format!("/announcements/{}", row.id), AP),
        ];
        // The bytes Revier serves, as nginx's files (the query string is not part of a path).
        let client = revier_e2e::http();
        let mut files = Vec::new();
        for (label, path, accept) in &pages {
            let r = client
                .get(inst.url(path))
                .header("accept", *accept)
                .send()
                .await?;
            anyhow::ensure!(r.status().is_success(), "{label}: {}", r.status());
            let file_path = path.split('?').next().unwrap_or(path).to_string();
            files.push((file_path, *accept, r.bytes().await?.to_vec()));
        }
        let dir = tempfile::tempdir()?;
        let (nginx, port) = start_nginx(dir.path(), &files).await?;
        let mut rows = Vec::new();
        println!(
            "  {:<13} {:>12} {:>10} {:>12} {:>10} {:>8}",
            "GET", "Revier req/s", "p99 ms", "nginx req/s", "p99 ms", "ratio"
        );
        for (label, path, accept) in &pages {
            let revier = run_wrk(opts, &inst.url(path), accept).await?;
            let nginx_r = run_wrk(opts, &format!("http://127.0.0.1:{port}{path}"), accept).await?;
            let ratio = revier.per_s / nginx_r.per_s.max(f64::MIN_POSITIVE);
            println!(
                "  {label:<13} {:>12.0} {:>10.2} {:>12.0} {:>10.2} {:>7.0} %  (≥ 50 %: {}){}",
                revier.per_s,
                revier.p99_ms,
                nginx_r.per_s,
                nginx_r.p99_ms,
                ratio * 100.0,
                if ratio >= 0.5 { "MET" } else { "NOT MET" },
                if revier.non_2xx + nginx_r.non_2xx > 0 {
                    format!(
                        "  non-2xx: Revier {}, nginx {}",
                        revier.non_2xx, nginx_r.non_2xx
                    )
                } else {
                    String::new()
                }
            );
            rows.push(json!({
                "get": label,
                "revier_requests_per_s": round1(revier.per_s),
                "revier_p99_ms": round3(revier.p99_ms),
                "revier_requests": revier.requests,
                "revier_non_2xx": revier.non_2xx,
                "nginx_requests_per_s": round1(nginx_r.per_s),
                "nginx_p99_ms": round3(nginx_r.p99_ms),
                "nginx_requests": nginx_r.requests,
                "nginx_non_2xx": nginx_r.non_2xx,
                "ratio": round3(ratio),
                "ge_50pct_of_nginx": ratio >= 0.5,
            }));
        }
        drop(nginx);
        Ok::<Value, anyhow::Error>(json!({
            "threads": opts.readpath_threads,
            "connections": opts.readpath_connections,
            "seconds": opts.readpath_secs,
            "pages": rows,
        }))
    }
    .await;
    let db_url = db.url.clone();
    let _ = tokio::time::timeout(Duration::from_secs(30), inst.stop()).await;
    if let Some(admin) = &opts.database_url {
        drop_postgres_db(admin, &db_url).await;
    }
    outcome
}

/// The `revier` binary next to this one (or `--revier-bin`).
fn revier_bin(opts: &Opts) -> PathBuf {
    opts.revier_bin.clone().unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join("revier")))
            .unwrap_or_else(|| PathBuf::from("revier"))
    })
}

/// `revier serve` on `bind` for the instance `domain` on `database_url`; killed when dropped.
async fn spawn_serve(
    bin: &PathBuf,
    bind: &str,
    domain: &str,
    database_url: &str,
    log: &std::path::Path,
) -> anyhow::Result<tokio::process::Child> {
    spawn_serve_with(bin, bind, domain, database_url, log, &[]).await
}

/// `spawn_serve` with more environment (settings) for the child.
async fn spawn_serve_with(
    bin: &PathBuf,
    bind: &str,
    domain: &str,
    database_url: &str,
    log: &std::path::Path,
    env: &[(&str, &str)],
) -> anyhow::Result<tokio::process::Child> {
    let out = std::fs::File::create(log)?;
    let err = out.try_clone()?;
    let mut child = tokio::process::Command::new(bin)
        .arg("serve")
        .env("REVIER_BIND", bind)
        .env("REVIER_DOMAIN", domain)
        .env("REVIER_ALLOW_LOOPBACK_FEDERATION", "true")
        .env("REVIER_DATABASE_URL", database_url)
        .env("REVIER_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot start {}: {e}", bin.display()))?;
    let client = revier_e2e::http();
    let url = format!("http://{bind}/.well-known/nodeinfo");
    for _ in 0..600 {
        if let Ok(Some(status)) = child.try_wait() {
            anyhow::bail!(
                "revier serve exited with {status}: {}",
                std::fs::read_to_string(log).unwrap_or_default().trim()
            );
        }
        if client
            .get(&url)
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(child);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("revier serve on {bind} did not answer within 30 s")
}

/// `two-process`: a fan-out of `--two-process-deliveries` (10,000) through one, then two
/// `revier serve` processes on one PostgreSQL database; the announcement is posted through
/// the API of the first, the receivers count arrivals and duplicates.
async fn two_process_bench(opts: &Opts) -> anyhow::Result<Value> {
    anyhow::ensure!(
        opts.database_url.is_some(),
        "needs --database-url (several processes share PostgreSQL only)"
    );
    let bin = revier_bin(opts);
    anyhow::ensure!(
        bin.is_file(),
        "{} does not exist (cargo build -p revier --bin revier, or --revier-bin)",
        bin.display()
    );
    let n = opts.two_process_deliveries;
    let hosts = opts.two_process_hosts.min(n);
    let per_host = n.div_ceil(hosts);
    println!(
        "\n== Two processes: {} deliveries ({hosts} hosts, {per_host} inboxes each) through 1, then 2 `revier serve` on one PostgreSQL",
        hosts * per_host
    );
    let db = Arc::new(TestDb::new().await);
    // Set up in-process (migrations, accounts, followers), then stopped: only the spawned
    // processes deliver.
    let inst = Instance::start_with(db.clone(), 0, |_| {}).await;
    let token = inst.user("bench").await;
    let org_ap = inst.org("zwei", "bench").await;
    let org = {
        let mut conn = inst.app.db.conn().await?;
        db::actors::find_actor_by_ap_id(&mut conn, &org_ap)
            .await?
            .ok_or_else(|| anyhow::anyhow!("org missing"))?
    };
    let sink = new_sink(
        opts.verify_every,
        HashMap::from([(org.key_id.clone(), org.public_key_pem.clone())]),
    );
    let (addrs, tasks) = start_scale_receivers(sink.clone(), hosts).await?;
    let inboxes = add_followers(&inst, &org, &addrs, per_host, "t").await?;
    let expected = inboxes.len();
    let domain = inst.domain.clone();
    let db_url = db.url.clone();
    let (_, port) = inst.stop().await;
    let store = db::Db::connect(&db_url).await?;
    let dir = tempfile::tempdir()?;
    let mut results = Vec::new();
    let outcome = async {
        for processes in [1usize, 2] {
            let mut children = Vec::new();
            for p in 0..processes {
                let bind = if p == 0 {
                    format!("127.0.0.1:{port}")
                } else {
                    let free = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
                    format!("127.0.0.1:{free}")
                };
                let log = dir.path().join(format!("serve-{processes}-{p}.log"));
                children.push(spawn_serve(&bin, &bind, &domain, &db_url, &log).await?);
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
            sink.reset(expected);
            let cpu = CpuMeter::start();
            let t0 = Instant::now();
            let (status, body) = revier_e2e::api(
                reqwest::Method::POST,
                &format!("http://127.0.0.1:{port}/api/v1/orgs/zwei/announcements"),
                Some(&token),
                Some(json!({"content": format!("Benchmark with {processes} process(es) #Revier")})),
            )
            .await;
            anyhow::ensure!(status == 201, "publish through the API: {status} {body}");
            let limit = Duration::from_secs(60 + (expected / 100) as u64);
            let arrived = sink.wait_all(expected, limit).await;
            let mut drained = false;
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                let mut conn = store.conn().await?;
                let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries")
                    .fetch_one(&mut *conn)
                    .await?;
                if left == 0 {
                    drained = true;
                    break;
                }
                drop(conn);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let wall = t0.elapsed();
            let cpu = cpu.stop("two processes");
            // Late duplicates still arrive for a moment after the queue is empty.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let received = sink.count.load(Ordering::SeqCst);
            for mut c in children {
                let _ = c.kill().await;
            }
            let per_s = received.min(expected) as f64 / wall.as_secs_f64();
            println!(
                "  {processes} process(es): {per_s:>6.0} deliveries/s  wall {:>7.1} ms  received {received} of {expected} (duplicates {})  machine CPU {:.0} %{}",
                wall.as_secs_f64() * 1000.0,
                received.saturating_sub(expected),
                cpu.machine,
                if arrived && drained { "" } else { "  INCOMPLETE" }
            );
            results.push(json!({
                "processes": processes,
                "deliveries_per_s": round1(per_s),
                "wall_ms": round1(wall.as_secs_f64() * 1000.0),
                "received": received,
                "duplicates": received.saturating_sub(expected),
                "complete": arrived && drained && received >= expected,
                "machine_cpu_percent": round1(cpu.machine),
            }));
        }
        Ok::<(), anyhow::Error>(())
    }
    .await;
    for t in &tasks {
        t.abort();
    }
    store.pool.close().await;
    if let Some(admin) = &opts.database_url {
        drop_postgres_db(admin, &db_url).await;
    }
    outcome?;
    let rate = |i: usize| results[i]["deliveries_per_s"].as_f64().unwrap_or(0.0);
    let speedup = rate(1) / rate(0).max(f64::MIN_POSITIVE);
    println!(
        "  two over one: {speedup:.2}x (target ≥ 1.6x: {})",
        if speedup >= 1.6 { "MET" } else { "NOT MET" }
    );
    Ok(json!({
        "deliveries": expected,
        "hosts": hosts,
        "runs": results,
        "speedup": round3(speedup),
        "speedup_ge_1_6": speedup >= 1.6,
    }))
}

/// `startup`: `--startup-runs` cold starts of `revier serve` on a fresh SQLite database each,
/// polling `/.well-known/nodeinfo` every 5 ms; time to the first 200 and idle RSS 2 s later.
async fn startup_bench(opts: &Opts) -> anyhow::Result<Value> {
    let bin = revier_bin(opts);
    println!(
        "\n== Start-up: {} cold starts of {} (fresh SQLite each)",
        opts.startup_runs,
        bin.display()
    );
    let mut starts = Vec::new();
    let mut rss = Vec::new();
    for run in 0..opts.startup_runs {
        let r = idle_rss(&bin, Duration::from_millis(5))
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        println!(
            "  run {run}: first 200 after {:.1} ms, idle RSS {:.1} MB",
            r.startup_ms,
            mb(r.rss_kb)
        );
        starts.push(r.startup_ms);
        rss.push(mb(r.rss_kb));
    }
    let start_ms = median(&starts);
    let max_start = starts.iter().copied().fold(0.0, f64::max);
    let rss_mb = median(&rss);
    println!(
        "  median cold start {start_ms:.1} ms (max {max_start:.1}; target ≤ 300 ms: {}), median idle RSS {rss_mb:.1} MB (target ≤ 20 MB: {})",
        if start_ms <= 300.0 { "MET" } else { "NOT MET" },
        if rss_mb <= 20.0 { "MET" } else { "NOT MET" }
    );
    Ok(json!({
        "runs": opts.startup_runs,
        "cold_start_ms_median": round1(start_ms),
        "cold_start_ms_max": round1(max_start),
        "idle_rss_mb_median": round1(rss_mb),
        "cold_start_le_300ms": start_ms <= 300.0,
        "idle_rss_le_20mb": rss_mb <= 20.0,
    }))
}

/// The scale phases that were selected, each as JSON (an error as `{"error": …}`).
async fn scale_phases(opts: &Opts) -> Value {
    let mut out = serde_json::Map::new();
    let report = |r: anyhow::Result<Value>, name: &str| match r {
        Ok(v) => v,
        Err(e) => {
            println!("  {name} NOT MEASURED: {e:#}");
            json!({ "error": format!("{e:#}") })
        }
    };
    if opts.fanout_scale {
        out.insert(
            "fanout_scale".into(),
            report(fanout_scale_bench(opts).await, "fanout-scale"),
        );
    }
    if opts.readpath {
        out.insert(
            "readpath".into(),
            report(readpath_bench(opts).await, "readpath"),
        );
    }
    if opts.two_process {
        out.insert(
            "two_process".into(),
            report(two_process_bench(opts).await, "two-process"),
        );
    }
    if opts.inbox_served {
        out.insert(
            "inbox_served".into(),
            report(inbox_served_bench(opts).await, "inbox-served"),
        );
    }
    if opts.startup {
        out.insert(
            "startup".into(),
            report(startup_bench(opts).await, "startup"),
        );
    }
    Value::Object(out)
}

// ---------------------------------------------------------------------------------------------
// 9. The inbox of the real binary under wrk (issue 11).

/// wrk's request generator for `inbox-served`: every thread takes its share of the prepared
/// lines (`Name: value` fields, tab-separated, the body last) and posts each once, then
/// starts over (repeats are answered as duplicates; the phase counts stored notes).
const INBOX_LUA: &str = r#"
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
function init(args)
  local threads = tonumber(args[2])
  reqs = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % threads == tid - 1 then
      local fields = {}
      for f in string.gmatch(line, "[^\t]+") do fields[#fields + 1] = f end
      local body = table.remove(fields)
      local headers = {}
      for _, f in ipairs(fields) do
        local name, value = string.match(f, "^([^:]+): (.*)$")
        if string.lower(name) == "host" then name = "Host" end
        headers[name] = value
      end
      reqs[#reqs + 1] = wrk.format("POST", args[3], headers, body)
    end
    i = i + 1
  end
  idx = 0
end
function request()
  idx = idx + 1
  if idx > #reqs then idx = 1 end
  return reqs[idx]
end
"#;

/// CPU seconds (user + system) of process `pid`.
fn pid_cpu_secs(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = s.rsplit_once(')')?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    Some((t(11) + t(12)) / clk_tck())
}

/// `inbox-served`: see the doc comment at the top (8, `inbox-served`).
async fn inbox_served_bench(opts: &Opts) -> anyhow::Result<Value> {
    let bin = revier_bin(opts);
    anyhow::ensure!(bin.is_file(), "{} does not exist", bin.display());
    let found = std::process::Command::new("sh")
        .args(["-c", "command -v wrk"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    anyhow::ensure!(found, "wrk is not installed (apt-get install -y wrk)");
    let threads = 2usize;
    println!(
        "\n== Inbox of `revier serve` under wrk -t{threads} -c{} -d{}s: {} distinct signed Create{{Note}}",
        opts.served_connections, opts.served_secs, opts.served_activities
    );
    let db = Arc::new(TestDb::new().await);
    let inst = Instance::start_with(db.clone(), 0, |_| {}).await;
    let peer = Peer::start().await;
    let actors: Vec<PeerActor> = (0..8)
        .map(|k| peer.add_actor(&format!("served{k}")))
        .collect();
    inst.user("reader").await;
    let inbox = Url::parse(&inst.url("/inbox"))?;
    let client = revier_e2e::http();
    let run = revier::domain::random_token(6).to_ascii_lowercase();
    {
        let reader = {
            let mut conn = inst.app.db.conn().await?;
            db::actors::find_local_actor_by_username(&mut conn, "reader")
                .await?
                .ok_or_else(|| anyhow::anyhow!("reader actor missing"))?
        };
        // Warm-up through the in-process instance: each key fetched once, the actor stored;
        // then the reader follows them (notes of followed actors are kept).
        for (k, a) in actors.iter().enumerate() {
            let body = create_note(&peer, a, &run, 1_000_000 + k);
            let resp = client
                .post(inbox.clone())
                .headers(signed_headers(&a.signer, &inbox, &body))
                .body(body)
                .send()
                .await?;
            anyhow::ensure!(
                resp.status().as_u16() == 202,
                "warm-up answered {}",
                resp.status()
            );
            let mut conn = inst.app.db.conn().await?;
            let stored = db::actors::find_actor_by_ap_id(&mut conn, &a.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("{} was not stored", a.id))?;
            db::follows::upsert_follow(
                &mut conn,
                reader.id,
                stored.id,
                &format!("{}/follows/served-{k}", inst.base),
                db::follows::FollowState::Accepted,
                db::now_micros(),
            )
            .await?;
        }
    }
    let domain = inst.domain.clone();
    let db_url = db.url.clone();
    let (_, port) = inst.stop().await;
    let dir = tempfile::tempdir()?;

    // Sign everything before the clock starts, on every core.
    let t_sign = Instant::now();
    let n = opts.served_activities;
    let workers = cores().max(1);
    let lines: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (actors, peer, run, inbox) = (&actors, &peer, &run, &inbox);
                s.spawn(move || {
                    let mut out = Vec::new();
                    for i in (w..n).step_by(workers) {
                        let a = &actors[i % actors.len()];
                        let body = create_note(peer, a, run, i);
                        let mut fields: Vec<String> = sign_request(
                            &a.signer,
                            "POST",
                            inbox,
                            Some((&body, AP)),
                            SystemTime::now(),
                        )
                        .expect("sign")
                        .into_iter()
                        .map(|(k, v)| format!("{k}: {v}"))
                        .collect();
                        fields.push(format!("Content-Type: {AP}"));
                        fields.push(String::from_utf8(body).expect("utf-8 json"));
                        out.push(fields.join("\t"));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("signing thread"))
            .collect()
    });
    let sign_s = t_sign.elapsed().as_secs_f64();
    let data = dir.path().join("requests.tsv");
    std::fs::write(&data, lines.join("\n") + "\n")?;
    drop(lines);
    let script = dir.path().join("inbox.lua");
    std::fs::write(&script, INBOX_LUA)?;
    println!("  {n} requests signed in {sign_s:.1} s");

    let store = db::Db::connect(&db_url).await?;
    let outcome = async {
        // All senders share one loopback host: its inbox budget (300/min by default) is lifted.
        let mut child = spawn_serve_with(
            &bin,
            &format!("127.0.0.1:{port}"),
            &domain,
            &db_url,
            &dir.path().join("serve.log"),
            &[("REVIER_LIMITS_INBOX_PER_MINUTE", "600000000")],
        )
        .await?;
        let pid = child.id().ok_or_else(|| anyhow::anyhow!("no pid"))?;
        let count = || async {
            let mut conn = store.conn().await?;
            let c: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM remote_notes")
                .fetch_one(&mut *conn)
                .await?;
            Ok::<i64, anyhow::Error>(c)
        };
        let before = count().await?;
        let rss_idle = proc_status_kb(&pid.to_string(), "VmRSS:").unwrap_or(0);
        let cpu0 = pid_cpu_secs(pid).unwrap_or(0.0);
        let machine = CpuMeter::start();
        let t0 = Instant::now();
        let out = tokio::time::timeout(
            Duration::from_secs(opts.served_secs + 60),
            tokio::process::Command::new("wrk")
                .args([
                    "-t",
                    &threads.to_string(),
                    "-c",
                    &opts.served_connections.to_string(),
                    "-d",
                    &format!("{}s", opts.served_secs),
                    "--timeout",
                    "10s",
                    "--latency",
                    "-s",
                ])
                .arg(&script)
                .arg(format!("http://127.0.0.1:{port}/inbox"))
                .arg("--")
                .arg(&data)
                .arg(threads.to_string())
                .arg(inbox.path())
                .kill_on_drop(true)
                .output(),
        )
        .await
        .map_err(|_| anyhow::anyhow!("wrk did not finish"))??;
        let wall = t0.elapsed().as_secs_f64();
        let cpu = pid_cpu_secs(pid).unwrap_or(0.0) - cpu0;
        let machine = machine.stop("inbox-served");
        let hwm = proc_status_kb(&pid.to_string(), "VmHWM:").unwrap_or(0);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        anyhow::ensure!(
            out.status.success(),
            "wrk failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let w = parse_wrk(&text).ok_or_else(|| anyhow::anyhow!("cannot read wrk:\n{text}"))?;
        // Wait until the last answered request's note is visible (answers come after commit).
        let stored = count().await? - before;
        let _ = child.kill().await;
        if w.non_2xx > 0 {
            // What the server said about the refusals (its warnings and errors).
            let log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default();
            for line in log.lines().rev().take(5) {
                println!("  serve.log: {line}");
            }
        }
        let per_s = stored as f64 / opts.served_secs as f64;
        let cpu_us = cpu * 1e6 / (stored.max(1) as f64);
        let repeats = w.requests.saturating_sub(n as u64);
        println!(
            "  {stored} notes stored in {}s = {per_s:.0}/s (target ≥ 5,000: {}); wrk: {} requests, {:.0}/s, p99 {:.1} ms (target < 50 ms: {}), {} non-2xx, {} repeats of the prepared set",
            opts.served_secs,
            if per_s >= 5000.0 { "MET" } else { "NOT MET" },
            w.requests,
            w.per_s,
            w.p99_ms,
            if w.p99_ms < 50.0 { "MET" } else { "NOT MET" },
            w.non_2xx,
            repeats,
        );
        println!(
            "  server CPU {cpu:.2} s = {cpu_us:.0} µs per stored note (target ≤ 200: {}); machine {:.0} % of one core (wall {wall:.1} s); RSS {:.1} MB idle, peak {:.1} MB (target ≤ 100 MB: {})",
            if cpu_us <= 200.0 { "MET" } else { "NOT MET" },
            machine.machine,
            mb(rss_idle),
            mb(hwm),
            if mb(hwm) <= 100.0 { "MET" } else { "NOT MET" },
        );
        Ok::<Value, anyhow::Error>(json!({
            "activities_prepared": n,
            "seconds": opts.served_secs,
            "connections": opts.served_connections,
            "stored": stored,
            "stored_per_s": round1(per_s),
            "wrk_requests": w.requests,
            "wrk_per_s": round1(w.per_s),
            "p99_ms": round3(w.p99_ms),
            "non_2xx": w.non_2xx,
            "repeats": repeats,
            "server_cpu_s": round3(cpu),
            "server_cpu_us_per_note": round1(cpu_us),
            "machine_cpu_pct": round1(machine.machine),
            "rss_mb_idle": round1(mb(rss_idle)),
            "rss_mb_peak": round1(mb(hwm)),
            "targets": {
                "ge_5000_per_s": per_s >= 5000.0,
                "p99_lt_50ms": w.p99_ms < 50.0,
                "cpu_le_200us": cpu_us <= 200.0,
                "rss_le_100mb": mb(hwm) <= 100.0,
            },
        }))
    }
    .await;
    store.pool.close().await;
    if let Some(admin) = &opts.database_url {
        drop_postgres_db(admin, &db_url).await;
    }
    outcome
}
