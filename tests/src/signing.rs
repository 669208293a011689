//! Hand-made draft-cavage HTTP signatures, so that a test can get any detail of a signed
//! request wrong on purpose. Correct signatures, made the way Mastodon makes them, come from
//! `revier_federation::signatures` through [`crate::peer::Peer`]; this module only builds the
//! `Signature` header itself from parts a test chooses.

use std::time::SystemTime;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use revier_federation::signatures::{digest_header, generate_keypair, Signer, SigningKey};
use serde_json::Value;

use crate::{http, AP};

/// The User-Agent Mastodon sends with its requests.
pub const MASTODON_UA: &str = "Mastodon/4.7.0 (http.rb/5.2.0; +https://m.example/)";

/// A fresh RSA key nobody published.
pub fn fresh_key() -> SigningKey {
    SigningKey::from_pem(&generate_keypair().unwrap().0).unwrap()
}

/// A signer that claims `key_id` but holds a key nobody published.
pub fn impostor(key_id: &str) -> Signer {
    Signer {
        key_id: key_id.to_string(),
        key: fresh_key(),
    }
}

/// The parameters of a draft-cavage `Signature` header; `None` leaves a parameter out.
#[derive(Clone, Debug)]
pub struct SignatureParams {
    pub key_id: Option<String>,
    pub algorithm: Option<String>,
    /// The `headers=` parameter: the covered headers, in order. Left out, the signature covers
    /// `date` alone (draft-cavage's default).
    pub headers: Option<String>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
}

/// Signs the covered headers with `key` and returns the parameters of the `Signature` header
/// (`keyId=..,algorithm=..,headers=..,created=..,expires=..,signature=..`). `value_of` gives
/// the value of each covered header by its lowercase name, and of `(request-target)`;
/// `(created)` and `(expires)` come from `params`.
pub fn signature_params(
    key: &SigningKey,
    params: &SignatureParams,
    value_of: impl Fn(&str) -> String,
) -> String {
    let covered = params.headers.clone().unwrap_or_else(|| "date".into());
    let lines: Vec<String> = covered
        .split_whitespace()
        .map(|name| match name {
            "(created)" => format!("(created): {}", params.created.unwrap_or_default()),
            "(expires)" => format!("(expires): {}", params.expires.unwrap_or_default()),
            other => format!("{other}: {}", value_of(other)),
        })
        .collect();
    let signature = B64.encode(key.sign(lines.join("\n").as_bytes()).unwrap());
    let mut out = Vec::new();
    if let Some(k) = &params.key_id {
        out.push(format!("keyId=\"{k}\""));
    }
    if let Some(a) = &params.algorithm {
        out.push(format!("algorithm=\"{a}\""));
    }
    if let Some(h) = &params.headers {
        out.push(format!("headers=\"{h}\""));
    }
    if let Some(c) = params.created {
        out.push(format!("created={c}"));
    }
    if let Some(e) = params.expires {
        out.push(format!("expires={e}"));
    }
    out.push(format!("signature=\"{signature}\""));
    out.join(",")
}

/// A signed POST built by hand, so that a test can get any detail wrong on purpose.
#[derive(Clone)]
pub struct Cavage {
    pub key_id: Option<String>,
    pub key: SigningKey,
    pub algorithm: Option<String>,
    /// The `headers=` parameter; `None` leaves it out (the signature then covers `date`).
    pub headers: Option<String>,
    pub date: SystemTime,
    /// The Digest header; `None`: `SHA-256=` of the body.
    pub digest: Option<String>,
    pub content_type: Option<String>,
    /// The signed `(request-target)` value; `None`: `post <path?query>`.
    pub target: Option<String>,
    /// The Host header sent and signed; `None`: the URL's host and port.
    pub host: Option<String>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
    pub prefix: &'static str,
    pub extra_params: String,
    pub extra_headers: Vec<(&'static str, String)>,
}

impl Cavage {
    /// Signed as Mastodon signs deliveries (HS-20): every header but User-Agent, then
    /// `(request-target)` last.
    pub fn mastodon(signer: &Signer) -> Cavage {
        Cavage {
            key_id: Some(signer.key_id.clone()),
            key: signer.key.clone(),
            algorithm: Some("rsa-sha256".into()),
            headers: Some("host date content-type digest (request-target)".into()),
            date: SystemTime::now(),
            digest: None,
            content_type: Some(AP.into()),
            target: None,
            host: None,
            created: None,
            expires: None,
            prefix: "",
            extra_params: String::new(),
            extra_headers: vec![],
        }
    }

    pub fn headers(mut self, h: &str) -> Self {
        self.headers = Some(h.into());
        self
    }

    pub fn without_headers_param(mut self) -> Self {
        self.headers = None;
        self
    }

    pub fn algorithm(mut self, a: Option<&str>) -> Self {
        self.algorithm = a.map(str::to_string);
        self
    }

    pub fn at(mut self, t: SystemTime) -> Self {
        self.date = t;
        self
    }

    pub fn digest(mut self, d: &str) -> Self {
        self.digest = Some(d.into());
        self
    }

    pub fn content_type(mut self, ct: Option<&str>) -> Self {
        self.content_type = ct.map(str::to_string);
        self
    }

    pub fn target(mut self, t: &str) -> Self {
        self.target = Some(t.into());
        self
    }

    pub fn created(mut self, created: i64, expires: Option<i64>) -> Self {
        self.created = Some(created);
        self.expires = expires;
        self
    }

    pub fn host(mut self, host: &str) -> Self {
        self.host = Some(host.into());
        self
    }

    pub fn key(mut self, key: SigningKey) -> Self {
        self.key = key;
        self
    }

    pub async fn post(&self, url: &str, body: &Value) -> (u16, Value) {
        self.post_bytes(url, &serde_json::to_vec(body).unwrap())
            .await
    }

    pub async fn post_bytes(&self, url: &str, body: &[u8]) -> (u16, Value) {
        let u = url::Url::parse(url).unwrap();
        let host = self.host.clone().unwrap_or_else(|| {
            format!(
                "{}:{}",
                u.host_str().unwrap(),
                u.port_or_known_default().unwrap()
            )
        });
        let mut sent: Vec<(String, String)> = vec![
            ("host".into(), host),
            ("date".into(), httpdate::fmt_http_date(self.date)),
            (
                "digest".into(),
                self.digest.clone().unwrap_or_else(|| digest_header(body)),
            ),
        ];
        if let Some(ct) = &self.content_type {
            sent.push(("content-type".into(), ct.clone()));
        }
        for (k, v) in &self.extra_headers {
            sent.push((k.to_string(), v.clone()));
        }
        let path = match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        };
        let target = self
            .target
            .clone()
            .unwrap_or_else(|| format!("post {path}"));
        let params = SignatureParams {
            key_id: self.key_id.clone(),
            algorithm: self.algorithm.clone(),
            headers: self.headers.clone(),
            created: self.created,
            expires: self.expires,
        };
        let signed = signature_params(&self.key, &params, |name| match name {
            "(request-target)" => target.clone(),
            other => sent
                .iter()
                .find(|(k, _)| k == other)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        });
        let value = format!("{}{signed}{}", self.prefix, self.extra_params);
        let mut req = http()
            .post(url)
            .header("signature", value)
            .header("user-agent", MASTODON_UA)
            .body(body.to_vec());
        for (k, v) in &sent {
            req = req.header(k.as_str(), v.as_str());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}
