//! Applying a `ContentFilter` (db/filters.rs) to an event as it arrives from a source, with
//! the same meaning `db::calendar` gives it in SQL.

use crate::db::events::{EventFields, EventRow};
pub use crate::db::filters::{Area, Attendance, ContentFilter};

/// Great-circle distance in kilometres (haversine, mean Earth radius 6,371 km).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371.0 * a.sqrt().min(1.0).asin()
}

fn norm_tag(t: &str) -> String {
    t.trim().trim_start_matches('#').to_lowercase()
}

fn any_tag(wanted: &[String], tags: &[String]) -> bool {
    wanted
        .iter()
        .any(|w| tags.iter().any(|t| norm_tag(t) == norm_tag(w)))
}

fn any_eq(wanted: &[String], value: Option<&str>) -> bool {
    value.is_some_and(|v| wanted.iter().any(|w| w.eq_ignore_ascii_case(v)))
}

/// Whether an event of `actor_ap_id` (on `host`) passes the filter.
pub fn matches_event(f: &ContentFilter, e: &EventRow, actor_ap_id: &str, host: &str) -> bool {
    matches_parts(
        f,
        &EventParts {
            tags: &e.tags,
            category: e.category.as_deref(),
            online_url: e.online_url.as_deref(),
            latitude: e.latitude,
            longitude: e.longitude,
        },
        actor_ap_id,
        host,
    )
}

/// Whether a received event (its fields, before they are stored) passes the filter.
pub fn matches_event_fields(
    f: &ContentFilter,
    e: &EventFields,
    actor_ap_id: &str,
    host: &str,
) -> bool {
    matches_parts(
        f,
        &EventParts {
            tags: &e.tags,
            category: e.category.as_deref(),
            online_url: e.online_url.as_deref(),
            latitude: e.latitude,
            longitude: e.longitude,
        },
        actor_ap_id,
        host,
    )
}

/// Whether a project (its topics as tags) of `actor_ap_id` on `host` passes the filter. A
/// project has no category, place or online link: a filter that asks for one of those lets
/// no project through, one that excludes by them lets every project through.
pub fn matches_project(
    f: &ContentFilter,
    topics: &[String],
    actor_ap_id: &str,
    host: &str,
) -> bool {
    if !f.categories.is_empty() || f.area.is_some() || f.attendance != Attendance::Any {
        return false;
    }
    if !f.tags.is_empty() && !any_tag(&f.tags, topics) {
        return false;
    }
    if !f.actors.is_empty() && !f.actors.iter().any(|a| a == actor_ap_id) {
        return false;
    }
    if !f.instances.is_empty() && !any_eq(&f.instances, Some(host)) {
        return false;
    }
    !(any_tag(&f.exclude_tags, topics)
        || f.exclude_actors.iter().any(|a| a == actor_ap_id)
        || any_eq(&f.exclude_instances, Some(host)))
}

/// What of an event a filter looks at.
struct EventParts<'a> {
    tags: &'a [String],
    category: Option<&'a str>,
    online_url: Option<&'a str>,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

fn matches_parts(f: &ContentFilter, e: &EventParts<'_>, actor_ap_id: &str, host: &str) -> bool {
    let category = e.category;
    if !f.tags.is_empty() && !any_tag(&f.tags, e.tags) {
        return false;
    }
    if !f.categories.is_empty() && !any_eq(&f.categories, category) {
        return false;
    }
    if !f.actors.is_empty() && !f.actors.iter().any(|a| a == actor_ap_id) {
        return false;
    }
    if !f.instances.is_empty() && !any_eq(&f.instances, Some(host)) {
        return false;
    }
    if any_tag(&f.exclude_tags, e.tags)
        || any_eq(&f.exclude_categories, category)
        || f.exclude_actors.iter().any(|a| a == actor_ap_id)
        || any_eq(&f.exclude_instances, Some(host))
    {
        return false;
    }
    let online = e.online_url.is_some_and(|u| !u.is_empty());
    match f.attendance {
        Attendance::Any => {}
        Attendance::Online if !online => return false,
        Attendance::Offline if online => return false,
        _ => {}
    }
    if let Some(area) = f.area {
        match (e.latitude, e.longitude) {
            (Some(lat), Some(lon)) => {
                if distance_km(area.lat, area.lon, lat, lon) > area.radius_km {
                    return false;
                }
            }
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::distance_km;

    #[test]
    fn distances_between_ruhr_cities_are_right() {
        // Dortmund – Bochum about 16 km, Dortmund – Düsseldorf about 58 km.
        let d = distance_km(51.5136, 7.4653, 51.4818, 7.2162);
        assert!((15.0..19.0).contains(&d), "{d}");
        let d = distance_km(51.5136, 7.4653, 51.2277, 6.7735);
        assert!((55.0..62.0).contains(&d), "{d}");
        assert_eq!(distance_km(51.0, 7.0, 51.0, 7.0), 0.0);
    }
}
