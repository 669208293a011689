//! Interop with independent ActivityPub implementations from PyPI (pinned in
//! tests/interop/requirements.txt): `bovine` as a follower and as a Mastodon-style user who
//! RSVPs by keyword reply, and `fediverse-pasture`'s verify_actor test actors. The Python
//! virtualenv is created under target/ on first use.

use revier_e2e::free_port;
use revier_e2e::interop::run_script;
use revier_e2e::scenario::instance_with_org;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bovine_follows_an_org_and_verifies_our_accept_and_create_signatures() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    run_script(
        "bovine_follower.py",
        vec![
            "--revier".into(),
            inst.base.clone(),
            "--org".into(),
            "ruhr-oss".into(),
            "--token".into(),
            token,
            "--port".into(),
            free_port().to_string(),
        ],
    )
    .await;
    // The follow bovine made is stored and accepted.
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM follows WHERE state = 'accepted'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bovine_mastodon_style_reply_with_a_keyword_rsvps_and_gets_a_signed_direct_answer() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    run_script(
        "bovine_rsvp.py",
        vec![
            "--revier".into(),
            inst.base.clone(),
            "--org".into(),
            "ruhr-oss".into(),
            "--token".into(),
            token,
            "--port".into(),
            free_port().to_string(),
        ],
    )
    .await;
    // The keyword replies were RSVPs, not comments; the participation was withdrawn again.
    assert_eq!(inst.count("SELECT COUNT(*) FROM comments").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_fetch_fediverse_pasture_test_actors_including_signed_fetch_only_ones() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    run_script(
        "pasture_verify_actor.py",
        vec![
            "--revier".into(),
            inst.base.clone(),
            "--token".into(),
            token,
            "--port".into(),
            free_port().to_string(),
            "--org".into(),
            "ruhr-oss".into(),
        ],
    )
    .await;
}
