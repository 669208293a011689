//! draft-cavage HTTP signatures, as Mastodon, Misskey, Pleroma and GoToSocial send and expect
//! them (Mastodon HS-3..HS-7, HS-20), on top of aws-lc-rs.
//!
//! Inbound POSTs are held to more than Mastodon's minimum (HS-4): the signature must cover
//! `(request-target)`, `host`, `date` (or `(created)` with hs2019) and `digest`, and the signed
//! `Host` must be this server (`precheck_inbox`), so a signature made for another path, another
//! server or another body cannot be replayed here. Mastodon, Misskey, Pleroma and GoToSocial
//! all sign these headers on every delivery. `created`/`expires` count only when `(created)`/
//! `(expires)` are signed: an unsigned parameter could otherwise stretch a captured request's
//! validity to 12 hours.
//!
//! Signing uses aws-lc-rs `RsaKeyPair::sign`, which is blinded and constant-time, never the
//! `rsa` crate (RUSTSEC-2023-0071). RFC 9421 is not implemented: such requests are answered 401
//! so that Mastodon ≥ 4.7 falls back to draft-cavage (HS-21).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _, UnparsedPublicKey};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use reqwest::header::HeaderMap;
use url::Url;

/// How far a signature's creation time may lie in the future, and how long past its expiry it
/// is still accepted (Mastodon HS-7: `CLOCK_SKEW_MARGIN = 1.hour`).
pub const CLOCK_SKEW: Duration = Duration::from_secs(3600);
/// Validity of a signature that names no `expires` (Mastodon HS-7: 5 minutes).
pub const DEFAULT_VALIDITY: Duration = Duration::from_secs(300);
/// Upper bound for `expires - created` (Mastodon HS-7: 12 hours).
pub const MAX_VALIDITY: Duration = Duration::from_secs(12 * 3600);

/// Why a key could not be made, read or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key is not valid PEM")]
    Pem,
    #[error("the key was rejected: {0}")]
    Rejected(String),
    #[error("signing failed")]
    Sign,
}

/// Why a request signature was refused. Every variant maps to HTTP 401 at the inbox.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("the request carries no Signature header")]
    Missing,
    #[error("RFC 9421 signatures are not supported; sign with draft-cavage HTTP signatures")]
    Rfc9421,
    #[error("malformed Signature header: {0}")]
    Malformed(String),
    #[error("unsupported signature algorithm {0:?} (use rsa-sha256 or hs2019)")]
    UnsupportedAlgorithm(String),
    #[error("the signature must cover {0}")]
    NotCovered(&'static str),
    #[error("the signed header {0} is missing from the request")]
    HeaderMissing(String),
    #[error("the signed Host header names another server than this one")]
    WrongHost,
    #[error("the request has no Digest header")]
    DigestMissing,
    #[error("the Digest header holds no SHA-256 value")]
    DigestUnsupported,
    #[error("the Digest does not match the body")]
    DigestMismatch,
    #[error("the Date header is missing or not an HTTP date")]
    BadDate,
    #[error("the signature is expired")]
    Expired,
    #[error("the signature was created in the future")]
    FromFuture,
    #[error("the signature does not verify with the signer's key")]
    Invalid,
    #[error("the signer's public key cannot be used")]
    BadKey,
}

/// A private RSA key ready to sign. Cheap to clone.
#[derive(Clone)]
pub struct SigningKey(Arc<KeyPair>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

impl SigningKey {
    /// Reads a PKCS#8 PEM private key.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let (_, der) = pem_decode(pem).ok_or(KeyError::Pem)?;
        let kp = KeyPair::from_pkcs8(&der).map_err(|e| KeyError::Rejected(e.to_string()))?;
        Ok(SigningKey(Arc::new(kp)))
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (blinded, constant time).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let rng = SystemRandom::new();
        let mut sig = vec![0u8; self.0.public_modulus_len()];
        self.0
            .sign(&signature::RSA_PKCS1_SHA256, &rng, message, &mut sig)
            .map_err(|_| KeyError::Sign)?;
        Ok(sig)
    }

    /// The matching public key as SPKI PEM.
    pub fn public_pem(&self) -> Result<String, KeyError> {
        let der: PublicKeyX509Der<'static> =
            self.0.public_key().as_der().map_err(|_| KeyError::Sign)?;
        Ok(pem_encode("PUBLIC KEY", der.as_ref()))
    }
}

/// A new RSA-2048 key pair, as (PKCS#8 private PEM, SPKI public PEM).
pub fn generate_keypair() -> Result<(String, String), KeyError> {
    let kp = KeyPair::generate(KeySize::Rsa2048).map_err(|e| KeyError::Rejected(e.to_string()))?;
    let private: Pkcs8V1Der<'static> = kp.as_der().map_err(|_| KeyError::Sign)?;
    let private_pem = pem_encode("PRIVATE KEY", private.as_ref());
    let public: PublicKeyX509Der<'static> = kp.public_key().as_der().map_err(|_| KeyError::Sign)?;
    Ok((private_pem, pem_encode("PUBLIC KEY", public.as_ref())))
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = B64.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Returns (label, DER) of the first PEM block.
fn pem_decode(pem: &str) -> Option<(String, Vec<u8>)> {
    let start = pem.find("-----BEGIN ")?;
    let rest = &pem[start + 11..];
    let label_end = rest.find("-----")?;
    let label = rest[..label_end].to_string();
    let body_start = label_end + 5;
    let end = rest.find("-----END ")?;
    let body: String = rest
        .get(body_start..end)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = B64.decode(body).ok()?;
    Some((label, der))
}

/// Checks that a PEM string holds a usable RSA public key (SPKI or PKCS#1).
pub fn check_public_key(pem: &str) -> Result<(), KeyError> {
    let (_, der) = pem_decode(pem).ok_or(KeyError::Pem)?;
    aws_lc_rs::rsa::PublicKey::from_der(&der).map_err(|e| KeyError::Rejected(e.to_string()))?;
    Ok(())
}

/// Verifies an RSASSA-PKCS1-v1_5 SHA-256 signature over `message` with a public key (PEM,
/// SPKI or PKCS#1): for signed documents rather than requests (a signed domain list).
pub fn verify_detached(
    public_key_pem: &str,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let (_, der) = pem_decode(public_key_pem).ok_or(SignatureError::BadKey)?;
    UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &der)
        .verify(message, signature)
        .map_err(|_| SignatureError::Invalid)
}

/// Who signs an outbound request: the key id published in the actor document and its key.
#[derive(Clone, Debug)]
pub struct Signer {
    pub key_id: String,
    pub key: SigningKey,
}

/// `SHA-256=<base64>` for a body.
pub fn digest_header(body: &[u8]) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body);
    format!("SHA-256={}", B64.encode(d.as_ref()))
}

fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

fn request_target(method: &str, url: &Url) -> String {
    let mut t = format!("{} {}", method.to_ascii_lowercase(), url.path());
    if let Some(q) = url.query() {
        t.push('?');
        t.push_str(q);
    }
    t
}

/// Headers to add to an outbound request: `Host`, `Date`, for bodies `Digest`, and `Signature`.
///
/// POSTs sign `(request-target) host date digest content-type`, GETs `(request-target) host
/// date`, as Mastodon requires (HS-4).
pub fn sign_request(
    signer: &Signer,
    method: &str,
    url: &Url,
    body: Option<(&[u8], &str)>,
    now: SystemTime,
) -> Result<Vec<(&'static str, String)>, KeyError> {
    let host = host_header(url);
    let date = httpdate::fmt_http_date(now);
    let mut out = vec![("host", host.clone()), ("date", date.clone())];
    let mut names = vec!["(request-target)", "host", "date"];
    let mut lines = vec![
        format!("(request-target): {}", request_target(method, url)),
        format!("host: {host}"),
        format!("date: {date}"),
    ];
    if let Some((bytes, content_type)) = body {
        let digest = digest_header(bytes);
        names.push("digest");
        names.push("content-type");
        lines.push(format!("digest: {digest}"));
        lines.push(format!("content-type: {content_type}"));
        out.push(("digest", digest));
    }
    let signature = B64.encode(signer.key.sign(lines.join("\n").as_bytes())?);
    out.push((
        "signature",
        format!(
            "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{}\"",
            signer.key_id,
            names.join(" "),
            signature
        ),
    ));
    Ok(out)
}

/// The parameters of a draft-cavage `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureParams {
    pub key_id: String,
    pub algorithm: String,
    pub headers: Vec<String>,
    pub signature: Vec<u8>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
}

/// The `name=value` pairs of a Signature header, values unquoted; a duplicate name (any case)
/// is an error.
fn split_parameters(s: &str) -> Result<Vec<(String, String)>, SignatureError> {
    let mut params: Vec<(String, String)> = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i] == b',' || bytes[i] == b' ') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let key_start = i;
        while i < bytes.len() && bytes[i] != b'=' {
            i += 1;
        }
        if i >= bytes.len() {
            return Err(SignatureError::Malformed("parameter without value".into()));
        }
        let key = s[key_start..i].trim().to_string();
        i += 1;
        let val = if i < bytes.len() && bytes[i] == b'"' {
            i += 1;
            let start = i;
            while i < bytes.len() && bytes[i] != b'"' {
                i += 1;
            }
            if i >= bytes.len() {
                return Err(SignatureError::Malformed(
                    "unterminated quoted value".into(),
                ));
            }
            let v = s[start..i].to_string();
            i += 1;
            v
        } else {
            let start = i;
            while i < bytes.len() && bytes[i] != b',' {
                i += 1;
            }
            s[start..i].trim().to_string()
        };
        if params.iter().any(|(k, _)| k.eq_ignore_ascii_case(&key)) {
            return Err(SignatureError::Malformed(format!(
                "duplicate parameter {key}"
            )));
        }
        params.push((key, val));
    }
    Ok(params)
}

/// Parses `keyId="..",algorithm="..",headers="..",signature=".."`. Duplicate parameters are an
/// error and a stray leading `Signature ` is tolerated, as in Mastodon (HS-3).
pub fn parse_signature(value: &str) -> Result<SignatureParams, SignatureError> {
    let mut s = value.trim();
    if let Some(rest) = s.strip_prefix("Signature ") {
        s = rest.trim_start();
    }
    let params = split_parameters(s)?;
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let key_id =
        get("keyId").ok_or_else(|| SignatureError::Malformed("keyId is missing".into()))?;
    let signature_b64 =
        get("signature").ok_or_else(|| SignatureError::Malformed("signature is missing".into()))?;
    let signature = B64
        .decode(signature_b64.as_bytes())
        .map_err(|_| SignatureError::Malformed("signature is not base64".into()))?;
    let algorithm = get("algorithm")
        .unwrap_or_else(|| "hs2019".into())
        .to_ascii_lowercase();
    if algorithm != "rsa-sha256" && algorithm != "hs2019" {
        return Err(SignatureError::UnsupportedAlgorithm(algorithm));
    }
    let headers = match get("headers") {
        Some(h) => h
            .split_whitespace()
            .map(|x| x.to_ascii_lowercase())
            .collect(),
        // draft-cavage defaults; they fail the coverage rules below, as in Mastodon.
        None if algorithm == "hs2019" => vec!["(created)".to_string()],
        None => vec!["date".to_string()],
    };
    let num = |name: &str| -> Result<Option<i64>, SignatureError> {
        get(name)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| SignatureError::Malformed(format!("{name} is not a number")))
            })
            .transpose()
    };
    Ok(SignatureParams {
        key_id,
        algorithm,
        headers,
        signature,
        created: num("created")?,
        expires: num("expires")?,
    })
}

/// The parts of an incoming request that a signature covers.
pub struct IncomingRequest<'a> {
    pub method: &'a str,
    pub path_and_query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

fn header_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.trim())
        .collect();
    if values.is_empty() {
        None
    } else {
        Some(values.join(", "))
    }
}

/// Every check that needs no key: the header parses, covers what Mastodon requires (HS-4),
/// lies within the time window (HS-7) and, for bodies, the Digest matches (HS-5).
pub fn precheck(
    req: &IncomingRequest<'_>,
    now: SystemTime,
) -> Result<SignatureParams, SignatureError> {
    // Like Mastodon (HS-2), a `Signature-Input` header means RFC 9421, whose `Signature` header
    // (`sig1=:…:`) must not be misread as a malformed draft-cavage one: the sender learns that
    // it has to fall back to draft-cavage.
    if req.headers.contains_key("signature-input") {
        return Err(SignatureError::Rfc9421);
    }
    let Some(raw) = header_value(req.headers, "signature") else {
        return Err(SignatureError::Missing);
    };
    let params = parse_signature(&raw)?;
    let covers = |h: &str| params.headers.iter().any(|x| x == h);
    if !(covers("date") || (covers("(created)") && params.algorithm == "hs2019")) {
        return Err(SignatureError::NotCovered("date or (created)"));
    }
    if !(covers("(request-target)") || covers("digest")) {
        return Err(SignatureError::NotCovered("(request-target) or digest"));
    }
    let is_post = req.method.eq_ignore_ascii_case("POST");
    // Mastodon accepts a POST that covers `digest` without `(request-target)` (HS-4); we do not:
    // such a signature could be replayed to any inbox path, or to any server when `host` is
    // left out too.
    if is_post {
        for required in ["digest", "(request-target)", "host"] {
            if !covers(required) {
                return Err(SignatureError::NotCovered(required));
            }
        }
    }
    if req.method.eq_ignore_ascii_case("GET") && !covers("host") {
        return Err(SignatureError::NotCovered("host"));
    }
    check_time(req, &params, now)?;
    if is_post || !req.body.is_empty() {
        let digest = header_value(req.headers, "digest").ok_or(SignatureError::DigestMissing)?;
        verify_digest(&digest, req.body)?;
    }
    Ok(params)
}

/// [`precheck`] for a POST to one of our inboxes: additionally the signed `Host` header must
/// name this server (`own_host`, the configured domain with its port if it has one), so a
/// signature made for a delivery to another server cannot be replayed here.
pub fn precheck_inbox(
    req: &IncomingRequest<'_>,
    own_host: &str,
    now: SystemTime,
) -> Result<SignatureParams, SignatureError> {
    let params = precheck(req, now)?;
    let host = header_value(req.headers, "host")
        .ok_or_else(|| SignatureError::HeaderMissing("host".into()))?;
    if normalize_host(&host) != normalize_host(own_host) {
        return Err(SignatureError::WrongHost);
    }
    Ok(params)
}

/// `Host` values compare case-insensitively, without a trailing dot and without the default
/// ports (senders differ in whether they write `:443`).
fn normalize_host(host: &str) -> String {
    let h = host.trim().to_ascii_lowercase();
    let (name, port) = match h.rfind(':') {
        // The colon of `[::1]` is not a port separator.
        Some(i) if !h[i..].contains(']') => (&h[..i], Some(&h[i + 1..])),
        _ => (h.as_str(), None),
    };
    let name = name.trim_end_matches('.');
    match port {
        None | Some("80") | Some("443") => name.to_string(),
        Some(p) => format!("{name}:{p}"),
    }
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The time window of Mastodon HS-7. The creation time is `(created)` when that is signed,
/// else the Date header; the expiry is `(expires)` when that is signed, else creation + 5 min.
/// Unsigned `created`/`expires` parameters are ignored: anyone who captured a request could
/// add them.
fn check_time(
    req: &IncomingRequest<'_>,
    p: &SignatureParams,
    now: SystemTime,
) -> Result<(), SignatureError> {
    let signed = |h: &str| p.headers.iter().any(|x| x == h);
    let created = if signed("(created)") {
        p.created.ok_or(SignatureError::Malformed(
            "(created) is signed but missing".into(),
        ))?
    } else {
        let date = header_value(req.headers, "date").ok_or(SignatureError::BadDate)?;
        unix(httpdate::parse_http_date(&date).map_err(|_| SignatureError::BadDate)?)
    };
    let max_expiry = created.saturating_add(MAX_VALIDITY.as_secs() as i64);
    let expires = if signed("(expires)") {
        p.expires
            .ok_or(SignatureError::Malformed(
                "(expires) is signed but missing".into(),
            ))?
            .min(max_expiry)
    } else {
        created.saturating_add(DEFAULT_VALIDITY.as_secs() as i64)
    };
    let now = unix(now);
    let skew = CLOCK_SKEW.as_secs() as i64;
    if created > now.saturating_add(skew) {
        return Err(SignatureError::FromFuture);
    }
    if now > expires.saturating_add(skew) {
        return Err(SignatureError::Expired);
    }
    Ok(())
}

/// Checks a `Digest` header: several `alg=value` pairs may be given, the algorithm name is
/// matched case-insensitively and a SHA-256 entry must match the raw body (Mastodon HS-5).
pub fn verify_digest(header: &str, body: &[u8]) -> Result<(), SignatureError> {
    let expected = digest_header(body);
    let expected_value = &expected["SHA-256=".len()..];
    let mut saw_sha256 = false;
    for part in header.split(',') {
        let part = part.trim();
        let Some((alg, value)) = part.split_once('=') else {
            continue;
        };
        if alg.trim().eq_ignore_ascii_case("sha-256") {
            saw_sha256 = true;
            if value.trim() != expected_value {
                return Err(SignatureError::DigestMismatch);
            }
        }
    }
    if saw_sha256 {
        Ok(())
    } else {
        Err(SignatureError::DigestUnsupported)
    }
}

fn signing_string(
    req: &IncomingRequest<'_>,
    p: &SignatureParams,
    target: &str,
) -> Result<String, SignatureError> {
    let mut lines = Vec::with_capacity(p.headers.len());
    for h in &p.headers {
        let line = match h.as_str() {
            "(request-target)" => format!(
                "(request-target): {} {}",
                req.method.to_ascii_lowercase(),
                target
            ),
            "(created)" => format!("(created): {}", p.created.unwrap_or_default()),
            "(expires)" => format!(
                "(expires): {}",
                p.expires.ok_or(SignatureError::Malformed(
                    "(expires) is signed but missing".into()
                ))?
            ),
            name => {
                let v = header_value(req.headers, name)
                    .ok_or_else(|| SignatureError::HeaderMissing(name.to_string()))?;
                format!("{name}: {v}")
            }
        };
        lines.push(line);
    }
    Ok(lines.join("\n"))
}

/// Verifies the signature with the signer's public key (PEM, SPKI or PKCS#1). Like Mastodon
/// (HS-6) a failing check is retried once with the query string left out.
pub fn verify(
    req: &IncomingRequest<'_>,
    p: &SignatureParams,
    public_key_pem: &str,
) -> Result<(), SignatureError> {
    let (_, der) = pem_decode(public_key_pem).ok_or(SignatureError::BadKey)?;
    let key = UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &der);
    let full = signing_string(req, p, req.path_and_query)?;
    if key.verify(full.as_bytes(), &p.signature).is_ok() {
        return Ok(());
    }
    if let Some((path, _)) = req.path_and_query.split_once('?') {
        let short = signing_string(req, p, path)?;
        if key.verify(short.as_bytes(), &p.signature).is_ok() {
            return Ok(());
        }
    }
    Err(SignatureError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn key() -> (Signer, String) {
        let (private, public) = generate_keypair().unwrap();
        let key = SigningKey::from_pem(&private).unwrap();
        (
            Signer {
                key_id: "https://a.example/orgs/x#main-key".into(),
                key,
            },
            public,
        )
    }

    fn headers_of(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                HeaderName::from_static(k),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn signed_post_verifies_and_tampering_fails() {
        let (signer, public) = key();
        let url = Url::parse("https://b.example/inbox?x=1").unwrap();
        let body = br#"{"type":"Create"}"#;
        let now = SystemTime::now();
        let mut pairs = sign_request(
            &signer,
            "POST",
            &url,
            Some((body, "application/activity+json")),
            now,
        )
        .unwrap();
        pairs.push(("content-type", "application/activity+json".into()));
        let headers = headers_of(&pairs);
        let req = IncomingRequest {
            method: "POST",
            path_and_query: "/inbox?x=1",
            headers: &headers,
            body,
        };
        let p = precheck(&req, now).unwrap();
        assert_eq!(p.key_id, signer.key_id);
        assert!(verify(&req, &p, &public).is_ok());

        let tampered = IncomingRequest {
            body: br#"{"type":"Delete"}"#,
            ..req
        };
        assert_eq!(
            precheck(&tampered, now),
            Err(SignatureError::DigestMismatch)
        );

        let other_path = IncomingRequest {
            method: "POST",
            path_and_query: "/other",
            headers: &headers,
            body,
        };
        assert_eq!(
            verify(&other_path, &p, &public),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn mastodon_header_order_and_hs2019_are_accepted() {
        let (signer, public) = key();
        let body = b"{}";
        let date = httpdate::fmt_http_date(SystemTime::now());
        let digest = digest_header(body);
        let signed = format!(
            "host: b.example\ndate: {date}\ncontent-type: application/activity+json\ndigest: {digest}\n(request-target): post /inbox"
        );
        let sig = B64.encode(signer.key.sign(signed.as_bytes()).unwrap());
        for alg in ["rsa-sha256", "hs2019", "RSA-SHA256"] {
            let headers = headers_of(&[
                ("host", "b.example".into()),
                ("date", date.clone()),
                ("content-type", "application/activity+json".into()),
                ("digest", digest.replace("SHA-256", "sha-256")),
                (
                    "signature",
                    format!(
                        "keyId=\"{}\",algorithm=\"{alg}\",headers=\"host date content-type digest (request-target)\",signature=\"{sig}\"",
                        signer.key_id
                    ),
                ),
            ]);
            // the digest header value differs in case only, which the signature covers:
            // re-sign with the exact header text.
            let signed2 = signed.replace("SHA-256", "sha-256");
            let sig2 = B64.encode(signer.key.sign(signed2.as_bytes()).unwrap());
            let mut headers = headers;
            headers.insert(
                "signature",
                HeaderValue::from_str(&format!(
                    "keyId=\"{}\",algorithm=\"{alg}\",headers=\"host date content-type digest (request-target)\",signature=\"{sig2}\"",
                    signer.key_id
                ))
                .unwrap(),
            );
            let req = IncomingRequest {
                method: "POST",
                path_and_query: "/inbox",
                headers: &headers,
                body,
            };
            let p = precheck(&req, SystemTime::now()).unwrap();
            assert!(verify(&req, &p, &public).is_ok(), "{alg}");
        }
    }

    #[test]
    fn stale_and_future_dates_are_refused() {
        let (signer, _) = key();
        let url = Url::parse("https://b.example/inbox").unwrap();
        let body = b"{}";
        for (offset, expected) in [
            (-(2 * 3600i64), SignatureError::Expired),
            (2 * 3600i64, SignatureError::FromFuture),
        ] {
            let at = if offset < 0 {
                SystemTime::now() - Duration::from_secs((-offset) as u64)
            } else {
                SystemTime::now() + Duration::from_secs(offset as u64)
            };
            let mut pairs = sign_request(
                &signer,
                "POST",
                &url,
                Some((body, "application/activity+json")),
                at,
            )
            .unwrap();
            pairs.push(("content-type", "application/activity+json".into()));
            let headers = headers_of(&pairs);
            let req = IncomingRequest {
                method: "POST",
                path_and_query: "/inbox",
                headers: &headers,
                body,
            };
            assert_eq!(precheck(&req, SystemTime::now()), Err(expected));
        }
    }

    #[test]
    fn coverage_rules_follow_mastodon() {
        let h = headers_of(&[(
            "signature",
            "keyId=\"k\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"AA==\"".into(),
        ), ("date", httpdate::fmt_http_date(SystemTime::now()))]);
        let req = IncomingRequest {
            method: "POST",
            path_and_query: "/inbox",
            headers: &h,
            body: b"{}",
        };
        assert_eq!(
            precheck(&req, SystemTime::now()),
            Err(SignatureError::NotCovered("digest"))
        );
        let h = headers_of(&[(
            "signature",
            "keyId=\"k\",algorithm=\"ed25519\",headers=\"date\",signature=\"AA==\"".into(),
        )]);
        let req = IncomingRequest {
            method: "POST",
            path_and_query: "/inbox",
            headers: &h,
            body: b"{}",
        };
        assert!(matches!(
            precheck(&req, SystemTime::now()),
            Err(SignatureError::UnsupportedAlgorithm(_))
        ));
        let h = headers_of(&[("signature-input", "sig1=(\"@method\")".into())]);
        let req = IncomingRequest {
            method: "POST",
            path_and_query: "/inbox",
            headers: &h,
            body: b"{}",
        };
        assert_eq!(
            precheck(&req, SystemTime::now()),
            Err(SignatureError::Rfc9421)
        );
        // A real RFC 9421 request also carries `Signature: sig1=:…:`.
        let h = headers_of(&[
            ("signature-input", "sig1=(\"@method\");keyid=\"k\"".into()),
            ("signature", "sig1=:AA==:".into()),
        ]);
        let req = IncomingRequest {
            method: "POST",
            path_and_query: "/inbox",
            headers: &h,
            body: b"{}",
        };
        assert_eq!(
            precheck(&req, SystemTime::now()),
            Err(SignatureError::Rfc9421)
        );
    }

    /// A POST to `https://{host}/inbox` signed over `covered`, with optional `created`/
    /// `expires` parameters (signed or not, as `covered` says).
    fn hand_signed(
        signer: &Signer,
        covered: &str,
        host: &str,
        date: SystemTime,
        created: Option<i64>,
        expires: Option<i64>,
        body: &[u8],
    ) -> HeaderMap {
        let date = httpdate::fmt_http_date(date);
        let digest = digest_header(body);
        let lines: Vec<String> = covered
            .split_whitespace()
            .map(|h| match h {
                "(request-target)" => "(request-target): post /inbox".to_string(),
                "(created)" => format!("(created): {}", created.unwrap_or_default()),
                "(expires)" => format!("(expires): {}", expires.unwrap_or_default()),
                "host" => format!("host: {host}"),
                "date" => format!("date: {date}"),
                "digest" => format!("digest: {digest}"),
                other => panic!("{other}"),
            })
            .collect();
        let sig = B64.encode(signer.key.sign(lines.join("\n").as_bytes()).unwrap());
        let algorithm = if covered.contains("(created)") {
            "hs2019"
        } else {
            "rsa-sha256"
        };
        let mut params = format!(
            "keyId=\"{}\",algorithm=\"{algorithm}\",headers=\"{covered}\"",
            signer.key_id
        );
        if let Some(c) = created {
            params.push_str(&format!(",created={c}"));
        }
        if let Some(e) = expires {
            params.push_str(&format!(",expires={e}"));
        }
        params.push_str(&format!(",signature=\"{sig}\""));
        headers_of(&[
            ("host", host.to_string()),
            ("date", date),
            ("digest", digest),
            ("signature", params),
        ])
    }

    fn post_to_inbox<'a>(headers: &'a HeaderMap, body: &'a [u8]) -> IncomingRequest<'a> {
        IncomingRequest {
            method: "POST",
            path_and_query: "/inbox",
            headers,
            body,
        }
    }

    fn secs(t: SystemTime) -> i64 {
        unix(t)
    }

    #[test]
    fn post_signature_must_cover_request_target_host_date_and_digest() {
        let (signer, public) = key();
        let body = b"{}";
        let now = SystemTime::now();
        let t = secs(now);
        let cases: [(&str, Result<(), SignatureError>); 6] = [
            ("(request-target) host date digest", Ok(())),
            ("(request-target) host (created) digest", Ok(())),
            (
                "host date digest",
                Err(SignatureError::NotCovered("(request-target)")),
            ),
            (
                "(request-target) date digest",
                Err(SignatureError::NotCovered("host")),
            ),
            (
                "(request-target) host date",
                Err(SignatureError::NotCovered("digest")),
            ),
            (
                "(request-target) host digest",
                Err(SignatureError::NotCovered("date or (created)")),
            ),
        ];
        for (covered, want) in cases {
            let h = hand_signed(&signer, covered, "b.example", now, Some(t), None, body);
            let req = post_to_inbox(&h, body);
            let got = precheck_inbox(&req, "b.example", now);
            assert_eq!(
                got.as_ref().map(|_| ()),
                want.as_ref().copied(),
                "{covered}"
            );
            if let Ok(p) = got {
                assert!(verify(&req, &p, &public).is_ok(), "{covered}");
            }
        }
    }

    #[test]
    fn signature_for_another_host_is_refused() {
        let (signer, _) = key();
        let body = b"{}";
        let now = SystemTime::now();
        let covered = "(request-target) host date digest";
        for (signed_host, own, ok) in [
            ("b.example", "b.example", true),
            ("B.Example:443", "b.example", true),
            ("b.example.", "b.example", true),
            ("127.0.0.1:4000", "127.0.0.1:4000", true),
            ("[::1]:4000", "[::1]:4000", true),
            ("c.example", "b.example", false),
            ("b.example:8443", "b.example", false),
            ("127.0.0.1:4001", "127.0.0.1:4000", false),
            ("evil.b.example", "b.example", false),
        ] {
            let h = hand_signed(&signer, covered, signed_host, now, None, None, body);
            let got = precheck_inbox(&post_to_inbox(&h, body), own, now);
            if ok {
                assert!(got.is_ok(), "{signed_host} at {own}: {got:?}");
            } else {
                assert_eq!(
                    got,
                    Err(SignatureError::WrongHost),
                    "{signed_host} at {own}"
                );
            }
        }
    }

    #[test]
    fn unsigned_created_and_expires_do_not_move_the_time_window() {
        let (signer, _) = key();
        let body = b"{}";
        let now = SystemTime::now();
        let t = secs(now);
        let two_hours_ago = now - Duration::from_secs(2 * 3600);
        let covered = "(request-target) host date digest";
        // An unsigned `expires` does not extend a Date that is 2 h old.
        let h = hand_signed(
            &signer,
            covered,
            "b.example",
            two_hours_ago,
            None,
            Some(t + 600),
            body,
        );
        assert_eq!(
            precheck(&post_to_inbox(&h, body), now),
            Err(SignatureError::Expired)
        );
        // Nor does an unsigned `created` replace the Date.
        let h = hand_signed(
            &signer,
            covered,
            "b.example",
            two_hours_ago,
            Some(t),
            Some(t + 600),
            body,
        );
        assert_eq!(
            precheck(&post_to_inbox(&h, body), now),
            Err(SignatureError::Expired)
        );
        // An unsigned `created` in the future cannot make a fresh Date fail either: the Date rules.
        let h = hand_signed(
            &signer,
            covered,
            "b.example",
            now,
            Some(t + 5 * 3600),
            None,
            body,
        );
        assert!(precheck(&post_to_inbox(&h, body), now).is_ok());
        // A signed (expires) does count (HS-7), capped at 12 h after (created).
        let signed = "(request-target) host (created) (expires) digest";
        let h = hand_signed(
            &signer,
            signed,
            "b.example",
            now,
            Some(t - 3 * 3600),
            Some(t),
            body,
        );
        assert!(precheck(&post_to_inbox(&h, body), now).is_ok());
        // A signed (expires) without the parameter is malformed.
        let h = hand_signed(&signer, signed, "b.example", now, Some(t), None, body);
        assert!(matches!(
            precheck(&post_to_inbox(&h, body), now),
            Err(SignatureError::Malformed(_))
        ));
        // Extreme values neither panic nor pass.
        for (c, e) in [
            (i64::MAX, i64::MAX),
            (i64::MIN, i64::MAX),
            (i64::MIN, i64::MIN),
        ] {
            let h = hand_signed(&signer, signed, "b.example", now, Some(c), Some(e), body);
            assert!(precheck(&post_to_inbox(&h, body), now).is_err(), "{c} {e}");
        }
    }

    #[test]
    fn duplicate_parameters_are_malformed() {
        assert!(matches!(
            parse_signature("keyId=\"a\",keyId=\"b\",signature=\"AA==\""),
            Err(SignatureError::Malformed(_))
        ));
        let p = parse_signature("Signature keyId=\"a\",signature=\"AA==\",created=12").unwrap();
        assert_eq!(p.algorithm, "hs2019");
        assert_eq!(p.created, Some(12));
    }

    #[test]
    fn digest_accepts_several_entries_and_any_case() {
        let body = b"hello";
        let d = digest_header(body);
        assert!(verify_digest(
            &format!("SHA-512=abc,{}", d.replace("SHA-256", "sha-256")),
            body
        )
        .is_ok());
        assert_eq!(
            verify_digest("SHA-512=abc", body),
            Err(SignatureError::DigestUnsupported)
        );
        assert_eq!(
            verify_digest("SHA-256=AAAA", body),
            Err(SignatureError::DigestMismatch)
        );
    }
}
