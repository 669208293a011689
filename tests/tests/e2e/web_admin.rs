//! The admin pages (settings, users, invitations, registrations), the about page, and
//! registration in each mode; mail read from a real SMTP server (aiosmtpd on loopback).

use std::sync::Arc;

use revier_e2e::smtp::MailServer;
use revier_e2e::web::WebClient;
use revier_e2e::{Instance, TestDb};

const PW: &str = "correct horse battery";

async fn admin(inst: &Instance, lang: &'static str) -> WebClient {
    inst.user_with_password("root", PW, true).await;
    let web = WebClient::new(inst, lang);
    web.sign_in("root", PW).await;
    web
}

async fn set_mode(web: &WebClient, mode: &str) {
    let page = web
        .submit(
            "/admin",
            "/admin",
            &[
                ("name", "Revier Ruhr"),
                ("description", "Events of the region.\n\nAnd projects."),
                ("rules", "Be kind.\nNo ads."),
                ("contact", "team@ruhr.example"),
                ("lang_de", "1"),
                ("lang_en", "1"),
                ("registration", mode),
            ],
        )
        .await;
    assert!(
        page.url.ends_with("/admin?done=settings-saved"),
        "{} {}",
        page.url,
        page.html
    );
}

#[tokio::test]
async fn admin_pages_refuse_members_and_send_visitors_to_sign_in() {
    let inst = Instance::start().await;
    inst.user_with_password("mia", PW, false).await;
    let visitor = WebClient::new(&inst, "en");
    let member = WebClient::new(&inst, "de");
    member.sign_in("mia", PW).await;
    for path in [
        "/admin",
        "/admin/users",
        "/admin/invitations",
        "/admin/registrations",
    ] {
        let page = visitor.get(path).await;
        assert!(page.url.contains("/login?next="), "{path}: {}", page.url);
        let page = member.get(path).await;
        assert_eq!(page.status, 403, "{path}");
    }
    let forged = member
        .submit("/account", "/admin/users/1/role", &[("role", "admin")])
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM users WHERE role = 'admin'")
            .await,
        0
    );
    inst.stop().await;
}

#[tokio::test]
async fn settings_show_on_the_about_page() {
    let inst = Instance::start().await;
    let web = admin(&inst, "en").await;
    set_mode(&web, "approval").await;
    let about = WebClient::new(&inst, "en").get("/about").await;
    assert_eq!(about.status, 200);
    for text in [
        "Revier Ruhr",
        "Events of the region.",
        "Be kind.",
        "No ads.",
        "team@ruhr.example",
        "@root",
        "You can ask to join",
        "Deutsch, English",
    ] {
        assert!(about.html.contains(text), "{text}: {}", about.html);
    }
    let de = WebClient::new(&inst, "de").get("/about").await;
    assert!(
        de.html.contains("Über diese Instanz") && de.html.contains("Regeln"),
        "{}",
        de.html
    );
    let bad = web
        .submit(
            "/admin",
            "/admin",
            &[("name", ""), ("registration", "open")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.html.contains("Enter a name of 1 to 100 characters."),
        "{}",
        bad.html
    );
    assert!(
        bad.html.contains("Choose at least one language."),
        "{}",
        bad.html
    );
    assert_eq!(
        inst.count(
            "SELECT COUNT(*) FROM instance_settings WHERE name = 'name' AND value = 'Revier Ruhr'"
        )
        .await,
        1
    );
    inst.stop().await;
}

async fn register(web: &WebClient, path: &str, name: &str, reason: &str) -> revier_e2e::web::Page {
    let mut csrf = web.get(path).await.csrf();
    if csrf.is_empty() {
        // The page shows no form (closed, or a spent invitation): take the visitor's token.
        csrf = web.get("/login").await.csrf();
    }
    let invite = path.split("invite=").nth(1).unwrap_or_default().to_string();
    web.post_form(
        "/register",
        &csrf,
        &[
            ("username", name),
            ("email", &format!("{name}@example.net")),
            ("password", "a long password"),
            ("password_repeat", "a long password"),
            ("reason", reason),
            ("invite", &invite),
        ],
    )
    .await
}

#[tokio::test]
async fn registration_closed_and_open() {
    let inst = Instance::start().await;
    let visitor = WebClient::new(&inst, "en");
    let page = visitor.get("/register").await;
    assert!(
        page.html.contains("does not take registrations"),
        "{}",
        page.html
    );
    let refused = register(&visitor, "/register", "nina", "").await;
    assert_eq!(refused.status, 403);
    assert_eq!(inst.count("SELECT COUNT(*) FROM users").await, 0);

    let web = admin(&inst, "en").await;
    set_mode(&web, "open").await;
    let taken = register(&visitor, "/register", "root", "").await;
    assert_eq!(taken.status, 422);
    assert!(taken.html.contains("This name is taken."), "{}", taken.html);
    let done = register(&visitor, "/register", "nina", "").await;
    assert!(
        done.url.ends_with("/account?done=registered"),
        "{} {}",
        done.url,
        done.html
    );
    assert!(done.html.contains("nina@example.net"));
    inst.stop().await;
}

#[tokio::test]
async fn registration_by_invitation_mailed() {
    let mail = MailServer::start().await;
    let inst = Instance::start_with(Arc::new(TestDb::new().await), 0, |s| mail.configure(s)).await;
    let web = admin(&inst, "de").await;
    set_mode(&web, "invitation").await;
    let visitor = WebClient::new(&inst, "de");
    let page = visitor.get("/register").await;
    assert!(
        page.html.contains("gültigen Einladungslink"),
        "{}",
        page.html
    );
    let made = web
        .submit(
            "/admin/invitations",
            "/admin/invitations",
            &[("email", "olga@example.net"), ("days", "7"), ("uses", "1")],
        )
        .await;
    assert_eq!(made.status, 200);
    assert!(made.html.contains("per E-Mail verschickt"), "{}", made.html);
    let got = mail.wait_for(1).await;
    assert!(
        got[0].subject.contains("Ihre Einladung"),
        "{}",
        got[0].subject
    );
    let link = got[0].link();
    assert!(made.html.contains(&link), "the link is shown once too");
    let done = register(&visitor, &link, "olga", "").await;
    assert!(
        done.url.ends_with("/account?done=registered"),
        "{} {}",
        done.url,
        done.html
    );
    // Used up: a second person cannot use it.
    let other = WebClient::new(&inst, "en");
    let refused = register(&other, &link, "pete", "").await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.html.contains("valid invitation link"),
        "{}",
        refused.html
    );
    assert_eq!(inst.count("SELECT uses FROM instance_invitations").await, 1);
    inst.stop().await;
}

#[tokio::test]
async fn registration_with_approval_waits_in_the_queue() {
    let mail = MailServer::start().await;
    let inst = Instance::start_with(Arc::new(TestDb::new().await), 0, |s| mail.configure(s)).await;
    let web = admin(&inst, "en").await;
    set_mode(&web, "approval").await;
    let visitor = WebClient::new(&inst, "de");
    let missing = register(&visitor, "/register", "quinn", "").await;
    assert_eq!(missing.status, 422);
    let queued = register(
        &visitor,
        "/register",
        "quinn",
        "Ich organisiere das Rust-Treffen.",
    )
    .await;
    assert_eq!(queued.status, 200);
    assert!(
        queued.html.contains("wartet auf die Administration"),
        "{}",
        queued.html
    );
    let refused = visitor
        .submit(
            "/login",
            "/login",
            &[("login", "quinn"), ("password", "a long password")],
        )
        .await;
    assert_eq!(refused.status, 403);
    let queue = web.get("/admin/registrations").await;
    assert!(queue.html.contains("Rust-Treffen"), "{}", queue.html);
    let id = inst
        .count("SELECT id FROM users WHERE username = 'quinn'")
        .await;
    let approved = web
        .submit(
            "/admin/registrations",
            &format!("/admin/registrations/{id}/approve"),
            &[],
        )
        .await;
    assert!(
        approved.url.ends_with("done=registration-approved-mailed"),
        "{}",
        approved.url
    );
    let got = mail.wait_for(1).await;
    // In the language the person registered in.
    assert!(
        got[0].subject.contains("Ihr Konto ist bereit"),
        "{}",
        got[0].subject
    );
    assert_eq!(got[0].rcpt_tos, vec!["quinn@example.net".to_string()]);
    visitor.sign_in("quinn", "a long password").await;

    let rae = WebClient::new(&inst, "en");
    register(&rae, "/register", "rae", "Spam?").await;
    let id = inst
        .count("SELECT id FROM users WHERE username = 'rae'")
        .await;
    web.submit(
        "/admin/registrations",
        &format!("/admin/registrations/{id}/reject"),
        &[],
    )
    .await;
    let got = mail.wait_for(2).await;
    assert!(
        got.iter().any(|m| m.subject.contains("your registration")),
        "{got:?}"
    );
    let refused = rae
        .submit(
            "/login",
            "/login",
            &[("login", "rae"), ("password", "a long password")],
        )
        .await;
    assert_eq!(refused.status, 403);
    inst.stop().await;
}

#[tokio::test]
async fn disabled_people_cannot_sign_in_and_lose_their_sessions() {
    let inst = Instance::start().await;
    let web = admin(&inst, "en").await;
    inst.user_with_password("sam", PW, false).await;
    let sam = WebClient::new(&inst, "en");
    sam.sign_in("sam", PW).await;
    let id = inst
        .count("SELECT id FROM users WHERE username = 'sam'")
        .await;
    let users = web.get("/admin/users").await;
    assert!(users.html.contains("sam@example.org"), "{}", users.html);
    let done = web
        .submit("/admin/users", &format!("/admin/users/{id}/disable"), &[])
        .await;
    assert!(done.url.ends_with("done=user-disabled"), "{}", done.url);
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE user_id = {id}"
        ))
        .await,
        0
    );
    assert!(sam.get("/account").await.url.contains("/login"));
    let refused = sam
        .submit("/login", "/login", &[("login", "sam"), ("password", PW)])
        .await;
    assert_eq!(refused.status, 403);
    web.submit("/admin/users", &format!("/admin/users/{id}/enable"), &[])
        .await;
    sam.sign_in("sam", PW).await;

    // Never oneself, never the last admin.
    let me = inst
        .count("SELECT id FROM users WHERE username = 'root'")
        .await;
    let self_disable = web
        .submit("/admin/users", &format!("/admin/users/{me}/disable"), &[])
        .await;
    assert_eq!(self_disable.status, 409);
    let promoted = web
        .submit(
            "/admin/users",
            &format!("/admin/users/{id}/role"),
            &[("role", "admin")],
        )
        .await;
    assert!(promoted.url.ends_with("done=role-changed"));
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM users WHERE role = 'admin'")
            .await,
        2
    );
    inst.stop().await;
}

#[tokio::test]
async fn without_smtp_the_admin_gets_a_reset_link_to_pass_on() {
    let inst = Instance::start().await;
    let web = admin(&inst, "en").await;
    inst.user_with_password("tom", PW, false).await;
    let id = inst
        .count("SELECT id FROM users WHERE username = 'tom'")
        .await;
    let page = web
        .submit("/admin/users", &format!("/admin/users/{id}/reset"), &[])
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.html.contains("Pass this link on to tom"),
        "{}",
        page.html
    );
    let start = page.html.find("/password/reset/").expect("the link");
    let token: String = page.html[start + 16..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let tom = WebClient::new(&inst, "en");
    let form = tom.get(&format!("/password/reset/{token}")).await;
    assert_eq!(form.status, 200);
    let done = tom
        .post_form(
            &format!("/password/reset/{token}"),
            &form.csrf(),
            &[
                ("password", "toms new password"),
                ("password_repeat", "toms new password"),
            ],
        )
        .await;
    assert!(done.url.ends_with("done=password-reset"), "{}", done.url);
    tom.sign_in("tom", "toms new password").await;
    inst.stop().await;
}

#[tokio::test]
async fn registrations_are_limited_per_address() {
    let inst = Instance::start().await;
    let web = admin(&inst, "en").await;
    set_mode(&web, "open").await;
    let visitor = WebClient::new(&inst, "en");
    let csrf = visitor.get("/register").await.csrf();
    // Ten attempts an hour from one address, whether or not they go through (each account
    // made costs a key pair).
    for i in 0..10 {
        let page = visitor
            .post_form(
                "/register",
                &csrf,
                &[
                    ("username", &format!("spam{i}")),
                    ("email", &format!("spam{i}@example.net")),
                    ("password", "a long password"),
                    ("password_repeat", "another password"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{}", page.html);
    }
    let page = register(&visitor, "/register", "late", "").await;
    assert_eq!(page.status, 429, "{}", page.html);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM users WHERE username = 'late'")
            .await,
        0
    );
    inst.stop().await;
}
