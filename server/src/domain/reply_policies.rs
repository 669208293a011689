//! Who may reply to our objects (issue 9): an editor leaves an object open, opens it to the
//! followers of its owner only, or closes it. The choice travels as GoToSocial's
//! `interactionPolicy` on the object's document, so servers that honour it hide the reply
//! button; a reply that arrives anyway is answered with `Reject` and not stored. Owns the mode,
//! the rule of who may reply and the JSON value; the documents and `social::receive_reply`
//! call it. No SQL text, no HTML.

use serde_json::{json, Map, Value};

use crate::db::{self, actors::ActorRow, Conn};

/// Who may reply to an object.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReplyMode {
    /// Anyone (no closure row).
    #[default]
    Open,
    /// Only actors whose follow of the object's owner is accepted.
    Followers,
    /// Nobody but the owner.
    Closed,
}

impl ReplyMode {
    /// The stored (and form) name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyMode::Open => "open",
            ReplyMode::Followers => "followers",
            ReplyMode::Closed => "closed",
        }
    }

    /// A form or API value; `None` for anything else.
    pub fn parse(s: &str) -> Option<ReplyMode> {
        match s {
            "open" => Some(ReplyMode::Open),
            "followers" => Some(ReplyMode::Followers),
            "closed" => Some(ReplyMode::Closed),
            _ => None,
        }
    }

    /// A stored closure row's mode: rows from before the modes (and unknown names) are closed.
    fn from_stored(s: Option<&str>) -> ReplyMode {
        match s {
            None => ReplyMode::Open,
            Some("followers") => ReplyMode::Followers,
            Some(_) => ReplyMode::Closed,
        }
    }

    /// The closure row to store (`None`: no row, open).
    fn stored(self) -> Option<&'static str> {
        match self {
            ReplyMode::Open => None,
            m => Some(m.as_str()),
        }
    }
}

/// The mode of an object.
pub async fn mode_of(conn: &mut Conn, object_ap_id: &str) -> Result<ReplyMode, sqlx::Error> {
    let stored = db::social::find_reply_mode(conn, object_ap_id).await?;
    Ok(ReplyMode::from_stored(stored.as_deref()))
}

/// Stores the mode of an object.
pub async fn set_mode(
    conn: &mut Conn,
    object_ap_id: &str,
    mode: ReplyMode,
) -> Result<(), sqlx::Error> {
    db::social::set_reply_mode(conn, object_ap_id, mode.stored(), db::now_micros()).await
}

/// Whether `replier` may reply to an object of `owner` under `mode`. The owner itself always may.
pub async fn may_reply(
    conn: &mut Conn,
    mode: ReplyMode,
    owner_actor_id: i64,
    replier: &ActorRow,
) -> Result<bool, sqlx::Error> {
    if replier.id == owner_actor_id {
        return Ok(true);
    }
    Ok(match mode {
        ReplyMode::Open => true,
        ReplyMode::Closed => false,
        ReplyMode::Followers => db::follows::find_follow(conn, replier.id, owner_actor_id)
            .await?
            .is_some_and(|f| f.state == db::follows::FollowState::Accepted),
    })
}

/// GoToSocial's `interactionPolicy` for an object of `owner`: who may reply follows `mode`;
/// likes are open to anyone, boosts (and Mastodon's quotes) only when the object is public.
/// Everything we do not allow automatically is left out: we approve nothing by hand.
pub fn interaction_policy(mode: ReplyMode, owner: &ActorRow, public: bool) -> Value {
    let anyone =
        || json!({ "automaticApproval": [revier_federation::PUBLIC], "manualApproval": [] });
    let can_reply = match mode {
        ReplyMode::Open => revier_federation::PUBLIC.to_string(),
        ReplyMode::Followers => owner.followers.clone(),
        ReplyMode::Closed => owner.ap_id.clone(),
    };
    let mut policy = Map::new();
    policy.insert("canLike".into(), anyone());
    policy.insert(
        "canReply".into(),
        json!({ "automaticApproval": [can_reply], "manualApproval": [] }),
    );
    if public {
        policy.insert("canAnnounce".into(), anyone());
        // Mastodon lets its users quote a remote post only with `canQuote` (and treats a
        // missing one as denied).
        policy.insert("canQuote".into(), anyone());
    }
    Value::Object(policy)
}

/// The JSON-LD terms of the policy, in GoToSocial's namespace (<https://gotosocial.org/ns>), as
/// an inline `@context` entry (Mastodon writes them the same way).
pub fn policy_context() -> Value {
    let term = |name: &str| json!({ "@id": format!("gts:{name}"), "@type": "@id" });
    json!({
        "gts": "https://gotosocial.org/ns#",
        "interactionPolicy": term("interactionPolicy"),
        "canLike": term("canLike"),
        "canReply": term("canReply"),
        "canAnnounce": term("canAnnounce"),
        "canQuote": term("canQuote"),
        "automaticApproval": term("automaticApproval"),
        "manualApproval": term("manualApproval"),
        "approvedBy": term("approvedBy"),
    })
}

/// Adds the policy (and its terms, when the document has an `@context` array) to a document.
pub fn add_policy(doc: &mut Value, mode: ReplyMode, owner: &ActorRow, public: bool) {
    let Some(o) = doc.as_object_mut() else {
        return;
    };
    o.insert(
        "interactionPolicy".into(),
        interaction_policy(mode, owner, public),
    );
    if let Some(ctx) = o.get_mut("@context").and_then(Value::as_array_mut) {
        ctx.push(policy_context());
    }
}

/// Looks up the mode of `object_ap_id` and adds the policy to its document.
pub async fn add_policy_of(
    conn: &mut Conn,
    doc: &mut Value,
    object_ap_id: &str,
    owner: &ActorRow,
    public: bool,
) -> Result<(), sqlx::Error> {
    let mode = mode_of(conn, object_ap_id).await?;
    add_policy(doc, mode, owner, public);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_modes_read_back_and_old_rows_are_closed() {
        for m in [ReplyMode::Open, ReplyMode::Followers, ReplyMode::Closed] {
            assert_eq!(ReplyMode::from_stored(m.stored()), m);
            assert_eq!(ReplyMode::parse(m.as_str()), Some(m));
        }
        assert_eq!(ReplyMode::from_stored(Some("")), ReplyMode::Closed);
        assert_eq!(ReplyMode::parse("everyone"), None);
    }
}
