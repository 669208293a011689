//! The interface in German and English: one Fluent message file per language
//! (`server/locales/{de,en}.ftl`), and dates, times and numbers formatted per locale.
//! Templates never hold a sentence of their own; they ask `ctx.t("key")`.

use std::sync::LazyLock;

use chrono::{DateTime, TimeZone};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    De,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::De, Lang::En];

    /// The BCP 47 tag (`lang` attributes, `hreflang`, the cookie).
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The language a tag names (`de`, `de-AT`, `en-GB`...), if we speak it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best language for an `Accept-Language` header: the supported one with the highest
    /// weight (the first on ties); None when the header names neither.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::from_tag) else {
                continue;
            };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l)
    }

    /// This language's name in itself, for the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::De => "Deutsch",
            Lang::En => "English",
        }
    }

    fn chrono_locale(self) -> chrono::Locale {
        match self {
            Lang::De => chrono::Locale::de_DE,
            Lang::En => chrono::Locale::en_GB,
        }
    }
}

pub const DE_FTL: &str = include_str!("../../locales/de.ftl");
pub const EN_FTL: &str = include_str!("../../locales/en.ftl");

struct Bundles {
    de: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(tag: &str, source: &str) -> FluentBundle<FluentResource> {
    let lang: unic_langid::LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // No Unicode isolation marks around arguments: our pages are left-to-right only and the
    // marks would show up in titles and attributes.
    bundle.set_use_isolating(false);
    match FluentResource::try_new(source.to_string()) {
        Ok(res) => {
            if let Err(errors) = bundle.add_resource(res) {
                tracing::error!(?errors, "duplicate messages in the {tag} message file");
            }
        }
        // The unit tests parse both files, so this only happens to a broken build.
        Err((res, errors)) => {
            tracing::error!(?errors, "the {tag} message file does not parse");
            let _ = bundle.add_resource(res);
        }
    }
    bundle
}

static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| Bundles {
    de: bundle("de", DE_FTL),
    en: bundle("en", EN_FTL),
});

/// The message `key` (or `key.attribute`) in `lang`, with arguments. A missing key shows as
/// the key itself (the unit tests make sure none is missing).
pub fn message(lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = match lang {
        Lang::De => &BUNDLES.de,
        Lang::En => &BUNDLES.en,
    };
    let (id, attribute) = match key.split_once('.') {
        Some((id, attr)) => (id, Some(attr)),
        None => (key, None),
    };
    let Some(msg) = bundle.get_message(id) else {
        tracing::warn!(key, lang = lang.as_str(), "missing message");
        return key.to_string();
    };
    let pattern = match attribute {
        Some(a) => msg.get_attribute(a).map(|a| a.value()),
        None => msg.value(),
    };
    let Some(pattern) = pattern else {
        return key.to_string();
    };
    let mut errors = vec![];
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(key, ?errors, "message formatting failed");
    }
    text.into_owned()
}

/// Arguments for `message`, from pairs: numbers stay numbers (Fluent picks plural forms).
pub fn args<'a>(pairs: &[(&'a str, Arg)]) -> FluentArgs<'a> {
    let mut a = FluentArgs::new();
    for (name, value) in pairs {
        match value {
            Arg::Text(s) => a.set(*name, FluentValue::from(s.clone())),
            Arg::Number(n) => a.set(*name, FluentValue::from(*n)),
        }
    }
    a
}

/// One argument of a message.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n)
    }
}

/// A date as people write it: "Mittwoch, 2. Dezember 2026" / "Wednesday, 2 December 2026".
pub fn long_date<Tz: TimeZone>(lang: Lang, at: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let pattern = match lang {
        Lang::De => "%A, %-d. %B %Y",
        Lang::En => "%A, %-d %B %Y",
    };
    at.format_localized(pattern, lang.chrono_locale())
        .to_string()
}

/// A short date: "02.12.2026" / "2 Dec 2026".
pub fn short_date<Tz: TimeZone>(lang: Lang, at: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let pattern = match lang {
        Lang::De => "%d.%m.%Y",
        Lang::En => "%-d %b %Y",
    };
    at.format_localized(pattern, lang.chrono_locale())
        .to_string()
}

/// A time of day on the 24-hour clock, as both locales here write it: "18:30".
pub fn time_of_day<Tz: TimeZone>(_lang: Lang, at: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    at.format("%H:%M").to_string()
}

/// A month and year: "Dezember 2026" / "December 2026".
pub fn month_year<Tz: TimeZone>(lang: Lang, at: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    at.format_localized("%B %Y", lang.chrono_locale())
        .to_string()
}

/// A whole number with the locale's thousands separator: "10.000" / "10,000".
pub fn number(lang: Lang, n: i64) -> String {
    let sep = match lang {
        Lang::De => '.',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(source: &str) -> BTreeSet<String> {
        let res = match FluentResource::try_new(source.to_string()) {
            Ok(r) => r,
            Err((_, errors)) => panic!("message file does not parse: {errors:?}"),
        };
        res.entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let de = ids(DE_FTL);
        let en = ids(EN_FTL);
        let only_de: Vec<_> = de.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&de).collect();
        assert!(
            only_de.is_empty() && only_en.is_empty(),
            "only in de: {only_de:?}; only in en: {only_en:?}"
        );
    }

    /// Every `t("key")`/`ta("key", ...)` in a template and every `tr(lang, "key")` in the
    /// web code names a message that exists.
    #[test]
    fn every_key_used_exists() {
        let known = ids(EN_FTL);
        let mut missing = vec![];
        for dir in ["templates", "src/web"] {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for path in walk(&root).into_iter().filter(|p| !p.ends_with("i18n.rs")) {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for key in keys_used(&text) {
                    let id = key.split('.').next().unwrap_or_default();
                    if !known.contains(id) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys without a message: {missing:#?}");
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = vec![];
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    /// Keys in `t("…")`, `ta("…"` and `tr(…, "…")` calls.
    fn keys_used(text: &str) -> Vec<String> {
        let mut keys = vec![];
        for marker in ["t(\"", "ta(\"", "tr(ctx.lang, \"", "tr(lang, \""] {
            let mut rest = text;
            while let Some(i) = rest.find(marker) {
                let before = rest[..i].chars().last();
                rest = &rest[i + marker.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                if let Some(end) = rest.find('"') {
                    let key = &rest[..end];
                    if !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                    {
                        keys.push(key.to_string());
                    }
                }
            }
        }
        keys
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(
            Lang::from_accept_language("de-DE,de;q=0.9,en;q=0.8"),
            Some(Lang::De)
        );
        assert_eq!(
            Lang::from_accept_language("fr, en;q=0.5, de;q=0.4"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("fr"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, de;q=0.1"),
            Some(Lang::De)
        );
    }

    #[test]
    fn numbers_and_dates_follow_the_locale() {
        assert_eq!(number(Lang::De, 10000), "10.000");
        assert_eq!(number(Lang::En, 1234567), "1,234,567");
        assert_eq!(number(Lang::En, 999), "999");
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 12, 2, 18, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(long_date(Lang::De, &at), "Mittwoch, 2. Dezember 2026");
        assert_eq!(long_date(Lang::En, &at), "Wednesday, 2 December 2026");
        assert_eq!(time_of_day(Lang::De, &at), "18:30");
    }
}
