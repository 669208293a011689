//! BUSINESS RULES, one module per feature. No axum, no SQL text: rules call `db` functions and
//! ask `outgoing` to federate. Local requests and incoming activities meet here.

pub mod accounts;
pub mod actors;
pub mod announcements;
pub mod audience;
pub mod backfill;
pub mod backups;
pub mod calendar;
pub mod calls;
pub mod collections;
pub mod directory;
pub mod doctor;
pub mod domain_blocks;
pub mod domain_lists;
pub mod domain_policies;
pub mod error;
pub mod event_summary;
pub mod events;
pub mod feeds;
pub mod filters;
pub mod follows;
pub mod group_outbox;
pub mod groups;
pub mod inbox;
pub mod instance;
pub mod interact;
pub mod invitations;
pub mod key_fetches;
pub mod mail;
pub mod media;
pub mod moderation;
pub mod moderation_log;
pub mod opendata;
pub mod operator;
pub mod outgoing;
pub mod page;
pub mod paging;
pub mod projects;
pub mod proof_keys;
pub mod proofs;
pub mod publiccode;
pub mod rate_limits;
pub mod received;
pub mod registration;
pub mod remote_actors;
pub mod reply_policies;
pub mod reports;
pub mod scheduled_announcements;
pub mod search;
pub mod sessions;
pub mod social;
pub mod sources;
pub mod spdx;
pub mod text;

/// A random URL-safe token of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    let mut buf = vec![0u8; bytes];
    // The OS random source does not fail on Linux once seeded; never hand out a zeroed token.
    while aws_lc_rs::rand::fill(&mut buf).is_err() {}
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}
