//! Property tests (issue 6, battery "Property tests / fuzzing") for what remote servers send
//! us before any signature is checked: the `Signature` header parser and activity parsing.
//! Both must answer every input with a value or an error, never a panic.
//!
//! `PROPTEST_CASES` sets the number of cases per property (256 by default); the long run is
//! `tests/fuzz/run-long.sh`.

use proptest::prelude::*;
use revier_federation::incoming::parse_activity;
use revier_federation::signatures::parse_signature;
use serde_json::{json, Map, Value};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;

fn config() -> ProptestConfig {
    // 256 cases, or `PROPTEST_CASES` from the environment; a new random seed each run
    // (`PROPTEST_RNG_SEED` fixes one). Failing inputs are printed, not written to files.
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces a hostile or sloppy `Signature` header is made of.
fn header_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("keyId=".to_string()),
        Just("signature=".to_string()),
        Just("headers=".to_string()),
        Just("algorithm=".to_string()),
        Just("created=".to_string()),
        Just("expires=".to_string()),
        Just("\"".to_string()),
        Just(",".to_string()),
        Just(" ".to_string()),
        Just("=".to_string()),
        Just("Signature ".to_string()),
        Just("hs2019".to_string()),
        Just("rsa-sha256".to_string()),
        Just("9223372036854775807".to_string()),
        Just("-9223372036854775808".to_string()),
        Just("99999999999999999999".to_string()),
        Just("(request-target) host date digest".to_string()),
        "[A-Za-z0-9+/=]{0,12}",
        "\\PC{0,8}",
        any::<String>(),
    ]
}

/// A well-formed header and the parameters it carries.
#[derive(Debug, Clone)]
struct WellFormed {
    header: String,
    key_id: String,
    algorithm: String,
    headers: Vec<String>,
    signature: Vec<u8>,
    created: Option<i64>,
    expires: Option<i64>,
}

fn well_formed() -> impl Strategy<Value = WellFormed> {
    (
        "[A-Za-z0-9:/._#?&%-]{1,60}",
        prop_oneof![Just("rsa-sha256"), Just("hs2019"), Just("RSA-SHA256")],
        prop::collection::vec(
            prop_oneof![
                Just("(request-target)".to_string()),
                Just("(created)".to_string()),
                Just("(expires)".to_string()),
                "[a-z][a-z0-9-]{0,15}",
            ],
            1..6,
        ),
        prop::collection::vec(any::<u8>(), 0..300),
        prop::option::of(any::<i64>()),
        prop::option::of(any::<i64>()),
        any::<bool>(),
        " {0,2}",
    )
        .prop_flat_map(
            |(key_id, algorithm, headers, signature, created, expires, prefix, sep)| {
                let mut params = vec![
                    format!("keyId=\"{key_id}\""),
                    format!("algorithm=\"{algorithm}\""),
                    format!("headers=\"{}\"", headers.join(" ")),
                    format!("signature=\"{}\"", B64.encode(&signature)),
                ];
                if let Some(c) = created {
                    params.push(format!("created={c}"));
                }
                if let Some(e) = expires {
                    params.push(format!("expires={e}"));
                }
                let value = WellFormed {
                    header: String::new(),
                    key_id,
                    algorithm: algorithm.to_ascii_lowercase(),
                    headers,
                    signature,
                    created,
                    expires,
                };
                (
                    Just(params).prop_shuffle(),
                    Just(value),
                    Just(prefix),
                    Just(sep),
                )
            },
        )
        .prop_map(|(params, mut value, prefix, sep)| {
            let joined = params.join(&format!(",{sep}"));
            value.header = if prefix {
                format!("Signature {joined}")
            } else {
                joined
            };
            value
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn signature_header_parser_never_panics_on_any_text(s in any::<String>()) {
        let _ = parse_signature(&s);
    }

    #[test]
    fn signature_header_parser_never_panics_on_header_like_text(
        pieces in prop::collection::vec(header_piece(), 0..24)
    ) {
        let _ = parse_signature(&pieces.concat());
    }

    #[test]
    fn well_formed_signature_header_round_trips(w in well_formed()) {
        let p = parse_signature(&w.header)
            .map_err(|e| TestCaseError::fail(format!("{e:?} for {}", w.header)))?;
        prop_assert_eq!(&p.key_id, &w.key_id);
        prop_assert_eq!(&p.algorithm, &w.algorithm);
        prop_assert_eq!(&p.headers, &w.headers);
        prop_assert_eq!(&p.signature, &w.signature);
        prop_assert_eq!(p.created, w.created);
        prop_assert_eq!(p.expires, w.expires);
    }

    #[test]
    fn signature_header_with_a_parameter_twice_is_refused(w in well_formed(), which in 0usize..4) {
        let name = ["keyId", "algorithm", "headers", "signature"][which];
        let doubled = format!("{},{name}=\"x\"", w.header);
        prop_assert!(parse_signature(&doubled).is_err());
    }
}

/// Any JSON value, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::String),
        activity_word().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((activity_key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn activity_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("@context".to_string()),
        Just("id".to_string()),
        Just("type".to_string()),
        Just("actor".to_string()),
        Just("object".to_string()),
        Just("to".to_string()),
        Just("cc".to_string()),
        Just("href".to_string()),
        "[a-zA-Z@]{1,10}",
    ]
}

fn activity_word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://www.w3.org/ns/activitystreams".to_string()),
        Just("https://remote.example/users/a".to_string()),
        Just("https://remote.example/activities/1".to_string()),
        Just("http://[::1]:99999/x".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("Create".to_string()),
        Just("Follow".to_string()),
        Just("Announce".to_string()),
        Just("Note".to_string()),
        Just("".to_string()),
    ]
}

/// A valid-looking activity with some fields replaced by arbitrary values.
fn mutated_activity() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec((activity_key(), json_value()), 0..5),
        prop::collection::vec(activity_key(), 0..3),
    )
        .prop_map(|(replace, remove)| {
            let mut a = json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": "https://remote.example/activities/1",
                "type": "Create",
                "actor": "https://remote.example/users/a",
                "object": {
                    "id": "https://remote.example/notes/1",
                    "type": "Note",
                    "attributedTo": "https://remote.example/users/a",
                    "content": "hi"
                },
                "to": ["https://www.w3.org/ns/activitystreams#Public"]
            });
            if let Some(o) = a.as_object_mut() {
                for (k, v) in replace {
                    o.insert(k, v);
                }
                for k in remove {
                    o.remove(&k);
                }
            }
            a
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn activity_parsing_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_activity(&bytes);
    }

    #[test]
    fn activity_parsing_never_panics_on_any_json(v in json_value()) {
        let bytes = serde_json::to_vec(&v).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let _ = parse_activity(&bytes);
    }

    #[test]
    fn activity_parsing_never_panics_on_mutated_activities(v in mutated_activity()) {
        let bytes = serde_json::to_vec(&v).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Ok(a) = parse_activity(&bytes) {
            // What parses has an http(s) id and actor. (`"type": ""` parses too, as an
            // activity of an unknown type, which the inbox acknowledges and drops.)
            prop_assert!(matches!(a.id.scheme(), "http" | "https"), "{}", a.id);
            prop_assert!(matches!(a.actor.scheme(), "http" | "https"), "{}", a.actor);
            let _ = a.object_id();
            let _ = a.embedded_object();
            let _ = a.require_object_on_actor_host();
            let _ = a.is_self_delete();
        }
    }

    #[test]
    fn deeply_nested_activities_are_refused_or_parsed_without_panic(depth in 1usize..5000) {
        let body = format!(
            "{{\"id\":\"https://r.example/a\",\"type\":\"Create\",\"actor\":\"https://r.example/u\",\"object\":{}{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let _ = parse_activity(body.as_bytes());
    }
}
