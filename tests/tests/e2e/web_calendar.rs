//! The public calendar: list and month views with their filters, the event page in both
//! languages and zones, the iCalendar link of a filter, and the embeddable calendar.

use reqwest::Method;
use revier_e2e::scenario::{create_event, instance_with_org};
use revier_e2e::web::WebClient;
use revier_e2e::{api, get_text, Instance};
use serde_json::{json, Value};

/// Three events in 2027: a Linux evening in Dortmund (ruhr, #linux, science), an online
/// consultation (bochum, #fediverse) and a repair café in Bochum (ruhr, community).
async fn three_events() -> (Instance, String, Vec<Value>) {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let bochum = inst.org("bochum", "alice").await;
    let bodies = [
        (
            "ruhr",
            json!({"title": "Linux-Abend Dortmund", "start": "2027-03-10T18:00", "end": "2027-03-10T20:00",
                "timezone": "Europe/Berlin", "tags": ["linux"], "category": "SCIENCE_TECH",
                "language": "de", "capacity": 40, "co_organizers": [bochum],
                "place": {"name": "Dortmunder U", "street_address": "Leonie-Reygers-Terrasse 2",
                    "postal_code": "44137", "locality": "Dortmund", "country": "DE",
                    "latitude": 51.5176, "longitude": 7.4562},
                "banner": {"url": "https://images.example/linux.jpg", "alt": "Ein Pinguin auf einer Bühne"}}),
        ),
        (
            "bochum",
            json!({"title": "Online-Sprechstunde", "start": "2027-03-20T10:00", "end": "2027-03-20T11:00",
                "timezone": "Europe/Berlin", "tags": ["fediverse"], "online_url": "https://meet.example/sprechstunde"}),
        ),
        (
            "ruhr",
            json!({"title": "Repair-Café Bochum", "start": "2027-04-05T14:00", "end": "2027-04-05T17:00",
                "timezone": "Europe/Berlin", "category": "COMMUNITY",
                "place": {"name": "Stadtteilladen", "locality": "Bochum"}}),
        ),
    ];
    let mut made = vec![];
    for (org, body) in bodies {
        let (s, v) = create_event(&inst, &token, org, body).await;
        assert_eq!(s, 201, "{v}");
        made.push(v);
    }
    (inst, token, made)
}

const LINUX: &str = "Linux-Abend Dortmund";
const ONLINE: &str = "Online-Sprechstunde";
const REPAIR: &str = "Repair-Café Bochum";

/// Which of the three titles a page shows.
fn shown(html: &str) -> Vec<&'static str> {
    [LINUX, ONLINE, REPAIR]
        .into_iter()
        .filter(|t| html.contains(t))
        .collect()
}

#[tokio::test]
async fn list_view_filters_by_org_tag_category_place_and_dates() {
    let (inst, _, _) = three_events().await;
    let web = WebClient::new(&inst, "en");
    let all = web.get("/events").await;
    assert_eq!(all.status, 200);
    assert_eq!(
        shown(&all.html),
        vec![LINUX, ONLINE, REPAIR],
        "{}",
        all.html
    );
    assert!(all.html.contains("<h1>Events</h1>"), "{}", all.html);
    assert!(all.html.contains("Wednesday, 10 March 2027, 18:00–20:00"));
    assert!(all
        .html
        .contains(r#"<option value="SCIENCE_TECH">Science and technology</option>"#));
    let cases: [(&str, Vec<&str>); 8] = [
        ("org=bochum", vec![ONLINE]),
        ("org=nobody", vec![]),
        ("tag=linux", vec![LINUX]),
        ("tag=%23Linux", vec![LINUX]),
        ("category=COMMUNITY", vec![REPAIR]),
        ("place=dortm", vec![LINUX]),
        ("online=1", vec![ONLINE]),
        ("from=2027-03-15&to=2027-03-31", vec![ONLINE]),
    ];
    for (q, want) in cases {
        let page = web.get(&format!("/events?{q}")).await;
        assert_eq!(page.status, 200, "{q}");
        assert_eq!(shown(&page.html), want, "{q}");
    }
    // Filters combine, and the form keeps them.
    let page = web.get("/events?org=ruhr&place=bochum").await;
    assert_eq!(shown(&page.html), vec![REPAIR]);
    assert!(
        page.html.contains(r#"<option value="ruhr" selected>"#),
        "{}",
        page.html
    );
    assert!(page.html.contains(r#"name="place" value="bochum""#));
    // A date that is not one: a message at the field, status 422.
    let bad = web.get("/events?from=soon").await;
    assert_eq!(bad.status, 422);
    assert!(bad.html.contains("error-summary"));
    assert!(bad.html.contains("Please enter a date such as 2026-10-24."));
    assert!(bad.html.contains(r#"aria-describedby="f-from-err""#));
    inst.stop().await;
}

#[tokio::test]
async fn month_view_is_a_table_of_the_month_with_its_neighbours() {
    let (inst, _, _) = three_events().await;
    let de = WebClient::new(&inst, "de");
    let march = de.get("/events?view=month&month=2027-03").await;
    assert_eq!(march.status, 200);
    assert_eq!(shown(&march.html), vec![LINUX, ONLINE], "{}", march.html);
    assert!(
        march.html.contains("<caption>März 2027</caption>"),
        "{}",
        march.html
    );
    assert!(march.html.contains(r#"<th scope="col">Mo</th>"#));
    assert!(march.html.contains("Voriger Monat: Februar 2027"));
    assert!(
        march
            .html
            .contains(r#"href="/events?view=month&#38;month=2027-04""#),
        "{}",
        march.html
    );
    // The Linux evening is in the cell of the 10th.
    let cell = march
        .html
        .find(r#"datetime="2027-03-10""#)
        .expect("the 10th");
    let next = march
        .html
        .find(r#"datetime="2027-03-11""#)
        .expect("the 11th");
    let at = march.html.find(LINUX).expect("linux");
    assert!(cell < at && at < next);
    // A filter narrows the month too, and the month links keep it.
    let tagged = de
        .get("/events?view=month&month=2027-03&tag=fediverse")
        .await;
    assert_eq!(shown(&tagged.html), vec![ONLINE]);
    assert!(tagged.html.contains("month=2027-04&#38;tag=fediverse"));
    let en = WebClient::new(&inst, "en");
    let april = en.get("/events?view=month&month=2027-04").await;
    assert_eq!(shown(&april.html), vec![REPAIR]);
    assert!(april.html.contains("<caption>April 2027</caption>"));
    assert!(april.html.contains("Next month: May 2027"));
    inst.stop().await;
}

#[tokio::test]
async fn event_page_shows_the_event_in_its_zone_and_the_readers_in_both_languages() {
    let (inst, token, made) = three_events().await;
    let id = made[0]["id"].as_str().expect("id").to_string();
    let path = id.trim_start_matches(&inst.base).to_string();
    let de = WebClient::new(&inst, "de");
    let page = de.get(&path).await;
    assert_eq!(page.status, 200);
    let h = &page.html;
    assert!(h.contains("Mittwoch, 10. März 2027, 18:00–20:00"), "{h}");
    assert!(h.contains("(Europe/Berlin)"));
    assert!(h.contains("Leonie-Reygers-Terrasse 2"));
    assert!(
        h.contains("https://www.openstreetmap.org/?mlat=51.51760&#38;mlon=7.45620"),
        "{h}"
    );
    assert!(h.contains(r#"alt="Ein Pinguin auf einer Bühne""#));
    assert!(h.contains(r#"<meta property="og:image:alt" content="Ein Pinguin auf einer Bühne">"#));
    assert!(h.contains(&format!(r#"<link rel="canonical" href="{id}">"#)));
    assert!(h.contains(&format!(
        r#"<link rel="alternate" type="application/activity+json" href="{id}">"#
    )));
    assert!(h.contains(&format!(r#"href="{id}.ics""#)));
    assert!(h.contains("0 von 40 Plätzen belegt"), "{h}");
    assert!(h.contains("offen für alle"));
    assert!(h.contains("#linux"));
    assert!(h.contains(r#"href="/events?category=SCIENCE_TECH">Wissenschaft und Technik</a>"#));
    assert!(h.contains(r#"class="interact""#), "the follow box");
    assert!(
        h.contains(">ruhr (org)</a>, <a"),
        "organizer, then co-organizer: {h}"
    );
    assert!(h.contains(">bochum (org)</a>"));
    // No time in a second zone until the reader picks one.
    assert!(!h.contains("America/New_York)"));
    let ny = de.get(&format!("{path}?tz=America%2FNew_York")).await;
    assert!(
        ny.html
            .contains("Mittwoch, 10. März 2027, 12:00–14:00 (America/New_York)"),
        "{}",
        ny.html
    );
    // The pick is remembered (cookie), and an empty pick forgets it.
    let en = de.get(&path).await;
    assert!(en.html.contains("12:00–14:00 (America/New_York)"));
    let none = de.get(&format!("{path}?tz=")).await;
    assert!(!none.html.contains("(America/New_York)"));
    // English, and a cancelled event says so.
    let (s, _) = api(
        Method::POST,
        &format!("{}/cancel", made[0]["api_url"].as_str().expect("api url")),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let en = WebClient::new(&inst, "en").get(&path).await;
    assert!(
        en.html.contains("Wednesday, 10 March 2027, 18:00–20:00"),
        "{}",
        en.html
    );
    assert!(en.html.contains("Cancelled"));
    assert!(en.html.contains("0 of 40 places taken"));
    let de = WebClient::new(&inst, "de").get(&path).await;
    assert!(de.html.contains("Abgesagt"));
    inst.stop().await;
}

#[tokio::test]
async fn the_ics_link_of_a_filter_holds_only_its_events() {
    let (inst, _, _) = three_events().await;
    let web = WebClient::new(&inst, "en");
    let org = web.get("/events?org=bochum").await;
    assert!(org.html.contains(r#"href="/events.ics?org=bochum""#));
    assert!(
        org.html.contains(r#"href="/orgs/bochum/feed.atom""#),
        "the org's feed"
    );
    let page = web.get("/events?tag=linux").await;
    assert!(
        page.html.contains(r#"href="/events.ics?tag=linux""#),
        "{}",
        page.html
    );
    let cases: [(&str, Vec<&str>); 4] = [
        ("tag=linux", vec![LINUX]),
        ("org=bochum", vec![ONLINE]),
        ("place=bochum", vec![REPAIR]),
        ("from=2027-03-01&to=2027-03-31", vec![LINUX, ONLINE]),
    ];
    for (q, want) in cases {
        let (s, _, body) = get_text(&inst.url(&format!("/events.ics?{q}")), "text/calendar").await;
        assert_eq!(s, 200, "{q}");
        assert_eq!(shown(&body), want, "{q}: {body}");
    }
    let (s, _, body) = get_text(&inst.url("/events.ics"), "text/calendar").await;
    assert_eq!(s, 200);
    assert_eq!(shown(&body), vec![LINUX, ONLINE, REPAIR]);
    let (s, _, _) = get_text(&inst.url("/events.ics?from=later"), "text/calendar").await;
    assert_eq!(s, 422);
    inst.stop().await;
}

#[tokio::test]
async fn the_embed_may_be_framed_and_the_generator_may_not() {
    let (inst, _, _) = three_events().await;
    let (s, headers, body) = get_text(
        &inst.url("/embed/events?org=ruhr&lang=de&limit=1"),
        "text/html",
    )
    .await;
    assert_eq!(s, 200);
    assert!(headers.get("x-frame-options").is_none());
    let csp = headers["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert_eq!(shown(&body), vec![LINUX], "one event of ruhr: {body}");
    assert!(body.contains(r#"<html lang="de">"#));
    assert!(body.contains(r#"target="_blank" rel="noopener""#));
    assert!(body.contains("Mittwoch, 10. März 2027"));
    let (_, _, two) = get_text(&inst.url("/embed/events?org=ruhr&lang=en"), "text/html").await;
    assert_eq!(shown(&two), vec![LINUX, REPAIR]);
    assert!(two.contains("Upcoming events"));

    let web = WebClient::new(&inst, "en");
    let page = web
        .get("/events/embed?org=ruhr&embed_lang=de&limit=3")
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.html.contains(r#"<textarea id="e-code" readonly"#),
        "{}",
        page.html
    );
    assert!(page.html.contains(r#"<label for="e-code">"#));
    let src = format!(
        "{}/embed/events?org=ruhr&#38;amp;lang=de&#38;amp;limit=3",
        inst.base
    );
    assert!(page.html.contains(&src), "{}", page.html);
    assert!(page.html.contains("Embed the calendar on your website"));
    let (_, headers, _) = get_text(&inst.url("/events/embed"), "text/html").await;
    assert_eq!(headers["x-frame-options"], "DENY");
    let csp = headers["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    inst.stop().await;
}

#[tokio::test]
async fn a_series_shows_at_its_next_date_in_the_list_and_at_each_date_in_the_month() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let (s, v) = create_event(
        &inst,
        &token,
        "ruhr",
        json!({"title": "Stammtisch", "start": "2027-03-02T19:00", "end": "2027-03-02T21:00",
            "timezone": "Europe/Berlin", "recurrence": {"rrule": "FREQ=WEEKLY;COUNT=3", "exdates": ["2027-03-09T19:00"]}}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let web = WebClient::new(&inst, "en");
    let march = web.get("/events?view=month&month=2027-03").await;
    let days: Vec<&str> = ["02", "09", "16", "23"]
        .into_iter()
        .filter(|d| {
            let cell = format!(r#"datetime="2027-03-{d}""#);
            let at = march.html.find(&cell).expect("day");
            march.html[at..]
                .split("</td>")
                .next()
                .unwrap_or_default()
                .contains("Stammtisch")
        })
        .collect();
    assert_eq!(
        days,
        vec!["02", "16"],
        "weekly, three times, the 9th excluded"
    );
    // From the 10th on, the list shows the series once, at its next date.
    let list = web.get("/events?from=2027-03-10").await;
    assert_eq!(list.html.matches("Stammtisch").count(), 1);
    assert!(
        list.html.contains("Tuesday, 16 March 2027, 19:00–21:00"),
        "{}",
        list.html
    );
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_events_the_instance_keeps_are_listed_with_their_origin() {
    // Issue 10: the calendar is regional, fed by sources (a person's follow stays out of it).
    let (a, a_token, _) = instance_with_org("ruhr").await;
    let b = Instance::start().await;
    let b_admin = b
        .user_with_role("bea", revier::domain::accounts::Role::Admin)
        .await;
    let open = revier::domain::sources::manage::FollowPolicy {
        auto: true,
        auto_hosts: vec![],
    };
    revier::domain::sources::manage::set_follow_policy(&a.app, &open)
        .await
        .expect("policy");
    let (s, v) = revier_e2e::api(
        reqwest::Method::POST,
        &b.url("/api/v1/sources"),
        Some(&b_admin),
        Some(json!({"input": a.domain})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let accepted = revier_e2e::wait_until(std::time::Duration::from_secs(20), || async {
        a.count("SELECT COUNT(*) FROM follows WHERE state = 'accepted'")
            .await
            == 1
    })
    .await;
    assert!(accepted, "A accepted B's instance follow");
    let (s, mine) = create_event(
        &a,
        &a_token,
        "ruhr",
        json!({"title": "Fernes Treffen", "start": "2027-05-01T10:00", "end": "2027-05-01T12:00"}),
    )
    .await;
    assert_eq!(s, 201, "{mine}");
    let id = mine["id"].as_str().expect("id").to_string();
    let web = WebClient::new(&b, "de");
    let arrived = revier_e2e::wait_until(std::time::Duration::from_secs(20), || async {
        web.get("/events").await.html.contains("Fernes Treffen")
    })
    .await;
    assert!(arrived, "B lists A's event");
    let page = web.get("/events").await;
    assert!(
        page.html.contains(&format!("von {}", a.domain)),
        "{}",
        page.html
    );
    assert!(
        page.html.contains(&format!(r#"href="{id}""#)),
        "links to its origin"
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn the_list_is_paged_and_the_pages_keep_the_filter() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    for day in 1..=21 {
        let body = json!({"title": format!("Treffen {day:02}"), "start": format!("2027-06-{day:02}T18:00"),
            "end": format!("2027-06-{day:02}T19:00"), "tags": ["treffen"]});
        let (s, v) = create_event(&inst, &token, "ruhr", body).await;
        assert_eq!(s, 201, "{v}");
    }
    let web = WebClient::new(&inst, "en");
    let first = web.get("/events?tag=treffen").await;
    assert_eq!(first.html.matches(r#"class="cal-event""#).count(), 20);
    assert!(first.html.contains("Treffen 01") && first.html.contains("Treffen 20"));
    assert!(!first.html.contains("Treffen 21"));
    assert!(
        first
            .html
            .contains(r#"<a rel="next" href="/events?tag=treffen&#38;page=2">Later events</a>"#),
        "{}",
        first.html
    );
    let second = web.get("/events?tag=treffen&page=2").await;
    assert_eq!(second.html.matches(r#"class="cal-event""#).count(), 1);
    assert!(second.html.contains("Treffen 21"));
    assert!(second
        .html
        .contains(r#"<a rel="prev" href="/events?tag=treffen&#38;page=1">Earlier events</a>"#));
    assert!(!second.html.contains(r#"rel="next""#));
    inst.stop().await;
}

#[tokio::test]
async fn a_busy_day_of_the_month_lists_five_events_and_links_the_rest() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    for hour in 10..17 {
        let body = json!({"title": format!("Sitzung {hour}"), "start": format!("2027-09-15T{hour}:00"),
            "end": format!("2027-09-15T{hour}:30"), "timezone": "Europe/Berlin", "tags": ["tagung"]});
        let (s, v) = create_event(&inst, &token, "ruhr", body).await;
        assert_eq!(s, 201, "{v}");
    }
    let en = WebClient::new(&inst, "en");
    let month = en.get("/events?view=month&month=2027-09&tag=tagung").await;
    let listed = (10..17)
        .filter(|h| month.html.contains(&format!("Sitzung {h}")))
        .count();
    assert_eq!(listed, 5, "{}", month.html);
    // The link keeps the filter and shows that day's whole list.
    let more =
        r#"<a href="/events?tag=tagung&#38;from=2027-09-15&#38;to=2027-09-15">2 more events</a>"#;
    assert!(month.html.contains(more), "{}", month.html);
    let day = en
        .get("/events?tag=tagung&from=2027-09-15&to=2027-09-15")
        .await;
    assert!(
        (10..17).all(|h| day.html.contains(&format!("Sitzung {h}"))),
        "{}",
        day.html
    );
    let de = WebClient::new(&inst, "de")
        .get("/events?view=month&month=2027-09&tag=tagung")
        .await;
    assert!(de.html.contains("2 weitere Veranstaltungen"), "{}", de.html);
    inst.stop().await;
}
