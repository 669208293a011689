//! ActivityPub for Revier: wire types, HTTP signatures, the guarded HTTP client used for every
//! outbound fetch and delivery, and the pure checks an incoming activity must pass.
//!
//! This crate holds no SQL and no HTML. The server decides what to store; this crate decides what
//! is well-formed, correctly signed and safe to fetch.
//!
//! From `activitypub_federation` we take the ActivityStreams vocabulary (`kinds`), the
//! WebFinger wire types and the lenient `deserialize_skip_error` helper. Its inbox, fetcher, signer and queue are not used: the inbox fetches
//! the actor before checking the signature and has no replay protection, its signer uses the
//! unblinded `rsa` crate (RUSTSEC-2023-0071), and its queue lives in memory. See
//! `../shared/docs/reference/activitypub-federation-crate.md` §2.

pub mod addressing;
pub mod client;
pub mod incoming;
pub mod net;
pub mod proofs;
pub mod protocol;
pub mod signatures;

pub use activitypub_federation::kinds;

/// The media type we answer ActivityPub requests with (Mastodon G-4).
pub const AP_CONTENT_TYPE: &str = "application/activity+json";
/// The ActivityStreams context every document must name (Mastodon G-1).
pub const AS_CONTEXT: &str = "https://www.w3.org/ns/activitystreams";
/// The W3C security vocabulary (publicKey).
pub const SECURITY_CONTEXT: &str = "https://w3id.org/security/v1";
/// The special "Public" collection.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
/// Largest body we accept on the inbox or from a fetch (Mastodon G-2: 1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
