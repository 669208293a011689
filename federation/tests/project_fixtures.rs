//! Project actor documents in the shapes ForgeFed and Revier publish (our own fixtures under
//! `tests/fixtures/forgefed/`), read by `incoming::project` with every field Revier uses.

use revier_federation::incoming::actor::ActorKind;
use revier_federation::incoming::project::{Link, ProjectDocument};

fn fixture(name: &str) -> ProjectDocument {
    let path = format!(
        "{}/../tests/fixtures/forgefed/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn href(link: &Option<Link>) -> Option<&str> {
    link.as_ref().and_then(Link::href)
}

#[test]
fn a_revier_project_is_read_with_every_catalogue_field() {
    let d = fixture("revier-project.json");
    let (p, actor) = (&d.project, &d.actor);
    assert!(p.is_project());
    assert_eq!(
        actor.id.as_deref(),
        Some("https://hub.example/projects/stadtplan")
    );
    assert_eq!(actor.preferred_username.as_deref(), Some("stadtplan"));
    assert_eq!(actor.name.as_deref(), Some("Stadtplan"));
    assert_eq!(
        p.short_description.as_deref(),
        Some("Ein offener Stadtplan für Kommunen")
    );
    assert!(actor
        .summary
        .as_deref()
        .unwrap()
        .starts_with("<p>Ein offener"));
    assert_eq!(
        p.description_markdown.as_deref(),
        Some("Der **Stadtplan** zeigt Orte, Wege und Baustellen. #opendata")
    );
    assert_eq!(href(&p.url), Some("https://hub.example/projects/stadtplan"));
    assert_eq!(
        href(&p.icon),
        Some("https://hub.example/media/stadtplan.png")
    );
    assert_eq!(actor.published.as_deref(), Some("2026-01-12T09:30:00Z"));
    assert_eq!(p.updated.as_deref(), Some("2026-03-02T14:05:00Z"));
    assert_eq!(p.license.as_deref(), Some("EUPL-1.2"));
    assert_eq!(
        href(&p.code_repository),
        Some("https://code.example/kommune/stadtplan")
    );
    assert_eq!(href(&p.homepage), Some("https://stadtplan.example/"));
    assert_eq!(p.programming_language.0, ["Rust", "TypeScript"]);
    assert_eq!(p.keywords.0, ["geodaten", "opendata"]);
    assert_eq!(p.development_status.as_deref(), Some("stable"));
    assert_eq!(p.maintenance_type.as_deref(), Some("community"));
    assert_eq!(p.application_category.as_deref(), Some("standalone/web"));
    assert_eq!(p.operating_system.0, ["web", "linux"]);
    let maintainers: Vec<_> = p.maintainers().into_iter().filter_map(Link::href).collect();
    assert_eq!(
        maintainers,
        [
            "https://hub.example/orgs/kommune",
            "https://other.example/orgs/verband"
        ]
    );
    assert_eq!(p.funder.0, ["Land Beispiel"]);
    assert_eq!(p.used_by.0, ["Stadt Musterhausen", "Gemeinde Beispielfeld"]);
    assert_eq!(p.award.0, ["Open-Source-Preis 2025"]);
    assert_eq!(p.software_version.as_deref(), Some("2.1.0"));
    assert_eq!(p.releases.len(), 2);
    let newest = p.releases[0].0.clone().unwrap();
    assert_eq!(newest.version.as_deref(), Some("2.1.0"));
    assert_eq!(newest.date_published.as_deref(), Some("2026-03-01"));
    assert_eq!(
        newest.release_notes.as_deref(),
        Some("Baustellen als eigene Ebene.")
    );
    let older = p.releases[1].0.clone().unwrap();
    assert_eq!(older.date_published, None);
    assert_eq!(
        p.publiccode_href(),
        Some("https://hub.example/projects/stadtplan/publiccode.yml")
    );
}

#[test]
fn a_forgefed_project_without_catalogue_terms_reads_its_name_and_summary() {
    let d = fixture("forgefed-project.json");
    let (p, actor) = (&d.project, &d.actor);
    assert!(p.is_project());
    assert_eq!(actor.preferred_username.as_deref(), Some("wegweiser"));
    assert_eq!(actor.name.as_deref(), Some("Wegweiser"));
    assert_eq!(
        actor.summary.as_deref(),
        Some("<p>Barrierefreie Wege durch das Rathaus</p>")
    );
    assert_eq!(actor.published.as_deref(), Some("2025-11-03T08:00:00Z"));
    // No catalogue terms: the server falls back to the summary as the description.
    assert_eq!(p.description_markdown, None);
    assert_eq!(p.short_description, None);
    assert_eq!(p.url, None);
    assert_eq!(p.license, None);
    assert!(p.maintainers().is_empty());
    assert!(p.keywords.0.is_empty() && p.programming_language.0.is_empty());
    assert!(p.releases.is_empty());
    assert_eq!(p.publiccode_href(), None);
}

#[test]
fn looser_shapes_read_as_one_or_many_and_id_or_object() {
    let d = fixture("lenient-project.json");
    let (p, actor) = (&d.project, &d.actor);
    assert!(p.is_project(), "a one-entry type list");
    assert_eq!(actor.name, None, "a name that is not text reads as absent");
    assert_eq!(
        href(&p.url),
        Some("https://lenient.example/p/karte/page"),
        "a Link object points to its url"
    );
    assert_eq!(href(&p.icon), Some("https://lenient.example/icon.png"));
    assert_eq!(href(&p.code_repository), Some("https://code.example/karte"));
    assert_eq!(
        href(&p.homepage),
        Some("https://karte.example/"),
        "the first of several"
    );
    assert_eq!(p.programming_language.0, ["Python", "Go"]);
    assert_eq!(p.keywords.0, ["karten"]);
    assert!(p.operating_system.0.is_empty());
    let maintainers: Vec<_> = p.maintainers().into_iter().filter_map(Link::href).collect();
    assert_eq!(maintainers, ["https://lenient.example/orgs/amt"]);
    assert_eq!(p.funder.0, ["Förderverein"]);
    assert_eq!(p.used_by.0, ["Landkreis Beispiel"]);
    assert_eq!(p.releases.len(), 3, "entries count as sent");
    assert!(p.releases[0].0.is_none());
    let second = p.releases[1].0.clone().unwrap();
    assert_eq!(second.version.as_deref(), Some("0.9"));
    assert_eq!(second.release_notes, None);
    assert_eq!(p.releases[2].0.clone().unwrap().version, None);
    assert_eq!(p.publiccode_href(), None, "source must be a link object");
    assert_eq!(p.updated, None);
}

#[test]
fn the_actor_part_is_read_as_any_actor_is() {
    let d = fixture("revier-project.json");
    let actor = &d.actor;
    assert_eq!(actor.kind, Some(ActorKind::Service), "the first actor type");
    assert_eq!(
        actor.inbox.as_deref(),
        Some("https://hub.example/projects/stadtplan/inbox")
    );
    assert_eq!(
        actor.public_key[0].owner.as_deref(),
        Some("https://hub.example/projects/stadtplan")
    );
    assert_eq!(actor.username().as_deref(), Some("stadtplan"));
    // A `Link` object: the project reads its `url`, the actor (as Mastodon) its `href`.
    let d = fixture("lenient-project.json");
    let (p, actor) = (&d.project, &d.actor);
    assert_eq!(href(&p.url), Some("https://lenient.example/p/karte/page"));
    assert_eq!(
        actor.url.as_deref(),
        Some("https://lenient.example/karte.html")
    );
    assert_eq!(actor.kind, None, "Project alone is no actor type");
}
