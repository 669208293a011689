//! A browser-like client for the web interface: a cookie store, `Accept: text/html`, a
//! language, and forms sent with the page's CSRF token. For flows that need a real browser
//! (accessibility, keyboard, screenshots) see `tests/browser/`.

use std::time::Duration;

use crate::Instance;

/// One visitor of an instance's pages.
pub struct WebClient {
    pub client: reqwest::Client,
    pub base: String,
    pub lang: &'static str,
}

/// A page as fetched: status, final URL (after redirects) and body.
pub struct Page {
    pub status: u16,
    pub url: String,
    pub html: String,
}

impl Page {
    /// The value of the first hidden `csrf` input on the page.
    pub fn csrf(&self) -> String {
        hidden_value(&self.html, "csrf").unwrap_or_default()
    }
}

/// The `value` of the first `<input ... name="NAME" ... value="...">` in `html`.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    let at = html.find(&needle)?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let v = tag.split("value=\"").nth(1)?;
    Some(v[..v.find('"')?].to_string())
}

impl WebClient {
    /// A new visitor of `inst` reading in `lang` (`de` or `en`).
    pub fn new(inst: &Instance, lang: &'static str) -> WebClient {
        WebClient {
            client: reqwest::Client::builder()
                .no_proxy()
                .cookie_store(true)
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
            base: inst.base.clone(),
            lang,
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    /// GET a page (redirects followed).
    pub async fn get(&self, path: &str) -> Page {
        let resp = self
            .client
            .get(self.url(path))
            .header("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
            .header("accept-language", self.lang)
            .send()
            .await
            .expect("request");
        Self::page(resp).await
    }

    async fn page(resp: reqwest::Response) -> Page {
        let status = resp.status().as_u16();
        let url = resp.url().to_string();
        let html = resp.text().await.unwrap_or_default();
        Page { status, url, html }
    }

    /// POSTs a form to `path` with the CSRF token of the page at `form_page` added.
    pub async fn submit(&self, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(form_page).await.csrf();
        self.post_form(path, &csrf, fields).await
    }

    /// POSTs a form with a given CSRF token (redirects followed).
    pub async fn post_form(&self, path: &str, csrf: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf)];
        all.extend_from_slice(fields);
        let resp = self
            .client
            .post(self.url(path))
            .header("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
            .header("accept-language", self.lang)
            .form(&all)
            .send()
            .await
            .expect("request");
        Self::page(resp).await
    }

    /// POSTs a multipart form (uploads) with the CSRF token of `form_page`.
    pub async fn submit_multipart(
        &self,
        form_page: &str,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> Page {
        let csrf = self.get(form_page).await.csrf();
        let resp = self
            .client
            .post(self.url(path))
            .header("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
            .header("accept-language", self.lang)
            .multipart(form.text("csrf", csrf))
            .send()
            .await
            .expect("request");
        Self::page(resp).await
    }

    /// Signs in; panics unless the sign-in succeeded.
    pub async fn sign_in(&self, login: &str, password: &str) {
        let page = self
            .submit(
                "/login",
                "/login",
                &[("login", login), ("password", password)],
            )
            .await;
        assert_eq!(page.status, 200, "sign-in failed: {}", page.html);
        assert!(
            !page.url.contains("/login"),
            "still on the sign-in page: {}",
            page.url
        );
    }
}

impl Instance {
    /// A moderator who can sign in with `password`.
    pub async fn moderator_with_password(&self, username: &str, password: &str) {
        revier::domain::accounts::create_user(
            &self.app,
            username,
            &format!("{username}@example.org"),
            revier::domain::accounts::Role::Moderator,
            Some(password),
        )
        .await
        .expect("create moderator");
    }

    /// A person who can sign in with `password` (and an admin when `admin`).
    pub async fn user_with_password(&self, username: &str, password: &str, admin: bool) {
        let role = if admin {
            revier::domain::accounts::Role::Admin
        } else {
            revier::domain::accounts::Role::Member
        };
        revier::domain::accounts::create_user(
            &self.app,
            username,
            &format!("{username}@example.org"),
            role,
            Some(password),
        )
        .await
        .expect("create user");
    }
}
