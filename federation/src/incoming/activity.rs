//! The activities the inbox acts on, read from a checked `IncomingActivity` into one enum the
//! inbox dispatches on. What the activity refers to is read leniently (an id, an embedded
//! object, a one-element list); a reference the activity cannot do without is an
//! `ActivityError` (answered 400), an activity we do not act on is `Unsupported` (acknowledged
//! and dropped, Mastodon IN-8).

use serde_json::Value;
use url::Url;

use crate::incoming::actor::{Actor, ActorKind};
use crate::incoming::flag::Flag;
use crate::incoming::note::{Note, NOTE_TYPES};
use crate::incoming::{same_origin, value_id, value_type, ActivityError, IncomingActivity};

/// Activity types we act on. Anything else is acknowledged and dropped before it is recorded.
pub const HANDLED_TYPES: &[&str] = &[
    "Follow", "Undo", "Accept", "Reject", "Create", "Update", "Delete", "Like", "Announce", "Join",
    "Leave", "Flag",
];

/// A reaction to one of our objects, counted once per actor (Mastodon IN-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    Like,
    Announce,
}

impl Reaction {
    /// The AS2 type name (also the stored kind).
    pub fn as_str(self) -> &'static str {
        match self {
            Reaction::Like => "Like",
            Reaction::Announce => "Announce",
        }
    }

    fn of(kind: &str) -> Option<Reaction> {
        match kind {
            "Like" => Some(Reaction::Like),
            "Announce" => Some(Reaction::Announce),
            _ => None,
        }
    }
}

/// An activity named as the object of another (Undo, Accept, Reject): its id, and when it is
/// embedded, its type, actor and object ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityRef {
    pub id: Option<String>,
    pub kind: Option<String>,
    pub actor: Option<String>,
    pub object: Option<String>,
}

impl ActivityRef {
    /// Reads an id, an embedded activity, or a list of those (its first id).
    pub fn of(v: &Value) -> ActivityRef {
        let id_at = |key: &str| v.get(key).and_then(value_id).map(str::to_string);
        ActivityRef {
            id: value_id(v).map(str::to_string),
            kind: value_type(v).map(str::to_string),
            actor: id_at("actor"),
            object: id_at("object"),
        }
    }
}

/// What a Create or Update carries: a note, an event or a project (given inline, or an id on
/// the actor's host to fetch first), or something we do not keep.
#[derive(Debug, Clone)]
pub enum Posted {
    /// Only the id was sent: fetch it from the actor's host, then read it with `Posted::of`.
    Fetch(Url),
    Note(Url, Box<Note>),
    /// Read by the events feature.
    Event(Url, Value),
    /// Read by the projects feature.
    Project(Url, Value),
    /// Another type: acknowledged and dropped.
    Other,
}

impl Posted {
    /// Reads an object whose id `oid` has been checked to be on the actor's host.
    pub fn of(oid: Url, object: Value) -> Result<Posted, ActivityError> {
        let Some(kind) = value_type(&object) else {
            return Err(ActivityError::Missing("object type"));
        };
        Ok(match kind {
            "Event" => Posted::Event(oid, object),
            "Project" => Posted::Project(oid, object),
            k if NOTE_TYPES.contains(&k) => match Note::from_value(&object) {
                Some(note) => Posted::Note(oid, Box::new(note)),
                None => Posted::Other,
            },
            _ => Posted::Other,
        })
    }
}

/// An activity the inbox acts on.
#[derive(Debug, Clone)]
pub enum InboxActivity {
    /// Follow of the object (one of our actors, if it is known here).
    Follow(Url),
    /// `Undo{Follow}` (also an Undo whose object names no type): the undone Follow.
    UndoFollow(ActivityRef),
    /// `Undo{Like}` / `Undo{Announce}`.
    UndoReaction(Reaction, ActivityRef),
    Accept(ActivityRef),
    Reject(ActivityRef),
    /// Join and Leave of an event: read by the events feature from the activity itself.
    Join,
    Leave,
    /// Like or Announce of the object id (when there is one).
    React(Reaction, Option<String>),
    Create(Posted),
    Update(Posted),
    /// `Update` of the actor's own profile (or so it claims: the id is checked by the inbox).
    UpdateActor(Box<Actor>),
    /// Mastodon's account deletion (IN-2): `Delete` whose object is the actor itself.
    DeleteActor,
    /// `Delete` of an object on the actor's host.
    Delete(Url),
    /// A report about some of the named actors and objects (`incoming::flag`).
    Flag(Flag),
    /// Valid, but nothing we act on.
    Unsupported,
}

impl InboxActivity {
    /// Reads what the inbox needs from a checked activity.
    pub fn of(a: &IncomingActivity) -> Result<InboxActivity, ActivityError> {
        let object = || a.object().ok_or(ActivityError::Missing("object"));
        Ok(match a.kind.as_str() {
            "Follow" => InboxActivity::Follow(a.object_id()?),
            "Undo" => {
                let undone = object()?;
                match value_type(undone) {
                    Some("Follow") | None => InboxActivity::UndoFollow(ActivityRef::of(undone)),
                    Some(kind) => match Reaction::of(kind) {
                        Some(r) => InboxActivity::UndoReaction(r, ActivityRef::of(undone)),
                        None => InboxActivity::Unsupported,
                    },
                }
            }
            "Accept" => InboxActivity::Accept(ActivityRef::of(object()?)),
            "Reject" => InboxActivity::Reject(ActivityRef::of(object()?)),
            "Join" => InboxActivity::Join,
            "Leave" => InboxActivity::Leave,
            "Like" => InboxActivity::React(Reaction::Like, object_ref(a)),
            "Announce" => InboxActivity::React(Reaction::Announce, object_ref(a)),
            "Create" => InboxActivity::Create(posted(a, object()?)?),
            "Update" => {
                let object = object()?;
                if value_type(object).is_some_and(|t| ActorKind::of(&Value::from(t)).is_some()) {
                    let actor = a
                        .embedded_object()
                        .and_then(Actor::from_value)
                        .ok_or(ActivityError::Missing("object"))?;
                    InboxActivity::UpdateActor(Box::new(actor))
                } else {
                    InboxActivity::Update(posted(a, object)?)
                }
            }
            "Delete" if a.is_self_delete() => InboxActivity::DeleteActor,
            "Delete" => {
                let oid = a.object_id()?;
                if !same_origin(&oid, &a.actor) {
                    return Err(ActivityError::ObjectHostMismatch);
                }
                InboxActivity::Delete(oid)
            }
            "Flag" => InboxActivity::Flag(Flag::of(a)?),
            _ => InboxActivity::Unsupported,
        })
    }
}

fn object_ref(a: &IncomingActivity) -> Option<String> {
    a.object().and_then(value_id).map(str::to_string)
}

/// The object of a Create or Update: its id must be on the actor's host (Mastodon OB-12).
fn posted(a: &IncomingActivity, object: &Value) -> Result<Posted, ActivityError> {
    let oid = a.require_object_on_actor_host()?;
    match object {
        Value::Object(_) => Posted::of(oid, object.clone()),
        // A bare id on the actor's host: the inbox fetches it from there (Mastodon's
        // Dereferencer).
        _ => Ok(Posted::Fetch(oid)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::incoming::activity::{InboxActivity, Posted};
    use crate::incoming::{parse_activity, ActivityError};

    fn read(v: Value) -> Result<InboxActivity, ActivityError> {
        let mut v = v;
        v["@context"] = Value::from(crate::AS_CONTEXT);
        v["id"] = Value::from("https://m.example/activities/1");
        v["actor"] = Value::from("https://m.example/users/a");
        InboxActivity::of(&parse_activity(v.to_string().as_bytes())?)
    }

    #[test]
    fn a_reference_the_activity_cannot_do_without_is_an_error() {
        for kind in ["Undo", "Accept", "Reject", "Create", "Update"] {
            assert_eq!(
                read(json!({"type": kind})).unwrap_err(),
                ActivityError::Missing("object"),
                "{kind}"
            );
        }
        assert!(read(json!({"type": "Follow"})).is_err());
        assert_eq!(
            read(json!({"type": "Delete", "object": "https://other.example/n/1"})).unwrap_err(),
            ActivityError::ObjectHostMismatch
        );
        assert_eq!(
            read(json!({"type": "Create", "object": {"id": "https://m.example/n/1"}})).unwrap_err(),
            ActivityError::Missing("object type")
        );
    }

    #[test]
    fn what_we_do_not_act_on_is_unsupported_or_left_to_its_feature() {
        let undo_block =
            json!({"type": "Undo", "object": {"type": "Block", "id": "https://m.example/b/1"}});
        assert!(matches!(read(undo_block), Ok(InboxActivity::Unsupported)));
        let create_video =
            json!({"type": "Create", "object": {"type": "Video", "id": "https://m.example/v/1"}});
        assert!(matches!(
            read(create_video),
            Ok(InboxActivity::Create(Posted::Other))
        ));
        let join = json!({"type": "Join"});
        assert!(matches!(read(join), Ok(InboxActivity::Join)));
        let event =
            json!({"type": "Update", "object": {"type": "Event", "id": "https://m.example/e/1"}});
        assert!(matches!(
            read(event),
            Ok(InboxActivity::Update(Posted::Event(..)))
        ));
        let bare = json!({"type": "Create", "object": "https://m.example/n/1"});
        assert!(matches!(
            read(bare),
            Ok(InboxActivity::Create(Posted::Fetch(_)))
        ));
    }

    #[test]
    fn an_undo_without_a_type_undoes_a_follow_and_a_profile_update_is_an_actor() {
        let undo = json!({"type": "Undo", "object": "https://m.example/follows/1"});
        match read(undo) {
            Ok(InboxActivity::UndoFollow(r)) => {
                assert_eq!(r.id.as_deref(), Some("https://m.example/follows/1"));
                assert_eq!(r.object, None);
            }
            other => panic!("{other:?}"),
        }
        let update = json!({"type": "Update", "object": {"type": ["Person", "x:Extra"], "id": "https://m.example/users/a"}});
        match read(update) {
            Ok(InboxActivity::UpdateActor(a)) => {
                assert_eq!(a.id.as_deref(), Some("https://m.example/users/a"));
            }
            other => panic!("{other:?}"),
        }
    }
}
