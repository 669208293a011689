//! Who a remote note is for: its visibility, read from the object's `to`/`cc` the way Mastodon
//! reads them (OB-10), and the local actors it names. Decides what may become a public comment
//! and who may see a note in a timeline. No SQL text, no HTML.

use crate::db::{self, actors::ActorRow};
use crate::App;

/// At most this many `to`/`cc` entries are looked at: Mastodon's own posts name a handful,
/// and each local-looking entry costs a lookup.
const MAX_ADDRESSEES: usize = 100;

pub use crate::db::remote_notes::Visibility;

/// True when `ap_id` names something on this instance.
pub fn is_local_object(app: &App, ap_id: &str) -> bool {
    let base = app.base_url();
    ap_id
        .strip_prefix(base)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// The audience of a remote note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    pub visibility: Visibility,
    /// Ids (`actors.id`) of the local actors named in `to`/`cc`.
    pub local_recipients: Vec<i64>,
}

/// The three spellings of the public collection that Mastodon accepts (`public_collection?`).
pub fn is_public_collection(s: &str) -> bool {
    matches!(s, revier_federation::PUBLIC | "as:Public" | "Public")
}

/// Visibility from `to`, `cc` and the sender's followers collection (Mastodon's order:
/// Public in `to`, Public in `cc`, followers in `to`, else direct). Followers-only needs the
/// exact followers URL in `to`; in `cc` it is not enough, as in Mastodon.
pub fn visibility_of(to: &[&str], cc: &[&str], sender_followers: &str) -> Visibility {
    if to.iter().any(|a| is_public_collection(a)) {
        Visibility::Public
    } else if cc.iter().any(|a| is_public_collection(a)) {
        Visibility::Unlisted
    } else if !sender_followers.is_empty() && to.contains(&sender_followers) {
        Visibility::Followers
    } else {
        Visibility::Direct
    }
}

/// The audience of an object sent by `sender`, from the object's `to` and `cc` (read by
/// `incoming::lenient::ids`). Only the object's own `to`/`cc` count: Mastodon prefers them
/// over the activity's, and every server we know puts them on the object.
pub async fn audience_of(
    app: &App,
    conn: &mut db::Conn,
    sender: &ActorRow,
    to: &[String],
    cc: &[String],
) -> Result<Audience, sqlx::Error> {
    let to: Vec<&str> = to.iter().map(String::as_str).collect();
    let cc: Vec<&str> = cc.iter().map(String::as_str).collect();
    let visibility = visibility_of(&to, &cc, &sender.followers);
    let mut local_recipients = Vec::new();
    for &id in to.iter().chain(cc.iter()).take(MAX_ADDRESSEES) {
        if !is_local_object(app, id) {
            continue;
        }
        if let Some(actor) = db::actors::find_actor_by_ap_id(conn, id).await? {
            if actor.local && !local_recipients.contains(&actor.id) {
                local_recipients.push(actor.id);
            }
        }
    }
    Ok(Audience {
        visibility,
        local_recipients,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: &str = "https://m.example/users/bob/followers";
    const ALICE: &str = "https://r.example/users/alice";

    #[test]
    fn mastodon_visibilities_are_read_from_to_and_cc() {
        let p = revier_federation::PUBLIC;
        assert_eq!(visibility_of(&[p], &[F], F), Visibility::Public);
        assert_eq!(visibility_of(&[F], &[p], F), Visibility::Unlisted);
        assert_eq!(visibility_of(&[F], &[], F), Visibility::Followers);
        assert_eq!(visibility_of(&[ALICE], &[], F), Visibility::Direct);
    }

    #[test]
    fn short_forms_of_public_count() {
        assert_eq!(visibility_of(&["as:Public"], &[], F), Visibility::Public);
        assert_eq!(visibility_of(&["Public"], &[], F), Visibility::Public);
        assert_eq!(visibility_of(&[F], &["as:Public"], F), Visibility::Unlisted);
        assert!(!is_public_collection(
            "https://www.w3.org/ns/activitystreams#public"
        ));
    }

    #[test]
    fn followers_in_cc_only_or_someone_elses_followers_is_direct() {
        assert_eq!(visibility_of(&[ALICE], &[F], F), Visibility::Direct);
        assert_eq!(
            visibility_of(&["https://m.example/users/eve/followers"], &[], F),
            Visibility::Direct
        );
        assert_eq!(visibility_of(&[], &[], F), Visibility::Direct);
        assert_eq!(visibility_of(&[""], &[], ""), Visibility::Direct);
    }
}
