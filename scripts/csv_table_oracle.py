#!/usr/bin/env python3
"""Test-only oracle: a CSV file as DuckDB's CSV reader sees it (PyPI `duckdb`).

Usage: csv_table_oracle.py FILE

Reads FILE with DuckDB's `read_csv` (header row, types detected, as a dashboard would)
and prints one JSON object: `columns` (names), `types` (DuckDB type names) and `rows`
(lists of values; numbers as JSON numbers, text as strings, timestamps and other values
as their text, NULL as null).
"""

import json
import sys

import duckdb


def main():
    path = sys.argv[1]
    relation = duckdb.read_csv(path, header=True)
    rows = [
        [v if v is None or isinstance(v, (bool, int, float, str)) else str(v) for v in row]
        for row in relation.fetchall()
    ]
    print(json.dumps({
        "columns": relation.columns,
        "types": [str(t) for t in relation.types],
        "rows": rows,
    }))


if __name__ == "__main__":
    main()
