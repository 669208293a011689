//! Calls through their pages (issue 12): an organizer opens a call on the form, members
//! nominate local projects, the organizers shortlist them and open the vote, members vote on
//! the call's page (once), the vote closes, and the results show on the winning project.

use revier_e2e::web::WebClient;
use revier_e2e::Instance;

const PASSWORD: &str = "correct horse battery";
const NEW: &str = "/manage/orgs/ruhr/calls/new";
const CALL: &str = "/calls/stadtpreis";
const MANAGE: &str = "/manage/calls/stadtpreis";

async fn signed_in() -> (Instance, WebClient) {
    let inst = Instance::start().await;
    inst.user_with_password("alice", PASSWORD, false).await;
    inst.org("ruhr", "alice").await;
    let web = WebClient::new(&inst, "en");
    web.sign_in("alice", PASSWORD).await;
    (inst, web)
}

/// A date `days` from today (UTC) as the form sends it.
fn day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The call form's fields: nominations opened yesterday, the vote and the results later.
fn call_fields(title: &str, nominations_close: &str) -> Vec<(&'static str, String)> {
    vec![
        ("slug", "stadtpreis".into()),
        ("kind", "prize".into()),
        ("title", title.into()),
        ("description", "The city's prize for *open source*.".into()),
        ("criteria", "Useful for the region.".into()),
        ("rules", "One nomination per project.".into()),
        ("categories", "Civic tech, Education".into()),
        ("jury", "Ada\nGrace".into()),
        ("amount", "10,000 EUR".into()),
        ("language", "en".into()),
        ("timezone", "Europe/Berlin".into()),
        ("nominations_open", day(-1)),
        ("nominations_close", nominations_close.into()),
        ("jury_until", day(20)),
        ("vote_open", day(11)),
        ("vote_close", day(20)),
        ("announce_at", day(21)),
    ]
}

fn fields<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, s)| (*k, s.as_str())).collect()
}

async fn create_project(web: &WebClient, slug: &str, name: &str) {
    let new = "/manage/orgs/ruhr/projects/new";
    let page = web
        .submit(
            new,
            new,
            &[
                ("name", name),
                ("slug", slug),
                ("summary", "A project of the region"),
                ("description", "Made in the Ruhr."),
                ("license", "AGPL-3.0-or-later"),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
}

async fn nomination_id(inst: &Instance, name: &str) -> String {
    let mut conn = inst.app.db.conn().await.expect("conn");
    sqlx::query_scalar::<_, i64>("SELECT id FROM call_nominations WHERE project_name = $1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
        .expect("nomination")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_call_input_shows_field_errors_and_creates_nothing() {
    let (inst, web) = signed_in().await;
    let form = web.get(NEW).await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(form.html.contains("type=\"date\""), "{}", form.html);
    // No title, and nominations closing before they open.
    let bad = call_fields("", &day(-3));
    let page = web.submit(NEW, NEW, &fields(&bad)).await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page.html.contains("id=\"title-err\""), "{}", page.html);
    assert!(
        page.html.contains("id=\"nominations_close-err\""),
        "{}",
        page.html
    );
    assert!(page.html.contains("aria-invalid=\"true\""));
    // What was typed is shown again.
    assert!(page.html.contains("value=\"10,000 EUR\""), "{}", page.html);
    assert_eq!(inst.count("SELECT COUNT(*) FROM calls").await, 0);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_runs_from_nominations_to_results_on_its_pages() {
    let (inst, web) = signed_in().await;
    create_project(&web, "stadtradar", "Stadtradar").await;
    create_project(&web, "kiezkarte", "Kiezkarte").await;
    let page = web
        .submit(NEW, NEW, &fields(&call_fields("Stadtpreis 2027", &day(10))))
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page
        .url
        .ends_with("/manage/calls/stadtpreis?done=call-created"));
    assert!(page.html.contains("The call is open."), "{}", page.html);

    let public = web.get(CALL).await;
    assert_eq!(public.status, 200, "{}", public.html);
    assert!(public.html.contains("Nominations open"), "{}", public.html);
    assert!(public.html.contains("@stadtpreis@"));
    assert!(public.html.contains("/calls/stadtpreis/calendar.ics"));
    assert!(public.html.contains("/calls/stadtpreis/nominate"));
    let list = web.get("/calls").await;
    assert!(list.html.contains("Stadtpreis 2027"), "{}", list.html);

    nominate_both(&inst, &web).await;
    let (radar, kiez) = (
        nomination_id(&inst, "Stadtradar").await,
        nomination_id(&inst, "Kiezkarte").await,
    );
    for id in [&radar, &kiez] {
        let page = web
            .submit(
                MANAGE,
                &format!("{MANAGE}/nominations/{id}"),
                &[
                    ("status", "shortlisted"),
                    ("note", "good"),
                    ("option_name", ""),
                ],
            )
            .await;
        assert!(
            page.html.contains("The decision is saved."),
            "{}",
            page.html
        );
    }
    let page = web
        .submit(MANAGE, &format!("{MANAGE}/shortlist"), &[])
        .await;
    assert!(
        page.html.contains("The shortlist is published"),
        "{}",
        page.html
    );

    vote_once(&inst, &web, &radar).await;

    let page = web.submit(MANAGE, &format!("{MANAGE}/close"), &[]).await;
    assert!(page.html.contains("The vote is closed."), "{}", page.html);
    let closed = web.get(CALL).await;
    assert!(closed.html.contains("one vote"), "{}", closed.html);
    assert!(closed.html.contains("0 votes"), "{}", closed.html);

    let jury = format!("{kiez} 1st prize");
    let page = web
        .submit(MANAGE, &format!("{MANAGE}/results"), &[("jury", &jury)])
        .await;
    assert!(
        page.html.contains("The results are published."),
        "{}",
        page.html
    );
    let done = web.get(CALL).await;
    assert!(done.html.contains("Jury prize: 1st prize"), "{}", done.html);
    assert!(done.html.contains("Audience award"), "{}", done.html);
    let winner = web.get("/projects/kiezkarte").await;
    assert!(
        winner.html.contains("Stadtpreis 2027: 1st prize"),
        "{}",
        winner.html
    );
    inst.stop().await;
}

/// Both projects nominated on the form; an unknown project is refused at its field.
async fn nominate_both(inst: &Instance, web: &WebClient) {
    let form = format!("{CALL}/nominate");
    let bad = web
        .submit(
            &form,
            &form,
            &[("project", "@no-such-project"), ("statement", "")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains("id=\"project-err\""), "{}", bad.html);
    for (project, why) in [("@stadtradar", "Maps for all"), ("kiezkarte", "Neighbours")] {
        let page = web
            .submit(&form, &form, &[("project", project), ("statement", why)])
            .await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert!(
            page.html.contains("the nomination is sent"),
            "{}",
            page.html
        );
    }
    assert_eq!(inst.count("SELECT COUNT(*) FROM call_nominations").await, 2);
    let manage = web.get(MANAGE).await;
    assert!(manage.html.contains("@alice"), "{}", manage.html);
    assert!(manage.html.contains("Maps for all"));
}

/// One ballot is counted; a second by the same account is refused on the page; the page shows
/// the number of voters and no tallies while the vote runs.
async fn vote_once(inst: &Instance, web: &WebClient, option: &str) {
    let page = web.get(CALL).await;
    assert!(page.html.contains("type=\"radio\""), "{}", page.html);
    let csrf = page.csrf();
    let ballot = format!("{CALL}/ballot");
    let page = web
        .post_form(&ballot, &csrf, &[("nomination", option)])
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("Your vote is counted."), "{}", page.html);
    assert!(page.html.contains("You have voted."));
    assert!(page.html.contains("one person has voted"), "{}", page.html);
    assert!(!page.html.contains("one vote"), "{}", page.html);
    assert!(!page.html.contains("type=\"radio\""));
    let again = web
        .post_form(&ballot, &csrf, &[("nomination", option)])
        .await;
    assert_eq!(again.status, 409, "{}", again.html);
    assert!(
        again.html.contains("You have already voted in this call."),
        "{}",
        again.html
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM call_votes").await, 1);
    let visitor = WebClient::new(inst, "de").get(CALL).await;
    assert!(
        visitor.html.contains("Zum Abstimmen anmelden"),
        "{}",
        visitor.html
    );
    assert!(visitor.html.contains("eine Person hat abgestimmt"));
    assert!(!visitor.html.contains("eine Stimme"));
}
