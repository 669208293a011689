//! The calls dataset (issue 12): every prize and funding call with its timeline, its phase and,
//! once published, its results, as schema.org JSON-LD (`Grant`, a funding call
//! `MonetaryGrant`, the organization as `funder`, the winning projects as `fundedItem`) and CSV.
//! Calls are public from the start; pending and rejected nominations and the tallies of a running
//! vote are never exported.

use serde_json::{json, Map, Value};

use super::exports::csv_bytes;
use super::schema_org::{self, iso};
use super::MAX_ROWS;
use crate::domain::calls::{self, Award, CallCtx};
use crate::domain::error::AppError;
use crate::domain::text::strip_html;
use crate::App;

/// The columns of `calls_csv`.
const CALL_COLUMNS: &str = "slug,url,kind,title,organization,organization_url,amount,categories,nominations_open,nominations_close,jury_until,vote_open,vote_close,announce_at,phase,shortlisted,voters,results,language";

/// A call with what the exports say of it.
pub struct CallItem {
    pub ctx: CallCtx,
    /// Shortlisted projects (once the shortlist is published).
    pub shortlisted: Vec<String>,
    /// Voters so far (public while the vote runs).
    pub voters: i64,
    pub results: Vec<Award>,
}

/// Every call, the latest first; at most `MAX_ROWS`.
pub async fn public_calls(app: &App) -> Result<Vec<CallItem>, AppError> {
    let mut out = vec![];
    for row in calls::list(app, None).await?.into_iter().take(MAX_ROWS) {
        let ctx = calls::find_call(app, &row.slug).await?;
        let (options, voters) = calls::ballots(app, &ctx).await?;
        let shortlisted = if ctx.call.shortlist_published.is_some() {
            options
                .into_iter()
                .map(|b| b.nomination.project_name)
                .collect()
        } else {
            Vec::new()
        };
        let results = calls::results(app, &ctx).await?;
        out.push(CallItem {
            ctx,
            shortlisted,
            voters,
            results,
        });
    }
    Ok(out)
}

/// The last change of the dataset.
pub fn calls_modified(items: &[CallItem]) -> Option<i64> {
    items
        .iter()
        .map(|c| {
            let call = &c.ctx.call;
            [
                call.updated,
                call.shortlist_published,
                call.vote_closed,
                call.results_published,
            ]
            .into_iter()
            .flatten()
            .fold(call.created, i64::max)
        })
        .max()
}

/// schema.org of one call.
pub fn call_json_ld(base: &str, c: &CallItem) -> Value {
    let call = &c.ctx.call;
    let f = &call.fields;
    let url = format!("{base}/calls/{}", call.slug);
    let mut o = Map::new();
    let kind = if f.kind == "funding" {
        "MonetaryGrant"
    } else {
        "Grant"
    };
    o.insert("@type".into(), json!(kind));
    o.insert("@id".into(), json!(url));
    o.insert("name".into(), json!(f.title));
    o.insert("url".into(), json!(url));
    o.insert(
        "description".into(),
        json!(strip_html(&f.description_html).trim()),
    );
    o.insert(
        "funder".into(),
        schema_org::organization_ref(
            &c.ctx.org_actor.name,
            &format!("{base}/orgs/{}", c.ctx.org.slug),
        ),
    );
    if !f.categories.is_empty() {
        o.insert("keywords".into(), json!(f.categories.join(", ")));
    }
    o.insert("inLanguage".into(), json!(f.language));
    o.insert("dateCreated".into(), json!(iso(call.created)));
    o.insert(
        "temporalCoverage".into(),
        json!(format!(
            "{}/{}",
            iso(f.nominations_open),
            iso(f.announce_at)
        )),
    );
    let funded: Vec<Value> = c
        .results
        .iter()
        .map(|a| json!({"@type": "SoftwareSourceCode", "@id": a.nomination.project_ap_id, "name": a.nomination.project_name, "award": a.label}))
        .collect();
    if !funded.is_empty() {
        o.insert("fundedItem".into(), Value::Array(funded));
    }
    Value::Object(o)
}

/// The calls as a schema.org JSON-LD list.
pub fn calls_json_ld(base: &str, items: &[CallItem]) -> Value {
    schema_org::document(Value::Array(
        items.iter().map(|c| call_json_ld(base, c)).collect(),
    ))
}

fn time(micros: i64) -> String {
    iso(micros)
}

/// The calls as CSV.
pub fn calls_csv(base: &str, items: &[CallItem]) -> Result<Vec<u8>, AppError> {
    let header: Vec<&str> = CALL_COLUMNS.split(',').collect();
    let now = calls::now();
    let rows = items
        .iter()
        .map(|c| {
            let call = &c.ctx.call;
            let f = &call.fields;
            let results: Vec<String> = c
                .results
                .iter()
                .map(|a| format!("{}: {} ({})", a.nomination.project_name, a.label, a.kind))
                .collect();
            vec![
                call.slug.clone(),
                format!("{base}/calls/{}", call.slug),
                f.kind.clone(),
                f.title.clone(),
                strip_html(&c.ctx.org_actor.name),
                format!("{base}/orgs/{}", c.ctx.org.slug),
                f.amount.clone(),
                f.categories.join("; "),
                time(f.nominations_open),
                time(f.nominations_close),
                time(f.jury_until),
                time(f.vote_open),
                time(f.vote_close),
                time(f.announce_at),
                calls::phase(call, now).as_str().to_string(),
                c.shortlisted.join("; "),
                c.voters.to_string(),
                results.join("; "),
                f.language.clone(),
            ]
        })
        .collect();
    csv_bytes(&header, rows)
}
