//! Open data (issue 12): the instance's public content as a DCAT-AP catalogue (with the
//! DCAT-AP.de terms where they differ) and as schema.org JSON-LD.
//!
//! The catalogue is a list of dataset descriptions ([`datasets`]): each names its texts (keys
//! of the locale files, so both languages come from one place), its EU data themes, and its
//! distributions. Adding a dataset is appending one [`DatasetSpec`] there and serving its
//! files. [`catalog`] turns the list into the catalogue's graph; `rdf` writes it as JSON-LD or
//! Turtle. What goes into the exports is read through the same domain functions the public
//! pages use (`exports`), so visibility (hidden, suspended, remote) is decided there, once.
//! No HTTP and no SQL here.

pub mod calls;
pub mod exports;
pub mod rdf;
pub mod schema_org;

use crate::domain::instance::InstanceInfo;
use crate::settings::KnownLicense;
use rdf::{date_time, Node, Term};

/// A file type of a distribution: its code in the EU file-type vocabulary and its IANA
/// media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    pub code: &'static str,
    pub media_type: &'static str,
}

pub const CSV: FileType = file_type("CSV", "text/csv");
pub const JSON_LD: FileType = file_type("JSON_LD", "application/ld+json");
pub const ICS: FileType = file_type("ICS", "text/calendar");
pub const TURTLE: FileType = file_type("RDF_TURTLE", "text/turtle");

const fn file_type(code: &'static str, media_type: &'static str) -> FileType {
    FileType { code, media_type }
}

/// The EU file-type vocabulary (DCAT-AP's range of `dct:format`).
const FILE_TYPE_BASE: &str = "http://publications.europa.eu/resource/authority/file-type/";
/// The EU data-theme vocabulary (DCAT-AP's range of `dcat:theme`).
const THEME_BASE: &str = "http://publications.europa.eu/resource/authority/data-theme/";
const LANGUAGE_BASE: &str = "http://publications.europa.eu/resource/authority/language/";
/// DCAT-AP's "planned availability" of a distribution: as long as the instance runs.
const AVAILABILITY_STABLE: &str =
    "http://publications.europa.eu/resource/authority/planned-availability/STABLE";

/// The most rows one export holds; the page says so.
pub const MAX_ROWS: usize = 10_000;

/// One distribution of a dataset: a file at `path` (below the instance's base URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionSpec {
    /// `events.csv` (the fragment of the distribution's IRI).
    pub id: &'static str,
    pub path: &'static str,
    pub file_type: FileType,
    /// Locale key of its title.
    pub title_key: &'static str,
}

/// One dataset of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetSpec {
    /// `events`: the fragment of its IRI and the key of its last change.
    pub id: &'static str,
    /// Locale keys: `opendata-{id}-title`, `-description`, `-keywords` (comma-separated).
    pub title_key: &'static str,
    pub description_key: &'static str,
    pub keywords_key: &'static str,
    /// Codes of the EU data-theme vocabulary (`EDUC`, `TECH`, ...).
    pub themes: &'static [&'static str],
    pub distributions: Vec<DistributionSpec>,
}

/// The datasets of the catalogue, in the order the page shows them. One more dataset is one
/// more entry here.
pub fn datasets() -> Vec<DatasetSpec> {
    vec![
        DatasetSpec {
            id: "events",
            title_key: "opendata-events-title",
            description_key: "opendata-events-description",
            keywords_key: "opendata-events-keywords",
            themes: &["EDUC", "TECH", "SOCI"],
            distributions: vec![
                dist("events-ics", "/events.ics", ICS, "opendata-dist-ics"),
                dist(
                    "events-jsonld",
                    "/opendata/events.jsonld",
                    JSON_LD,
                    "opendata-dist-jsonld",
                ),
                dist(
                    "events-csv",
                    "/opendata/events.csv",
                    CSV,
                    "opendata-dist-csv",
                ),
            ],
        },
        DatasetSpec {
            id: "projects",
            title_key: "opendata-projects-title",
            description_key: "opendata-projects-description",
            keywords_key: "opendata-projects-keywords",
            themes: &["TECH", "ECON", "GOVE"],
            distributions: json_and_csv("projects"),
        },
        DatasetSpec {
            id: "organizations",
            title_key: "opendata-organizations-title",
            description_key: "opendata-organizations-description",
            keywords_key: "opendata-organizations-keywords",
            themes: &["ECON", "SOCI", "TECH"],
            distributions: json_and_csv("organizations"),
        },
        DatasetSpec {
            id: "calls",
            title_key: "opendata-calls-title",
            description_key: "opendata-calls-description",
            keywords_key: "opendata-calls-keywords",
            themes: &["ECON", "GOVE", "TECH"],
            distributions: json_and_csv("calls"),
        },
    ]
}

/// A dataset's two exports: `/opendata/{id}.jsonld` and `/opendata/{id}.csv`.
fn json_and_csv(id: &'static str) -> Vec<DistributionSpec> {
    let (json_id, csv_id, json_path, csv_path): (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) = match id {
        "projects" => (
            "projects-jsonld",
            "projects-csv",
            "/opendata/projects.jsonld",
            "/opendata/projects.csv",
        ),
        "organizations" => (
            "organizations-jsonld",
            "organizations-csv",
            "/opendata/organizations.jsonld",
            "/opendata/organizations.csv",
        ),
        _ => (
            "calls-jsonld",
            "calls-csv",
            "/opendata/calls.jsonld",
            "/opendata/calls.csv",
        ),
    };
    vec![
        dist(json_id, json_path, JSON_LD, "opendata-dist-jsonld"),
        dist(csv_id, csv_path, CSV, "opendata-dist-csv"),
    ]
}

fn dist(
    id: &'static str,
    path: &'static str,
    file_type: FileType,
    title_key: &'static str,
) -> DistributionSpec {
    DistributionSpec {
        id,
        path,
        file_type,
        title_key,
    }
}

/// What the catalogue says about the instance, besides the dataset list.
pub struct CatalogInput<'a> {
    /// `https://host`, no trailing slash.
    pub base_url: &'a str,
    pub instance: &'a InstanceInfo,
    /// The licence's URI and, if known, its description (`settings.opendata.license()`).
    pub license: (String, Option<KnownLicense>),
    /// When the catalogue began (the instance actor's creation), unix microseconds.
    pub issued: i64,
    /// The last change of each dataset by id (its newest item), if it has items.
    pub modified: &'a [(&'static str, i64)],
    /// A text of the locale files: (language tag, key) -> text.
    pub text: &'a dyn Fn(&str, &str) -> String,
}

/// The languages the catalogue's texts are given in.
const TEXT_LANGUAGES: [(&str, &str); 2] = [("de", "DEU"), ("en", "ENG")];

/// The catalogue's IRI: the page that describes it.
pub fn catalog_iri(base_url: &str) -> String {
    format!("{base_url}/opendata")
}

/// A dataset's IRI: its section of the page.
pub fn dataset_iri(base_url: &str, id: &str) -> String {
    format!("{base_url}/opendata#{id}")
}

/// The publisher (the instance): its actor's IRI.
fn publisher_iri(base_url: &str) -> String {
    format!("{base_url}/actor")
}

fn texts(input: &CatalogInput<'_>, key: &str) -> Vec<Term> {
    TEXT_LANGUAGES
        .iter()
        .map(|(lang, _)| Term::LangText((input.text)(lang, key), (*lang).to_string()))
        .collect()
}

fn add_all(node: &mut Node, predicate: &'static str, terms: Vec<Term>) {
    for t in terms {
        node.add(predicate, t);
    }
}

/// The catalogue as a graph: the catalogue, its publisher, each dataset and each
/// distribution (DCAT-AP 2.1 mandatory and recommended properties; `dct:spatial` and
/// `dct:temporal` are not given: the instance has no setting for its region).
pub fn catalog(input: &CatalogInput<'_>) -> Vec<Node> {
    let base = input.base_url;
    let specs = datasets();
    let newest = input.modified.iter().map(|(_, m)| *m).max();
    let mut cat = Node::new(Some(catalog_iri(base)), &["dcat:Catalog"]);
    add_all(
        &mut cat,
        "dct:title",
        texts(input, "opendata-catalog-title"),
    );
    add_all(
        &mut cat,
        "dct:description",
        texts(input, "opendata-catalog-description"),
    );
    cat.add("dct:publisher", Term::Iri(publisher_iri(base)))
        .add("foaf:homepage", Term::Iri(format!("{base}/")))
        .add("dct:license", Term::Iri(input.license.0.clone()))
        .add("dct:issued", date_time(input.issued))
        .add(
            "dct:modified",
            date_time(newest.unwrap_or(input.issued).max(input.issued)),
        )
        .add(
            "dcat:themeTaxonomy",
            Term::Iri(THEME_BASE.trim_end_matches('/').into()),
        );
    for (_, code) in TEXT_LANGUAGES {
        cat.add("dct:language", Term::Iri(format!("{LANGUAGE_BASE}{code}")));
    }
    for d in &specs {
        cat.add("dcat:dataset", Term::Iri(dataset_iri(base, d.id)));
    }
    let mut publisher = Node::new(Some(publisher_iri(base)), &["foaf:Agent"]);
    publisher
        .add("foaf:name", Term::Text(input.instance.name.clone()))
        .add("foaf:homepage", Term::Iri(format!("{base}/")));
    let mut nodes = vec![cat, publisher];
    for d in &specs {
        let modified = input
            .modified
            .iter()
            .find(|(id, _)| *id == d.id)
            .map_or(input.issued, |(_, m)| *m);
        nodes.push(dataset_node(input, d, modified));
        nodes.extend(d.distributions.iter().map(|x| distribution_node(input, x)));
    }
    nodes
}

fn dataset_node(input: &CatalogInput<'_>, d: &DatasetSpec, modified: i64) -> Node {
    let base = input.base_url;
    let mut n = Node::new(Some(dataset_iri(base, d.id)), &["dcat:Dataset"]);
    add_all(&mut n, "dct:title", texts(input, d.title_key));
    add_all(&mut n, "dct:description", texts(input, d.description_key));
    for (lang, _) in TEXT_LANGUAGES {
        for k in (input.text)(lang, d.keywords_key).split(',') {
            let k = k.trim();
            if !k.is_empty() {
                n.add("dcat:keyword", Term::LangText(k.into(), lang.into()));
            }
        }
    }
    for t in d.themes {
        n.add("dcat:theme", Term::Iri(format!("{THEME_BASE}{t}")));
    }
    n.add("dct:publisher", Term::Iri(publisher_iri(base)))
        .add(
            "dcat:contactPoint",
            Term::Node(Box::new(contact_point(input))),
        )
        .add("dcat:landingPage", Term::Iri(dataset_iri(base, d.id)))
        .add("dct:issued", date_time(input.issued))
        .add("dct:modified", date_time(modified.max(input.issued)));
    for x in &d.distributions {
        n.add("dcat:distribution", Term::Iri(distribution_iri(base, x)));
    }
    n
}

fn distribution_iri(base: &str, d: &DistributionSpec) -> String {
    format!("{base}/opendata#{}", d.id)
}

fn distribution_node(input: &CatalogInput<'_>, d: &DistributionSpec) -> Node {
    let base = input.base_url;
    let url = format!("{base}{}", d.path);
    let mut n = Node::new(Some(distribution_iri(base, d)), &["dcat:Distribution"]);
    add_all(&mut n, "dct:title", texts(input, d.title_key));
    add_all(&mut n, "dct:description", texts(input, d.title_key));
    n.add("dcat:accessURL", Term::Iri(url.clone()))
        .add("dcat:downloadURL", Term::Iri(url))
        .add(
            "dct:format",
            Term::Iri(format!("{FILE_TYPE_BASE}{}", d.file_type.code)),
        )
        .add(
            "dcat:mediaType",
            Term::Iri(format!(
                "https://www.iana.org/assignments/media-types/{}",
                d.file_type.media_type
            )),
        )
        .add("dct:license", Term::Iri(input.license.0.clone()))
        .add("dcatap:availability", Term::Iri(AVAILABILITY_STABLE.into()));
    if input.license.1.is_some_and(|k| k.attribution) {
        n.add(
            "dcatde:licenseAttributionByText",
            Term::Text(format!("{} ({base}/)", input.instance.name)),
        );
    }
    n
}

/// The instance's contact point: its about page and, when the admin gave an e-mail address
/// as contact, that address.
fn contact_point(input: &CatalogInput<'_>) -> Node {
    let base = input.base_url;
    let mut v = Node::new(None, &["vcard:Organization"]);
    v.add("vcard:fn", Term::Text(input.instance.name.clone()))
        .add("vcard:hasURL", Term::Iri(format!("{base}/about")));
    let contact = input.instance.contact.trim();
    if contact.contains('@') && !contact.contains([' ', '/', ':']) {
        v.add("vcard:hasEmail", Term::Iri(format!("mailto:{contact}")));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lang: &str, key: &str) -> String {
        format!("{key} [{lang}]")
    }

    fn input<'a>(info: &'a InstanceInfo, license: &str) -> CatalogInput<'a> {
        CatalogInput {
            base_url: "https://revier.example",
            instance: info,
            license: crate::settings::opendata_license(license).unwrap(),
            issued: 1_700_000_000_000_000,
            modified: &[("events", 1_800_000_000_000_000)],
            text: &text,
        }
    }

    #[test]
    fn every_dataset_and_distribution_is_in_the_catalogue() {
        let info = InstanceInfo {
            name: "Revier".into(),
            contact: "admin@revier.example".into(),
            ..Default::default()
        };
        let nodes = catalog(&input(&info, "dl-de/zero-2-0"));
        let dists: usize = datasets().iter().map(|d| d.distributions.len()).sum();
        assert_eq!(nodes.len(), 2 + datasets().len() + dists);
        let doc = rdf::to_json_ld(&nodes);
        let cat = &doc["@graph"][0];
        assert_eq!(cat["@id"], "https://revier.example/opendata");
        assert_eq!(
            cat["dcat:dataset"].as_array().map(Vec::len),
            Some(datasets().len())
        );
        assert_eq!(cat["dct:modified"]["@value"], "2027-01-15T08:00:00Z");
        let events = &doc["@graph"][2];
        assert_eq!(
            events["dcat:contactPoint"]["vcard:hasEmail"]["@id"],
            "mailto:admin@revier.example"
        );
        let text = doc.to_string();
        assert!(!text.contains("licenseAttributionByText"), "{text}");
        assert!(text.contains("http://dcat-ap.de/def/licenses/dl-zero-de/2.0"));
    }

    #[test]
    fn a_licence_that_asks_for_attribution_gets_the_attribution_text() {
        let info = InstanceInfo {
            name: "Revier Ruhr".into(),
            ..Default::default()
        };
        let doc = rdf::to_json_ld(&catalog(&input(&info, "dl-de/by-2-0")));
        let text = doc.to_string();
        assert!(
            text.contains(
                r#""dcatde:licenseAttributionByText":"Revier Ruhr (https://revier.example/)""#
            ),
            "{text}"
        );
    }
}
