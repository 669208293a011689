//! schema.org JSON-LD of the instance's public objects: `Event`, `SoftwareSourceCode`,
//! `Organization`, and the home page's `WebSite`. The same documents go into the pages'
//! `<script type="application/ld+json">` (for search engines and portals) and into the
//! open-data exports. The context is given inline (no reader has to fetch schema.org's), with
//! schema.org's own term definitions for the properties whose values are links.

use serde_json::{json, Map, Value};

use crate::db::actors::ActorRow;
use crate::db::events::{EventRow, EventStatus};
use crate::db::projects::ProjectRow;
use crate::domain::event_summary::{local_time, tz_of};
use crate::domain::text::strip_html;

/// The schema.org vocabulary as RDF names it (the IRIs schema.org's own context expands to).
pub const SCHEMA: &str = "http://schema.org/";

/// The inline context: schema.org as the vocabulary, links typed as IRIs.
pub fn context() -> Value {
    let mut c = Map::new();
    c.insert("@vocab".into(), Value::String(SCHEMA.into()));
    for term in [
        "url",
        "sameAs",
        "codeRepository",
        "logo",
        "image",
        "license",
        "eventStatus",
        "eventAttendanceMode",
    ] {
        c.insert(term.into(), json!({ "@type": "@id" }));
    }
    Value::Object(c)
}

/// A document of one object (or a `@graph` of several) with the context.
pub fn document(body: Value) -> Value {
    match body {
        Value::Object(mut o) => {
            let mut doc = Map::new();
            doc.insert("@context".into(), context());
            doc.append(&mut o);
            Value::Object(doc)
        }
        Value::Array(items) => json!({ "@context": context(), "@graph": items }),
        other => other,
    }
}

/// JSON to put inside `<script type="application/ld+json">`: `<`, `>` and `&` as JSON
/// escapes, so no text of the data (a title like `</script>`) can end the element or open a
/// comment; the JSON means the same.
pub fn embeddable(doc: &Value) -> String {
    doc.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn put(o: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        let v: Value = v.into();
        let empty = v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty());
        if !empty {
            o.insert(key.into(), v);
        }
    }
}

fn text(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The date or date-time of an event's start or end, in its own zone.
fn event_time(row: &EventRow, micros: i64) -> String {
    let at = local_time(micros, tz_of(&row.timezone));
    if row.all_day {
        at.format("%Y-%m-%d").to_string()
    } else {
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }
}

fn event_status(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Scheduled | EventStatus::Tentative => "EventScheduled",
        EventStatus::Cancelled => "EventCancelled",
        EventStatus::Postponed => "EventPostponed",
        EventStatus::Rescheduled => "EventRescheduled",
        EventStatus::MovedOnline => "EventMovedOnline",
    }
}

/// The physical place of an event, if it has one.
fn place(row: &EventRow) -> Option<Value> {
    let has_address = [
        &row.street_address,
        &row.postal_code,
        &row.locality,
        &row.country,
    ]
    .iter()
    .any(|f| f.is_some());
    if row.place_name.is_none() && !has_address && row.latitude.is_none() {
        return None;
    }
    let mut p = Map::new();
    p.insert("@type".into(), json!("Place"));
    put(&mut p, "name", row.place_name.clone());
    if has_address {
        let mut a = Map::new();
        a.insert("@type".into(), json!("PostalAddress"));
        put(&mut a, "streetAddress", row.street_address.clone());
        put(&mut a, "postalCode", row.postal_code.clone());
        put(&mut a, "addressLocality", row.locality.clone());
        put(&mut a, "addressRegion", row.region.clone());
        put(&mut a, "addressCountry", row.country.clone());
        p.insert("address".into(), Value::Object(a));
    }
    if let (Some(lat), Some(lon)) = (row.latitude, row.longitude) {
        p.insert(
            "geo".into(),
            json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}),
        );
    }
    Some(Value::Object(p))
}

/// An organizer or maintainer: an organization with its page.
pub fn organization_ref(name: &str, url: &str) -> Value {
    json!({"@type": "Organization", "name": name, "url": url})
}

/// schema.org `Event` of an event row (`id`: its IRI, `url`: its page).
pub fn event(row: &EventRow, id: &str, organizer: &ActorRow) -> Value {
    let mut o = Map::new();
    o.insert("@type".into(), json!("Event"));
    o.insert("@id".into(), json!(id));
    o.insert("name".into(), json!(row.title));
    put(
        &mut o,
        "description",
        text(&strip_html(&row.description_html)),
    );
    o.insert(
        "url".into(),
        json!(row.url.clone().unwrap_or_else(|| id.to_string())),
    );
    o.insert("startDate".into(), json!(event_time(row, row.starts_at)));
    o.insert("endDate".into(), json!(event_time(row, row.ends_at)));
    o.insert(
        "eventStatus".into(),
        json!(format!("{SCHEMA}{}", event_status(row.status))),
    );
    let place = place(row);
    let online = row.online_url.as_deref().filter(|u| !u.trim().is_empty());
    let mode = match (place.is_some(), online.is_some()) {
        (true, true) => "MixedEventAttendanceMode",
        (false, true) => "OnlineEventAttendanceMode",
        _ => "OfflineEventAttendanceMode",
    };
    o.insert(
        "eventAttendanceMode".into(),
        json!(format!("{SCHEMA}{mode}")),
    );
    let mut locations: Vec<Value> = place.into_iter().collect();
    if let Some(u) = online {
        locations.push(json!({"@type": "VirtualLocation", "url": u}));
    }
    match locations.len() {
        0 => {}
        1 => {
            o.insert("location".into(), locations.remove(0));
        }
        _ => {
            o.insert("location".into(), Value::Array(locations));
        }
    }
    let name = if organizer.name.trim().is_empty() {
        &organizer.username
    } else {
        &organizer.name
    };
    o.insert("organizer".into(), organization_ref(name, &organizer.url));
    put(&mut o, "inLanguage", text(&row.language));
    put(&mut o, "keywords", text(&row.tags.join(", ")));
    put(&mut o, "image", row.banner_url.clone());
    put(&mut o, "maximumAttendeeCapacity", row.capacity);
    Value::Object(o)
}

/// The URL of an SPDX licence's page for a single identifier, else the expression itself.
fn license_value(spdx: &str) -> String {
    let simple = !spdx.is_empty()
        && spdx
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+'));
    if simple {
        format!("https://spdx.org/licenses/{spdx}.html")
    } else {
        spdx.to_string()
    }
}

/// Where a project is published: its IRI (= page), its organization, its publiccode.yml.
pub struct ProjectLinks<'a> {
    pub id: &'a str,
    pub org_name: &'a str,
    pub org_url: &'a str,
    pub publiccode_url: Option<String>,
}

/// schema.org `SoftwareSourceCode` of a project.
pub fn project(row: &ProjectRow, links: &ProjectLinks<'_>) -> Value {
    let mut o = Map::new();
    o.insert("@type".into(), json!("SoftwareSourceCode"));
    o.insert("@id".into(), json!(links.id));
    o.insert("name".into(), json!(row.name));
    put(&mut o, "description", text(&row.summary));
    o.insert("url".into(), json!(links.id));
    put(&mut o, "codeRepository", row.repository.clone());
    put(&mut o, "sameAs", row.website.clone());
    if let Some(l) = row.license.as_deref().filter(|l| !l.trim().is_empty()) {
        if l.contains(' ') {
            // An SPDX expression (`MIT OR Apache-2.0`) is no single link: as text.
            o.insert("license".into(), json!({"@value": l}));
        } else {
            o.insert("license".into(), json!(license_value(l)));
        }
    }
    if !row.languages.is_empty() {
        o.insert("programmingLanguage".into(), json!(row.languages));
    }
    put(&mut o, "keywords", text(&row.topics.join(", ")));
    put(&mut o, "creativeWorkStatus", row.development_status.clone());
    put(&mut o, "image", row.logo.clone());
    o.insert(
        "maintainer".into(),
        organization_ref(links.org_name, links.org_url),
    );
    o.insert("dateModified".into(), json!(iso(row.updated)));
    o.insert("datePublished".into(), json!(iso(row.published)));
    if let Some(u) = &links.publiccode_url {
        o.insert(
            "subjectOf".into(),
            json!({"@type": "CreativeWork", "name": "publiccode.yml", "url": u,
                   "encodingFormat": "application/yaml"}),
        );
    }
    Value::Object(o)
}

/// A timestamp (unix microseconds) as an ISO 8601 date-time in UTC.
pub fn iso(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// What an organization's document says.
pub struct OrgFacts<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Plain text.
    pub description: &'a str,
    pub logo: Option<&'a str>,
    /// Links the organization gave (web site, code forge, social profiles).
    pub same_as: Vec<String>,
}

/// schema.org `Organization`.
pub fn organization(f: &OrgFacts<'_>) -> Value {
    let mut o = Map::new();
    o.insert("@type".into(), json!("Organization"));
    o.insert("@id".into(), json!(f.id));
    o.insert("name".into(), json!(f.name));
    o.insert("url".into(), json!(f.id));
    put(&mut o, "description", text(f.description));
    put(&mut o, "logo", f.logo);
    if !f.same_as.is_empty() {
        o.insert("sameAs".into(), json!(f.same_as));
    }
    Value::Object(o)
}

/// The links among an actor's profile fields (their values as text, when that is an http(s)
/// URL): what `sameAs` lists.
pub fn profile_links(actor: &ActorRow) -> Vec<String> {
    actor
        .fields
        .iter()
        .filter_map(|f| {
            let v = strip_html(&f.value);
            let v = v.trim();
            let ok = url::Url::parse(v)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
            ok.then(|| v.to_string())
        })
        .collect()
}

/// The home page: a `WebSite` published by the instance (an `Organization`).
pub fn website(base_url: &str, name: &str, description: &str, languages: &[String]) -> Value {
    let publisher = format!("{base_url}/actor");
    document(json!([
        {
            "@type": "WebSite",
            "@id": format!("{base_url}/"),
            "url": format!("{base_url}/"),
            "name": name,
            "description": description,
            "inLanguage": languages,
            "publisher": {"@id": publisher},
        },
        {
            "@type": "Organization",
            "@id": publisher,
            "name": name,
            "url": format!("{base_url}/"),
        }
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_the_script_element() {
        let doc = document(json!({"@type": "Event", "name": "a </script><script>x & y"}));
        let text = embeddable(&doc);
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "a </script><script>x & y");
    }

    #[test]
    fn single_spdx_identifiers_link_to_their_page() {
        assert_eq!(license_value("MIT"), "https://spdx.org/licenses/MIT.html");
        assert_eq!(
            license_value("EUPL-1.2"),
            "https://spdx.org/licenses/EUPL-1.2.html"
        );
    }
}
