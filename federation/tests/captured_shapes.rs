//! Our own documents in the shapes every server of `shared/fixtures/captured/` sends (written
//! by us under `tests/fixtures/<software>/`, with our own values and example hosts) parse into
//! the typed incoming types, with the fields Revier uses: ids, inboxes, keys, names, text,
//! addressing, replies, and the activity the inbox acts on.
// Test scenarios read top to bottom; the 80-line rule is for the product's code.
#![allow(clippy::too_many_lines)]

use revier_federation::incoming::activity::{InboxActivity, Posted, Reaction};
use revier_federation::incoming::actor::{Actor, ActorKind};
use revier_federation::incoming::note::Note;
use revier_federation::incoming::parse_activity;
use serde_json::Value;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
const OUR_EVENT: &str = "https://revier.example/events/7";
const OUR_ORG: &str = "https://revier.example/orgs/kiez";

fn raw(path: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn doc(path: &str) -> Value {
    serde_json::from_str(&raw(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn actor(path: &str) -> Actor {
    Actor::from_value(&doc(path)).unwrap_or_else(|| panic!("{path} is not an actor"))
}

fn note(path: &str) -> Note {
    Note::from_value(&doc(path)).unwrap_or_else(|| panic!("{path} is not a note"))
}

fn activity(path: &str) -> InboxActivity {
    let a = parse_activity(raw(path).as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"));
    InboxActivity::of(&a).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The note a Create or Update carries inline.
fn posted_note(path: &str) -> (String, Note) {
    match activity(path) {
        InboxActivity::Create(Posted::Note(oid, n))
        | InboxActivity::Update(Posted::Note(oid, n)) => (oid.to_string(), *n),
        other => panic!("{path}: {other:?}"),
    }
}

struct ActorShape {
    path: &'static str,
    kind: ActorKind,
    username: &'static str,
    inbox: &'static str,
    shared_inbox: Option<&'static str>,
    key_id: &'static str,
    name: Option<&'static str>,
    icon: Option<&'static str>,
}

const ACTORS: &[ActorShape] = &[
    ActorShape {
        path: "mastodon/person.json",
        kind: ActorKind::Person,
        username: "wren",
        inbox: "https://social.example/users/wren/inbox",
        shared_inbox: Some("https://social.example/inbox"),
        key_id: "https://social.example/users/wren#main-key",
        name: Some("Wren Ostermann"),
        icon: Some("https://files.social.example/avatars/wren.png"),
    },
    ActorShape {
        path: "mobilizon/group.json",
        kind: ActorKind::Group,
        username: "gartenfreunde",
        inbox: "https://mobilizon.example/@gartenfreunde/inbox",
        shared_inbox: Some("https://mobilizon.example/inbox"),
        key_id: "https://mobilizon.example/@gartenfreunde#main-key",
        name: Some("Gartenfreunde Nordstadt"),
        icon: Some("https://mobilizon.example/media/garten.png"),
    },
    ActorShape {
        path: "mobilizon/person.json",
        kind: ActorKind::Person,
        username: "ilka",
        inbox: "https://mobilizon.example/@ilka/inbox",
        shared_inbox: Some("https://mobilizon.example/inbox"),
        key_id: "https://mobilizon.example/@ilka#main-key",
        name: Some("Ilka"),
        icon: None,
    },
    ActorShape {
        path: "lemmy/group.json",
        kind: ActorKind::Group,
        username: "radwege",
        inbox: "https://lemmy.example/c/radwege/inbox",
        shared_inbox: Some("https://lemmy.example/inbox"),
        key_id: "https://lemmy.example/c/radwege#main-key",
        name: Some("Radwege im Revier"),
        icon: Some("https://lemmy.example/pictrs/image/rad.png"),
    },
    ActorShape {
        path: "lemmy/person.json",
        kind: ActorKind::Person,
        username: "fenna",
        inbox: "https://lemmy.example/u/fenna/inbox",
        shared_inbox: Some("https://lemmy.example/inbox"),
        key_id: "https://lemmy.example/u/fenna#main-key",
        name: Some("Fenna"),
        icon: Some("https://lemmy.example/pictrs/image/fenna.png"),
    },
    ActorShape {
        path: "lemmy/instance.json",
        kind: ActorKind::Application,
        username: "lemmy.example",
        inbox: "https://lemmy.example/inbox",
        shared_inbox: None,
        key_id: "https://lemmy.example/#main-key",
        name: Some("Lemmy im Revier"),
        icon: None,
    },
    ActorShape {
        path: "gnusocial/person.json",
        kind: ActorKind::Person,
        username: "jorin",
        inbox: "https://gnusocial.example/actor/5/inbox.json",
        shared_inbox: Some("https://gnusocial.example/inbox.json"),
        key_id: "https://gnusocial.example/actor/5#public-key",
        name: Some("Jorin"),
        icon: None,
    },
    ActorShape {
        path: "gnusocial/group.json",
        kind: ActorKind::Group,
        username: "strickkreis",
        inbox: "https://gnusocial.example/actor/50/inbox.json",
        shared_inbox: Some("https://gnusocial.example/inbox.json"),
        key_id: "https://gnusocial.example/actor/5#public-key",
        name: Some("Strickkreis"),
        icon: None,
    },
    ActorShape {
        path: "friendica/person.json",
        kind: ActorKind::Person,
        username: "malte",
        inbox: "https://friendica.example/inbox/malte",
        shared_inbox: Some("https://friendica.example/inbox"),
        key_id: "https://friendica.example/profile/malte#main-key",
        name: Some("Malte"),
        icon: Some("https://friendica.example/photo/profile/malte.jpg"),
    },
    ActorShape {
        path: "friendica/organization.json",
        kind: ActorKind::Organization,
        username: "tafel",
        inbox: "https://friendica.example/inbox/tafel",
        shared_inbox: Some("https://friendica.example/inbox"),
        key_id: "https://friendica.example/profile/tafel#main-key",
        name: Some("Tafel Nord"),
        icon: Some("https://friendica.example/photo/profile/tafel.jpg"),
    },
    ActorShape {
        path: "pleroma/person.json",
        kind: ActorKind::Person,
        username: "kalle",
        inbox: "https://pleroma.example/users/kalle/inbox",
        shared_inbox: Some("https://pleroma.example/inbox"),
        key_id: "https://pleroma.example/users/kalle#main-key",
        name: Some("Kalle :bike:"),
        icon: Some("https://pleroma.example/media/kalle.png"),
    },
    ActorShape {
        path: "peertube/person.json",
        kind: ActorKind::Person,
        username: "hanne",
        inbox: "https://peertube.example/accounts/hanne/inbox",
        shared_inbox: Some("https://peertube.example/inbox"),
        key_id: "https://peertube.example/accounts/hanne#main-key",
        name: Some("Hanne"),
        icon: Some("https://peertube.example/lazy-static/avatars/hanne-48.png"),
    },
    ActorShape {
        path: "peertube/group.json",
        kind: ActorKind::Group,
        username: "werkstatt",
        inbox: "https://peertube.example/video-channels/werkstatt/inbox",
        shared_inbox: Some("https://peertube.example/inbox"),
        key_id: "https://peertube.example/video-channels/werkstatt#main-key",
        name: Some("Offene Werkstatt"),
        icon: Some("https://peertube.example/lazy-static/avatars/werkstatt-48.png"),
    },
    ActorShape {
        path: "wordpress/person.json",
        kind: ActorKind::Person,
        username: "greta",
        inbox: "https://blog.example/wp-json/activitypub/1.0/actors/2/inbox",
        shared_inbox: Some("https://blog.example/wp-json/activitypub/1.0/inbox"),
        key_id: "https://blog.example/author/greta/#main-key",
        name: Some("Greta"),
        icon: Some("https://blog.example/wp-content/uploads/greta.png"),
    },
    ActorShape {
        path: "wordpress/group.json",
        kind: ActorKind::Group,
        username: "blog.example",
        inbox: "https://blog.example/wp-json/activitypub/1.0/actors/0/inbox",
        shared_inbox: Some("https://blog.example/wp-json/activitypub/1.0/inbox"),
        key_id: "https://blog.example/?author=0#main-key",
        name: Some("Stadtgrün"),
        icon: Some("https://blog.example/wp-content/uploads/site.png"),
    },
    ActorShape {
        path: "discourse/person.json",
        kind: ActorKind::Person,
        username: "tilda",
        inbox: "https://forum.example/ap/actor/1a2b/inbox",
        shared_inbox: Some("https://forum.example/ap/users/inbox"),
        key_id: "https://forum.example/ap/actor/1a2b#main-key",
        name: Some("Tilda"),
        icon: Some("https://forum.example/user_avatar/tilda.png"),
    },
    ActorShape {
        path: "discourse/group.json",
        kind: ActorKind::Group,
        username: "stadtteil",
        inbox: "https://forum.example/ap/actor/3c4d/inbox",
        shared_inbox: None,
        key_id: "https://forum.example/ap/actor/3c4d#main-key",
        name: Some("Stadtteil"),
        icon: Some("https://forum.example/uploads/stadtteil.png"),
    },
    ActorShape {
        path: "lotide/person.json",
        kind: ActorKind::Person,
        username: "otto",
        inbox: "https://lotide.example/users/3/inbox",
        shared_inbox: Some("https://lotide.example/inbox"),
        key_id: "https://lotide.example//users/3#main-key",
        name: Some("otto"),
        icon: None,
    },
    ActorShape {
        path: "lotide/group.json",
        kind: ActorKind::Group,
        username: "wandern",
        inbox: "https://lotide.example/communities/12/inbox",
        shared_inbox: None,
        key_id: "https://lotide.example//communities/12#main-key",
        name: Some("wandern"),
        icon: None,
    },
    ActorShape {
        path: "mbin/instance.json",
        kind: ActorKind::Application,
        username: "mbin.example",
        inbox: "https://mbin.example/i/inbox",
        shared_inbox: None,
        key_id: "https://mbin.example/i/actor#main-key",
        name: Some("Mbin"),
        icon: None,
    },
    ActorShape {
        path: "nodebb/person.json",
        kind: ActorKind::Person,
        username: "bea",
        inbox: "https://nodebb.example/uid/7/inbox",
        shared_inbox: Some("https://nodebb.example/inbox"),
        key_id: "https://nodebb.example/uid/7#key",
        name: Some("Bea"),
        icon: None,
    },
    ActorShape {
        path: "nodebb/group.json",
        kind: ActorKind::Group,
        username: "nachbarschaft",
        inbox: "https://nodebb.example/category/3/inbox",
        shared_inbox: Some("https://nodebb.example/inbox"),
        key_id: "https://nodebb.example/category/3#key",
        name: Some("Nachbarschaft"),
        icon: Some("https://nodebb.example/assets/uploads/category-3.png"),
    },
    ActorShape {
        path: "smithereen/person.json",
        kind: ActorKind::Person,
        username: "nele",
        inbox: "https://smithereen.example/users/4/inbox",
        shared_inbox: Some("https://smithereen.example/activitypub/sharedInbox"),
        key_id: "https://smithereen.example/users/4#main-key",
        name: Some("Nele Brandt"),
        icon: Some("https://smithereen.example/s/uploads/avatars/nele.webp"),
    },
];

#[test]
fn actors_of_every_software_parse_with_the_fields_we_use() {
    for shape in ACTORS {
        let v = doc(shape.path);
        let a = actor(shape.path);
        let p = shape.path;
        assert_eq!(a.id.as_deref(), v["id"].as_str(), "{p}");
        assert_eq!(a.kind, Some(shape.kind), "{p}");
        assert_eq!(a.username().as_deref(), Some(shape.username), "{p}");
        assert_eq!(a.inbox.as_deref(), Some(shape.inbox), "{p}");
        let shared = a.shared_inboxes().into_iter().flatten().next();
        assert_eq!(shared, shape.shared_inbox, "{p}");
        assert_eq!(a.public_key.len(), 1, "{p}");
        assert_eq!(a.public_key[0].id.as_deref(), Some(shape.key_id), "{p}");
        assert!(a.public_key[0]
            .public_key_pem
            .as_deref()
            .is_some_and(|k| k.starts_with("-----BEGIN PUBLIC KEY-----")));
        assert_eq!(a.name.as_deref(), shape.name, "{p}");
        assert_eq!(
            a.icon.as_ref().and_then(|i| i.url.as_deref()),
            shape.icon,
            "{p}"
        );
    }
}

#[test]
fn key_owners_are_read_as_sent() {
    // Every actor owns its key, except GNU social's group, whose key is its creator's: the
    // server refuses such an actor (`remote_actors`), here we only read the owner.
    for shape in ACTORS {
        let a = actor(shape.path);
        let owner = a.public_key[0].owner.clone();
        if shape.path == "gnusocial/group.json" {
            assert_eq!(owner.as_deref(), Some("https://gnusocial.example/actor/5"));
        } else {
            assert_eq!(owner, a.id, "{}", shape.path);
        }
    }
}

#[test]
fn profile_fields_urls_and_flags_are_read() {
    let m = actor("mastodon/person.json");
    assert_eq!(m.url.as_deref(), Some("https://social.example/@wren"));
    assert_eq!(m.discoverable, Some(true));
    assert_eq!(m.manually_approves_followers, Some(false));
    assert_eq!(m.published.as_deref(), Some("2024-03-01T00:00:00Z"));
    assert_eq!(m.profile_fields(50).count(), 1);
    assert_eq!(
        m.followers.as_deref(),
        Some("https://social.example/users/wren/followers")
    );
    let f = actor("friendica/person.json");
    let fields: Vec<_> = f.profile_fields(50).collect();
    assert_eq!(fields[1], ("Kamera", "Analog"));
    assert_eq!(
        actor("friendica/organization.json").manually_approves_followers,
        Some(true)
    );
    // WordPress lists a `Link` beside its PropertyValue: only the PropertyValue is a field.
    assert_eq!(actor("wordpress/group.json").profile_fields(50).count(), 1);
    assert_eq!(
        actor("wordpress/group.json").webfinger.as_deref(),
        Some("acct:blog.example@blog.example")
    );
    // Lemmy groups have no `url`; NodeBB sends `icon: null`.
    assert_eq!(actor("lemmy/group.json").url, None);
    assert!(actor("nodebb/person.json").icon.is_none());
}

#[test]
fn a_username_falls_back_to_webfinger() {
    let mut v = doc("wordpress/person.json");
    v.as_object_mut().unwrap().remove("preferredUsername");
    assert_eq!(
        Actor::from_value(&v).unwrap().username().as_deref(),
        Some("greta")
    );
    let mut v = doc("wordpress/group.json");
    v.as_object_mut().unwrap().remove("preferredUsername");
    assert_eq!(
        Actor::from_value(&v).unwrap().username().as_deref(),
        Some("blog.example")
    );
}

#[test]
fn fields_of_unexpected_shapes_are_skipped() {
    let mut v = doc("mastodon/person.json");
    v["name"] = Value::from(42);
    v["discoverable"] = Value::from("yes");
    v["attachment"] = Value::from("none");
    v["endpoints"] = Value::from(["x"]);
    v["publicKey"] = serde_json::json!([v["publicKey"].clone(), "stray", ["k", "o", "pem"]]);
    v["icon"] = serde_json::json!([["https://files.social.example/x.png"]]);
    let a = Actor::from_value(&v).unwrap();
    assert_eq!(a.name, None);
    assert_eq!(a.discoverable, None);
    assert!(a.attachment.is_empty());
    assert_eq!(a.shared_inboxes(), [None, None]);
    assert_eq!(a.public_key.len(), 3);
    assert!(a.public_key[1..].iter().all(|k| k.owner.is_none()));
    assert!(a.icon.is_none());
    assert_eq!(
        a.inbox.as_deref(),
        Some("https://social.example/users/wren/inbox")
    );
    assert!(Actor::from_value(&Value::from("https://social.example/users/wren")).is_none());
}

#[test]
fn posts_of_every_software_parse_with_the_fields_we_use() {
    // Lemmy: a Page in a group (`audience`), and a comment replying to one of our events.
    let page = note("lemmy/page.json");
    assert_eq!(page.kind.as_deref(), Some("Page"));
    assert_eq!(page.name.as_deref(), Some("Neuer Radweg an der Emscher"));
    assert_eq!(
        page.audience.as_deref(),
        Some("https://lemmy.example/c/radwege")
    );
    assert_eq!(
        page.attributed_to.as_deref(),
        Some("https://lemmy.example/u/fenna")
    );
    assert_eq!(page.text(), Some("<p>Ab Montag <strong>frei</strong>.</p>"));
    assert_eq!(page.to, ["https://lemmy.example/c/radwege", PUBLIC]);
    assert!(
        page.hashtags.is_empty(),
        "Lemmy's community tags are not hashtags"
    );
    let comment = note("lemmy/comment.json");
    assert_eq!(comment.parent(), Some(OUR_EVENT));
    assert_eq!(comment.updated.as_deref(), Some("2025-02-02T09:00:00Z"));
    assert_eq!(comment.cc, ["https://lemmy.example/c/radwege/followers"]);
    // Discourse: a topic is a Note with a title and a group audience.
    let topic = note("discourse/page.json");
    assert_eq!(topic.name.as_deref(), Some("Flohmarkt im März"));
    assert_eq!(
        topic.audience.as_deref(),
        Some("https://forum.example/ap/actor/3c4d")
    );
    assert_eq!(
        topic.context.as_deref(),
        Some("https://forum.example/ap/collection/7a8b")
    );
    // WordPress: an Article with language maps and hashtags; a comment with contentMap.
    let article = note("wordpress/article.json");
    assert_eq!(article.kind.as_deref(), Some("Article"));
    assert_eq!(article.language(), Some("de"));
    assert_eq!(article.hashtags, ["#garten", "#DIY"]);
    assert_eq!(
        article.url.as_deref(),
        Some("https://blog.example/2025/01/hochbeete/")
    );
    assert_eq!(article.summary.as_deref(), Some("<p>Anleitung</p>"));
    let wp_comment = note("wordpress/note.json");
    assert_eq!(wp_comment.parent(), Some(OUR_EVENT));
    assert_eq!(wp_comment.text(), Some("<p>Antwort aus dem Blog.</p>"));
    assert!(wp_comment.cc.is_empty());
    // NodeBB: `inReplyTo` and `updated` are null.
    let topic = note("nodebb/article.json");
    assert_eq!(topic.parent(), None);
    assert_eq!(topic.updated, None);
    assert_eq!(
        topic.audience.as_deref(),
        Some("https://nodebb.example/category/3")
    );
    assert_eq!(topic.to, [PUBLIC, "https://nodebb.example/category/3"]);
}

/// A fixture, its object id, author, reply target, first `to` and language.
type PostShape = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
);

#[test]
fn notes_inside_activities_of_every_software_parse() {
    // (fixture, object id, author, reply target, first `to`, language)
    let cases: &[PostShape] = &[
        (
            "lemmy/create_page.json",
            "https://lemmy.example/post/4711",
            "https://lemmy.example/u/fenna",
            None,
            "https://lemmy.example/c/radwege",
            None,
        ),
        (
            "lemmy/update_page.json",
            "https://lemmy.example/post/4711",
            "https://lemmy.example/u/fenna",
            None,
            "https://lemmy.example/c/radwege",
            None,
        ),
        (
            "lemmy/create_comment.json",
            "https://lemmy.example/comment/815",
            "https://lemmy.example/u/fenna",
            Some(OUR_EVENT),
            PUBLIC,
            None,
        ),
        (
            "gnusocial/create_note.json",
            "https://gnusocial.example/object/note/301",
            "https://gnusocial.example/actor/5",
            Some(OUR_EVENT),
            PUBLIC,
            None,
        ),
        (
            "gnusocial/create_page.json",
            "https://gnusocial.example/object/note/302",
            "https://gnusocial.example/actor/5",
            None,
            PUBLIC,
            None,
        ),
        (
            "friendica/create_note.json",
            "https://friendica.example/objects/f00d-1",
            "https://friendica.example/profile/malte",
            Some(OUR_EVENT),
            PUBLIC,
            Some("de"),
        ),
        (
            "friendica/update_note.json",
            "https://friendica.example/objects/f00d-1",
            "https://friendica.example/profile/malte",
            Some(OUR_EVENT),
            PUBLIC,
            Some("de"),
        ),
        (
            "friendica/create_article.json",
            "https://friendica.example/objects/f00d-2",
            "https://friendica.example/profile/malte",
            None,
            PUBLIC,
            Some("de"),
        ),
        (
            "pleroma/create_note.json",
            "https://pleroma.example/objects/c0ffee-1",
            "https://pleroma.example/users/kalle",
            Some(OUR_EVENT),
            PUBLIC,
            None,
        ),
        (
            "peertube/create_comment.json",
            "https://peertube.example/videos/watch/0a1b/comments/88",
            "https://peertube.example/accounts/hanne",
            Some(OUR_EVENT),
            PUBLIC,
            None,
        ),
        (
            "wordpress/create_article.json",
            "https://blog.example/?p=12",
            "https://blog.example/author/greta/",
            None,
            PUBLIC,
            Some("de"),
        ),
        (
            "lotide/create_note_reply.json",
            "https://lotide.example/comments/40",
            "https://lotide.example/users/3",
            Some(OUR_EVENT),
            OUR_ORG,
            None,
        ),
        (
            "lotide/create_page.json",
            "https://lotide.example/posts/41",
            "https://lotide.example/users/3",
            None,
            "https://lotide.example/communities/12",
            None,
        ),
        (
            "mitra/create_note.json",
            "https://mitra.example/objects/0194",
            "https://mitra.example/users/ruth",
            None,
            PUBLIC,
            Some("de"),
        ),
        (
            "smithereen/create_note.json",
            "https://smithereen.example/posts/77",
            "https://smithereen.example/users/4",
            Some(OUR_EVENT),
            PUBLIC,
            None,
        ),
    ];
    for &(path, id, author, parent, to, language) in cases {
        let (oid, n) = posted_note(path);
        assert_eq!(oid, id, "{path}");
        assert_eq!(n.id.as_deref(), Some(id), "{path}");
        assert_eq!(n.attributed_to.as_deref(), Some(author), "{path}");
        assert_eq!(n.parent(), parent, "{path}");
        assert_eq!(n.to.first().map(String::as_str), Some(to), "{path}");
        assert_eq!(n.language(), language, "{path}");
        assert!(n.published.is_some(), "{path}");
    }
    // Lotide addresses with single strings, also in `cc`.
    let (_, page) = posted_note("lotide/create_page.json");
    assert_eq!(page.cc, [PUBLIC]);
    assert_eq!(page.url.as_deref(), Some("https://touren.example/sonntag"));
    assert_eq!(page.text(), None);
    // Friendica sends hashtags with their `#`, and an edit with `updated`.
    let (_, edited) = posted_note("friendica/update_note.json");
    assert_eq!(edited.hashtags, ["#zeche"]);
    assert_eq!(edited.updated.as_deref(), Some("2025-01-08T11:00:00Z"));
    assert_eq!(edited.text(), Some("Schöne Idee, bis Samstag!"));
    // Mitra names the followers collection as audience and a thread as context.
    let (_, post) = posted_note("mitra/create_note.json");
    assert_eq!(
        post.audience.as_deref(),
        Some("https://mitra.example/users/ruth/followers")
    );
    assert_eq!(
        post.context.as_deref(),
        Some("https://mitra.example/collections/contexts/0194")
    );
}

#[test]
fn follows_and_their_answers_of_every_software_are_read() {
    for path in [
        "mastodon/follow.json",
        "lemmy/follow.json",
        "pleroma/follow.json",
        "lotide/follow.json",
    ] {
        match activity(path) {
            InboxActivity::Follow(target) => assert_eq!(target.as_str(), OUR_ORG, "{path}"),
            other => panic!("{path}: {other:?}"),
        }
    }
    for path in ["mastodon/undo_follow.json", "lemmy/undo_follow.json"] {
        match activity(path) {
            InboxActivity::UndoFollow(undone) => {
                assert_eq!(undone.object.as_deref(), Some(OUR_ORG), "{path}");
                assert!(undone.id.is_some(), "{path}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
    // Lemmy and Mbin embed our Follow; Mitra names only its id.
    for (path, follow, actor) in [
        (
            "lemmy/accept.json",
            "https://revier.example/follows/31",
            Some("https://revier.example/users/ada"),
        ),
        (
            "mbin/accept.json",
            "https://revier.example/follows/33",
            Some("https://revier.example/users/ada"),
        ),
        (
            "mitra/accept.json",
            "https://revier.example/follows/32",
            None,
        ),
    ] {
        match activity(path) {
            InboxActivity::Accept(answered) => {
                assert_eq!(answered.id.as_deref(), Some(follow), "{path}");
                assert_eq!(answered.actor.as_deref(), actor, "{path}");
                assert_eq!(answered.kind.is_some(), actor.is_some(), "{path}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
}

#[test]
fn reactions_of_every_software_are_read() {
    for (path, kind) in [
        ("lemmy/like.json", Reaction::Like),
        ("gnusocial/like.json", Reaction::Like),
        ("friendica/like.json", Reaction::Like),
        ("peertube/announce.json", Reaction::Announce),
    ] {
        match activity(path) {
            InboxActivity::React(k, object) => {
                assert_eq!(k, kind, "{path}");
                assert_eq!(object.as_deref(), Some(OUR_EVENT), "{path}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
    match activity("lemmy/undo_like.json") {
        InboxActivity::UndoReaction(Reaction::Like, undone) => {
            assert_eq!(undone.object.as_deref(), Some(OUR_EVENT));
            assert_eq!(
                undone.actor.as_deref(),
                Some("https://lemmy.example/u/fenna")
            );
            assert_eq!(
                undone.id.as_deref(),
                Some("https://lemmy.example/activities/like/9a4")
            );
        }
        other => panic!("{other:?}"),
    }
    // Dislikes are not acted on: a Dislike is dropped before dispatch, its Undo is ignored.
    let dislike = parse_activity(raw("lemmy/dislike.json").as_bytes()).unwrap();
    assert!(!revier_federation::incoming::activity::HANDLED_TYPES.contains(&dislike.kind.as_str()));
    assert!(matches!(
        activity("friendica/undo_dislike.json"),
        InboxActivity::Unsupported
    ));
    // Lemmy's group announces the Create of a post: the object is the activity's id, not ours.
    match activity("lemmy/announce_create_page.json") {
        InboxActivity::React(Reaction::Announce, object) => assert_eq!(
            object.as_deref(),
            Some("https://lemmy.example/activities/create/5c2a")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn deletions_and_profile_updates_of_every_software_are_read() {
    for (path, object) in [
        (
            "mastodon/delete_tombstone.json",
            "https://social.example/users/wren/statuses/1101",
        ),
        (
            "friendica/delete.json",
            "https://friendica.example/objects/f00d-1",
        ),
        (
            "pleroma/delete.json",
            "https://pleroma.example/objects/c0ffee-1",
        ),
        ("lemmy/delete_page.json", "https://lemmy.example/post/4711"),
        (
            "lotide/delete_note.json",
            "https://lotide.example/comments/40",
        ),
    ] {
        match activity(path) {
            InboxActivity::Delete(oid) => assert_eq!(oid.as_str(), object, "{path}"),
            other => panic!("{path}: {other:?}"),
        }
    }
    for path in ["mastodon/delete_actor.json", "lemmy/delete_user.json"] {
        assert!(
            matches!(activity(path), InboxActivity::DeleteActor),
            "{path}"
        );
    }
    match activity("lemmy/update_community.json") {
        InboxActivity::UpdateActor(group) => {
            assert_eq!(group.id.as_deref(), Some("https://lemmy.example/c/radwege"));
            assert_eq!(group.kind, Some(ActorKind::Group));
            assert_eq!(group.name.as_deref(), Some("Radwege im Revier (neu)"));
        }
        other => panic!("{other:?}"),
    }
}
