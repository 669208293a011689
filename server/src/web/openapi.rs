//! The OpenAPI document of the JSON API, served at `/api/openapi.json`: utoipa's document of
//! the feature modules' operations and schemas, plus the error answers that the shared
//! extractors give on every route (`add_error_statuses`).

use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::domain::actors::ProfileField;
use crate::domain::domain_lists::RefreshReport;
use crate::domain::error::FieldError;
use crate::domain::events::{
    BannerInput, EventCategory, EventInput, EventStatus, EventView, ImportError, ImportReport,
    JoinMode, PlaceInput, RecurrenceInput,
};
use crate::domain::projects::{
    MaintainerLink, MaintainerStatus, ProjectData, ProjectPatch, ProjectView, ReleaseInput,
    ReleaseView, RemoteProject,
};
use crate::web::accounts::{self, MeView, OrgInput, OrgPatch, OrgView};
use crate::web::announcements::{self, AnnouncementInput, AnnouncementPatch, AnnouncementView};
use crate::web::error::{ErrorBody, FieldErrorsBody};
use crate::web::follows::{
    self, AccountInput, ActorView, FollowView, FollowerView, ListedFollowState, LookupInput,
    TimelineItem,
};
use crate::web::{
    admin_domains, collections, domain_lists, events, moderation, moderation_log, projects, report,
    social, sources,
};
use crate::App;

/// The route of the document, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new().route("/api/openapi.json", get(openapi))
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Revier API", description = "Publish announcements, events and projects, moderate comments, and manage organizations and follows; report content; moderate accounts, content and domains, subscribe to other instances' domain lists, and read the moderation log. Errors are JSON objects with an `error` message."),
    paths(announcements::create_announcement, announcements::get_announcement, announcements::patch_announcement,
        announcements::delete_announcement, accounts::create_org, accounts::get_org, accounts::patch_org,
        follows::list_followers, follows::approve_follower, follows::reject_follower, follows::follow, follows::unfollow,
        follows::follow_state, follows::timeline, follows::lookup, accounts::me,
        events::create_event, events::list_org_events, events::list_instance_events, events::list_remote_events,
        events::get_event, events::patch_event, events::cancel_event, events::delete_event, events::import_events,
        events::list_participants, events::approve_participant, events::reject_participant,
        projects::list_projects, projects::create_project, projects::import_project, projects::get_project_api,
        projects::patch_project, projects::delete_project, projects::add_release, projects::list_remote,
        projects::confirm_maintainer, projects::withdraw_maintainer,
        social::list_comments, social::hide_comment, social::unhide_comment, social::delete_comment, social::close_comments,
        moderation::api_act_on_account, moderation::api_act_on_content,
        report::create_report, report::list_reports, report::get_report, report::resolve_report, report::reject_report, report::forward_report,
        admin_domains::api_public_list, admin_domains::api_list_blocks, admin_domains::api_create_block, admin_domains::api_get_block,
        admin_domains::api_delete_block, admin_domains::api_list_allows, admin_domains::api_create_allow, admin_domains::api_delete_allow,
        domain_lists::published_block_list, domain_lists::published_allow_list, domain_lists::api_list, domain_lists::api_subscribe,
        domain_lists::api_get, domain_lists::api_delete, domain_lists::api_refresh, domain_lists::api_override,
        moderation_log::api_log, moderation_log::api_public_log,
        collections::api_list, collections::api_get, collections::api_create, collections::api_replace,
        collections::api_delete, collections::api_events,
        sources::api_list, sources::api_add, sources::api_get, sources::api_set_filter, sources::api_delete),
    components(schemas(ErrorBody, AnnouncementInput, AnnouncementPatch, AnnouncementView, OrgInput, OrgPatch, OrgView, ProfileField,
        FollowerView, ListedFollowState, AccountInput, FollowView, TimelineItem, LookupInput, ActorView, MeView,
        EventInput, EventView, PlaceInput, BannerInput, RecurrenceInput, ImportReport, ImportError, events::ParticipantView, events::WhenParam, events::OriginParam,
        JoinMode, EventStatus, EventCategory,
        ProjectPatch, ProjectView, ProjectData, ReleaseInput, ReleaseView, RemoteProject, FieldError,
        projects::ImportByUrl, FieldErrorsBody, MaintainerLink,
        MaintainerStatus, social::CommentView, social::CommentList, social::CloseInput,
        moderation::AccountActionInput, moderation::AccountModerationView, moderation::ContentActionInput, moderation::ContentActionView,
        report::ReportInput, report::ReportCreated, report::ReportView, report::ReportList, report::ReporterView,
        report::SnapshotView, report::DecisionInput, report::ForwardInput,
        admin_domains::PublicBlockView, admin_domains::AdminBlockView, admin_domains::BlockInput, admin_domains::AllowView,
        admin_domains::AllowInput, domain_lists::SignedDomainList, domain_lists::SignedListEntry, domain_lists::SignedListProof,
        domain_lists::SubscriptionView, domain_lists::SubscriptionDetail, domain_lists::EntryView, domain_lists::SubscribeBody,
        domain_lists::OverrideBody, RefreshReport, moderation_log::ApiEntry, moderation_log::ApiPublicEntry,
        collections::CollectionView, crate::domain::collections::CollectionInput,
        sources::SourceView, sources::SourceInput, sources::FilterInput, crate::domain::sources::SourceKind,
        crate::domain::filters::ContentFilter, crate::domain::filters::Area, crate::domain::filters::Attendance)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The answers the shared extractors give, by what an operation takes: they are the same on
/// every route, so they are documented by rule here rather than repeated on each handler.
/// - a bearer token (`AuthUser`): 401 without a valid one; on an org's routes 403 for a
///   user who is not the org's editor;
/// - a body (`ApiJson`, `ApiBody`): 400 broken JSON, 413 over the size limit, 415 another
///   content type, 422 a body of the wrong shape or with invalid values;
/// - path parameters (`ApiPath`): 400 when one does not parse, 404 when it names nothing;
/// - query parameters (`ApiQuery`): 400 when one does not parse, 422 when a value is out of
///   range or not one of the documented set;
/// - a deleted announcement, event or project: 410.
fn add_error_statuses(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (_method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let secured = op
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|s| !s.is_empty());
            let has_body = op.contains_key("requestBody");
            let params_in = |place: &str| {
                op.get("parameters")
                    .and_then(Value::as_array)
                    .is_some_and(|ps| ps.iter().any(|p| p["in"] == place))
            };
            let (in_path, in_query) = (params_in("path"), params_in("query"));
            let mut statuses: Vec<(u16, &str)> = Vec::new();
            if secured {
                statuses.push((401, "no valid bearer token"));
                if path.contains("{slug}") {
                    statuses.push((403, "the token's user may not do this for the org"));
                }
            }
            if has_body {
                statuses.push((400, "the body is not valid JSON"));
                statuses.push((413, "the body is too large"));
                statuses.push((415, "the body has another content type than documented"));
                statuses.push((422, "the body does not fit the schema or its rules"));
            }
            if in_path {
                statuses.push((400, "a path parameter does not parse"));
                statuses.push((404, "the path names nothing here"));
            }
            if in_query {
                statuses.push((400, "a query parameter does not parse"));
                statuses.push((422, "a query parameter is out of range or not allowed"));
            }
            if ["/announcements/{id}", "/events/{id}", "/projects/{project}"]
                .iter()
                .any(|p| path.contains(p))
            {
                statuses.push((410, "the object was deleted"));
            }
            let responses = op
                .entry("responses")
                .or_insert_with(|| Value::Object(Default::default()));
            let Some(responses) = responses.as_object_mut() else {
                continue;
            };
            for (status, why) in statuses {
                responses.entry(status.to_string()).or_insert_with(|| {
                    json!({
                        "description": why,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
                    })
                });
            }
        }
    }
}

/// The OpenAPI document as served: utoipa's, with the extractors' error answers.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    add_error_statuses(&mut doc);
    doc
}

/// GET /api/openapi.json: the document, built once.
async fn openapi() -> impl IntoResponse {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    axum::Json(DOC.get_or_init(document).clone())
}
