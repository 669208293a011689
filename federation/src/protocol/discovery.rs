//! WebFinger (RFC 7033), host-meta and NodeInfo documents.

use serde::{Deserialize, Serialize};

pub use activitypub_federation::fetch::webfinger::{Webfinger, WebfingerLink};

/// The JRD for a local actor. The `self` link type is exactly `application/activity+json`
/// and its href is the actor id (Mastodon WF-3, WF-6).
pub fn webfinger_for(subject: &str, actor_id: &str, profile_url: &str) -> Webfinger {
    let self_link = WebfingerLink {
        rel: Some("self".into()),
        kind: Some(crate::AP_CONTENT_TYPE.into()),
        href: url::Url::parse(actor_id).ok(),
        ..Default::default()
    };
    let profile = WebfingerLink {
        rel: Some("http://webfinger.net/rel/profile-page".into()),
        kind: Some("text/html".into()),
        href: url::Url::parse(profile_url).ok(),
        ..Default::default()
    };
    Webfinger {
        subject: subject.to_string(),
        links: vec![profile, self_link],
        aliases: url::Url::parse(actor_id).ok().into_iter().collect(),
        properties: Default::default(),
    }
}

/// The part of a remote JRD we read.
#[derive(Deserialize, Debug)]
pub struct RemoteJrd {
    pub subject: Option<String>,
    #[serde(default)]
    pub links: Vec<RemoteJrdLink>,
}

#[derive(Deserialize, Debug)]
pub struct RemoteJrdLink {
    pub rel: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub href: Option<String>,
}

impl RemoteJrd {
    /// The ActivityPub `self` link, with either of the two types Mastodon accepts (WF-3).
    pub fn self_href(&self) -> Option<&str> {
        self.links
            .iter()
            .find(|l| {
                l.rel.as_deref() == Some("self")
                    && matches!(
                        l.kind.as_deref(),
                        Some("application/activity+json")
                            | Some("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")
                    )
            })
            .and_then(|l| l.href.as_deref())
    }
}

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    pub version: &'static str,
    pub software: NodeInfoSoftware,
    pub protocols: Vec<&'static str>,
    pub services: NodeInfoServices,
    pub open_registrations: bool,
    pub usage: NodeInfoUsage,
    pub metadata: serde_json::Value,
}

#[derive(Serialize, Debug, Clone)]
pub struct NodeInfoSoftware {
    pub name: &'static str,
    pub version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub homepage: Option<&'static str>,
}

#[derive(Serialize, Debug, Clone)]
pub struct NodeInfoServices {
    pub inbound: Vec<&'static str>,
    pub outbound: Vec<&'static str>,
}

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfoUsage {
    pub users: NodeInfoUsers,
    pub local_posts: i64,
}

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfoUsers {
    pub total: i64,
    pub active_month: i64,
    pub active_halfyear: i64,
}
