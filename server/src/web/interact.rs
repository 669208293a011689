//! Follow / interact from another server: the handle form and the redirect to its subscribe
//! template (`domain::interact` finds it).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::domain::error::AppError;
use crate::domain::interact::{self, Handle, InteractError, Subject};
use crate::domain::rate_limits::{self, Limit};
use crate::web::i18n::Arg;
use crate::web::page::{render_page, ClientIp, CsrfForm, Ctx};
use crate::App;

/// What the follow box on a page offers: the object or actor to follow or interact with, and
/// the handle to copy (actors only).
#[derive(Debug, Clone)]
pub struct Interact {
    /// The ActivityPub id of the object or actor.
    pub uri: String,
    /// `@name@host` for an actor; None for objects.
    pub handle: Option<String>,
}

/// WebFinger look-ups per client address: each costs a request to another server.
const LOOKUP_LIMIT: Limit = Limit {
    max: 20,
    window_secs: 600,
};

pub fn routes() -> Router<App> {
    Router::new().route("/interact", get(interact_page).post(interact))
}

#[derive(Template)]
#[template(path = "interact.html")]
struct InteractPage<'a> {
    ctx: &'a Ctx,
    subject: Subject,
    intro: String,
    handle: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct InteractQuery {
    uri: Option<String>,
}

/// GET /interact?uri=…: what is followed, the handle to copy, the form.
async fn interact_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<InteractQuery>,
) -> Result<Response, AppError> {
    let subject = interact::find_subject(&app, q.uri.as_deref().unwrap_or_default()).await?;
    render_page(&page(&ctx, subject, String::new(), None))
}

fn page(ctx: &Ctx, subject: Subject, handle: String, error: Option<String>) -> InteractPage<'_> {
    let key = if subject.is_actor {
        "interact-intro-actor"
    } else {
        "interact-intro-object"
    };
    InteractPage {
        intro: ctx.ta(key, &[("name", Arg::from(subject.title.as_str()))]),
        ctx,
        subject,
        handle,
        error,
    }
}

#[derive(Deserialize)]
struct InteractForm {
    uri: String,
    handle: String,
}

/// POST /interact: to the visitor's server (303), or the form again with what went wrong.
async fn interact(
    State(app): State<App>,
    ClientIp(client): ClientIp,
    CsrfForm(ctx, form): CsrfForm<InteractForm>,
) -> Result<Response, AppError> {
    let subject = interact::find_subject(&app, &form.uri).await?;
    let again = |status: StatusCode, message: String| {
        let handle = form.handle.trim().chars().take(320).collect();
        Ok((
            status,
            render_page(&page(&ctx, subject.clone(), handle, Some(message)))?,
        )
            .into_response())
    };
    let Some(handle) = Handle::parse(&form.handle) else {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.t("interact-error-handle"),
        );
    };
    let bucket = format!(
        "interact:{}",
        client.map(|ip| ip.to_string()).unwrap_or_default()
    );
    if let Err(e) = rate_limits::hit(&app, &bucket, LOOKUP_LIMIT).await {
        return match e {
            AppError::TooManyRequests(r) => {
                let mut resp = again(
                    StatusCode::TOO_MANY_REQUESTS,
                    ctx.t("interact-error-limited"),
                )?;
                resp.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(r.retry_after_secs),
                );
                Ok(resp)
            }
            other => Err(other),
        };
    }
    let shown = format!("@{}@{}", handle.name, handle.server);
    let server = Arg::from(handle.server.as_str());
    match interact::interaction_url(&app, &handle, &subject).await {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(InteractError::UnknownHandle) => again(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.ta("interact-error-unknown", &[("handle", Arg::from(shown))]),
        ),
        Err(InteractError::NoTemplate) => again(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.ta("interact-error-no-template", &[("server", server)]),
        ),
        Err(InteractError::Unreachable(why)) => {
            tracing::info!(server = %handle.server, %why, "interact: WebFinger failed");
            again(
                StatusCode::BAD_GATEWAY,
                ctx.ta("interact-error-unreachable", &[("server", server)]),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::Lang;

    /// The follow box as other pages include it.
    #[derive(Template)]
    #[template(path = "interact_box.html")]
    struct BoxOnly<'a> {
        ctx: &'a Ctx,
        interact: Interact,
    }

    fn ctx(lang: Lang) -> Ctx {
        Ctx {
            lang,
            instance_name: "Revier".into(),
            user: None,
            csrf: "t".into(),
            path: "/orgs/ruhr".into(),
            base_url: "https://revier.example".into(),
        }
    }

    #[test]
    fn the_box_shows_the_handle_and_links_to_the_dialog() {
        let c = ctx(Lang::En);
        let html = BoxOnly {
            ctx: &c,
            interact: Interact {
                uri: "https://revier.example/orgs/ruhr".into(),
                handle: Some("@ruhr@revier.example".into()),
            },
        }
        .render()
        .unwrap();
        assert!(html.contains("@ruhr@revier.example"), "{html}");
        assert!(
            html.contains("/interact?uri=https%3A%2F%2Frevier.example%2Forgs%2Fruhr"),
            "{html}"
        );
        assert!(
            html.contains("Follow or interact from your own server"),
            "{html}"
        );
        let c = ctx(Lang::De);
        let html = BoxOnly {
            ctx: &c,
            interact: Interact {
                uri: "https://revier.example/events/1".into(),
                handle: None,
            },
        }
        .render()
        .unwrap();
        assert!(!html.contains("<code"), "objects have no handle: {html}");
        assert!(html.contains("Von Ihrem eigenen Server folgen"), "{html}");
    }
}
