"""The DuckDB baseline for bench.sh: polku's segment-web job as one SQL script.

    python duckdb_sessions.py --threads 2 'DIR/segment/*.jsonl.gz'

Reads the gzipped JSON Lines (only the columns the job needs), keeps page and track
events, drops bots and static assets, stitches anonymous ids to the user id seen with
them, drops duplicate message ids, normalises pages like Pipelines/segment-web.json,
sessionises per visitor with window functions (LAG over the timestamp, a gap of more than
1800 s starts a session, a running SUM numbers them), counts sessions and visitors, and
finds the top 3-step page paths inside sessions. Prints one JSON line.

Bench-only: DuckDB lives in a venv in the bench cache, never in polku's dependencies.
"""

import argparse
import json
import time

import duckdb

COLUMNS = {
    "messageId": "VARCHAR",
    "timestamp": "VARCHAR",
    "type": "VARCHAR",
    "anonymousId": "VARCHAR",
    "userId": "VARCHAR",
    "event": "VARCHAR",
    "context": "STRUCT(page STRUCT(path VARCHAR), userAgent VARCHAR)",
}

SESSIONS = r"""
CREATE TEMP TABLE sess AS
WITH raw AS (
  SELECT messageId, "timestamp" AS t, "type" AS kind, anonymousId, userId,
         context.page.path AS page, context.userAgent AS ua
  FROM read_ndjson($files, columns = $columns, ignore_errors = true, compression = 'gzip')
),
stitch AS (
  SELECT anonymousId, min(userId) AS uid FROM raw
  WHERE userId IS NOT NULL AND anonymousId IS NOT NULL GROUP BY anonymousId
),
ev AS (
  SELECT messageId, kind, anonymousId, userId,
         CASE WHEN regexp_full_match(t, '[0-9]+') THEN to_timestamp(t::BIGINT / 1000.0)
              ELSE try_cast(t AS TIMESTAMPTZ) END AS ts,
         regexp_replace(regexp_replace(rtrim(lower(split_part(page, '?', 1)), '/'),
           '^/product/[0-9]+$', '/product/:id'), '^/blog/[^/]+$', '/blog/:slug') AS page
  FROM raw
  WHERE kind IN ('page', 'track') AND coalesce(anonymousId, userId) IS NOT NULL
    AND NOT regexp_matches(lower(coalesce(ua, '')), 'bot|crawler|spider|slurp|headless')
    AND NOT regexp_matches(coalesce(page, ''),
                           '\.(css|js|png|jpe?g|gif|svg|ico|woff2?)(\?|$)|^/static/')
),
keyed AS (
  SELECT coalesce(e.userId, s.uid, e.anonymousId) AS visitor, epoch(e.ts) AS ts, e.kind,
         e.page
  FROM ev e LEFT JOIN stitch s USING (anonymousId)
  WHERE e.ts IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY coalesce(e.messageId, '') || e.anonymousId
                             ORDER BY e.ts) = 1
),
flagged AS (
  SELECT *, CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > 1800 THEN 1 ELSE 0
            END AS starts
  FROM keyed WINDOW w AS (PARTITION BY visitor ORDER BY ts)
)
SELECT *, sum(starts) OVER (PARTITION BY visitor ORDER BY ts ROWS UNBOUNDED PRECEDING)
            AS session
FROM flagged
"""

COUNTS = "SELECT count(*), sum(starts), count(DISTINCT visitor) FROM sess"

PATHS = """
SELECT p1, p2, p3, count(*) AS n FROM (
  SELECT page AS p1, lead(page, 1) OVER w AS p2, lead(page, 2) OVER w AS p3
  FROM sess WHERE kind = 'page'
  WINDOW w AS (PARTITION BY visitor, session ORDER BY ts)
) WHERE p3 IS NOT NULL
GROUP BY ALL ORDER BY n DESC, p1, p2, p3 LIMIT 10
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("files", help="a glob of gzipped JSON Lines files")
    args = parser.parse_args()
    started = time.monotonic()
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.execute("SET preserve_insertion_order = false")
    con.execute(SESSIONS, {"files": args.files, "columns": COLUMNS})
    events, sessions, visitors = con.execute(COUNTS).fetchone()
    paths = con.execute(PATHS).fetchall()
    seconds = time.monotonic() - started
    print(json.dumps({
        "duckdb": duckdb.__version__, "threads": args.threads, "seconds": round(seconds, 3),
        "events": events, "sessions": int(sessions or 0), "visitors": visitors,
        "top_paths": [{"path": [a, b, c], "count": n} for a, b, c, n in paths[:3]],
    }))


if __name__ == "__main__":
    main()
