//! Keeps the search index current in the background: once at start (so that the first search
//! after an upgrade or a bulk import does not pay for indexing everything), then every
//! `INTERVAL`. Searches refresh too (`domain::search::refresh_index`); this only takes the
//! work off their path. It must not do anything else.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::domain::search;
use crate::App;

/// Time between passes.
const INTERVAL: Duration = Duration::from_secs(30);

/// The running job; `stop` ends it after the pass in progress.
pub struct IndexHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl IndexHandle {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

pub fn spawn(app: App) -> IndexHandle {
    let (stop, mut rx) = watch::channel(false);
    let task = tokio::spawn(async move {
        loop {
            // A pass indexes a bounded number of rows per source; repeat until nothing is
            // left, so a large backlog is worked through at start.
            let pause = match search::refresh_index(&app).await {
                Ok(true) => INTERVAL,
                Ok(false) => Duration::ZERO,
                Err(e) => {
                    tracing::warn!(error = %e, "search index refresh failed");
                    INTERVAL
                }
            };
            tokio::select! {
                _ = rx.changed() => return,
                _ = tokio::time::sleep(pause) => {}
            }
        }
    });
    IndexHandle { stop, task }
}
