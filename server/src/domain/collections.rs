//! Collections (issue 10, Gancio's "collections"): named `ContentFilter`s over local and
//! source content. Each has a page, an iCalendar and an Atom feed, an embed and an API list;
//! the admin may make one the default view of the calendar. This module checks what an admin
//! enters (`CollectionInput::parse`), stores it, and reads a collection's events through the
//! calendar's query (`db::calendar`, which turns the filter into SQL). Only admins change
//! collections (the web layer's extractors decide who is one).

use serde::{Deserialize, Serialize};

use crate::db::{
    self,
    calendar::CalendarFilter,
    collections::{CollectionRow, CollectionValues},
    events::EventRow,
};
use crate::domain::calendar::{self, Listed};
use crate::domain::error::{AppError, FieldError};
use crate::domain::feeds::{Feed, FeedAuthor, FeedEntry, FEED_ENTRIES};
pub use crate::domain::filters::{Area, Attendance, ContentFilter};
use crate::domain::text::{strip_html, truncate_chars};
use crate::App;

/// The instance setting naming the default collection of the calendar (its slug; empty: none).
pub const DEFAULT_SETTING: &str = "default_collection";
/// Most entries of one list of a filter (each becomes a condition of the query).
pub const MAX_LIST: usize = 50;
/// Largest radius a filter may have, in kilometres.
pub const MAX_RADIUS_KM: f64 = 1_000.0;

/// A collection as the API takes it (create and replace).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CollectionInput {
    /// The collection's address (`/collections/{slug}`): 1 to 60 of `a-z`, `0-9` and `-`.
    pub slug: String,
    /// 1 to 100 characters.
    pub name: String,
    /// Plain text, at most 2,000 characters.
    #[serde(default)]
    pub description: String,
    /// What the collection shows; an empty filter shows all local and source events.
    #[serde(default)]
    pub filter: ContentFilter,
}

/// A checked collection: normalized text and filter.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCollection {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub filter: ContentFilter,
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Each entry of a list, trimmed and normalized by `norm`; `ok` says whether one is
/// acceptable. Empty entries are dropped, duplicates kept once.
fn clean_list(
    errors: &mut Vec<FieldError>,
    field: &str,
    list: &[String],
    norm: impl Fn(&str) -> String,
    ok: impl Fn(&str) -> bool,
    problem: &str,
) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for v in list
        .iter()
        .map(|v| norm(v.trim()))
        .filter(|v| !v.is_empty())
    {
        if v.chars().count() > 200 || has_control(&v) || !ok(&v) {
            errors.push(FieldError::new(
                format!("filter.{field}"),
                format!("{v:?}: {problem}"),
            ));
        } else if !out.contains(&v) {
            out.push(v);
        }
    }
    if out.len() > MAX_LIST {
        errors.push(FieldError::new(
            format!("filter.{field}"),
            format!("at most {MAX_LIST} entries"),
        ));
    }
    out
}

fn norm_tag(t: &str) -> String {
    t.trim_start_matches('#').trim().to_lowercase()
}

fn tag_ok(t: &str) -> bool {
    !t.contains(['"', '%', '\\', ','])
}

fn category_ok(c: &str) -> bool {
    c.chars()
        .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_')
}

fn actor_ok(a: &str) -> bool {
    url::Url::parse(a).is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some())
}

/// A host as entered (`Example.org`, `https://example.org/`) in the form actors store it.
fn norm_host(h: &str) -> String {
    let h = h.to_lowercase();
    let h = h
        .strip_prefix("https://")
        .or_else(|| h.strip_prefix("http://"))
        .unwrap_or(&h);
    h.trim_end_matches('/').to_string()
}

fn host_ok(h: &str) -> bool {
    !h.is_empty()
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// Whether `slug` may name a collection.
pub fn slug_ok(slug: &str) -> bool {
    (1..=60).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// The filter, normalized (tags without `#` in lower case, categories in upper case, hosts in
/// lower case), with every problem named by its field.
pub fn parse_filter(f: &ContentFilter, errors: &mut Vec<FieldError>) -> ContentFilter {
    let same = |s: &str| s.to_string();
    let upper = |s: &str| s.to_uppercase();
    let tag_problem = "a tag without quotes, commas, % or \\";
    let cat_problem = "a category name such as SCIENCE_TECH";
    let actor_problem = "an actor's ActivityPub id (an http or https URL)";
    let host_problem = "a host name such as revier.example";
    let area = f.area;
    if let Some(a) = area {
        if !(a.lat.is_finite() && (-90.0..=90.0).contains(&a.lat)) {
            errors.push(FieldError::new("filter.area.lat", "between -90 and 90"));
        }
        if !(a.lon.is_finite() && (-180.0..=180.0).contains(&a.lon)) {
            errors.push(FieldError::new("filter.area.lon", "between -180 and 180"));
        }
        if !(a.radius_km.is_finite() && a.radius_km > 0.0 && a.radius_km <= MAX_RADIUS_KM) {
            errors.push(FieldError::new(
                "filter.area.radius_km",
                format!("more than 0 and at most {MAX_RADIUS_KM} km"),
            ));
        }
    }
    ContentFilter {
        tags: clean_list(errors, "tags", &f.tags, norm_tag, tag_ok, tag_problem),
        categories: clean_list(
            errors,
            "categories",
            &f.categories,
            upper,
            category_ok,
            cat_problem,
        ),
        actors: clean_list(errors, "actors", &f.actors, same, actor_ok, actor_problem),
        instances: clean_list(
            errors,
            "instances",
            &f.instances,
            norm_host,
            host_ok,
            host_problem,
        ),
        area,
        attendance: f.attendance,
        exclude_tags: clean_list(
            errors,
            "exclude_tags",
            &f.exclude_tags,
            norm_tag,
            tag_ok,
            tag_problem,
        ),
        exclude_categories: clean_list(
            errors,
            "exclude_categories",
            &f.exclude_categories,
            upper,
            category_ok,
            cat_problem,
        ),
        exclude_actors: clean_list(
            errors,
            "exclude_actors",
            &f.exclude_actors,
            same,
            actor_ok,
            actor_problem,
        ),
        exclude_instances: clean_list(
            errors,
            "exclude_instances",
            &f.exclude_instances,
            norm_host,
            host_ok,
            host_problem,
        ),
    }
}

impl CollectionInput {
    /// The collection if every field is valid, else every problem (422).
    pub fn parse(&self) -> Result<ValidCollection, AppError> {
        let mut errors = vec![];
        let slug = self.slug.trim().to_string();
        if !slug_ok(&slug) {
            errors.push(FieldError::new(
                "slug",
                "1 to 60 of a-z, 0-9 and -, not starting or ending with -",
            ));
        }
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 || has_control(&name) {
            errors.push(FieldError::new("name", "1 to 100 characters"));
        }
        let description = self.description.replace("\r\n", "\n").trim().to_string();
        if description.chars().count() > 2_000
            || description
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            errors.push(FieldError::new("description", "at most 2000 characters"));
        }
        let filter = parse_filter(&self.filter, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Fields(errors));
        }
        Ok(ValidCollection {
            slug,
            name,
            description,
            filter,
        })
    }
}

fn values(v: &ValidCollection) -> CollectionValues<'_> {
    CollectionValues {
        slug: &v.slug,
        name: &v.name,
        description: &v.description,
        filter: &v.filter,
    }
}

fn taken(e: sqlx::Error, slug: &str) -> AppError {
    if db::is_unique_violation(&e) {
        AppError::Conflict(format!("a collection {slug:?} exists already"))
    } else {
        e.into()
    }
}

/// Every collection, by name.
pub async fn list(app: &App) -> Result<Vec<CollectionRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::collections::list_collections(&mut conn).await?)
}

/// The collection with this slug (404 when there is none).
pub async fn find(app: &App, slug: &str) -> Result<CollectionRow, AppError> {
    let mut conn = app.db.conn().await?;
    db::collections::find_collection_by_slug(&mut conn, slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("collection {slug:?}")))
}

/// Stores a new collection (409 when the slug is taken).
pub async fn create(
    app: &App,
    created_by: Option<i64>,
    v: &ValidCollection,
) -> Result<CollectionRow, AppError> {
    let mut conn = app.db.conn().await?;
    db::collections::insert_collection(&mut conn, &values(v), created_by, db::now_micros())
        .await
        .map_err(|e| taken(e, &v.slug))
}

/// Replaces the collection `slug` with `v` (its slug may change; the default view follows).
pub async fn replace(
    app: &App,
    slug: &str,
    v: &ValidCollection,
) -> Result<CollectionRow, AppError> {
    let old = find(app, slug).await?;
    let mut tx = app.db.begin().await?;
    let row = db::collections::update_collection(&mut tx, old.id, &values(v), db::now_micros())
        .await
        .map_err(|e| taken(e, &v.slug))?
        .ok_or_else(|| AppError::NotFound(format!("collection {slug:?}")))?;
    if old.slug != row.slug && stored_default(&mut tx).await?.as_deref() == Some(&old.slug) {
        db::instance::store_setting(&mut tx, DEFAULT_SETTING, &row.slug).await?;
    }
    tx.commit().await?;
    Ok(row)
}

/// Removes the collection `slug`; when it was the default view, the calendar shows all again.
pub async fn delete(app: &App, slug: &str) -> Result<(), AppError> {
    let row = find(app, slug).await?;
    let mut tx = app.db.begin().await?;
    db::collections::delete_collection(&mut tx, row.id).await?;
    if stored_default(&mut tx).await?.as_deref() == Some(slug) {
        db::instance::store_setting(&mut tx, DEFAULT_SETTING, "").await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn stored_default(conn: &mut db::Conn) -> Result<Option<String>, sqlx::Error> {
    Ok(db::instance::load_settings(conn)
        .await?
        .into_iter()
        .find(|(name, _)| name == DEFAULT_SETTING)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty()))
}

/// The collection the calendar shows by default, if the admin chose one.
pub async fn default_collection(app: &App) -> Result<Option<CollectionRow>, AppError> {
    let mut conn = app.db.conn().await?;
    let Some(slug) = stored_default(&mut conn).await? else {
        return Ok(None);
    };
    Ok(db::collections::find_collection_by_slug(&mut conn, &slug).await?)
}

/// Makes `slug` the default view (None or empty: no default). 422 for an unknown slug.
pub async fn set_default(app: &App, slug: Option<&str>) -> Result<(), AppError> {
    let slug = slug.map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = slug {
        match find(app, s).await {
            Err(AppError::NotFound(_)) => {
                return Err(AppError::Invalid(format!("no collection {s:?}")))
            }
            other => other?,
        };
    }
    let mut conn = app.db.conn().await?;
    db::instance::store_setting(&mut conn, DEFAULT_SETTING, slug.unwrap_or("")).await?;
    Ok(())
}

/// The calendar's filter with the default collection applied (issue 10: the admin may make a
/// collection the calendar's default view), and that collection.
pub async fn with_default_view(
    app: &App,
    mut filter: CalendarFilter,
) -> Result<(CalendarFilter, Option<CollectionRow>), AppError> {
    let row = default_collection(app).await?;
    if let Some(r) = &row {
        filter.content = Some(r.filter.clone());
    }
    Ok((filter, row))
}

/// The calendar's filter for a collection's events from `from` on.
pub fn calendar_filter(row: &CollectionRow, from: i64) -> CalendarFilter {
    CalendarFilter {
        from,
        content: Some(row.filter.clone()),
        ..CalendarFilter::default()
    }
}

/// A page of a collection's upcoming events (each at its next occurrence), and whether more
/// follow.
pub async fn upcoming(
    app: &App,
    row: &CollectionRow,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Listed>, bool), AppError> {
    calendar::list(app, &calendar_filter(row, db::now_micros()), limit, offset).await
}

/// The events of a collection's iCalendar feed (the window of `/events.ics`).
pub async fn feed_events(app: &App, row: &CollectionRow) -> Result<Vec<EventRow>, AppError> {
    let from = calendar::feed_start(db::now_micros());
    calendar::feed_events(app, &calendar_filter(row, from)).await
}

/// The Atom feed of a collection: its upcoming events, most recently changed first.
pub async fn atom_feed(app: &App, row: &CollectionRow) -> Result<Feed, AppError> {
    let (listed, _) = upcoming(app, row, FEED_ENTRIES, 0).await?;
    let base = app.base_url().trim_end_matches('/').to_string();
    let page = format!("{base}/collections/{}", row.slug);
    let mut entries: Vec<FeedEntry> = listed
        .iter()
        .map(|l| {
            let id = crate::domain::events::ap_id_of(app, &l.row);
            FeedEntry {
                title: if l.row.title.trim().is_empty() {
                    "…".into()
                } else {
                    l.row.title.clone()
                },
                url: l.row.url.clone().unwrap_or_else(|| id.clone()),
                id,
                published: l.row.published,
                updated: l.row.updated.unwrap_or(l.row.published),
                author: FeedAuthor {
                    name: if l.organizer.name.trim().is_empty() {
                        l.organizer.username.clone()
                    } else {
                        strip_html(&l.organizer.name)
                    },
                    uri: if l.organizer.url.is_empty() {
                        l.organizer.ap_id.clone()
                    } else {
                        l.organizer.url.clone()
                    },
                },
                content_html: format!(
                    "{}{}",
                    crate::domain::events::summary_of(&l.row),
                    l.row.description_html
                ),
                language: l.row.language.clone(),
            }
        })
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.id.cmp(&a.id)));
    Ok(Feed {
        id: format!("{page}/feed.atom"),
        title: row.name.clone(),
        subtitle: truncate_chars(&row.description, 300),
        updated: entries
            .iter()
            .map(|e| e.updated)
            .max()
            .unwrap_or(row.updated_at),
        alternate: page,
        language: app.settings.default_language.clone(),
        author: FeedAuthor {
            name: app.settings.instance_name.clone(),
            uri: format!("{base}/"),
        },
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(filter: ContentFilter) -> CollectionInput {
        CollectionInput {
            slug: "ruhr".into(),
            name: "Ruhr".into(),
            description: String::new(),
            filter,
        }
    }

    #[test]
    fn filters_are_normalized() {
        let v = input(ContentFilter {
            tags: vec![" #Rust ".into(), "rust".into(), "".into()],
            categories: vec!["science_tech".into()],
            instances: vec!["https://Dortmund.Example/".into()],
            ..ContentFilter::default()
        })
        .parse()
        .unwrap();
        assert_eq!(v.filter.tags, vec!["rust"]);
        assert_eq!(v.filter.categories, vec!["SCIENCE_TECH"]);
        assert_eq!(v.filter.instances, vec!["dortmund.example"]);
    }

    #[test]
    fn bad_fields_are_each_named() {
        let mut i = input(ContentFilter {
            actors: vec!["not a url".into()],
            area: Some(Area {
                lat: 95.0,
                lon: 7.0,
                radius_km: 0.0,
            }),
            exclude_tags: vec!["a\"b".into()],
            ..ContentFilter::default()
        });
        i.slug = "Bad Slug".into();
        i.name = " ".into();
        let Err(AppError::Fields(errors)) = i.parse() else {
            panic!("accepted");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "slug",
            "name",
            "filter.actors",
            "filter.area.lat",
            "filter.area.radius_km",
            "filter.exclude_tags",
        ] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
    }

    #[test]
    fn lists_are_bounded() {
        let tags = (0..=MAX_LIST).map(|i| format!("t{i}")).collect();
        let r = input(ContentFilter {
            tags,
            ..ContentFilter::default()
        })
        .parse();
        assert!(matches!(r, Err(AppError::Fields(_))));
    }
}
