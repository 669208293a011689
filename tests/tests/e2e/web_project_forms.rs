//! Members' project pages: the form, the publiccode.yml import with its errors next to the
//! fields, edits, and releases.

use revier_e2e::scenario::publiccode_fixture;
use revier_e2e::web::{Page, WebClient};
use revier_e2e::{get_ap, Instance, AP};
use serde_json::Value;

const PASSWORD: &str = "correct horse battery";
const NEW: &str = "/manage/orgs/ruhr/projects/new";
const IMPORT: &str = "/manage/orgs/ruhr/projects/import";

async fn signed_in(lang: &'static str) -> (Instance, WebClient, String) {
    let inst = Instance::start().await;
    inst.user_with_password("alice", PASSWORD, false).await;
    let org = inst.org("ruhr", "alice").await;
    let web = WebClient::new(&inst, lang);
    web.sign_in("alice", PASSWORD).await;
    (inst, web, org)
}

async fn text(inst: &Instance, sql: &str) -> String {
    let mut conn = inst.app.db.conn().await.expect("conn");
    sqlx::query_scalar::<_, String>(sql)
        .fetch_one(&mut *conn)
        .await
        .expect("text query")
}

async fn upload(web: &WebClient, yaml: &str, slug: &str) -> Page {
    let form = reqwest::multipart::Form::new()
        .part(
            "publiccode",
            reqwest::multipart::Part::bytes(yaml.as_bytes().to_vec())
                .file_name("publiccode.yml")
                .mime_str("application/yaml")
                .unwrap(),
        )
        .text("url", "")
        .text("slug", slug.to_string());
    web.submit_multipart(NEW, IMPORT, form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_publiccode_yml_becomes_a_project() {
    let (inst, web, org) = signed_in("en").await;
    let form = web.get(NEW).await;
    assert_eq!(form.status, 200);
    assert!(
        form.html.contains("Import a publiccode.yml"),
        "{}",
        form.html
    );
    let page = upload(&web, &publiccode_fixture("v0.4.yml"), "odp").await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page
        .url
        .ends_with("/manage/projects/odp/edit?done=project-imported"));
    assert!(page.html.contains("The project is imported."));
    // The edit form shows the imported fields.
    assert!(page.html.contains("value=\"Open Data Portal Connector\""));
    assert!(page.html.contains("value=\"Apache-2.0\""));
    assert!(page
        .html
        .contains("<option value=\"development\" selected>"));
    let (s, _, doc) = get_ap(&inst.url("/projects/odp"), AP).await;
    assert_eq!(s, 200);
    assert_eq!(doc["name"], "Open Data Portal Connector");
    assert!(doc.to_string().contains(&org), "{doc}");
    assert!(
        !text(&inst, "SELECT source_yaml FROM projects WHERE slug = 'odp'")
            .await
            .is_empty()
    );
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_publiccode_yml_shows_its_errors_next_to_the_fields() {
    let (inst, web, _) = signed_in("de").await;
    let broken = publiccode_fixture("v0.4.yml")
        .replace(
            "developmentStatus: development",
            "developmentStatus: finished",
        )
        .replace("license: Apache-2.0", "license: Not-A-License")
        .replace("name: Open Data Portal Connector\n", "")
        .replace("localisationReady: true", "localisationReady: maybe");
    let page = upload(&web, &broken, "").await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page.html.contains("Bitte korrigieren Sie"), "{}", page.html);
    // Each key next to the field it fills, named by its key.
    assert!(page.html.contains(
        "<p class=\"field-error\" id=\"development_status-err\">developmentStatus: &#34;finished&#34; is not one of"
    ), "{}", page.html);
    assert!(page.html.contains("id=\"license-err\">legal.license:"));
    assert!(page.html.contains("id=\"name-err\">name: Pflichtfeld"));
    assert!(page.html.contains("aria-describedby=\"name-err\""));
    assert!(page
        .html
        .contains("<a href=\"#license\">Lizenz: legal.license:"));
    // A key the form has no field for is in the summary only.
    assert!(page.html.contains(
        "<li>publiccode.yml: localisation.localisationReady: must be true or false</li>"
    ));
    assert_eq!(inst.count("SELECT COUNT(*) FROM projects").await, 0);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_creates_and_edits_a_project_and_refuses_bad_fields() {
    let (inst, web, _) = signed_in("en").await;
    let fields = [
        ("name", "Stadtradar"),
        ("slug", "stadtradar"),
        ("summary", "Construction sites on a map"),
        ("description", "A *map*."),
        ("repository", "not a url"),
        ("website", ""),
        ("license", "AGPL-3.0-or-later"),
        ("languages", "Rust, TypeScript"),
        ("topics", "maps"),
        ("platforms", "web"),
        ("development_status", "beta"),
        ("maintenance_type", ""),
        ("software_type", ""),
        ("logo", ""),
    ];
    let page = web.submit(NEW, NEW, &fields).await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page.html.contains("id=\"repository-err\""), "{}", page.html);
    assert!(page.html.contains("value=\"Rust, TypeScript\""));
    assert_eq!(inst.count("SELECT COUNT(*) FROM projects").await, 0);

    let mut good = fields.to_vec();
    good.retain(|(k, _)| *k != "repository");
    good.push(("repository", "https://codeberg.org/ruhr/stadtradar"));
    let page = web.submit(NEW, NEW, &good).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("The project is created."));
    let edit = "/manage/projects/stadtradar/edit";
    let mut changed = good.clone();
    changed.retain(|(k, _)| !["summary", "slug"].contains(k));
    changed.push(("summary", "Baustellen auf einer Karte"));
    let page = web.submit(edit, edit, &changed).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("The changes are saved"));
    assert_eq!(
        text(
            &inst,
            "SELECT summary FROM projects WHERE slug = 'stadtradar'"
        )
        .await,
        "Baustellen auf einer Karte"
    );
    assert!(
        inst.count("SELECT COUNT(*) FROM outgoing_activities WHERE kind = 'Update'")
            .await
            >= 1
    );
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_is_published_from_the_releases_page() {
    let (inst, web, _) = signed_in("en").await;
    upload(&web, &publiccode_fixture("v0.4.yml"), "odp").await;
    let releases = "/manage/projects/odp/releases";
    let page = web.get(releases).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("Publish a release"), "{}", page.html);
    let bad = web
        .submit(
            releases,
            releases,
            &[("version", " "), ("date", "soon"), ("notes", "")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains("id=\"version-err\""));
    assert!(bad.html.contains("id=\"date-err\""));
    assert_eq!(inst.count("SELECT COUNT(*) FROM project_releases").await, 0);
    let page = web
        .submit(
            releases,
            releases,
            &[
                ("version", "2.0.0"),
                ("date", "2027-01-15"),
                ("notes", "Now with **DCAT-AP 3**."),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("The release is published."));
    assert!(page.html.contains("<td>2.0.0</td><td>2027-01-15</td>"));
    let (_, _, doc) = get_ap(&inst.url("/projects/odp"), AP).await;
    assert!(doc.to_string().contains("2.0.0"), "{doc}");
    let news = text(
        &inst,
        "SELECT json FROM outgoing_activities WHERE kind = 'Create' ORDER BY id DESC LIMIT 1",
    )
    .await;
    let news: Value = serde_json::from_str(&news).unwrap();
    assert!(news["object"]["content"]
        .as_str()
        .unwrap()
        .contains("2.0.0"));
    inst.stop().await;
}
