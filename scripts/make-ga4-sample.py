#!/usr/bin/env python3
"""Writes SampleData/ga4/events_YYYYMMDD.json.gz: a small GA4 BigQuery export.

Rows follow Google's published schema of the `events_YYYYMMDD` table
(https://support.google.com/analytics/answer/7029846) as BigQuery exports it to
newline-delimited JSON: INT64 columns as JSON strings, FLOAT64 as numbers, absent values
as null, `event_params` as an array of {key, value: {string_value, int_value, float_value,
double_value}}. Deterministic (seeded, gzip without a time stamp): rerun to regenerate.
"""
import gzip
import json
import random
from datetime import datetime, timezone

random.seed(30)
HOST = "https://shop.example.com"
PAGES = ["/", "/pricing", "/products/42", "/products/7?ref=home", "/blog/ga4-export/",
         "/cart", "/checkout"]
DAYS = ["20261101", "20261102", "20261103"]
# pseudo id, user id once logged in (None: never), device, country, first-touch source
USERS = [
    ("1001.1793000001", None, "desktop", "Finland", "google"),
    ("1002.1793000002", "u-42", "mobile", "Sweden", "(direct)"),
    ("1003.1793000003", None, "mobile", "Finland", "newsletter"),
    ("1004.1793000004", "u-77", "desktop", "Germany", "google"),
    ("1005.1793000005", None, "tablet", "Estonia", "(direct)"),
    ("1006.1793000006", None, "desktop", "Finland", "bing"),
    ("1007.1793000007", "u-42", "desktop", "Sweden", "(direct)"),
]


def value(string=None, integer=None, double=None):
    return {"string_value": string, "int_value": None if integer is None else str(integer),
            "float_value": None, "double_value": double}


def row(user, micros, name, params, session_id, session_number, logged_in, manual_source):
    pseudo, user_id, device, country, source = user
    event_params = [
        {"key": "ga_session_id", "value": value(integer=session_id)},
        {"key": "ga_session_number", "value": value(integer=session_number)},
        {"key": "engaged_session_event", "value": value(integer=1)},
    ] + params
    random.shuffle(event_params)
    day = datetime.fromtimestamp(micros / 1e6, tz=timezone.utc).strftime("%Y%m%d")
    return {
        "event_date": day,
        "event_timestamp": str(micros),
        "event_name": name,
        "event_params": event_params,
        "event_previous_timestamp": None,
        "event_value_in_usd": 59.0 if name == "purchase" else None,
        "event_bundle_sequence_id": str(random.randrange(1, 10**6)),
        "event_server_timestamp_offset": str(random.randrange(100, 900_000)),
        "user_id": user_id if logged_in else None,
        "user_pseudo_id": pseudo,
        "privacy_info": {"analytics_storage": "Yes", "ads_storage": "No", "uses_transient_token": "No"},
        "user_properties": [],
        "user_first_touch_timestamp": str(micros - 86_400_000_000),
        "user_ltv": None,
        "device": {"category": device, "mobile_brand_name": "Google", "mobile_model_name": "Chrome",
                   "operating_system": "Linux", "operating_system_version": "Linux x86_64",
                   "language": "en-us", "is_limited_ad_tracking": "No",
                   "time_zone_offset_seconds": None,
                   "web_info": {"browser": "Chrome", "browser_version": "130.0.0.0",
                                "hostname": "shop.example.com"}},
        "geo": {"city": "(not set)", "country": country, "continent": "Europe",
                "region": "(not set)", "sub_continent": "Northern Europe", "metro": "(not set)"},
        "app_info": None,
        "traffic_source": {"name": "(direct)", "medium": "(none)", "source": source},
        "stream_id": "7654321098",
        "platform": "WEB",
        "event_dimensions": None,
        "ecommerce": {"transaction_id": f"T-{micros}", "purchase_revenue": 59.0}
        if name == "purchase" else None,
        "items": [{"item_id": "42", "item_name": "Plan", "price": 59.0, "quantity": "1",
                   "item_params": [{"key": "plan", "value": value(string="pro")}]}]
        if name == "purchase" else [],
        "collected_traffic_source": {"manual_source": manual_source, "manual_medium": "cpc"}
        if manual_source else None,
        "is_active_user": True,
        "batch_event_index": "0",
        "batch_page_id": str(micros // 1000),
        "batch_ordering_id": "1",
        "session_traffic_source_last_click": None,
        "publisher": None,
    }


def main():
    rows = []
    seen = set()
    for day_index, day in enumerate(DAYS):
        midnight = int(datetime.strptime(day, "%Y%m%d").replace(tzinfo=timezone.utc).timestamp())
        for number, user in enumerate(USERS):
            sessions = random.randrange(1, 4)
            start = midnight + 3600 * (6 + number) + random.randrange(0, 600)
            for session_number in range(sessions):
                session_id = start
                micros = start * 1_000_000 + random.randrange(0, 999_999)
                logged_in = user[1] is not None and (day_index > 0 or session_number > 0)
                manual = "google" if random.random() < 0.3 else None
                events = []
                if user[0] not in seen:
                    events.append(("first_visit", []))
                    seen.add(user[0])
                events.append(("session_start", []))
                referrer = "https://www.google.com/"
                for step in range(random.randrange(3, 8)):
                    page = random.choice(PAGES)
                    params = [{"key": "page_location", "value": value(string=HOST + page)},
                              {"key": "page_title", "value": value(string="Shop")},
                              {"key": "page_referrer", "value": value(string=referrer)}]
                    events.append(("page_view", params))
                    events.append(("user_engagement",
                                   [{"key": "engagement_time_msec",
                                     "value": value(integer=random.randrange(500, 60_000))},
                                    params[0]]))
                    if step == 1:
                        events.append(("scroll", [{"key": "percent_scrolled",
                                                   "value": value(integer=90)}, params[0]]))
                    referrer = HOST + page
                if user[1] and day_index == 0 and session_number == 0:
                    events.append(("sign_up", [{"key": "method", "value": value(string="email")}]))
                if logged_in and session_number == 0:
                    events.append(("login", [{"key": "method", "value": value(string="email")}]))
                if user[0] == "1004.1793000004" and day_index == 1 and session_number == 0:
                    events.append(("purchase", [{"key": "currency", "value": value(string="EUR")},
                                                {"key": "value", "value": value(double=59.0)}]))
                for name, params in events:
                    rows.append(row(user, micros, name, params, session_id, session_number + 1,
                                    logged_in or name == "login", manual))
                    micros += random.randrange(2, 240) * 1_000_000 + random.randrange(0, 999)
                # The next session starts after more than 30 minutes of silence.
                start = micros // 1_000_000 + random.randrange(2400, 9000)
    by_day = {}
    for item in rows:
        by_day.setdefault(item["event_date"], []).append(item)
    for day, items in sorted(by_day.items()):
        random.shuffle(items)
        with open(f"SampleData/ga4/events_{day}.json.gz", "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
                for item in items:
                    out.write((json.dumps(item, separators=(",", ":")) + "\n").encode())
    print(len(rows), "events")


if __name__ == "__main__":
    main()
