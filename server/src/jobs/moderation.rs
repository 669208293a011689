//! Purges the data of local accounts whose suspension period has ended.

use tokio::task::JoinHandle;

use crate::App;

pub fn spawn(app: App) -> JoinHandle<()> {
    tokio::spawn(async move {
        let _ = app;
    })
}
