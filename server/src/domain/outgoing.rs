//! The one way the application sends activities. A feature describes what happened as an
//! [`Outgoing`] value; [`OutgoingTx::submit`] turns it into the activity and its audience and
//! stores both (the activity, one delivery row per inbox) in the caller's transaction, so a
//! change and its federation commit together. [`OutgoingTx`] is that transaction: committing it
//! wakes the delivery queue (`jobs::delivery`), which sends after commit, across restarts.
//!
//! FEDERATION.md's "Activities we send" table has one row per variant (a test checks it).

use std::ops::{Deref, DerefMut};

use revier_federation::addressing::{delivery_inboxes, Recipient};
use revier_federation::incoming::value_id;
use revier_federation::protocol::note::{Note, Tombstone};
use revier_federation::protocol::{format_time, Activity, WithContext};
use serde_json::{json, Value};
use url::Url;

use crate::db::{self, actors::ActorRow, follows::FollowRow, Conn};
use crate::domain::error::AppError;
use crate::App;

/// Everything Revier sends, one variant per kind of activity. Documents that belong to a
/// feature (notes, events, projects) are built by that feature and carried here, so this
/// module depends on no feature.
pub enum Outgoing<'a> {
    /// `Create{Note}`: an organization published an announcement.
    CreateNote {
        author: &'a ActorRow,
        note: &'a Note,
        at: i64,
    },
    /// `Update{Note}`: an announcement was edited (`note.updated` is newer).
    UpdateNote {
        author: &'a ActorRow,
        note: &'a Note,
        at: i64,
    },
    /// `Delete{Tombstone}`: an announcement was deleted.
    DeleteNote {
        author: &'a ActorRow,
        ap_id: &'a str,
        at: i64,
    },
    /// `Update{Group}`: an organization's profile changed.
    UpdateActor { actor: &'a ActorRow },
    /// `Accept{Follow}` from a local actor to its new follower, echoing the Follow.
    AcceptFollow {
        actor: &'a ActorRow,
        follow: &'a FollowRow,
        follower: &'a ActorRow,
    },
    /// `Reject{Follow}` from a local actor to a (would-be) follower, echoing the Follow.
    RejectFollow {
        actor: &'a ActorRow,
        follow: &'a FollowRow,
        follower: &'a ActorRow,
    },
    /// `Follow` of a remote actor by a local person; `id` is the follow's stored id.
    Follow {
        actor: &'a ActorRow,
        target: &'a ActorRow,
        id: &'a str,
    },
    /// `Undo{Follow}`: a local person stops following a remote actor.
    UndoFollow {
        actor: &'a ActorRow,
        target: &'a ActorRow,
        follow: &'a FollowRow,
    },
    /// `Create{Event}`: an organization published an event (`document` as served).
    CreateEvent {
        org: &'a ActorRow,
        ap_id: String,
        document: Value,
        at: i64,
    },
    /// `Update{Event}`: an event changed (fields, status or participant count); also to its
    /// remote participants (`event_id` is its row id).
    UpdateEvent {
        org: &'a ActorRow,
        event_id: i64,
        ap_id: String,
        document: Value,
        at: i64,
    },
    /// `Delete{Tombstone}`: an event was deleted; also to its remote participants.
    DeleteEvent {
        org: &'a ActorRow,
        event_id: i64,
        ap_id: String,
        at: i64,
    },
    /// `Accept{Join}` to a participant, embedding their Join.
    AcceptJoin {
        org: &'a ActorRow,
        join: &'a Value,
        participant: &'a str,
        inbox: &'a str,
    },
    /// `Reject{Join}` to a participant, embedding their Join.
    RejectJoin {
        org: &'a ActorRow,
        join: &'a Value,
        participant: &'a str,
        inbox: &'a str,
    },
    /// `Create{Note}`, direct: the organizer answers a person's RSVP (Mastodon has no Join).
    RsvpReply {
        org: &'a ActorRow,
        to: &'a ActorRow,
        note: Value,
        note_id: String,
        at: i64,
    },
    /// `Update{Project}` with the project's document (without `@context`): to its followers,
    /// or only to `follower` (a newly accepted one gets its copy at once).
    UpdateProject {
        project: &'a ActorRow,
        document: Value,
        at: i64,
        follower: Option<&'a ActorRow>,
    },
    /// `Create{Note}` by a project: news (new project, release, status change).
    ProjectNews {
        project: &'a ActorRow,
        note: Value,
        note_id: String,
        at: i64,
    },
    /// `Announce` of a project's news by an organization that maintains it.
    BoostNews {
        org: &'a ActorRow,
        project: &'a ActorRow,
        note_id: &'a str,
        at: i64,
    },
    /// `Delete{actor}`: a local actor (a project) was deleted.
    DeleteActor { actor: &'a ActorRow, at: i64 },
    /// `Flag` from the instance actor: a moderator forwards a report about `account` (and its
    /// `objects`) to the account's server and to the publishers of lists naming its domain.
    ForwardReport {
        instance: &'a ActorRow,
        account: &'a str,
        objects: &'a [String],
        comment: &'a str,
        inboxes: Vec<String>,
    },
    /// `Follow` of the Public collection by the instance actor: a subscription to a
    /// Mastodon/LitePub relay (FEP-ae0c); `id` is the follow's stored id.
    FollowRelay {
        instance: &'a ActorRow,
        relay: &'a ActorRow,
        id: &'a str,
    },
    /// `Announce` by the instance actor of a public activity of a local organization or
    /// project (embedded), to the instance actor's followers: other instances that take this
    /// one as a source, and relay subscribers (issue 10). Queued by `submit` itself.
    Relay {
        instance: &'a ActorRow,
        activity: Value,
        about: Option<String>,
    },
    /// `Announce{Create/Update{Note}}` (FEP-1b12): an organization passes a comment addressed
    /// to it as a group on, unchanged, to its followers on forum-style servers.
    GroupAnnounce {
        group: &'a ActorRow,
        activity: Value,
        about: String,
    },
    /// `Reject{Note}`: the owner of an object refuses a reply its reply policy does not allow
    /// (GoToSocial's interaction policy); the object is the reply's id, to its author.
    RejectReply {
        owner: &'a ActorRow,
        reply: &'a str,
        author: &'a ActorRow,
    },
    /// `Create` or `Update` (`verb`) of a call's post or its vote's `Question` (issue 12), by
    /// the call actor to its followers and to `also` (remote nominees' and voters' inboxes).
    CallPost {
        call: &'a ActorRow,
        verb: &'static str,
        object: Value,
        object_id: String,
        also: Vec<String>,
        at: i64,
    },
}

/// Declares [`OutgoingKind`] with its list of all kinds, so the documentation test sees every
/// kind without a hand-kept list.
macro_rules! outgoing_kinds {
    ($($kind:ident => $wire:literal,)*) => {
        /// The kind of an [`Outgoing`], with the name FEDERATION.md's table gives it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum OutgoingKind {
            $($kind,)*
        }

        impl OutgoingKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [OutgoingKind] = &[$(OutgoingKind::$kind,)*];

            /// The activity as FEDERATION.md writes it (`Create{Note}`, `Follow`, ...).
            pub fn wire_name(self) -> &'static str {
                match self {
                    $(OutgoingKind::$kind => $wire,)*
                }
            }
        }
    };
}

outgoing_kinds! {
    CreateNote => "Create{Note}",
    UpdateNote => "Update{Note}",
    DeleteNote => "Delete{Tombstone}",
    UpdateActor => "Update{Group}",
    AcceptFollow => "Accept{Follow}",
    RejectFollow => "Reject{Follow}",
    Follow => "Follow",
    UndoFollow => "Undo{Follow}",
    CreateEvent => "Create{Event}",
    UpdateEvent => "Update{Event}",
    DeleteEvent => "Delete{Tombstone}",
    AcceptJoin => "Accept{Join}",
    RejectJoin => "Reject{Join}",
    RsvpReply => "Create{Note}",
    UpdateProject => "Update{Project}",
    ProjectNews => "Create{Note}",
    BoostNews => "Announce",
    DeleteActor => "Delete{actor}",
    ForwardReport => "Flag",
    RejectReply => "Reject{Note}",
    FollowRelay => "Follow{Public}",
    Relay => "Announce{Activity}",
    GroupAnnounce => "Announce{Create{Note}}",
    CallPost => "Create{Question}",
}

impl Outgoing<'_> {
    /// What kind of activity this is.
    pub fn kind(&self) -> OutgoingKind {
        match self {
            Outgoing::CreateNote { .. } => OutgoingKind::CreateNote,
            Outgoing::UpdateNote { .. } => OutgoingKind::UpdateNote,
            Outgoing::DeleteNote { .. } => OutgoingKind::DeleteNote,
            Outgoing::UpdateActor { .. } => OutgoingKind::UpdateActor,
            Outgoing::AcceptFollow { .. } => OutgoingKind::AcceptFollow,
            Outgoing::RejectFollow { .. } => OutgoingKind::RejectFollow,
            Outgoing::Follow { .. } => OutgoingKind::Follow,
            Outgoing::UndoFollow { .. } => OutgoingKind::UndoFollow,
            Outgoing::CreateEvent { .. } => OutgoingKind::CreateEvent,
            Outgoing::UpdateEvent { .. } => OutgoingKind::UpdateEvent,
            Outgoing::DeleteEvent { .. } => OutgoingKind::DeleteEvent,
            Outgoing::AcceptJoin { .. } => OutgoingKind::AcceptJoin,
            Outgoing::RejectJoin { .. } => OutgoingKind::RejectJoin,
            Outgoing::RsvpReply { .. } => OutgoingKind::RsvpReply,
            Outgoing::UpdateProject { .. } => OutgoingKind::UpdateProject,
            Outgoing::ProjectNews { .. } => OutgoingKind::ProjectNews,
            Outgoing::BoostNews { .. } => OutgoingKind::BoostNews,
            Outgoing::DeleteActor { .. } => OutgoingKind::DeleteActor,
            Outgoing::ForwardReport { .. } => OutgoingKind::ForwardReport,
            Outgoing::RejectReply { .. } => OutgoingKind::RejectReply,
            Outgoing::FollowRelay { .. } => OutgoingKind::FollowRelay,
            Outgoing::Relay { .. } => OutgoingKind::Relay,
            Outgoing::GroupAnnounce { .. } => OutgoingKind::GroupAnnounce,
            Outgoing::CallPost { .. } => OutgoingKind::CallPost,
        }
    }

    /// Whether the instance actor relays this to its followers (issue 10): public events,
    /// announcements and projects of local organizations and projects, with their updates
    /// and deletions. A project's copy sent to one new follower is not.
    fn relayed(&self) -> bool {
        matches!(
            self,
            Outgoing::CreateNote { .. }
                | Outgoing::UpdateNote { .. }
                | Outgoing::DeleteNote { .. }
                | Outgoing::CreateEvent { .. }
                | Outgoing::UpdateEvent { .. }
                | Outgoing::DeleteEvent { .. }
                | Outgoing::UpdateProject { follower: None, .. }
        ) || matches!(self, Outgoing::DeleteActor { actor, .. } if actor.kind == db::actors::ActorKind::Project)
    }
}

/// A write transaction that may queue activities. Everything that sends begins one with
/// [`OutgoingTx::begin`], queues with [`OutgoingTx::submit`] and ends with
/// [`OutgoingTx::commit`], which wakes the delivery queue; dropping it rolls back. It derefs
/// to the connection, so `db` functions take `&mut tx` as they take any transaction.
pub struct OutgoingTx<'a> {
    app: &'a App,
    tx: db::Tx,
    /// Servers of an organization's followers whose software is not known yet, classified
    /// after commit (`domain::groups`).
    unclassified: Vec<(String, String)>,
}

impl<'a> OutgoingTx<'a> {
    /// Begins a write transaction (`db::Db::begin`).
    pub async fn begin(app: &'a App) -> Result<OutgoingTx<'a>, sqlx::Error> {
        Ok(OutgoingTx {
            app,
            tx: app.db.begin().await?,
            unclassified: Vec::new(),
        })
    }

    /// Turns `out` into its activity and audience and queues it in this transaction.
    pub async fn submit(&mut self, out: Outgoing<'_>) -> Result<(), AppError> {
        let app = self.app;
        let kind = out.kind().wire_name();
        let relayed = out.relayed();
        let forum = group_copy(app, &mut self.tx, &out).await?;
        let mut p = prepare(app, &mut self.tx, out).await?;
        // FEP-8b32: our own objects travel with their integrity proof (issue 10).
        crate::domain::proof_keys::sign_outgoing(&mut self.tx, p.sender, &mut p.activity).await?;
        if let Some(g) = forum {
            // Each follower gets one of the two copies (FEP-1b12 or microblog), never both.
            p.inboxes.retain(|i| !g.inboxes.contains(i));
            let unknown =
                db::groups::list_unclassified_follower_hosts(&mut self.tx, g.sender.id, 20);
            self.unclassified.extend(unknown.await?);
            tracing::debug!(id = %g.activity.id, inboxes = g.inboxes.len(), "queued for groups");
            enqueue(app, &mut self.tx, &g).await?;
        }
        tracing::debug!(kind, id = %p.activity.id, inboxes = p.inboxes.len(), "queued");
        enqueue(app, &mut self.tx, &p).await?;
        let public = p.activity.to.iter().any(|t| t == revier_federation::PUBLIC);
        if relayed && public && p.sender.kind != db::actors::ActorKind::Application {
            self.relay(&p).await?;
        }
        Ok(())
    }

    /// Queues the instance actor's `Announce` of a prepared activity, when anyone follows the
    /// instance actor.
    async fn relay(&mut self, p: &Prepared<'_>) -> Result<(), AppError> {
        let app = self.app;
        let Some(instance) = db::actors::find_local_actor_by_username(
            &mut self.tx,
            crate::domain::actors::INSTANCE_ACTOR_USERNAME,
        )
        .await?
        else {
            return Ok(());
        };
        if db::follows::count_followers(&mut self.tx, instance.id).await? == 0 {
            return Ok(());
        }
        let activity = to_json(&p.activity)?;
        let relay = prepare(
            app,
            &mut self.tx,
            Outgoing::Relay {
                instance: &instance,
                activity,
                about: p.about.clone(),
            },
        )
        .await?;
        enqueue(app, &mut self.tx, &relay).await
    }

    /// Commits, then wakes the delivery queue: what was queued goes out now.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        wake_queue(self.app);
        crate::domain::groups::classify_servers_later(self.app, self.unclassified);
        Ok(())
    }
}

impl Deref for OutgoingTx<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl DerefMut for OutgoingTx<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

/// Wakes the delivery queue at once (it also looks every second), e.g. when a host it had
/// given up on is back.
pub fn wake_queue(app: &App) {
    app.delivery_wakeup.notify_one();
}

/// A fresh, never reused activity id on this instance.
pub fn new_activity_id(app: &App) -> String {
    format!("{}/activities/{}", app.base_url(), super::random_token(16))
}

/// `host[:port]` of a URL, the unit the queue schedules by.
pub fn host_key(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// An activity ready to store: who signs it, what it is about, who gets it.
struct Prepared<'a> {
    sender: &'a ActorRow,
    activity: Activity,
    /// The object the activity is about: the outbox and `hide_activities_about` find it by this.
    about: Option<String>,
    /// Listed in the sender's outbox.
    public: bool,
    inboxes: Vec<String>,
}

impl<'a> Prepared<'a> {
    /// To the sender's accepted remote followers.
    async fn to_followers(
        conn: &mut Conn,
        sender: &'a ActorRow,
        activity: Activity,
        about: Option<&str>,
        public: bool,
    ) -> Result<Prepared<'a>, AppError> {
        Ok(Prepared {
            inboxes: follower_inboxes(conn, sender.id).await?,
            sender,
            activity,
            about: about.map(str::to_string),
            public,
        })
    }

    /// To one inbox, not listed in the outbox.
    fn to_inbox(
        sender: &'a ActorRow,
        activity: Activity,
        about: Option<&str>,
        inbox: &str,
    ) -> Prepared<'a> {
        Prepared {
            sender,
            activity,
            about: about.map(str::to_string),
            public: false,
            inboxes: vec![inbox.to_string()],
        }
    }

    /// Adds the inboxes of an event's remote participants not already addressed.
    async fn and_participants(mut self, conn: &mut Conn, event_id: i64) -> Result<Self, AppError> {
        for p in db::events::list_participants(conn, event_id).await? {
            if !p.actor_inbox.is_empty() && !self.inboxes.contains(&p.actor_inbox) {
                self.inboxes.push(p.actor_inbox);
            }
        }
        Ok(self)
    }
}

/// Builds the activity of `out` and finds its audience.
// One arm per variant, each pattern on one line (rustfmt would spread every pattern with more
// than two fields over several lines and double the length of this plain dispatch).
#[rustfmt::skip]
async fn prepare<'a>(
    app: &App,
    conn: &mut Conn,
    out: Outgoing<'a>,
) -> Result<Prepared<'a>, AppError> {
    use Outgoing as O;
    match out {
        O::CreateNote { author, note, at } => {
            note_to_followers(app, conn, "Create", author, note, at).await
        }
        O::UpdateNote { author, note, at } => {
            note_to_followers(app, conn, "Update", author, note, at).await
        }
        O::DeleteNote { author, ap_id, at } => {
            deletion(app, conn, author, ap_id, Some("Note"), at).await
        }
        O::UpdateActor { actor } => {
            let doc = to_json(&crate::domain::actors::actor_document(app, actor).inner)?;
            let activity = public_activity(app, "Update", actor, doc, None);
            Prepared::to_followers(conn, actor, activity, Some(&actor.ap_id), false).await
        }
        O::DeleteActor { actor, at } => deletion(app, conn, actor, &actor.ap_id, None, at).await,
        O::AcceptFollow { actor, follow, follower } => {
            Ok(answer_follow(app, "Accept", actor, follow, follower))
        }
        O::RejectFollow { actor, follow, follower } => {
            Ok(answer_follow(app, "Reject", actor, follow, follower))
        }
        O::Follow { actor, target, id } => Ok(follow(app, actor, target, id)),
        O::UndoFollow { actor, target, follow } => Ok(undo_follow(app, actor, target, follow)),
        O::CreateEvent { org, ap_id, document, at } => {
            let activity = public_activity(app, "Create", org, document, Some(at));
            Prepared::to_followers(conn, org, activity, Some(&ap_id), true).await
        }
        O::UpdateEvent { org, event_id, ap_id, document, at } => {
            let activity = public_activity(app, "Update", org, document, Some(at));
            let p = Prepared::to_followers(conn, org, activity, Some(&ap_id), true).await?;
            p.and_participants(conn, event_id).await
        }
        O::DeleteEvent { org, event_id, ap_id, at } => {
            let p = deletion(app, conn, org, &ap_id, Some("Event"), at).await?;
            p.and_participants(conn, event_id).await
        }
        O::AcceptJoin { org, join, participant, inbox } => {
            Ok(answer_join(app, "Accept", org, join, participant, inbox))
        }
        O::RejectJoin { org, join, participant, inbox } => {
            Ok(answer_join(app, "Reject", org, join, participant, inbox))
        }
        O::RsvpReply { org, to, note, note_id, at } => {
            Ok(rsvp_reply(app, org, to, note, &note_id, at))
        }
        O::UpdateProject { project, document, at, follower } => {
            update_project(app, conn, project, document, at, follower).await
        }
        O::ProjectNews { project, note, note_id, at } => {
            let activity = public_activity(app, "Create", project, note, Some(at));
            Prepared::to_followers(conn, project, activity, Some(&note_id), true).await
        }
        O::BoostNews { org, project, note_id, at } => {
            boost(app, conn, org, project, note_id, at).await
        }
        O::ForwardReport { instance, account, objects, comment, inboxes } => {
            Ok(forward_report(app, instance, account, objects, comment, inboxes))
        }
        O::FollowRelay { instance, relay, id } => Ok(follow_relay(app, instance, relay, id)),
        O::Relay { instance, activity, about } => {
            let activity = public_activity(app, "Announce", instance, activity, Some(db::now_micros()));
            Prepared::to_followers(conn, instance, activity, about.as_deref(), false).await
        }
        O::GroupAnnounce { group, activity, about } => {
            let activity = public_activity(app, "Announce", group, activity, Some(db::now_micros()));
            let rows = db::groups::list_group_style_follower_inboxes(conn, group.id).await?;
            Ok(Prepared { sender: group, activity, about: Some(about), public: false, inboxes: inboxes_of(rows) })
        }
        O::CallPost { call, verb, object, object_id, also, at } => {
            call_post(app, conn, call, verb, object, &object_id, also, at).await
        }
        O::RejectReply { owner, reply, author } => {
            let activity = direct_activity(app, "Reject", owner, Value::String(reply.to_string()), &author.ap_id);
            Ok(Prepared::to_inbox(owner, activity, Some(reply), &author.inbox))
        }
    }
}

/// A call's post or `Question` to its followers and to the nominees' and voters' inboxes.
#[allow(clippy::too_many_arguments)]
async fn call_post<'a>(
    app: &App,
    conn: &mut Conn,
    call: &'a ActorRow,
    verb: &'static str,
    object: Value,
    object_id: &str,
    also: Vec<String>,
    at: i64,
) -> Result<Prepared<'a>, AppError> {
    let activity = public_activity(app, verb, call, object, Some(at));
    let mut p = Prepared::to_followers(conn, call, activity, Some(object_id), true).await?;
    for inbox in also {
        if !p.inboxes.contains(&inbox) {
            p.inboxes.push(inbox);
        }
    }
    Ok(p)
}

/// `Follow` of the Public collection by the instance actor, to a relay (FEP-ae0c).
fn follow_relay<'a>(
    app: &App,
    instance: &'a ActorRow,
    relay: &'a ActorRow,
    id: &str,
) -> Prepared<'a> {
    let mut activity = direct_activity(
        app,
        "Follow",
        instance,
        json!(revier_federation::PUBLIC),
        &relay.ap_id,
    );
    activity.id = id.to_string();
    Prepared::to_inbox(instance, activity, None, &relay.inbox)
}

/// The FEP-1b12 copy of an organization's announcement or event (`domain::groups`): the
/// Group's `Announce` of a person's `Create`/`Update{Page}` or `Delete`, to the followers on
/// forum-style servers (Lemmy, Mbin, PieFed...), who are then left out of the microblog copy.
/// Made even without such followers: the activity is kept (not listed in the outbox pages).
/// None for everything else, and when no person can be named as the post's author.
async fn group_copy<'a>(
    app: &App,
    conn: &mut Conn,
    out: &Outgoing<'a>,
) -> Result<Option<Prepared<'a>>, AppError> {
    use crate::db::actors::ActorKind;
    use crate::domain::groups;
    let (group, verb, ap_id, object, at) = match out {
        Outgoing::CreateNote { author, note, at } => (
            *author,
            "Create",
            note.id.as_str(),
            Some(to_json(note)?),
            *at,
        ),
        Outgoing::UpdateNote { author, note, at } => (
            *author,
            "Update",
            note.id.as_str(),
            Some(to_json(note)?),
            *at,
        ),
        Outgoing::DeleteNote { author, ap_id, at } => (*author, "Delete", *ap_id, None, *at),
        Outgoing::CreateEvent {
            org,
            ap_id,
            document,
            at,
        } => (*org, "Create", ap_id.as_str(), Some(document.clone()), *at),
        Outgoing::UpdateEvent {
            org,
            ap_id,
            document,
            at,
            ..
        } => (*org, "Update", ap_id.as_str(), Some(document.clone()), *at),
        Outgoing::DeleteEvent { org, ap_id, at, .. } => (*org, "Delete", ap_id.as_str(), None, *at),
        _ => return Ok(None),
    };
    if group.kind != ActorKind::Group || !group.local {
        return Ok(None);
    }
    let Some(person) = groups::post_author(app, conn, group, ap_id).await? else {
        return Ok(None);
    };
    let object = match object {
        Some(doc) => groups::group_post(&doc, &person, group),
        None => json!(ap_id),
    };
    let inner = groups::person_activity(new_activity_id(app), verb, &person, group, object, at);
    let activity = public_activity(app, "Announce", group, inner, Some(at));
    let rows = db::groups::list_group_style_follower_inboxes(conn, group.id).await?;
    Ok(Some(Prepared {
        sender: group,
        activity,
        about: Some(ap_id.to_string()),
        public: false,
        inboxes: inboxes_of(rows),
    }))
}

/// A forwarded report: a `Flag` of the instance actor, to the given inboxes, not in the outbox.
fn forward_report<'a>(
    app: &App,
    instance: &'a ActorRow,
    account: &str,
    objects: &[String],
    comment: &str,
    inboxes: Vec<String>,
) -> Prepared<'a> {
    let id = new_activity_id(app);
    let activity =
        revier_federation::protocol::flag::flag(&id, &instance.ap_id, account, objects, comment);
    Prepared {
        sender: instance,
        activity,
        about: Some(account.to_string()),
        public: false,
        inboxes,
    }
}

/// A note (`Create`/`Update`) to the author's followers, listed in the outbox.
async fn note_to_followers<'a>(
    app: &App,
    conn: &mut Conn,
    kind: &'static str,
    author: &'a ActorRow,
    note: &Note,
    at: i64,
) -> Result<Prepared<'a>, AppError> {
    let activity = public_activity(app, kind, author, to_json(note)?, Some(at));
    Prepared::to_followers(conn, author, activity, Some(&note.id), true).await
}

/// `Delete` to the sender's followers: of a `Tombstone` left by an object of `former_type`,
/// or, without one, of the bare id (an actor deleting itself).
async fn deletion<'a>(
    app: &App,
    conn: &mut Conn,
    sender: &'a ActorRow,
    ap_id: &str,
    former_type: Option<&'static str>,
    at: i64,
) -> Result<Prepared<'a>, AppError> {
    let object = match former_type {
        Some(former_type) => to_json(&Tombstone {
            id: ap_id.to_string(),
            kind: "Tombstone",
            former_type: Some(former_type),
            deleted: Some(format_time(at)),
        })?,
        None => json!(ap_id),
    };
    let activity = public_activity(app, "Delete", sender, object, Some(at));
    Prepared::to_followers(conn, sender, activity, Some(ap_id), true).await
}

/// `Follow` with the id the follow was stored under (the answer names it).
fn follow<'a>(app: &App, actor: &'a ActorRow, target: &ActorRow, id: &str) -> Prepared<'a> {
    let mut activity = direct_activity(app, "Follow", actor, json!(target.ap_id), &target.ap_id);
    activity.id = id.to_string();
    Prepared::to_inbox(actor, activity, None, &target.inbox)
}

fn undo_follow<'a>(
    app: &App,
    actor: &'a ActorRow,
    target: &ActorRow,
    follow: &FollowRow,
) -> Prepared<'a> {
    let object = follow_object(follow, actor, target);
    let activity = direct_activity(app, "Undo", actor, object, &target.ap_id);
    Prepared::to_inbox(actor, activity, None, &target.inbox)
}

/// A direct note to one person, not listed in the outbox.
fn rsvp_reply<'a>(
    app: &App,
    org: &'a ActorRow,
    to: &ActorRow,
    note: Value,
    note_id: &str,
    at: i64,
) -> Prepared<'a> {
    let mut activity = direct_activity(app, "Create", org, note, &to.ap_id);
    activity.published = Some(format_time(at));
    Prepared::to_inbox(org, activity, Some(note_id), &to.inbox)
}

/// `Update{Project}`, never listed in the outbox (the outbox lists the news posts).
async fn update_project<'a>(
    app: &App,
    conn: &mut Conn,
    project: &'a ActorRow,
    document: Value,
    at: i64,
    follower: Option<&ActorRow>,
) -> Result<Prepared<'a>, AppError> {
    let activity = public_activity(app, "Update", project, document, Some(at));
    match follower {
        Some(f) => Ok(Prepared::to_inbox(project, activity, None, &f.inbox)),
        None => Prepared::to_followers(conn, project, activity, Some(&project.ap_id), false).await,
    }
}

/// `Announce` of a project's news, with the project in `cc`.
async fn boost<'a>(
    app: &App,
    conn: &mut Conn,
    org: &'a ActorRow,
    project: &ActorRow,
    note_id: &str,
    at: i64,
) -> Result<Prepared<'a>, AppError> {
    let mut activity = public_activity(app, "Announce", org, json!(note_id), Some(at));
    activity.cc.push(project.ap_id.clone());
    Prepared::to_followers(conn, org, activity, Some(note_id), true).await
}

/// An activity to the public with the sender's followers in `cc`.
fn public_activity(
    app: &App,
    kind: &'static str,
    actor: &ActorRow,
    object: Value,
    published: Option<i64>,
) -> Activity {
    Activity {
        id: new_activity_id(app),
        kind,
        actor: actor.ap_id.clone(),
        object,
        content: None,
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![actor.followers.clone()],
        published: published.map(format_time),
    }
}

/// An activity addressed to one actor (Follow, Accept, Reject, Undo, a direct note).
fn direct_activity(
    app: &App,
    kind: &'static str,
    actor: &ActorRow,
    object: Value,
    to: &str,
) -> Activity {
    Activity {
        id: new_activity_id(app),
        kind,
        actor: actor.ap_id.clone(),
        object,
        content: None,
        to: vec![to.to_string()],
        cc: vec![],
        published: None,
    }
}

/// The Follow as Mastodon wants it echoed in Accept/Reject/Undo: original id, actor, object
/// (FO-2).
fn follow_object(follow: &FollowRow, follower: &ActorRow, target: &ActorRow) -> Value {
    json!({"id": follow.ap_id, "type": "Follow", "actor": follower.ap_id, "object": target.ap_id})
}

/// Accept or Reject of a follow of `actor`, to the follower's inbox.
fn answer_follow<'a>(
    app: &App,
    kind: &'static str,
    actor: &'a ActorRow,
    follow: &FollowRow,
    follower: &ActorRow,
) -> Prepared<'a> {
    let object = follow_object(follow, follower, actor);
    let activity = direct_activity(app, kind, actor, object, &follower.ap_id);
    Prepared::to_inbox(actor, activity, None, &follower.inbox)
}

/// Accept or Reject of a Join, embedding it (Mobilizon matches the Join by its id).
fn answer_join<'a>(
    app: &App,
    kind: &'static str,
    org: &'a ActorRow,
    join: &Value,
    participant: &str,
    inbox: &str,
) -> Prepared<'a> {
    let mut object = join.clone();
    if let Some(o) = object.as_object_mut() {
        o.remove("@context");
    }
    let activity = direct_activity(app, kind, org, object, participant);
    Prepared::to_inbox(org, activity, value_id(join), inbox)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Value, AppError> {
    serde_json::to_value(value).map_err(AppError::internal)
}

/// Stores the activity and queues it for its inboxes (local inboxes are skipped).
async fn enqueue(app: &App, conn: &mut Conn, p: &Prepared<'_>) -> Result<(), AppError> {
    let json = serde_json::to_string(&WithContext::new(&p.activity)).map_err(AppError::internal)?;
    let now = db::now_micros();
    let id = db::activities::insert_activity(
        conn,
        &p.activity.id,
        p.sender.id,
        p.activity.kind,
        p.about.as_deref(),
        p.public,
        &json,
        now,
    )
    .await?;
    let own_host = app.settings.domain.to_ascii_lowercase();
    let mut targets: Vec<(&str, String)> = Vec::with_capacity(p.inboxes.len());
    for inbox in &p.inboxes {
        let Ok(url) = Url::parse(inbox) else {
            tracing::warn!(inbox, "skipping a follower with an invalid inbox URL");
            continue;
        };
        let Some(host) = host_key(&url) else { continue };
        if host != own_host {
            targets.push((inbox.as_str(), host));
        }
    }
    let skipped = db::deliveries::insert_deliveries(conn, id, &targets, now).await?;
    crate::telemetry::deliveries(crate::telemetry::DeliveryOutcome::Dropped, skipped as u64);
    Ok(())
}

/// The delivery inboxes of an actor's accepted remote followers (shared inboxes preferred,
/// each once).
async fn follower_inboxes(conn: &mut Conn, actor_id: i64) -> Result<Vec<String>, AppError> {
    let rows = db::follows::list_follower_inboxes(conn, actor_id).await?;
    Ok(inboxes_of(rows))
}

/// Delivery inboxes of followers (shared inboxes preferred, each once).
fn inboxes_of(rows: Vec<db::follows::FollowerInboxRow>) -> Vec<String> {
    let recipients: Vec<Recipient> = rows
        .into_iter()
        .map(|r| Recipient {
            inbox: r.inbox,
            shared_inbox: r.shared_inbox,
        })
        .collect();
    delivery_inboxes(&recipients)
}

#[cfg(test)]
mod tests {
    use super::OutgoingKind;

    const FEDERATION_MD: &str = include_str!("../../../FEDERATION.md");

    /// The first cell (the activity in backticks) of each row of FEDERATION.md's "Activities we
    /// send" table.
    fn documented_activities() -> Vec<String> {
        let section = FEDERATION_MD
            .split("\n## Activities we send\n")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("FEDERATION.md has a section \"Activities we send\"");
        section
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn federation_md_lists_every_outgoing_kind_once() {
        let mut documented = documented_activities();
        let mut sent: Vec<String> = OutgoingKind::ALL
            .iter()
            .map(|k| k.wire_name().to_string())
            .collect();
        documented.sort();
        sent.sort();
        assert_eq!(
            documented, sent,
            "FEDERATION.md's \"Activities we send\" needs one row per `Outgoing` variant"
        );
    }
}
