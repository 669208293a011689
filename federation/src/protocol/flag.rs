//! The `Flag` we send when a moderator forwards a report to the reported content's home server,
//! in Mastodon's shape (`app/serializers/activitypub/flag_serializer.rb`): sent by the
//! instance actor, so no reporter is named; `object` lists the reported account first, then
//! the reported objects; `content` is the comment, at most 5,000 characters (the most
//! Mastodon keeps); no `to`.

use serde_json::Value;

use crate::incoming::flag::MAX_FLAG_CONTENT_CHARS;
use crate::protocol::Activity;

/// The Flag activity `id` from `instance_actor` about `account` and `objects` (ActivityPub
/// ids; the account is listed once, first).
pub fn flag(
    id: &str,
    instance_actor: &str,
    account: &str,
    objects: &[String],
    comment: &str,
) -> Activity {
    let mut named: Vec<Value> = vec![Value::from(account)];
    for o in objects {
        if o != account && !named.iter().any(|n| n.as_str() == Some(o.as_str())) {
            named.push(Value::from(o.as_str()));
        }
    }
    Activity {
        id: id.to_string(),
        kind: "Flag",
        actor: instance_actor.to_string(),
        object: Value::Array(named),
        content: Some(comment.chars().take(MAX_FLAG_CONTENT_CHARS).collect()),
        to: Vec::new(),
        cc: Vec::new(),
        published: None,
    }
}

#[cfg(test)]
mod tests {
    use super::flag;
    use crate::incoming::flag::MAX_FLAG_CONTENT_CHARS;

    #[test]
    fn the_account_comes_first_once_and_the_comment_is_capped() {
        let a = flag(
            "https://r.example/activities/1",
            "https://r.example/actor",
            "https://m.example/users/x",
            &[
                "https://m.example/users/x".into(),
                "https://m.example/notes/1".into(),
                "https://m.example/notes/1".into(),
            ],
            &"é".repeat(MAX_FLAG_CONTENT_CHARS + 1),
        );
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["type"], "Flag");
        assert_eq!(v["actor"], "https://r.example/actor");
        assert_eq!(
            v["object"],
            serde_json::json!(["https://m.example/users/x", "https://m.example/notes/1"])
        );
        assert_eq!(
            v["content"].as_str().unwrap().chars().count(),
            MAX_FLAG_CONTENT_CHARS
        );
        assert!(v.get("to").is_none());
    }
}
