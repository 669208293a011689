//! Revier's end-to-end tests: one test binary, one module per area.
//!
//! Each module was a test binary of its own; 40 binaries of about 140 MB each filled a CI
//! machine's disk (and linked the whole server 40 times). As modules of one binary they link
//! once; filter by module as before: `cargo test -p revier-e2e --test e2e web_browser::`.

mod addressing;
mod api;
mod api_contract;
mod backfill;
mod calls;
mod cli;
mod cli_ops;
mod collections;
mod conformance;
mod crash_recovery;
mod docker_files;
mod events;
mod federation;
mod groups;
mod hostile_content;
mod hostile_inbox;
mod inbox;
mod inbox_robustness;
mod interop;
mod limits;
mod media_store;
mod moderation_actions;
mod moderation_domains;
mod moderation_lists;
mod moderation_replies;
mod moderation_reports;
mod observability;
mod opendata;
mod project_safety;
mod projects;
mod proofs;
mod queue_safety;
mod rate_limits;
mod relays;
mod scale_out;
mod signature_safety;
mod social;
mod sources;
mod web_accessibility;
mod web_account;
mod web_admin;
mod web_announcements;
mod web_browser;
mod web_calendar;
mod web_calls;
mod web_event_forms;
mod web_interact;
mod web_media;
mod web_moderation_browser;
mod web_orgs;
mod web_project_forms;
mod web_public;
mod web_search;
mod web_signin;
