//! Rebuilds the server when a migration changes: `sqlx::migrate!` embeds the files of
//! `migrations/` at compile time, and cargo does not otherwise know they are inputs.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
