//! Property tests (issue 6, battery "Property tests / fuzzing") for the server's parsers of
//! uploaded and remote text: iCalendar import, publiccode.yml import and Markdown rendering.
//! Each must answer every input with a value or an error, never a panic; the publiccode.yml
//! parser must also stay within a fixed amount of memory, and rendered Markdown must never
//! carry anything a browser would run.
//!
//! `PROPTEST_CASES` sets the number of cases per property (256 by default); the long run is
//! `tests/fuzz/run-long.sh`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use chrono_tz::Tz;
use proptest::prelude::*;
use revier::db::{accounts, events, follows, remote_notes};
use revier::domain::events::codec as ical;
use revier::domain::events::vevent_input;
use revier::domain::{publiccode, text};

// ---------------------------------------------------------------------------------------
// Memory: a global allocator that counts the bytes each thread holds, so a property can
// assert how much one call needed at its peak (other tests run on other threads).

struct CountingAlloc;

thread_local! {
    static HELD: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn note_alloc(size: usize) {
    let _ = HELD.try_with(|h| {
        let now = h.get().saturating_add(size);
        h.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

fn note_free(size: usize) {
    let _ = HELD.try_with(|h| h.set(h.get().saturating_sub(size)));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the bookkeeping only
// touches thread-local counters and never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_alloc(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_free(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_alloc(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_free(layout.size());
        note_alloc(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Runs `f` and returns its result with the most bytes it held at once on this thread.
fn peak_bytes<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = HELD.with(Cell::get);
    PEAK.with(|p| p.set(start));
    let out = f();
    let peak = PEAK.with(Cell::get).saturating_sub(start);
    (out, peak)
}

fn config() -> ProptestConfig {
    // 256 cases, or `PROPTEST_CASES` from the environment; a new random seed each run
    // (`PROPTEST_RNG_SEED` fixes one). Failing inputs are printed, not written to files.
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// iCalendar import

const VALID_CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
X-WR-TIMEZONE:Europe/Berlin\r\n\
BEGIN:VTIMEZONE\r\nTZID:Custom/Zone\r\nX-LIC-LOCATION:Europe/Berlin\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:one@test\r\nDTSTART;TZID=Europe/Berlin:20250301T190000\r\n\
DTEND;TZID=Europe/Berlin:20250301T210000\r\nSUMMARY:Repair café\\, Bochum\r\n\
DESCRIPTION:Bring things\\nto fix\r\nLOCATION:Haus der Vielfalt\r\nGEO:51.48;7.21\r\n\
CATEGORIES:WORKSHOP,repair\r\nURL:https://example.org/repair\r\n\
RRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=Europe/Berlin:20250308T190000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:two@test\r\nDTSTART;VALUE=DATE:20250401\r\nDURATION:P2D\r\n\
SUMMARY:Festival\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:three@test\r\nDTSTART:20250501T100000Z\r\nDURATION:PT1H30M\r\n\
SUMMARY:Online\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/// Values a property of a VEVENT may be given in a mutated calendar.
fn ical_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("20250301T190000".to_string()),
        Just("20250301T190000Z".to_string()),
        Just("20250301".to_string()),
        Just("99991231T235959Z".to_string()),
        Just("00000101T000000".to_string()),
        Just("20251301T256161".to_string()),
        Just("P1D".to_string()),
        Just("-P1W".to_string()),
        Just("PT999999H".to_string()),
        Just("P9999999999999999D".to_string()),
        Just("P99999999999999W".to_string()),
        Just("PT9223372036854775807S".to_string()),
        Just("-P9999999999999D".to_string()),
        Just("P".to_string()),
        Just("PT".to_string()),
        Just("1;2".to_string()),
        Just("NaN;inf".to_string()),
        Just("FREQ=DAILY;COUNT=99999999999".to_string()),
        Just("FREQ=SECONDLY\r\nBEGIN:VEVENT".to_string()),
        Just("Europe/Berlin".to_string()),
        Just("Not/AZone".to_string()),
        Just("\\".to_string()),
        Just("\\n\\,\\;".to_string()),
        "[0-9TZP:;,-]{0,20}",
        "\\PC{0,30}",
    ]
}

fn ical_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("DTSTART".to_string()),
        Just("DTSTART;VALUE=DATE".to_string()),
        Just("DTSTART;TZID=Custom/Zone".to_string()),
        Just("DTSTART;TZID=\"Nowhere\"".to_string()),
        Just("DTEND".to_string()),
        Just("DTEND;VALUE=DATE".to_string()),
        Just("DURATION".to_string()),
        Just("EXDATE".to_string()),
        Just("RRULE".to_string()),
        Just("GEO".to_string()),
        Just("CATEGORIES".to_string()),
        Just("SUMMARY".to_string()),
        Just("UID".to_string()),
        Just("RECURRENCE-ID".to_string()),
        Just("STATUS".to_string()),
        Just("BEGIN".to_string()),
        Just("END".to_string()),
        "[A-Z-]{1,12}",
    ]
}

#[derive(Debug, Clone)]
enum CalendarEdit {
    DeleteLine(usize),
    DuplicateLine(usize),
    SetProperty(usize, String, String),
    InsertBytes(usize, String),
    Truncate(usize),
}

fn calendar_edit() -> impl Strategy<Value = CalendarEdit> {
    prop_oneof![
        any::<usize>().prop_map(CalendarEdit::DeleteLine),
        any::<usize>().prop_map(CalendarEdit::DuplicateLine),
        (any::<usize>(), ical_name(), ical_value())
            .prop_map(|(i, n, v)| CalendarEdit::SetProperty(i, n, v)),
        (any::<usize>(), "\\PC{0,12}|\r|\n|\r\n |:|;|\"")
            .prop_map(|(i, s)| CalendarEdit::InsertBytes(i, s)),
        any::<usize>().prop_map(CalendarEdit::Truncate),
    ]
}

fn apply_calendar_edits(edits: &[CalendarEdit]) -> String {
    let mut lines: Vec<String> = VALID_CALENDAR
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    for e in edits {
        let n = lines.len().max(1);
        match e {
            CalendarEdit::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            CalendarEdit::DuplicateLine(i) if !lines.is_empty() => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            CalendarEdit::SetProperty(i, name, value) => {
                lines.insert((i % n).min(lines.len()), format!("{name}:{value}"));
            }
            CalendarEdit::InsertBytes(i, s) if !lines.is_empty() => {
                let l = &mut lines[i % n];
                let at = l
                    .char_indices()
                    .map(|(b, _)| b)
                    .nth(i % (l.chars().count() + 1))
                    .unwrap_or(l.len());
                l.insert_str(at, s);
            }
            CalendarEdit::Truncate(i) => lines.truncate(i % n),
            _ => {}
        }
    }
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out
}

/// The whole import path that needs no database: calendar -> VEVENTs -> one input or one
/// error per VEVENT.
fn import_calendar(text: &str) -> Result<Vec<Result<(), String>>, String> {
    let top = ical::parse_components(text)?;
    let (vevents, zones, default_tz) = ical::calendar_parts(&top);
    let default_tz = default_tz.unwrap_or(Tz::UTC);
    Ok(vevents
        .iter()
        .map(|ev| vevent_input(ev, &zones, default_tz).map(|_| ()))
        .collect())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn ical_import_never_panics_on_any_text(s in any::<String>()) {
        let _ = import_calendar(&s);
    }

    #[test]
    fn ical_import_never_panics_on_mutated_calendars(
        edits in prop::collection::vec(calendar_edit(), 0..8)
    ) {
        let text = apply_calendar_edits(&edits);
        let _ = import_calendar(&text);
    }

    /// A broken VEVENT costs only itself: the others of the calendar still import.
    #[test]
    fn ical_import_errors_stay_with_their_vevent(
        value in ical_value(), name in ical_name(), which in 0usize..3
    ) {
        // A property of this VEVENT only: no component lines, no line breaks.
        let name = if ["BEGIN", "END"].contains(&name.as_str()) { "X-TEST".to_string() } else { name };
        let value = value.replace(['\r', '\n'], " ");
        let uid = ["UID:one@test", "UID:two@test", "UID:three@test"][which];
        let text = VALID_CALENDAR.replace(uid, &format!("{uid}\r\n{name}:{value}"));
        let results = import_calendar(&text).map_err(TestCaseError::fail)?;
        prop_assert_eq!(results.len(), 3);
        for (i, r) in results.iter().enumerate() {
            if i != which {
                prop_assert!(r.is_ok(), "VEVENT {} failed because of VEVENT {}: {:?}", i, which, r);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// publiccode.yml import

const VALID_PUBLICCODE: &str = include_str!("../../tests/fixtures/publiccode/v0.4.yml");

/// The most a parse may hold at once: the document is at most 1 MiB, and a tree of a few
/// hundred values needs far less; an alias expansion would need far more.
const PUBLICCODE_MEMORY: usize = 64 * 1024 * 1024;

fn yaml_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("<<: *a".to_string()),
        Just("[*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]".to_string()),
        Just("!!binary aGk=".to_string()),
        Just("!!python/object:os.system".to_string()),
        Just("? complex\n: key".to_string()),
        Just("---\n".to_string()),
        Just("...\n".to_string()),
        Just("{".to_string()),
        Just("[".to_string()),
        Just("\"".to_string()),
        Just("|\n  block".to_string()),
        Just("~".to_string()),
        Just("1e999".to_string()),
        Just("0x7fffffffffffffffff".to_string()),
        Just("2025-13-45".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        "\\PC{0,16}",
    ]
}

#[derive(Debug, Clone)]
enum YamlEdit {
    DeleteLine(usize),
    DuplicateLine(usize),
    Insert(usize, usize, String),
    ReplaceValue(usize, String),
}

fn yaml_edit() -> impl Strategy<Value = YamlEdit> {
    prop_oneof![
        any::<usize>().prop_map(YamlEdit::DeleteLine),
        any::<usize>().prop_map(YamlEdit::DuplicateLine),
        (any::<usize>(), any::<usize>(), yaml_fragment())
            .prop_map(|(l, c, s)| YamlEdit::Insert(l, c, s)),
        (any::<usize>(), yaml_fragment()).prop_map(|(l, s)| YamlEdit::ReplaceValue(l, s)),
    ]
}

fn apply_yaml_edits(edits: &[YamlEdit]) -> String {
    let mut lines: Vec<String> = VALID_PUBLICCODE.lines().map(str::to_string).collect();
    for e in edits {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match e {
            YamlEdit::DeleteLine(i) => {
                lines.remove(i % n);
            }
            YamlEdit::DuplicateLine(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            YamlEdit::Insert(i, c, s) => {
                let l = &mut lines[i % n];
                let at = l
                    .char_indices()
                    .map(|(b, _)| b)
                    .nth(c % (l.chars().count() + 1))
                    .unwrap_or(l.len());
                l.insert_str(at, s);
            }
            YamlEdit::ReplaceValue(i, s) => {
                let l = &mut lines[i % n];
                if let Some(colon) = l.find(": ") {
                    l.truncate(colon + 2);
                    l.push_str(s);
                }
            }
        }
    }
    lines.join("\n")
}

/// A nested-alias document of `levels` levels with `width` aliases each.
fn alias_bomb(levels: usize, width: usize) -> String {
    let mut doc = String::from("publiccodeYmlVersion: \"0.4\"\nl0: &l0 \"lol\"\n");
    for i in 1..=levels {
        let refs = vec![format!("*l{}", i - 1); width].join(", ");
        doc.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    doc
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn publiccode_import_never_panics_on_any_text(s in any::<String>()) {
        let (_, peak) = peak_bytes(|| publiccode::parse(&s, "de"));
        prop_assert!(peak < PUBLICCODE_MEMORY, "{} bytes", peak);
    }

    #[test]
    fn publiccode_import_never_panics_on_mutated_documents(
        edits in prop::collection::vec(yaml_edit(), 0..8)
    ) {
        let doc = apply_yaml_edits(&edits);
        let (result, peak) = peak_bytes(|| publiccode::parse(&doc, "de"));
        prop_assert!(peak < PUBLICCODE_MEMORY, "{} bytes for {:?}", peak, doc);
        if let Err(errors) = result {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                prop_assert!(!e.field.is_empty() && !e.message.is_empty(), "{:?}", e);
            }
        }
    }

    #[test]
    fn publiccode_alias_bombs_are_refused_in_bounded_memory(
        levels in 1usize..12, width in 1usize..30
    ) {
        let doc = alias_bomb(levels, width);
        let (result, peak) = peak_bytes(|| publiccode::parse(&doc, "de"));
        prop_assert!(peak < PUBLICCODE_MEMORY, "{} bytes", peak);
        let errors = result.err().ok_or_else(|| TestCaseError::fail("accepted"))?;
        prop_assert!(errors[0].message.contains("alias"), "{:?}", errors);
    }
}

#[test]
fn baseline_fixture_of_the_standard_parses() {
    assert!(publiccode::parse(VALID_PUBLICCODE, "de").is_ok());
}

#[test]
fn baseline_calendar_imports_every_vevent() {
    let results = import_calendar(VALID_CALENDAR).unwrap();
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

// ---------------------------------------------------------------------------------------
// Markdown rendering

fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("<SCRIPT SRC=//evil.example/x.js>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<a href=\"javascript:alert(1)\">x</a>".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("[x](JaVaScRiPt:alert(1))".to_string()),
        Just("[x](&#106;avascript:alert(1))".to_string()),
        Just("[x](java\tscript:alert(1))".to_string()),
        Just("[x](<javascript:alert(1)>)".to_string()),
        Just("[x](data:text/html;base64,PHNjcmlwdD4=)".to_string()),
        Just("![i](javascript:alert(1))".to_string()),
        Just("<javascript:alert(1)>".to_string()),
        Just("[x][r]\n\n[r]: javascript:alert(1)\n".to_string()),
        Just("<iframe src=//evil.example></iframe>".to_string()),
        Just("<svg onload=alert(1)>".to_string()),
        Just("<style>*{}</style>".to_string()),
        Just("\" onmouseover=\"alert(1)".to_string()),
        Just("[x](http://a.example/\" onclick=\"alert(1))".to_string()),
        Just("#tag".to_string()),
        Just("#über_tag ".to_string()),
        Just("`code`".to_string()),
        Just("```\n<script>\n```\n".to_string()),
        Just("**".to_string()),
        Just("~~".to_string()),
        Just("\n\n".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("&lt;script&gt;".to_string()),
        Just("&#x3C;script&#x3E;".to_string()),
        "\\PC{0,12}",
    ]
}

/// Attributes of every tag in `html`: (tag, attribute name, decoded value).
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = html.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '<' {
            i += 1;
            continue;
        }
        i += 1;
        let mut tag = String::new();
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '/') {
            tag.push(chars[i].to_ascii_lowercase());
            i += 1;
        }
        loop {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i >= chars.len() || chars[i] == '>' {
                break;
            }
            let mut name = String::new();
            while i < chars.len() && !chars[i].is_whitespace() && !['=', '>'].contains(&chars[i]) {
                name.push(chars[i].to_ascii_lowercase());
                i += 1;
            }
            let mut value = String::new();
            if i < chars.len() && chars[i] == '=' {
                i += 1;
                if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                    let q = chars[i];
                    i += 1;
                    while i < chars.len() && chars[i] != q {
                        value.push(chars[i]);
                        i += 1;
                    }
                    i += 1;
                } else {
                    while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '>' {
                        value.push(chars[i]);
                        i += 1;
                    }
                }
            }
            if name.is_empty() {
                i += 1;
            }
            out.push((tag.clone(), name, decode_entities(&value)));
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';') else { break };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "colon" => Some(':'),
            "tab" | "Tab" => Some('\t'),
            "newline" | "NewLine" => Some('\n'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// How a browser reads a URL's scheme: control characters and whitespace dropped.
fn url_scheme(value: &str) -> String {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.split(':').next().unwrap_or_default().to_string()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn rendered_markdown_never_carries_script(
        pieces in prop::collection::vec(markdown_piece(), 0..16)
    ) {
        let md = pieces.concat();
        let (html, _) = text::render_markdown(&md, |t| format!("https://revier.example/tags/{t}"));
        let lower = html.to_ascii_lowercase();
        prop_assert!(!lower.contains("<script"), "{}", html);
        prop_assert!(!lower.contains("<iframe"), "{}", html);
        prop_assert!(!lower.contains("<style"), "{}", html);
        for (tag, name, value) in attributes(&html) {
            prop_assert!(!name.starts_with("on"), "<{} {}=…> in {}", tag, name, html);
            prop_assert!(name != "style", "style attribute in {}", html);
            if ["href", "src", "action", "formaction", "xlink:href"].contains(&name.as_str())
                && value.contains(':')
            {
                let scheme = url_scheme(&value);
                prop_assert!(
                    !["javascript", "data", "vbscript"].contains(&scheme.as_str()),
                    "{}={:?} in {}", name, value, html
                );
            }
        }
    }

    #[test]
    fn markdown_rendering_never_panics_on_any_text(s in any::<String>()) {
        let _ = text::render_markdown(&s, |t| format!("https://revier.example/tags/{t}"));
    }
}

/// Every enum stored by name (`stored_names!` in `db`) reads its own names back.
#[test]
fn stored_names_read_back_as_the_same_variant() {
    fn check<T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr>(
        all: &[T],
        name: fn(T) -> &'static str,
    ) {
        for &v in all {
            assert_eq!(name(v).parse::<T>().ok(), Some(v), "{v:?}");
        }
        assert!("no such name".parse::<T>().is_err());
    }
    check(accounts::Role::ALL, accounts::Role::as_str);
    check(accounts::MemberRole::ALL, accounts::MemberRole::as_str);
    check(events::JoinMode::ALL, events::JoinMode::as_str);
    check(events::EventStatus::ALL, events::EventStatus::as_str);
    check(
        events::ParticipantState::ALL,
        events::ParticipantState::as_str,
    );
    check(follows::FollowState::ALL, follows::FollowState::as_str);
    check(
        remote_notes::Visibility::ALL,
        remote_notes::Visibility::as_str,
    );
}
