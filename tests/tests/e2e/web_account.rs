//! A person's account pages and the password reset, with mail read from a real SMTP server
//! (aiosmtpd on loopback).

use revier_e2e::smtp::MailServer;
use revier_e2e::web::WebClient;
use revier_e2e::{Instance, TestDb};
use std::sync::Arc;

const PW: &str = "correct horse battery";

async fn with_mail() -> (Instance, MailServer) {
    let mail = MailServer::start().await;
    let inst = Instance::start_with(Arc::new(TestDb::new().await), 0, |s| mail.configure(s)).await;
    (inst, mail)
}

#[tokio::test]
async fn password_reset_by_mailed_link_sets_a_new_password_and_ends_sessions() {
    let (inst, mail) = with_mail().await;
    inst.user_with_password("alice", PW, false).await;
    let signed_in = WebClient::new(&inst, "en");
    signed_in.sign_in("alice", PW).await;
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 1);

    let web = WebClient::new(&inst, "de");
    let page = web
        .submit(
            "/password/forgot",
            "/password/forgot",
            &[("login", "alice@example.org")],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(
        page.html.contains("ist ein Link zum Setzen"),
        "{}",
        page.html
    );
    let got = mail.wait_for(1).await;
    let m = &got[0];
    assert_eq!(m.rcpt_tos, vec!["alice@example.org".to_string()]);
    assert!(m.subject.contains("neues Passwort setzen"), "{}", m.subject);
    assert!(m.text.contains("Guten Tag alice"), "{}", m.text);
    let link = m.link();
    assert!(
        link.starts_with(&format!("{}/password/reset/", inst.base)),
        "{link}"
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM password_resets WHERE used_at IS NULL")
            .await,
        1
    );
    // The token is stored hashed, never as sent.
    let token = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM password_resets WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );

    let form = web.get(&link).await;
    assert_eq!(form.status, 200);
    assert!(form.html.contains("Neues Passwort setzen"), "{}", form.html);
    let bad = web
        .post_form(
            &link,
            &form.csrf(),
            &[
                ("password", "new password 123"),
                ("password_repeat", "different 1234"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.html.contains("error-summary"), "{}", bad.html);
    assert!(
        bad.html.contains("Die beiden Passwörter sind verschieden."),
        "{}",
        bad.html
    );
    let done = web
        .post_form(
            &link,
            &form.csrf(),
            &[
                ("password", "new password 123"),
                ("password_repeat", "new password 123"),
            ],
        )
        .await;
    assert!(
        done.url.ends_with("/login?done=password-reset"),
        "{}",
        done.url
    );
    assert!(
        done.html.contains("Ihr Passwort wurde gesetzt"),
        "{}",
        done.html
    );
    // Every session ended; the new password works, the old one not.
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 0);
    let account = signed_in.get("/account").await;
    assert!(account.url.contains("/login"), "{}", account.url);
    let old = web
        .submit("/login", "/login", &[("login", "alice"), ("password", PW)])
        .await;
    assert_eq!(old.status, 401);
    web.sign_in("alice", "new password 123").await;
    // The link is single-use.
    let again = WebClient::new(&inst, "en").get(&link).await;
    assert_eq!(again.status, 410);
    assert!(
        again.html.contains("already used or has expired"),
        "{}",
        again.html
    );
    inst.stop().await;
}

#[tokio::test]
async fn reset_links_expire() {
    let inst = Instance::start().await;
    inst.user_with_password("erin", PW, false).await;
    let user_id = inst
        .count("SELECT id FROM users WHERE username = 'erin'")
        .await;
    let token = revier::domain::registration::create_reset(&inst.app, user_id, 1)
        .await
        .unwrap();
    let web = WebClient::new(&inst, "en");
    let form = web.get(&format!("/password/reset/{token}")).await;
    assert_eq!(form.status, 200);
    inst.exec("UPDATE password_resets SET expires_at = 1").await;
    let page = web.get(&format!("/password/reset/{token}")).await;
    assert_eq!(page.status, 410);
    let post = web
        .post_form(
            &format!("/password/reset/{token}"),
            &form.csrf(),
            &[
                ("password", "new password 123"),
                ("password_repeat", "new password 123"),
            ],
        )
        .await;
    assert_eq!(post.status, 410);
    web.sign_in("erin", PW).await;
    inst.stop().await;
}

#[tokio::test]
async fn forgot_password_answers_alike_and_is_rate_limited() {
    let (inst, mail) = with_mail().await;
    inst.user_with_password("bob", PW, false).await;
    let web = WebClient::new(&inst, "en");
    let unknown = web
        .submit(
            "/password/forgot",
            "/password/forgot",
            &[("login", "nobody")],
        )
        .await;
    let known = web
        .submit("/password/forgot", "/password/forgot", &[("login", "bob")])
        .await;
    assert_eq!(unknown.status, 200);
    assert_eq!(known.status, 200);
    let sent = "If the name or address belongs to an account";
    assert!(unknown.html.contains(sent) && known.html.contains(sent));
    mail.wait_for(1).await;
    // Per account: three mails an hour; later requests get the same answer and no mail.
    for login in ["BOB", "bob@example.org", "Bob@Example.org"] {
        let p = web
            .submit("/password/forgot", "/password/forgot", &[("login", login)])
            .await;
        assert_eq!(p.status, 200, "{login}");
        assert!(p.html.contains(sent));
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(mail.messages().len(), 3);
    // Per name: five requests an hour, whether or not it exists.
    for _ in 0..4 {
        let p = web
            .submit(
                "/password/forgot",
                "/password/forgot",
                &[("login", "nobody")],
            )
            .await;
        assert_eq!(p.status, 200);
    }
    let limited = web
        .submit(
            "/password/forgot",
            "/password/forgot",
            &[("login", "nobody")],
        )
        .await;
    assert_eq!(limited.status, 429, "{}", limited.html);
    inst.stop().await;
}

#[tokio::test]
async fn account_pages_are_for_members() {
    let inst = Instance::start().await;
    let web = WebClient::new(&inst, "en");
    for path in [
        "/account",
        "/account/password",
        "/account/tokens",
        "/account/sessions",
    ] {
        let page = web.get(path).await;
        assert!(page.url.contains("/login?next="), "{path}: {}", page.url);
    }
    inst.stop().await;
}

#[tokio::test]
async fn profile_and_password_change_on_the_account_pages() {
    let inst = Instance::start().await;
    inst.user_with_password("carol", PW, false).await;
    let web = WebClient::new(&inst, "en");
    web.sign_in("carol", PW).await;
    let other = WebClient::new(&inst, "de");
    other.sign_in("carol", PW).await;

    let page = web.get("/account").await;
    assert!(page.html.contains("carol@example.org"), "{}", page.html);
    let saved = web
        .submit(
            "/account",
            "/account",
            &[("name", "Carol C."), ("summary", "I run the #rust meetup.")],
        )
        .await;
    assert!(
        saved.url.ends_with("/account?done=profile-saved"),
        "{}",
        saved.url
    );
    assert!(saved.html.contains("Carol C."), "{}", saved.html);
    assert_eq!(
        inst.count(
            "SELECT COUNT(*) FROM actors WHERE name = 'Carol C.' AND summary LIKE '%meetup%'"
        )
        .await,
        1
    );
    let empty = web.submit("/account", "/account", &[("name", " ")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.html.contains("href=\"#name\""), "{}", empty.html);

    let wrong = web
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current", "not it at all"),
                ("password", "another pw 123"),
                ("password_repeat", "another pw 123"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.html.contains("The current password is wrong."),
        "{}",
        wrong.html
    );
    assert!(
        wrong.html.contains("aria-describedby=\"current-err\""),
        "{}",
        wrong.html
    );
    let changed = web
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current", PW),
                ("password", "another pw 123"),
                ("password_repeat", "another pw 123"),
            ],
        )
        .await;
    assert!(
        changed.url.ends_with("done=password-changed"),
        "{}",
        changed.url
    );
    // This session stays, the other ended.
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 1);
    assert!(other.get("/account").await.url.contains("/login"));
    assert_eq!(web.get("/account").await.status, 200);
    inst.stop().await;
}

#[tokio::test]
async fn tokens_are_shown_once_and_revoked_and_sessions_end() {
    let inst = Instance::start().await;
    inst.user_with_password("dave", PW, false).await;
    let web = WebClient::new(&inst, "de");
    web.sign_in("dave", PW).await;
    let made = web
        .submit(
            "/account/tokens",
            "/account/tokens",
            &[("label", "Kalender-Sync"), ("days", "30")],
        )
        .await;
    assert_eq!(made.status, 200);
    assert!(made.html.contains("nur dieses eine Mal"), "{}", made.html);
    let token = revier_e2e::web::hidden_value(
        &made.html.replace(
            "id=\"new-token\" type=\"text\" readonly",
            "name=\"new-token\"",
        ),
        "new-token",
    )
    .expect("the token on the page");
    assert!(token.starts_with("rv_"), "{token}");
    let user = revier::domain::accounts::authenticate(&inst.app, &token)
        .await
        .unwrap();
    assert_eq!(user.username, "dave");
    let list = web.get("/account/tokens").await;
    assert!(list.html.contains("Kalender-Sync"));
    assert!(!list.html.contains(&token), "a token is shown only once");
    let bad = web
        .submit(
            "/account/tokens",
            "/account/tokens",
            &[("label", "x"), ("days", "0")],
        )
        .await;
    assert_eq!(bad.status, 422);
    let id = inst.count("SELECT id FROM api_tokens").await;
    let revoked = web
        .submit(
            "/account/tokens",
            &format!("/account/tokens/{id}/revoke"),
            &[],
        )
        .await;
    assert!(
        revoked.url.ends_with("done=token-revoked"),
        "{}",
        revoked.url
    );
    assert!(revier::domain::accounts::authenticate(&inst.app, &token)
        .await
        .is_err());

    let other = WebClient::new(&inst, "en");
    other.sign_in("dave", PW).await;
    let sessions = web.get("/account/sessions").await;
    assert!(
        sessions.html.contains("dieser Browser"),
        "{}",
        sessions.html
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 2);
    let out = web
        .submit("/account/sessions", "/account/sessions/all", &[])
        .await;
    assert!(
        out.url.ends_with("/login?done=signed-out-everywhere"),
        "{}",
        out.url
    );
    assert!(
        out.html.contains("Sie sind überall abgemeldet."),
        "{}",
        out.html
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 0);
    inst.stop().await;
}

/// An instance sending through `mail` as user `revier` with `password`, and its person fred.
async fn fred_with_smtp_password(mail: &MailServer, password: &str) -> (Instance, WebClient) {
    let inst = Instance::start_with(Arc::new(TestDb::new().await), 0, |s| {
        mail.configure(s);
        s.smtp.username = "revier".into();
        s.smtp.password = password.into();
    })
    .await;
    inst.user_with_password("fred", PW, false).await;
    let web = WebClient::new(&inst, "en");
    (inst, web)
}

#[tokio::test]
async fn mail_goes_through_a_server_that_requires_authentication() {
    let mail = MailServer::start_with_auth("revier", "smtp secret").await;
    let (inst, web) = fred_with_smtp_password(&mail, "smtp secret").await;
    web.submit("/password/forgot", "/password/forgot", &[("login", "fred")])
        .await;
    let got = mail.wait_for(1).await;
    assert!(
        got[0].subject.contains("set a new password"),
        "{}",
        got[0].subject
    );
    assert!(got[0].text.contains("Hello fred"), "{}", got[0].text);
    assert_eq!(got[0].from, "Revier Test <revier@example.org>");
    inst.stop().await;

    // A wrong password: the server refuses, the visitor sees the same answer, nothing arrives.
    let (inst, web) = fred_with_smtp_password(&mail, "wrong").await;
    let page = web
        .submit("/password/forgot", "/password/forgot", &[("login", "fred")])
        .await;
    assert_eq!(page.status, 200);
    assert!(page
        .html
        .contains("If the name or address belongs to an account"));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(mail.messages().len(), 1);
    inst.stop().await;
}
