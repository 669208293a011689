"""Parses Revier's iCalendar feeds with the independent `icalendar` package (pinned in
requirements.txt) and checks what calendar apps rely on: a VTIMEZONE per TZID, RRULE and
EXDATE, STATUS, URL, GEO, LOCATION, and times that resolve to the expected instants.

Usage: ical_check.py --file FEED.ics --expect EXPECT.json [--file ... --expect ...]
EXPECT.json: {"count": N, "events": {UID: {"summary":..., "start_utc":..., "end_utc":...,
"tzid":..., "all_day": bool, "rrule": {...}, "exdates_utc": [...], "status":..., "geo": [lat, lon],
"location":..., "url":...}}}
The last line printed is a JSON summary: {"ok": true|false, ...}.
"""

import argparse
import datetime as dt
import json
import sys

import icalendar


def utc(v):
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            raise AssertionError(f"floating time {v}")
        return v.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return v.isoformat()


def check(path, expect):
    problems = []
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    events = cal.walk("VEVENT")
    if "count" in expect and len(events) != expect["count"]:
        problems.append(f"{path}: {len(events)} VEVENTs, expected {expect['count']}")
    by_uid = {str(e["UID"]): e for e in events}
    for e in events:
        start = e["DTSTART"]
        tzid = start.params.get("TZID")
        if tzid and tzid not in tzids:
            problems.append(f"{path}: TZID {tzid} has no VTIMEZONE")
    for uid, want in expect.get("events", {}).items():
        e = by_uid.get(uid)
        if e is None:
            problems.append(f"{path}: no VEVENT with UID {uid}")
            continue
        got = {
            "summary": str(e.get("SUMMARY")),
            "start_utc": utc(e.decoded("DTSTART")),
            "end_utc": utc(e.decoded("DTEND")),
            "tzid": e["DTSTART"].params.get("TZID"),
            "all_day": not isinstance(e.decoded("DTSTART"), dt.datetime),
            "status": str(e.get("STATUS")),
            "location": str(e.get("LOCATION")) if e.get("LOCATION") else None,
            "url": str(e.get("URL")) if e.get("URL") else None,
        }
        if e.get("GEO"):
            g = e["GEO"]
            got["geo"] = [round(float(g.latitude), 4), round(float(g.longitude), 4)]
        if e.get("RRULE"):
            got["rrule"] = {k: [str(x) for x in v] for k, v in e["RRULE"].items()}
        ex = []
        exd = e.get("EXDATE")
        if exd is not None:
            for item in exd if isinstance(exd, list) else [exd]:
                for d in item.dts:
                    ex.append(utc(d.dt))
        got["exdates_utc"] = ex
        for k, v in want.items():
            if k == "geo":
                v = [round(x, 4) for x in v]
            if got.get(k) != v:
                problems.append(f"{path} {uid}: {k} is {got.get(k)!r}, expected {v!r}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", action="append", required=True)
    ap.add_argument("--expect", action="append", required=True)
    a = ap.parse_args()
    problems = []
    for path, exp in zip(a.file, a.expect):
        with open(exp) as f:
            problems += check(path, json.load(f))
    for p in problems:
        print(p)
    print(json.dumps({"ok": not problems, "problems": len(problems),
                      "icalendar": icalendar.__version__}))
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
