//! Refreshes subscribed domain lists on their schedule.

use tokio::task::JoinHandle;

use crate::App;

pub fn spawn(app: App) -> JoinHandle<()> {
    tokio::spawn(async move {
        let _ = app;
    })
}
