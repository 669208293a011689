//! A small RDF graph for the open-data catalogue and its two serializations: JSON-LD (with
//! an inline context, so a reader needs no network to expand it) and Turtle. Only what the
//! catalogue uses: IRIs, plain and language-tagged literals, typed literals, and nested
//! blank nodes. Predicates and classes are written as prefixed names of [`PREFIXES`].

use serde_json::{json, Map, Value};

/// The vocabularies the catalogue uses, by prefix.
pub const PREFIXES: [(&str, &str); 10] = [
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("dcatde", "http://dcat-ap.de/def/dcatde/"),
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("adms", "http://www.w3.org/ns/adms#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("schema", "http://schema.org/"),
];

/// The object of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Iri(String),
    Text(String),
    /// A literal in a language (`de`, `en`).
    LangText(String, String),
    /// A literal of an XSD type given as a prefixed name (`xsd:dateTime`).
    Typed(String, &'static str),
    /// A blank node described in place.
    Node(Box<Node>),
}

/// A subject with its types and statements; `id` None is a blank node.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    pub id: Option<String>,
    pub types: Vec<&'static str>,
    pub props: Vec<(&'static str, Term)>,
}

impl Node {
    pub fn new(id: Option<String>, types: &[&'static str]) -> Node {
        Node {
            id,
            types: types.to_vec(),
            props: vec![],
        }
    }

    /// Adds a statement (statements keep their order).
    pub fn add(&mut self, predicate: &'static str, object: Term) -> &mut Node {
        self.props.push((predicate, object));
        self
    }
}

/// A timestamp (unix microseconds) as an `xsd:dateTime` literal in UTC.
pub fn date_time(micros: i64) -> Term {
    let text = chrono::DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Term::Typed(text, "xsd:dateTime")
}

fn term_json(t: &Term) -> Value {
    match t {
        Term::Iri(i) => json!({ "@id": i }),
        Term::Text(s) => Value::String(s.clone()),
        Term::LangText(s, l) => json!({ "@value": s, "@language": l }),
        Term::Typed(s, ty) => json!({ "@value": s, "@type": ty }),
        Term::Node(n) => node_json(n),
    }
}

fn node_json(n: &Node) -> Value {
    let mut o = Map::new();
    if let Some(id) = &n.id {
        o.insert("@id".into(), Value::String(id.clone()));
    }
    match n.types.as_slice() {
        [] => {}
        [one] => {
            o.insert("@type".into(), Value::String((*one).into()));
        }
        many => {
            o.insert("@type".into(), json!(many));
        }
    }
    for (p, t) in &n.props {
        let v = term_json(t);
        match o.get_mut(*p) {
            Some(Value::Array(list)) => list.push(v),
            Some(first) => *first = Value::Array(vec![first.take(), v]),
            None => {
                o.insert((*p).into(), v);
            }
        }
    }
    Value::Object(o)
}

/// The graph as one JSON-LD document: the prefixes as its context, the nodes in `@graph`.
pub fn to_json_ld(nodes: &[Node]) -> Value {
    let context: Map<String, Value> = PREFIXES
        .iter()
        .map(|(p, iri)| ((*p).to_string(), Value::String((*iri).into())))
        .collect();
    json!({
        "@context": context,
        "@graph": nodes.iter().map(node_json).collect::<Vec<_>>(),
    })
}

/// An IRI for Turtle: characters Turtle does not allow in `<...>` percent-encoded.
fn turtle_iri(iri: &str) -> String {
    let mut out = String::with_capacity(iri.len() + 2);
    out.push('<');
    for c in iri.chars() {
        if c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\') {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('>');
    out
}

/// A Turtle string literal (quotes, backslashes and line breaks escaped).
fn turtle_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn turtle_term(t: &Term, indent: usize) -> String {
    match t {
        Term::Iri(i) => turtle_iri(i),
        Term::Text(s) => turtle_string(s),
        Term::LangText(s, l) => format!("{}@{l}", turtle_string(s)),
        Term::Typed(s, ty) => format!("{}^^{ty}", turtle_string(s)),
        Term::Node(n) => format!(
            "[\n{}\n{}]",
            turtle_body(n, indent + 1),
            "    ".repeat(indent)
        ),
    }
}

/// A node's `a` types and statements, one per line, `;`-separated.
fn turtle_body(n: &Node, indent: usize) -> String {
    let pad = "    ".repeat(indent);
    let mut lines = vec![];
    if !n.types.is_empty() {
        lines.push(format!("{pad}a {}", n.types.join(", ")));
    }
    for (p, t) in &n.props {
        lines.push(format!("{pad}{p} {}", turtle_term(t, indent)));
    }
    lines.join(" ;\n")
}

/// The graph in Turtle.
pub fn to_turtle(nodes: &[Node]) -> String {
    let mut out: String = PREFIXES
        .iter()
        .map(|(p, iri)| format!("@prefix {p}: <{iri}> .\n"))
        .collect();
    for n in nodes {
        out.push('\n');
        let subject = n.id.as_deref().map_or_else(|| "[]".to_string(), turtle_iri);
        out.push_str(&format!("{subject}\n{} .\n", turtle_body(n, 1)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Node> {
        let mut n = Node::new(Some("https://x.example/a b".into()), &["dcat:Dataset"]);
        n.add(
            "dct:title",
            Term::LangText("Termine \"live\"\nneu".into(), "de".into()),
        )
        .add("dct:title", Term::LangText("Events".into(), "en".into()))
        .add("dct:modified", date_time(1_700_000_000_000_000));
        let mut v = Node::new(None, &["vcard:Kind"]);
        v.add("vcard:fn", Term::Text("Revier".into()));
        n.add("dcat:contactPoint", Term::Node(Box::new(v)));
        vec![n]
    }

    #[test]
    fn repeated_predicates_become_a_list_in_json_ld() {
        let doc = to_json_ld(&sample());
        let node = &doc["@graph"][0];
        assert_eq!(node["dct:title"].as_array().map(Vec::len), Some(2));
        assert_eq!(node["dct:modified"]["@type"], "xsd:dateTime");
        assert_eq!(node["dct:modified"]["@value"], "2023-11-14T22:13:20Z");
        assert_eq!(node["dcat:contactPoint"]["vcard:fn"], "Revier");
        assert_eq!(doc["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    }

    #[test]
    fn turtle_escapes_strings_and_iris() {
        let ttl = to_turtle(&sample());
        assert!(ttl.contains("<https://x.example/a%20b>"), "{ttl}");
        assert!(ttl.contains(r#""Termine \"live\"\nneu"@de"#), "{ttl}");
        assert!(ttl.contains("a vcard:Kind"), "{ttl}");
        assert!(ttl.trim_end().ends_with('.'), "{ttl}");
    }
}
