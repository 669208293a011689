//! Mastodon conformance, rule by rule: one test per rule of
//! `shared/docs/reference/mastodon-conformance.md`, sections G, 1 (WebFinger), 2 (actors),
//! 3 (HTTP signatures), 5 (follows) and 7 (what Mastodon sends us), each named after its rule
//! id. Every test drives a real instance over HTTP; the signing peer (`revier_e2e::peer`) or a
//! scripted fake server (`fake_server`) plays Mastodon, and requests that have to be wrong on
//! purpose are signed by hand (`revier_e2e::signing::Cavage`).
//!
//! Rules without a test, and why:
//! - AC-5 (INFO): how Mastodon badges `Group` and `Service` actors; the actor types we publish
//!   are asserted by the AC-1 test.
//! - AC-7: Revier publishes no `featured` collection (pinned items) yet.
//! - HS-12 (INFO): RFC 9421 is deliberately not verified; such requests are answered 401 so
//!   that Mastodon falls back to draft-cavage (the recognition itself is tested under HS-2).
//! - FO-9 (OPTIONAL): followers synchronization (FEP-8fcf) is not implemented.
//!
//! Parts of tested rules that are left out, and why:
//! - WF-2, 410 Gone: Revier has no account deletion yet.
//! - HS-8, legacy `acct:` key ids: not supported (only URL key ids).
//! - IN-6, re-following the `Move` target: not implemented; the test checks that `Move` is
//!   acknowledged and changes nothing.
//!
//! One module per section of the list; the instance side, the Mastodon side
//! and a scripted fake server are shared modules.

mod actors;
mod fake_server;
mod follows;
mod global;
mod inbound;
mod instance;
mod mastodon;
mod signatures;
mod webfinger;

use std::time::Duration;

pub(crate) const LD_PROFILE: &str =
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";
/// The three Accept headers Mastodon sends (G-5): `json_ld_helper.rb`, `dereferencer.rb`,
/// `fetch_resource_service.rb`.
pub(crate) const MASTODON_ACCEPTS: [&str; 3] = [
    "application/activity+json, application/ld+json",
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\", application/activity+json",
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\", application/activity+json, text/html;q=0.1",
];
pub(crate) const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
pub(crate) const WAIT: Duration = Duration::from_secs(15);
