//! The moderation flow of issue 9 in a real browser (tests/browser/moderation.mjs), in German
//! and in English: a visitor without an account reports an event with the form its page links,
//! a moderator finds the report in the queue, resolves it with a note, and the decision is in
//! the moderation log. axe checks every page on the way (no serious or critical violation), and
//! the browser reaches loopback only.

use revier_e2e::browser::{instance_with_content, run_script, PASSWORD};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_reports_and_a_moderator_resolves_in_both_languages() {
    let c = instance_with_content().await;
    c.inst.moderator_with_password("mo", PASSWORD).await;
    let report = run_script(
        "moderation.mjs",
        &json!({
            "base": c.inst.base,
            "target": c.event,
            "languages": ["de", "en"],
            "moderator": {"login": "mo", "password": PASSWORD},
        }),
    )
    .await;
    let steps = report["steps"].as_array().cloned().unwrap_or_default();
    let failed: Vec<&Value> = steps.iter().filter(|s| s["status"] != "ok").collect();
    assert!(failed.is_empty(), "failed steps: {failed:#?}");
    assert_eq!(steps.len(), 8, "four steps in each language: {steps:#?}");
    assert_eq!(
        report["violations"],
        json!([]),
        "axe: {:#}",
        report["violations"]
    );
    assert_eq!(report["foreignRequests"], json!([]), "{report}");
    assert_eq!(
        c.inst
            .count("SELECT COUNT(*) FROM reports WHERE status = 'resolved'")
            .await,
        2
    );
}
