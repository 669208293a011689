//! Signing in and out of the web interface: sessions, CSRF, rate limits, the language switch.

use revier_e2e::web::WebClient;
use revier_e2e::Instance;

#[tokio::test]
async fn sign_in_opens_a_session_and_sign_out_ends_it() {
    let inst = Instance::start().await;
    inst.user_with_password("alice", "correct horse battery", false)
        .await;
    let web = WebClient::new(&inst, "en");
    let page = web.get("/login?next=%2Fabout").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("Sign in"), "{}", page.html);
    web.sign_in("alice@example.org", "correct horse battery")
        .await;
    // Every page's navigation knows the person (the error page is a page too).
    let home = web.get("/no-such-page").await;
    assert!(
        home.html.contains("/dashboard"),
        "signed-in nav: {}",
        home.html
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 1);
    let out = web.post_form("/logout", &home.csrf(), &[]).await;
    assert!(out.url.ends_with("/login?done=signed-out"), "{}", out.url);
    assert!(out.html.contains("You are signed out."), "{}", out.html);
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 0);
    inst.stop().await;
}

#[tokio::test]
async fn forms_without_the_token_change_nothing() {
    let inst = Instance::start().await;
    inst.user_with_password("bob", "correct horse battery", false)
        .await;
    let web = WebClient::new(&inst, "de");
    let page = web
        .post_form(
            "/login",
            "forged",
            &[("login", "bob"), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(page.status, 403);
    assert!(
        page.html.contains("Das Formular ist abgelaufen"),
        "{}",
        page.html
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 0);
    inst.stop().await;
}

#[tokio::test]
async fn wrong_passwords_are_limited_per_account() {
    let inst = Instance::start().await;
    inst.user_with_password("carol", "correct horse battery", false)
        .await;
    let web = WebClient::new(&inst, "en");
    for _ in 0..10 {
        let page = web
            .submit(
                "/login",
                "/login",
                &[("login", "carol"), ("password", "wrong password!")],
            )
            .await;
        assert_eq!(page.status, 401);
        assert!(page.html.contains("role=\"alert\""), "{}", page.html);
    }
    // The right password no longer helps until the window passes.
    let page = web
        .submit(
            "/login",
            "/login",
            &[("login", "carol"), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(page.status, 429, "{}", page.html);
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 0);
    inst.stop().await;
}

#[tokio::test]
async fn the_language_switch_sticks() {
    let inst = Instance::start().await;
    let web = WebClient::new(&inst, "en");
    assert!(web.get("/login").await.html.contains("<html lang=\"en\">"));
    let page = web.get("/lang/de?back=%2Flogin").await;
    assert!(page.url.ends_with("/login"), "{}", page.url);
    assert!(page.html.contains("<html lang=\"de\">"), "{}", page.html);
    // Another origin is never a place to go back to.
    let page = web.get("/lang/en?back=%2F%2Fevil.example%2F").await;
    assert!(page.url.starts_with(&inst.base), "{}", page.url);
    inst.stop().await;
}
