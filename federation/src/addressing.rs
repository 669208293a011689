//! Who receives an activity: inboxes de-duplicated, shared inboxes preferred (Mastodon FO-8).

use std::collections::BTreeSet;

/// A recipient's delivery addresses.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub inbox: String,
    pub shared_inbox: Option<String>,
}

/// One URL per receiving inbox: the shared inbox when the actor has one, else its own inbox;
/// each URL once, in a stable order.
pub fn delivery_inboxes<'a>(recipients: impl IntoIterator<Item = &'a Recipient>) -> Vec<String> {
    let set: BTreeSet<String> = recipients
        .into_iter()
        .map(|r| {
            r.shared_inbox
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| r.inbox.clone())
        })
        .filter(|s| !s.is_empty())
        .collect();
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_inboxes_are_deduplicated() {
        let r = [
            Recipient {
                inbox: "https://m.example/users/a/inbox".into(),
                shared_inbox: Some("https://m.example/inbox".into()),
            },
            Recipient {
                inbox: "https://m.example/users/b/inbox".into(),
                shared_inbox: Some("https://m.example/inbox".into()),
            },
            Recipient {
                inbox: "https://p.example/u/c/inbox".into(),
                shared_inbox: None,
            },
        ];
        assert_eq!(
            delivery_inboxes(&r),
            vec!["https://m.example/inbox", "https://p.example/u/c/inbox"]
        );
    }
}
