//! Follow / interact: a visitor gives their handle, Revier reads their server's WebFinger
//! document (a fake server on loopback here) and sends them to its interaction template.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use revier_e2e::scenario::create_event;
use revier_e2e::web::hidden_value;
use revier_e2e::{urlencode, Instance};
use serde_json::{json, Value};

const SUBSCRIBE: &str = "http://ostatus.org/schema/1.0/subscribe";
const INTENT_FOLLOW: &str = "https://w3id.org/fep/3b86/Follow";
const INTENT_OBJECT: &str = "https://w3id.org/fep/3b86/Object";

/// A visitor's home server: answers WebFinger for `anna` with `links`, records the resources
/// asked for.
struct HomeServer {
    base: String,
    host: String,
    asked: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone)]
struct HomeState {
    links: Value,
    asked: Arc<Mutex<Vec<String>>>,
}

async fn webfinger(
    State(st): State<HomeState>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let resource = q.get("resource").cloned().unwrap_or_default();
    st.asked.lock().unwrap().push(resource.clone());
    if !resource.starts_with("acct:anna@") {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    axum::Json(json!({"subject": resource, "links": st.links})).into_response()
}

impl HomeServer {
    /// Serves WebFinger with the links `make(base)` returns.
    async fn start(make: impl FnOnce(&str) -> Value) -> HomeServer {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let asked = Arc::new(Mutex::new(Vec::new()));
        let state = HomeState {
            links: make(&base),
            asked: asked.clone(),
        };
        let router = Router::new()
            .route("/.well-known/webfinger", get(webfinger))
            .with_state(state);
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        HomeServer {
            host: format!("127.0.0.1:{port}"),
            base,
            asked,
        }
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

/// A browser that does not follow redirects, so the test sees where it would be sent.
struct Visitor {
    client: reqwest::Client,
    base: String,
    lang: &'static str,
}

impl Visitor {
    fn new(inst: &Instance, lang: &'static str) -> Visitor {
        Visitor {
            client: reqwest::Client::builder()
                .no_proxy()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: inst.base.clone(),
            lang,
        }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .header("accept-language", self.lang)
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.text().await.unwrap())
    }

    /// Opens the interact page of `uri` and sends `handle`: status, Location, body.
    async fn interact(&self, uri: &str, handle: &str) -> (u16, String, String) {
        let (status, html) = self.get(&format!("/interact?uri={}", urlencode(uri))).await;
        assert_eq!(status, 200, "{html}");
        let csrf = hidden_value(&html, "csrf").unwrap();
        let resp = self
            .client
            .post(format!("{}/interact", self.base))
            .header("accept", "text/html")
            .header("accept-language", self.lang)
            .form(&[("csrf", csrf.as_str()), ("uri", uri), ("handle", handle)])
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, location, resp.text().await.unwrap())
    }
}

/// An instance with the organization "ruhr" and one of its events: (instance, the
/// organization's id, the event's id).
async fn instance_with_event() -> (Instance, String, String) {
    let inst = Instance::start().await;
    let token = inst.user("alice").await;
    let org = inst.org("ruhr", "alice").await;
    let (s, event) = create_event(
        &inst,
        &token,
        "ruhr",
        json!({"title": "Repair-Café", "start": "2027-04-01T18:00", "end": "2027-04-01T21:00",
            "timezone": "Europe/Berlin"}),
    )
    .await;
    assert_eq!(s, 201, "{event}");
    let event_id = event["id"].as_str().unwrap().to_string();
    (inst, org, event_id)
}

fn subscribe_link(base: &str) -> Value {
    json!({"rel": SUBSCRIBE, "template": format!("{base}/authorize_interaction?uri={{uri}}")})
}

#[tokio::test]
async fn the_page_shows_the_handle_to_copy_and_the_form() {
    let (inst, org, event) = instance_with_event().await;
    let en = Visitor::new(&inst, "en");
    let (s, html) = en.get(&format!("/interact?uri={}", urlencode(&org))).await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("Follow or interact"), "{html}");
    assert!(
        html.contains(&format!("value=\"@ruhr@{}\"", inst.domain)),
        "{html}"
    );
    assert!(html.contains("name=\"handle\""), "{html}");
    let de = Visitor::new(&inst, "de");
    let (s, html) = de
        .get(&format!("/interact?uri={}", urlencode(&event)))
        .await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("Repair-Café"), "{html}");
    assert!(html.contains("Ihr Handle"), "{html}");
    // Something the instance does not hold is not offered.
    let (s, _) = en
        .get(&format!(
            "/interact?uri={}",
            urlencode("https://elsewhere.example/x")
        ))
        .await;
    assert_eq!(s, 404);
    inst.stop().await;
}

#[tokio::test]
async fn a_handle_is_sent_to_its_servers_subscribe_template_with_the_uri() {
    let (inst, org, _) = instance_with_event().await;
    let home = HomeServer::start(|base| {
        json!([{"rel": "self", "type": "application/activity+json", "href": format!("{base}/users/anna")},
            subscribe_link(base)])
    })
    .await;
    let en = Visitor::new(&inst, "en");
    let (s, location, body) = en.interact(&org, &format!("@anna@{}", home.host)).await;
    assert_eq!(s, 303, "{body}");
    assert_eq!(
        location,
        format!(
            "{}/authorize_interaction?uri={}",
            home.base,
            urlencode(&org)
        )
    );
    assert_eq!(home.asked(), [format!("acct:anna@{}", home.host)]);
    inst.stop().await;
}

#[tokio::test]
async fn a_fep_3b86_intent_wins_over_the_subscribe_template() {
    let (inst, org, event) = instance_with_event().await;
    let home = HomeServer::start(|base| {
        json!([subscribe_link(base),
            {"rel": INTENT_FOLLOW, "template": format!("{base}/intent/follow?object={{object}}")},
            {"rel": INTENT_OBJECT, "template": format!("{base}/intent/object?object={{object}}")}])
    })
    .await;
    let en = Visitor::new(&inst, "en");
    let handle = format!("anna@{}", home.host);
    let (s, location, body) = en.interact(&org, &handle).await;
    assert_eq!(s, 303, "{body}");
    assert_eq!(
        location,
        format!("{}/intent/follow?object={}", home.base, urlencode(&org))
    );
    // An event is an object: the Object intent.
    let (s, location, body) = en.interact(&event, &handle).await;
    assert_eq!(s, 303, "{body}");
    assert_eq!(
        location,
        format!("{}/intent/object?object={}", home.base, urlencode(&event))
    );
    inst.stop().await;
}

#[tokio::test]
async fn a_bad_handle_is_refused_before_anything_is_fetched() {
    let (inst, org, _) = instance_with_event().await;
    let home = HomeServer::start(subscribe_link).await;
    for (lang, message) in [
        ("en", "Please enter your handle in the form @name@server"),
        (
            "de",
            "Bitte geben Sie Ihr Handle in der Form @name@server ein",
        ),
    ] {
        let v = Visitor::new(&inst, lang);
        for bad in [
            "anna",
            "@anna@",
            "anna@not a host",
            "https://example.social/@anna",
        ] {
            let (s, location, body) = v.interact(&org, bad).await;
            assert_eq!(s, 422, "{bad}: {body}");
            assert!(location.is_empty());
            assert!(body.contains(message), "{bad}: {body}");
            assert!(body.contains("class=\"error-summary\""), "{body}");
            assert!(body.contains("aria-invalid=\"true\""), "{body}");
        }
    }
    assert!(home.asked().is_empty(), "{:?}", home.asked());
    inst.stop().await;
}

#[tokio::test]
async fn unknown_handles_and_servers_without_a_template_are_explained() {
    let (inst, org, _) = instance_with_event().await;
    let home = HomeServer::start(|base| {
        json!([{"rel": "self", "type": "application/activity+json", "href": format!("{base}/users/anna")}])
    })
    .await;
    let en = Visitor::new(&inst, "en");
    let (s, _, body) = en.interact(&org, &format!("bert@{}", home.host)).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.contains("does not know the handle"), "{body}");
    let (s, _, body) = en.interact(&org, &format!("anna@{}", home.host)).await;
    assert_eq!(s, 422, "{body}");
    assert!(
        body.contains("offers no way to follow or interact"),
        "{body}"
    );
    // Nobody listens on port 9 of loopback.
    let (s, _, body) = en.interact(&org, "anna@127.0.0.1:9").await;
    assert_eq!(s, 502, "{body}");
    assert!(body.contains("could not be reached"), "{body}");
    inst.stop().await;
}
