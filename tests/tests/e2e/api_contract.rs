//! The API contract: the OpenAPI document at `/api/openapi.json` says exactly what the API
//! answers. An OpenAPI-driven property-based fuzzer (schemathesis, pinned in
//! tests/interop/schemathesis-requirements.txt) runs against a seeded instance for a bounded
//! time and must find no server error, no undocumented status, no answer outside its schema
//! and no valid request rejected; the document itself is checked for the error schema, the
//! closed sets, the security scheme and the bounds of every list.

use std::time::Duration;

use reqwest::Method;
use revier_e2e::interop::schemathesis_python;
use revier_e2e::{api, Instance};
use serde_json::{json, Value};

/// An instance with a user (`alice`, returned token), her org `ruhr-oss`, and one
/// announcement, event and project, so that fuzzed path parameters can name real objects.
async fn seeded() -> (Instance, String) {
    let inst = Instance::start().await;
    let token = inst.user("alice").await;
    inst.org("ruhr-oss", "alice").await;
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr-oss/announcements"),
        Some(&token),
        Some(json!({"content": "Hallo #Ruhr", "language": "de"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr-oss/events"),
        Some(&token),
        Some(
            json!({"title": "Infotag", "start": "2030-05-01T10:00", "end": "2030-05-01T12:00",
                    "timezone": "Europe/Berlin"}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(json!({"slug": "stadtradar", "name": "Stadtradar",
                    "repository": "https://codeberg.org/ruhr/stadtradar", "license": "MIT"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    (inst, token)
}

async fn openapi(inst: &Instance) -> Value {
    let (s, doc) = api(Method::GET, &inst.url("/api/openapi.json"), None, None).await;
    assert_eq!(s, 200);
    doc
}

/// The fuzzer's configuration: path parameters name the seeded objects most of the time
/// (the rest stay random, so unknown ones are fuzzed too). A deleted object answers 410 to a
/// well-formed request: that is the object's state, not a refusal of the data.
const CONFIG: &str = r#"
# The checks the fuzzer runs (named here, not on the command line, so that an operation below
# can switch one off): no 5xx, every status documented, content type and body as documented,
# data valid by the schema accepted and data invalid by it refused.
[checks]
enabled = false
not_a_server_error.enabled = true
status_code_conformance.enabled = true
content_type_conformance.enabled = true
response_schema_conformance.enabled = true

[dictionaries.slugs]
values = ["ruhr-oss"]
[dictionaries.ids]
values = [1]
[dictionaries.projects]
values = ["stadtradar"]

[parameters]
"path.slug" = { dictionary = "slugs", probability = 0.8 }
"path.id" = { dictionary = "ids", probability = 0.8 }
"path.project" = { dictionary = "projects", probability = 0.8 }

[checks.positive_data_acceptance]
enabled = true
expected-statuses = ["2xx", "401", "403", "404", "409", "410"]

[checks.negative_data_rejection]
enabled = true
expected-statuses = ["400", "401", "403", "404", "409", "410", "413", "415", "422"]

# Rules JSON Schema cannot state, so a body valid by the schema may still be refused with a
# documented 422: an event's end after its start, a wall time that exists in an IANA zone,
# RRULE semantics; the grammar of an iCalendar file; SPDX license expressions and the
# cross-field rules of a project. Every other check still runs on these operations.
[[operations]]
include-path-regex = "^/api/v1/orgs/\\{slug\\}/(events|events/\\{id\\}|events/import|projects|projects/\\{project\\})$"
include-method-regex = "^(POST|PATCH)$"
checks.positive_data_acceptance.enabled = false
"#;

/// Operations that make the server fetch a URL or resolve an account named in the request:
/// fuzzed input would send traffic to arbitrary hosts, and tests talk to loopback only. Their
/// contract is checked by hand below with loopback peers.
const FETCHING: &str = "^/api/v1/(follows|unfollow|lookup)$|/projects/import$";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_contract_violations() {
    let py = schemathesis_python().await;
    let (inst, token) = seeded().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("schemathesis.toml");
    std::fs::write(&config, CONFIG).expect("config");
    // A fixed seed keeps CI reproducible; REVIER_FUZZ_SEED and REVIER_FUZZ_EXAMPLES explore
    // further when run by hand.
    let seed = std::env::var("REVIER_FUZZ_SEED").unwrap_or_else(|_| "6".into());
    let examples = std::env::var("REVIER_FUZZ_EXAMPLES").unwrap_or_else(|_| "40".into());
    let out = tokio::time::timeout(
        Duration::from_secs(400),
        tokio::process::Command::new(py.with_file_name("schemathesis"))
            .args(["--no-color", "--config-file"])
            .arg(&config)
            .arg("run")
            .arg(inst.url("/api/openapi.json"))
            .args(["--phases", "examples,coverage,fuzzing"])
            .args(["--max-examples", &examples, "--seed", &seed])
            .args(["--max-time", "150", "--workers", "1"])
            .args(["--exclude-path-regex", FETCHING])
            .args(["--request-timeout", "20", "--suppress-health-check", "all"])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--report", "json", "--report-json-path", "report.json"])
            .current_dir(dir.path())
            .env("NO_PROXY", "*")
            .env("SCHEMATHESIS_HOOKS", "")
            .output(),
    )
    .await
    .expect("schemathesis timed out")
    .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "schemathesis found contract violations ({:?})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    // The run report: every selected operation tested, cases generated, nothing failed.
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("report.json")).expect("report.json"),
    )
    .expect("a JSON report");
    let ops = &report["operations"];
    assert!(ops["tested"].as_u64() >= Some(30), "{ops}");
    assert_eq!(ops["tested"], ops["selected"], "{ops}");
    assert_eq!(ops["errored"], 0, "{ops}");
    let cases = &report["test_cases"];
    assert!(cases["generated"].as_u64() > Some(500), "{cases}");
    assert_eq!(cases["with_failures"], 0, "{cases}");
    assert_eq!(report["failures"], json!([]), "{stdout}");
    assert_eq!(report["errors"], json!([]), "{stdout}");
    eprintln!(
        "schemathesis {}: {} operations, {} cases, 0 failures",
        report["schemathesis_version"], ops["tested"], cases["generated"]
    );
}

/// The statuses the document gives for `method path`.
fn documented(doc: &Value, method: &str, path: &str) -> Vec<u16> {
    doc["paths"][path][method]["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} is not documented"))
        .keys()
        .filter_map(|k| k.parse().ok())
        .collect()
}

/// Sends a request and asserts the answer is `expected`, documented for the operation, and
/// (for errors) JSON `{"error": "..."}`.
#[allow(clippy::too_many_arguments)]
async fn expect(
    inst: &Instance,
    doc: &Value,
    method: Method,
    op: &str,
    url: &str,
    token: Option<&str>,
    body: Option<(&str, String)>,
    expected: u16,
) -> (Value, reqwest::header::HeaderMap) {
    let mut req = revier_e2e::http().request(method.clone(), inst.url(url));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some((ctype, b)) = body {
        req = req.header("content-type", ctype).body(b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    assert_eq!(status, expected, "{method} {url}: {text}");
    let m = method.as_str().to_ascii_lowercase();
    assert!(
        documented(doc, &m, op).contains(&status),
        "{method} {op} answered an undocumented {status}"
    );
    let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if status >= 400 {
        assert!(
            headers
                .get("content-type")
                .and_then(|c| c.to_str().ok())
                .is_some_and(|c| c.starts_with("application/json")),
            "{method} {url}: {headers:?}"
        );
        assert!(
            v["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{method} {url}: {text}"
        );
    }
    (v, headers)
}

/// Every list of the API that can grow, as (document path, request path).
const LISTS: &[(&str, &str)] = &[
    ("/api/v1/events", "/api/v1/events"),
    ("/api/v1/events/remote", "/api/v1/events/remote"),
    ("/api/v1/projects/remote", "/api/v1/projects/remote"),
    ("/api/v1/timeline", "/api/v1/timeline"),
    ("/api/v1/orgs/{slug}/events", "/api/v1/orgs/ruhr-oss/events"),
    (
        "/api/v1/orgs/{slug}/projects",
        "/api/v1/orgs/ruhr-oss/projects",
    ),
    (
        "/api/v1/orgs/{slug}/followers",
        "/api/v1/orgs/ruhr-oss/followers",
    ),
    (
        "/api/v1/orgs/{slug}/comments",
        "/api/v1/orgs/ruhr-oss/comments",
    ),
    (
        "/api/v1/orgs/{slug}/events/{id}/participants",
        "/api/v1/orgs/ruhr-oss/events/1/participants",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_lists_are_paginated_with_a_maximum_page_size() {
    let (inst, token) = seeded().await;
    let doc = openapi(&inst).await;
    for i in 2..=5 {
        let (s, v) = api(
            Method::POST,
            &inst.url("/api/v1/orgs/ruhr-oss/events"),
            Some(&token),
            Some(json!({"title": format!("Treffen {i}"), "start": format!("2030-05-0{i}T10:00")})),
        )
        .await;
        assert_eq!(s, 201, "{v}");
    }
    for (op, url) in LISTS {
        // The document states the bounds.
        let params = doc["paths"][op]["get"]["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{op}: no parameters"));
        let param = |name: &str| {
            params
                .iter()
                .find(|p| p["name"] == name && p["in"] == "query")
                .unwrap_or_else(|| panic!("{op}: no {name} parameter"))["schema"]
                .clone()
        };
        let (page, limit) = (param("page"), param("limit"));
        assert_eq!(limit["maximum"], 200, "{op}: {limit}");
        assert_eq!(limit["minimum"], 1, "{op}: {limit}");
        assert_eq!(limit["default"], 50, "{op}: {limit}");
        assert_eq!(page["minimum"], 1, "{op}: {page}");
        assert_eq!(page["maximum"], 1_000_000, "{op}: {page}");
        // The default and the largest page answer; out of range is a documented 422, a
        // value that is not a number a documented 400, and nothing overflows.
        for q in ["", "?limit=200", "?page=1000000&limit=200"] {
            let (v, _) = expect(
                &inst,
                &doc,
                Method::GET,
                op,
                &format!("{url}{q}"),
                Some(&token),
                None,
                200,
            )
            .await;
            assert!(v.is_array() || v["comments"].is_array(), "{url}{q}: {v}");
        }
        for q in [
            "?limit=201",
            "?limit=0",
            "?limit=-1",
            "?page=0",
            "?page=-9223372036854775808",
            "?page=9223372036854775807",
            "?page=9223372036854775807&limit=200",
            "?page=1000001",
        ] {
            expect(
                &inst,
                &doc,
                Method::GET,
                op,
                &format!("{url}{q}"),
                Some(&token),
                None,
                422,
            )
            .await;
        }
        for q in ["?page=abc", "?limit=1e3", "?page=99999999999999999999"] {
            expect(
                &inst,
                &doc,
                Method::GET,
                op,
                &format!("{url}{q}"),
                Some(&token),
                None,
                400,
            )
            .await;
        }
    }
    // Five events in pages of two: a `Link` to the next page while there is one, and the
    // other filters kept in it.
    let mut titles = Vec::new();
    let mut next = Some(inst.url("/api/v1/orgs/ruhr-oss/events?when=all&limit=2"));
    let mut pages = 0;
    while let Some(url) = next.take() {
        let resp = revier_e2e::http().get(&url).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        next = resp
            .headers()
            .get("link")
            .and_then(|l| l.to_str().ok())
            .map(|l| {
                assert!(l.ends_with(">; rel=\"next\""), "{l}");
                assert!(l.contains("when=all") && l.contains("limit=2"), "{l}");
                l.trim_start_matches('<')
                    .trim_end_matches(">; rel=\"next\"")
                    .to_string()
            });
        let page: Value = resp.json().await.unwrap();
        assert!(page.as_array().unwrap().len() <= 2, "{page}");
        titles.extend(
            page.as_array()
                .unwrap()
                .iter()
                .map(|e| e["title"].as_str().unwrap().to_string()),
        );
        pages += 1;
        assert!(pages <= 3, "more pages than events");
    }
    assert_eq!(pages, 3);
    assert_eq!(
        titles,
        [
            "Infotag",
            "Treffen 2",
            "Treffen 3",
            "Treffen 4",
            "Treffen 5"
        ]
    );
    // Without a limit a page holds 50: one page, no `Link`.
    let resp = revier_e2e::http()
        .get(inst.url("/api/v1/events?when=all"))
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("link").is_none());
    assert_eq!(
        resp.json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_states_errors_enums_bodies_and_security() {
    let (inst, token) = seeded().await;
    let doc = openapi(&inst).await;
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer"})
    );
    assert_eq!(
        doc["components"]["schemas"]["ErrorBody"]["required"],
        json!(["error"])
    );
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 30, "{}", paths.len());
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let what = format!("{method} {path}");
            let responses = op["responses"].as_object().unwrap();
            // Every error answer is documented with a JSON body that has `error`.
            for (status, r) in responses {
                if status.starts_with('2') {
                    continue;
                }
                let schema = &r["content"]["application/json"]["schema"]["$ref"];
                assert!(
                    schema == "#/components/schemas/ErrorBody"
                        || schema == "#/components/schemas/FieldErrorsBody",
                    "{what} {status}: {r}"
                );
            }
            let has = |s: &str| responses.contains_key(s);
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            if secured {
                assert_eq!(op["security"], json!([{"bearer": []}]), "{what}");
                assert!(has("401"), "{what}: 401");
            }
            if path.contains("{slug}") && secured {
                assert!(has("403"), "{what}: 403");
            }
            if op.get("requestBody").is_some() {
                for s in ["400", "413", "415", "422"] {
                    assert!(has(s), "{what}: {s}");
                }
            }
            if path.contains('{') {
                assert!(has("400") && has("404"), "{what}: 400/404");
            }
        }
    }
    // Closed sets are enums.
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["WhenParam"]["enum"],
        json!(["upcoming", "past", "all"])
    );
    assert_eq!(
        schemas["OriginParam"]["enum"],
        json!(["local", "remote", "all"])
    );
    assert_eq!(
        schemas["FollowState"]["enum"],
        json!(["accepted", "pending"])
    );
    assert_eq!(
        schemas["JoinMode"]["enum"],
        json!(revier::domain::events::JOIN_MODES)
    );
    assert_eq!(
        schemas["EventStatus"]["enum"],
        json!(revier::domain::events::STATUSES)
    );
    assert_eq!(
        schemas["EventCategory"]["enum"],
        json!(revier::domain::events::CATEGORIES)
    );
    let when = doc["paths"]["/api/v1/events"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "when")
        .unwrap()
        .clone();
    assert!(when["schema"].to_string().contains("WhenParam"), "{when}");
    // Required fields.
    assert_eq!(schemas["OrgInput"]["required"], json!(["slug", "name"]));
    assert_eq!(schemas["AnnouncementInput"]["required"], json!(["content"]));
    // Request bodies with their content types.
    let body = |p: &str| doc["paths"][p]["post"]["requestBody"]["content"].clone();
    assert!(body("/api/v1/orgs/{slug}/events/import")["text/calendar"].is_object());
    let import = body("/api/v1/orgs/{slug}/projects/import");
    assert!(import["application/yaml"].is_object() && import["application/json"].is_object());
    assert!(body("/api/v1/orgs/{slug}/events")["application/json"].is_object());

    // The extractors answer as documented: JSON errors, never axum's plain text.
    let events = "/api/v1/orgs/{slug}/events";
    let url = "/api/v1/orgs/ruhr-oss/events";
    let json_body = |b: &str| Some(("application/json", b.to_string()));
    expect(
        &inst,
        &doc,
        Method::POST,
        events,
        url,
        None,
        json_body("{}"),
        401,
    )
    .await;
    expect(
        &inst,
        &doc,
        Method::POST,
        events,
        url,
        Some(&token),
        json_body("{"),
        400,
    )
    .await;
    expect(
        &inst,
        &doc,
        Method::POST,
        events,
        url,
        Some(&token),
        Some(("text/plain", "{}".into())),
        415,
    )
    .await;
    expect(
        &inst,
        &doc,
        Method::POST,
        events,
        url,
        Some(&token),
        json_body(r#"{"title": 5}"#),
        422,
    )
    .await;
    let big = format!(
        r#"{{"title": "{}"}}"#,
        "x".repeat(revier_federation::MAX_BODY_BYTES + 1)
    );
    expect(
        &inst,
        &doc,
        Method::POST,
        events,
        url,
        Some(&token),
        json_body(&big),
        413,
    )
    .await;
    let one = "/api/v1/orgs/{slug}/events/{id}";
    expect(
        &inst,
        &doc,
        Method::GET,
        one,
        "/api/v1/orgs/ruhr-oss/events/x",
        None,
        None,
        400,
    )
    .await;
    expect(
        &inst,
        &doc,
        Method::GET,
        one,
        "/api/v1/orgs/ruhr-oss/events/99999999999999999999",
        None,
        None,
        400,
    )
    .await;
    expect(
        &inst,
        &doc,
        Method::GET,
        one,
        "/api/v1/orgs/ruhr-oss/events/77",
        None,
        None,
        404,
    )
    .await;
    expect(
        &inst,
        &doc,
        Method::GET,
        "/api/v1/events",
        "/api/v1/events?when=later",
        None,
        None,
        422,
    )
    .await;
    let import = "/api/v1/orgs/{slug}/events/import";
    expect(
        &inst,
        &doc,
        Method::POST,
        import,
        "/api/v1/orgs/ruhr-oss/events/import",
        Some(&token),
        json_body("{}"),
        415,
    )
    .await;

    // The operations the fuzzer leaves out (they resolve accounts or fetch URLs), with
    // loopback or invalid input only.
    let dead = "nobody@127.0.0.1:9";
    for (m, op) in [
        (Method::POST, "/api/v1/lookup"),
        (Method::POST, "/api/v1/follows"),
        (Method::POST, "/api/v1/unfollow"),
    ] {
        let key = if op == "/api/v1/lookup" {
            "resource"
        } else {
            "account"
        };
        expect(&inst, &doc, m.clone(), op, op, None, json_body("{}"), 401).await;
        expect(
            &inst,
            &doc,
            m.clone(),
            op,
            op,
            Some(&token),
            json_body("[]"),
            422,
        )
        .await;
        expect(
            &inst,
            &doc,
            m.clone(),
            op,
            op,
            Some(&token),
            Some(("text/plain", "x".into())),
            415,
        )
        .await;
        expect(
            &inst,
            &doc,
            m.clone(),
            op,
            op,
            Some(&token),
            json_body(&json!({key: ""}).to_string()),
            422,
        )
        .await;
        let resp = revier_e2e::http()
            .request(m.clone(), inst.url(op))
            .bearer_auth(&token)
            .json(&json!({key: dead}))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        assert!(
            documented(&doc, &m.as_str().to_ascii_lowercase(), op).contains(&status),
            "{m} {op} {dead}: undocumented {status}"
        );
    }
    let follows = "/api/v1/follows";
    expect(
        &inst,
        &doc,
        Method::GET,
        follows,
        "/api/v1/follows?account=",
        Some(&token),
        None,
        422,
    )
    .await;
    expect(
        &inst,
        &doc,
        Method::GET,
        follows,
        "/api/v1/follows",
        Some(&token),
        None,
        400,
    )
    .await;
    let pimport = "/api/v1/orgs/{slug}/projects/import";
    let purl = "/api/v1/orgs/ruhr-oss/projects/import";
    expect(
        &inst,
        &doc,
        Method::POST,
        pimport,
        purl,
        Some(&token),
        Some(("text/plain", "x".into())),
        415,
    )
    .await;
    expect(
        &inst,
        &doc,
        Method::POST,
        pimport,
        purl,
        Some(&token),
        json_body(r#"{"url": "ftp://127.0.0.1/x"}"#),
        422,
    )
    .await;
    expect(
        &inst,
        &doc,
        Method::POST,
        pimport,
        purl,
        Some(&token),
        Some(("application/yaml", "a: [".into())),
        422,
    )
    .await;
}

/// Found by the fuzzer on PostgreSQL: a NUL in a text filter or a path parameter reached the
/// database, which refuses NUL in text, and the answer was 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_in_filters_and_paths_is_not_a_server_error() {
    let (inst, token) = seeded().await;
    let doc = openapi(&inst).await;
    for (op, url, status) in [
        (
            "/api/v1/events/remote",
            "/api/v1/events/remote?tag=a%00b",
            200,
        ),
        ("/api/v1/events", "/api/v1/events?category=%00", 200),
        (
            "/api/v1/orgs/{slug}/comments",
            "/api/v1/orgs/ruhr-oss/comments?object=http%3A%2F%2Fx%00",
            200,
        ),
        ("/api/v1/orgs/{slug}", "/api/v1/orgs/ruhr%00oss", 404),
        (
            "/api/v1/orgs/{slug}/projects/{project}",
            "/api/v1/orgs/ruhr-oss/projects/stadt%00radar",
            404,
        ),
    ] {
        let (v, _) = expect(
            &inst,
            &doc,
            Method::GET,
            op,
            url,
            Some(&token),
            None,
            status,
        )
        .await;
        if status == 200 {
            assert!(v.is_array() || v["comments"] == json!([]), "{url}: {v}");
        }
    }
}

/// The `/api/v1` routes the server registers, as (path, method), read from the routers in
/// server/src/web (`.route("/api/v1/...", get(..).post(..))`).
fn registered_api_routes() -> std::collections::BTreeSet<(String, String)> {
    const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src/web");
    let mut routes = std::collections::BTreeSet::new();
    for file in std::fs::read_dir(&dir).expect("server/src/web") {
        let file = file.unwrap().path();
        if file.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices(".route(") {
            let rest = text[at + ".route(".len()..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue;
            };
            let (path, rest) = rest.split_once('"').unwrap();
            // The method router: up to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map(|(i, _)| i)
                .unwrap_or_else(|| panic!("{}: unclosed .route({path:?}", file.display()));
            let router = &rest[..end];
            if !path.starts_with("/api/v1/") {
                continue;
            }
            let mut found = false;
            for m in METHODS {
                for (i, _) in router.match_indices(&format!("{m}(")) {
                    let before = router[..i].chars().next_back();
                    if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_')) {
                        routes.insert((path.to_string(), m.to_string()));
                        found = true;
                    }
                }
            }
            assert!(found, "{}: no method for {path}: {router}", file.display());
        }
    }
    routes
}

/// Every route under `/api/v1` is in the served document with exactly the methods it is
/// registered with, and the document names no operation the server does not have.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_route_is_documented_with_its_methods() {
    let inst = Instance::start().await;
    let doc = openapi(&inst).await;
    let documented: std::collections::BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| path.starts_with("/api/v1/"))
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(|m| (path.clone(), m.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let registered = registered_api_routes();
    // The routers were read: the moderation routes of issue 9 are among them.
    for (path, method) in [
        ("/api/v1/instance/domain_blocks", "get"),
        ("/api/v1/admin/domain_blocks/{host}", "delete"),
        ("/api/v1/admin/domain_allows", "post"),
        ("/api/v1/instance/domain_lists/allow.json", "get"),
        ("/api/v1/admin/domain_lists/{id}/overrides", "post"),
        ("/api/v1/moderation/log", "get"),
        ("/api/v1/instance/moderation_log", "get"),
    ] {
        assert!(
            registered.contains(&(path.to_string(), method.to_string())),
            "{method} {path} not found in the routers"
        );
    }
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the document: {undocumented:?}"
    );
    let unserved: Vec<_> = documented.difference(&registered).collect();
    assert!(
        unserved.is_empty(),
        "documented operations the server does not route: {unserved:?}"
    );
}

/// Where `value` breaks `schema` (with `$ref`s into `doc`): missing required fields, fields
/// the schema does not name, values of another type.
fn schema_violations(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(r) => {
                let name = r.trim_start_matches("#/components/schemas/");
                let target = &doc["components"]["schemas"][name];
                assert!(target.is_object(), "unknown schema {r}");
                resolve(doc, target)
            }
            None => schema,
        }
    }
    // The properties a schema names, through `allOf` (utoipa's form of `#[serde(flatten)]`).
    fn properties(doc: &Value, schema: &Value, into: &mut Vec<String>) {
        let schema = resolve(doc, schema);
        if let Some(p) = schema["properties"].as_object() {
            into.extend(p.keys().cloned());
        }
        for part in schema["allOf"].as_array().into_iter().flatten() {
            properties(doc, part, into);
        }
    }
    fn check(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
        let schema = resolve(doc, schema);
        for part in schema["allOf"].as_array().into_iter().flatten() {
            check(doc, part, value, at, out);
        }
        if let Some(alts) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
            if !alts.iter().any(|s| {
                let mut o = Vec::new();
                check(doc, s, value, at, &mut o);
                o.is_empty()
            }) {
                out.push(format!("{at}: {value} fits none of {alts:?}"));
            }
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let fits = |t: &str| match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        };
        if !types.is_empty() && !types.iter().any(|t| fits(t)) {
            out.push(format!("{at}: {value} is not {types:?}"));
            return;
        }
        if let Some(obj) = value.as_object() {
            for r in schema["required"].as_array().into_iter().flatten() {
                let r = r.as_str().unwrap();
                if !obj.contains_key(r) {
                    out.push(format!("{at}: required `{r}` missing"));
                }
            }
            if let Some(props) = schema["properties"].as_object() {
                for (k, s) in props {
                    if let Some(v) = obj.get(k) {
                        check(doc, s, v, &format!("{at}.{k}"), out);
                    }
                }
            }
        }
        if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
            for (i, v) in arr.iter().enumerate() {
                check(doc, items, v, &format!("{at}[{i}]"), out);
            }
        }
    }
    fn closed(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
        let schema = resolve(doc, schema);
        if let Some(obj) = value.as_object() {
            let mut named = Vec::new();
            properties(doc, schema, &mut named);
            if !named.is_empty() {
                for k in obj.keys().filter(|k| !named.contains(k)) {
                    out.push(format!("{at}: `{k}` is not in the schema"));
                }
                let mut props = serde_json::Map::new();
                let mut all = vec![schema];
                while let Some(s) = all.pop() {
                    let s = resolve(doc, s);
                    if let Some(p) = s["properties"].as_object() {
                        props.extend(p.clone());
                    }
                    all.extend(s["allOf"].as_array().into_iter().flatten());
                }
                for (k, v) in obj {
                    if let Some(s) = props.get(k) {
                        closed(doc, s, v, &format!("{at}.{k}"), out);
                    }
                }
            }
        }
        if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
            for (i, v) in arr.iter().enumerate() {
                closed(doc, items, v, &format!("{at}[{i}]"), out);
            }
        }
    }
    let mut out = Vec::new();
    check(doc, schema, value, at, &mut out);
    closed(doc, schema, value, at, &mut out);
    out
}

/// One call to an operation of the moderation API, checked against the document: the status
/// documented, an error as JSON, a success in the documented schema. Returns the body.
#[allow(clippy::too_many_arguments)]
async fn call(
    inst: &Instance,
    doc: &Value,
    method: Method,
    op: &str,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
    expected: u16,
) -> Value {
    let body = body.map(|b| ("application/json", b.to_string()));
    let (v, headers) = expect(inst, doc, method.clone(), op, url, token, body, expected).await;
    let m = method.as_str().to_ascii_lowercase();
    let response = &doc["paths"][op][m.as_str()]["responses"][expected.to_string()];
    if expected < 300 {
        match response["content"]["application/json"].get("schema") {
            Some(schema) => {
                assert!(
                    headers
                        .get("content-type")
                        .and_then(|c| c.to_str().ok())
                        .is_some_and(|c| c.starts_with("application/json")),
                    "{method} {url}: {headers:?}"
                );
                let wrong = schema_violations(doc, schema, &v, "body");
                assert!(wrong.is_empty(), "{method} {url}: {wrong:#?}\n{v}");
            }
            None => assert!(v.is_null(), "{method} {url}: an undocumented body {v}"),
        }
    }
    v
}

/// The moderation API of issue 9 (domain policies and the allowlist, domain list
/// subscriptions and our signed lists, the moderation log) answers with the statuses and in
/// the shapes its document states, and its permissions are the documented ones: anonymous
/// 401, a member 403, a moderator 403 on the admin's routes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderation_operations_answer_as_documented() {
    use revier::domain::accounts::Role;
    use revier::domain::domain_policies::{self, PolicyInput, Severity};

    // A publishes a block list that B subscribes to.
    let a = Instance::start().await;
    domain_policies::set_policy(
        &a.app,
        None,
        &PolicyInput {
            severity: Severity::Limit,
            reject_media: true,
            public_reason: "Raids".into(),
            ..PolicyInput::suspend("raid.example", "private")
        },
        None,
    )
    .await
    .unwrap();
    let inst = Instance::start().await;
    let doc = openapi(&inst).await;
    let admin = inst.user_with_role("root", Role::Admin).await;
    let moderator = inst.user_with_role("mo", Role::Moderator).await;
    let member = inst.user("alice").await;
    inst.org("ruhr-oss", "alice").await;
    let list_url = a.url("/api/v1/instance/domain_lists/block.json");

    // Permissions first (they are checked before anything else, so nothing changes).
    let blocks = "/api/v1/admin/domain_blocks";
    let block = "/api/v1/admin/domain_blocks/{host}";
    let allows = "/api/v1/admin/domain_allows";
    let allow = "/api/v1/admin/domain_allows/{host}";
    let lists = "/api/v1/admin/domain_lists";
    let list = "/api/v1/admin/domain_lists/{id}";
    let refresh = "/api/v1/admin/domain_lists/{id}/refresh";
    let overrides = "/api/v1/admin/domain_lists/{id}/overrides";
    let log = "/api/v1/moderation/log";
    let admin_only: Vec<(Method, &str, &str, Option<Value>)> = vec![
        (Method::GET, blocks, blocks, None),
        (
            Method::POST,
            blocks,
            blocks,
            Some(json!({"domain": "spam.example"})),
        ),
        (
            Method::GET,
            block,
            "/api/v1/admin/domain_blocks/spam.example",
            None,
        ),
        (
            Method::DELETE,
            block,
            "/api/v1/admin/domain_blocks/spam.example",
            None,
        ),
        (Method::GET, allows, allows, None),
        (
            Method::POST,
            allows,
            allows,
            Some(json!({"domain": "friends.example"})),
        ),
        (
            Method::DELETE,
            allow,
            "/api/v1/admin/domain_allows/friends.example",
            None,
        ),
        (Method::GET, lists, lists, None),
        (Method::POST, lists, lists, Some(json!({"url": list_url}))),
        (Method::GET, list, "/api/v1/admin/domain_lists/1", None),
        (Method::DELETE, list, "/api/v1/admin/domain_lists/1", None),
        (
            Method::POST,
            refresh,
            "/api/v1/admin/domain_lists/1/refresh",
            None,
        ),
        (
            Method::POST,
            overrides,
            "/api/v1/admin/domain_lists/1/overrides",
            Some(json!({"host": "raid.example", "mode": "ignore"})),
        ),
    ];
    for (m, op, url, body) in &admin_only {
        for (token, status) in [(None, 401), (Some(&member), 403), (Some(&moderator), 403)] {
            let token = token.map(String::as_str);
            call(&inst, &doc, m.clone(), op, url, token, body.clone(), status).await;
        }
    }
    call(&inst, &doc, Method::GET, log, log, None, None, 401).await;
    call(&inst, &doc, Method::GET, log, log, Some(&member), None, 403).await;

    // Domain policies.
    let admin = Some(admin.as_str());
    let v = call(
        &inst,
        &doc,
        Method::POST,
        blocks,
        blocks,
        admin,
        Some(
            json!({"domain": "Spam.Example", "severity": "silence", "public_comment": "Loud",
                    "private_comment": "seen in three reports"}),
        ),
        200,
    )
    .await;
    assert_eq!(v["domain"], "spam.example");
    assert_eq!(v["severity"], "silence");
    for body in [
        json!({"domain": "x.example", "severity": "ban"}),
        json!({"domain": "not a host"}),
    ] {
        call(
            &inst,
            &doc,
            Method::POST,
            blocks,
            blocks,
            admin,
            Some(body),
            422,
        )
        .await;
    }
    let v = call(&inst, &doc, Method::GET, blocks, blocks, admin, None, 200).await;
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    let spam = "/api/v1/admin/domain_blocks/spam.example";
    call(&inst, &doc, Method::GET, block, spam, admin, None, 200).await;
    let none = "/api/v1/admin/domain_blocks/nothing.example";
    call(&inst, &doc, Method::GET, block, none, admin, None, 404).await;
    let bad = "/api/v1/admin/domain_blocks/not%20a%20host";
    call(&inst, &doc, Method::GET, block, bad, admin, None, 422).await;
    let v = call(
        &inst,
        &doc,
        Method::POST,
        allows,
        allows,
        admin,
        Some(json!({"domain": "friends.example"})),
        200,
    )
    .await;
    assert_eq!(v["domain"], "friends.example");
    call(&inst, &doc, Method::GET, allows, allows, admin, None, 200).await;

    // The public list and the signed lists, by anyone.
    let public = "/api/v1/instance/domain_blocks";
    let v = call(&inst, &doc, Method::GET, public, public, None, None, 200).await;
    assert_eq!(v[0]["comment"], "Loud", "{v}");
    for kind in ["block", "allow"] {
        let op = format!("/api/v1/instance/domain_lists/{kind}.json");
        let v = call(&inst, &doc, Method::GET, &op, &op, None, None, 200).await;
        assert_eq!(v["kind"], kind);
        assert!(v["proof"]["proofValue"].is_string(), "{v}");
        let host = if kind == "block" {
            "spam.example"
        } else {
            "friends.example"
        };
        assert_eq!(v["entries"][0]["domain"], host, "{v}");
    }

    // A subscription to A's list.
    let v = call(
        &inst,
        &doc,
        Method::POST,
        lists,
        lists,
        admin,
        Some(json!({"url": list_url, "refresh_secs": 3600})),
        201,
    )
    .await;
    assert_eq!(v["last_error"], "", "{v}");
    let id = v["id"].as_i64().unwrap();
    call(
        &inst,
        &doc,
        Method::POST,
        lists,
        lists,
        admin,
        Some(json!({"url": "gopher://x", "kind": "maybe"})),
        422,
    )
    .await;
    call(&inst, &doc, Method::GET, lists, lists, admin, None, 200).await;
    let one = format!("/api/v1/admin/domain_lists/{id}");
    let v = call(&inst, &doc, Method::GET, list, &one, admin, None, 200).await;
    assert_eq!(v["entries"][0]["host"], "raid.example", "{v}");
    assert_eq!(v["entries"][0]["applied"], true, "{v}");
    let v = call(
        &inst,
        &doc,
        Method::POST,
        overrides,
        &format!("{one}/overrides"),
        admin,
        Some(json!({"host": "raid.example", "mode": "ignore"})),
        200,
    )
    .await;
    assert_eq!(v["removed"], 1, "{v}");
    let v = call(&inst, &doc, Method::GET, list, &one, admin, None, 200).await;
    assert_eq!(v["entries"][0]["override_mode"], "ignore", "{v}");
    for (body, status) in [
        (json!({"host": "raid.example", "mode": "maybe"}), 400),
        (json!({"host": "other.example", "mode": "keep"}), 404),
        (json!({"host": "not a host", "mode": "keep"}), 422),
    ] {
        let url = format!("{one}/overrides");
        call(
            &inst,
            &doc,
            Method::POST,
            overrides,
            &url,
            admin,
            Some(body),
            status,
        )
        .await;
    }
    let v = call(
        &inst,
        &doc,
        Method::POST,
        refresh,
        &format!("{one}/refresh"),
        admin,
        None,
        200,
    )
    .await;
    assert_eq!(v["entries"], 1, "{v}");
    let gone = "/api/v1/admin/domain_lists/999";
    call(&inst, &doc, Method::GET, list, gone, admin, None, 404).await;

    // The moderation log: moderators read it; the public variant exists once enabled.
    let v = call(
        &inst,
        &doc,
        Method::GET,
        log,
        log,
        Some(&moderator),
        None,
        200,
    )
    .await;
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|e| e["target"] == "spam.example"),
        "{v}"
    );
    let url = format!("{log}?before=0");
    call(&inst, &doc, Method::GET, log, &url, admin, None, 400).await;
    let public_log = "/api/v1/instance/moderation_log";
    call(
        &inst,
        &doc,
        Method::GET,
        public_log,
        public_log,
        None,
        None,
        404,
    )
    .await;
    let root = {
        let mut conn = inst.app.db.conn().await.unwrap();
        revier::db::accounts::find_user_by_username(&mut conn, "root")
            .await
            .unwrap()
            .unwrap()
    };
    revier::domain::moderation_log::set_public_log(&inst.app, &root, true)
        .await
        .unwrap();
    let v = call(
        &inst,
        &doc,
        Method::GET,
        public_log,
        public_log,
        None,
        None,
        200,
    )
    .await;
    assert!(!v.as_array().unwrap().is_empty(), "{v}");
    assert!(!v.to_string().contains("seen in three reports"), "{v}");
    let url = format!("{public_log}?before=x");
    call(&inst, &doc, Method::GET, public_log, &url, None, None, 400).await;

    // Removing.
    call(&inst, &doc, Method::DELETE, list, &one, admin, None, 204).await;
    call(&inst, &doc, Method::DELETE, list, &one, admin, None, 404).await;
    let friends = "/api/v1/admin/domain_allows/friends.example";
    call(
        &inst,
        &doc,
        Method::DELETE,
        allow,
        friends,
        admin,
        None,
        200,
    )
    .await;
    call(
        &inst,
        &doc,
        Method::DELETE,
        allow,
        friends,
        admin,
        None,
        404,
    )
    .await;
    call(&inst, &doc, Method::DELETE, block, spam, admin, None, 200).await;
    call(&inst, &doc, Method::DELETE, block, spam, admin, None, 404).await;

    // With the public list off, neither it nor the signed lists are published.
    domain_policies::set_public_list(&inst.app, None, false)
        .await
        .unwrap();
    for op in [
        public,
        "/api/v1/instance/domain_lists/block.json",
        "/api/v1/instance/domain_lists/allow.json",
    ] {
        call(&inst, &doc, Method::GET, op, op, None, None, 404).await;
    }
    a.stop().await;
    inst.stop().await;
}
