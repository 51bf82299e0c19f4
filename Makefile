# polku — common tasks.
#   make run    runs the main job (omnichannel pipeline) on the shipped SampleData
#   make test   builds and runs every test (what CI runs), the Spark test last
#   make test-spark  only the Spark job's test (Pipelines/spark against polku run)
#   make test-report report.html in headless Chromium (Tests/Report; apt-get install chromium)
#   make bench  end-to-end benchmark vs raw inflate and DuckDB (BENCH_SETS=small for ~2 min)
#   make bench-spark  the Spark job vs polku run on the same files (BENCH_SETS=large: 20 M)
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
OUT ?= out
PIPELINE ?= Pipelines/omnichannel.json
INPUTS ?= SampleData/segment SampleData/touchpoints
POLKU ?= .build/release/polku

.PHONY: build release test test-spark test-report test-tools run sample-nginx validate bench bench-spark fuzz lint format clean

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

test: test-tools
	PYTHON=$(PYTHON) $(SWIFT) test
	$(MAKE) --no-print-directory test-report
	$(MAKE) --no-print-directory test-spark

# report.html rendered by headless Chromium from disk: what it shows, no request, no console
# error, hostile names as text (Tests/Report/test_report_browser.py; Debian's chromium).
# REPORT_SCREENSHOT=docs/report.png refreshes the README's screenshot.
test-report: release
	@command -v chromium >/dev/null || [ -x /usr/lib/chromium/chromium ] \
	  || { echo "make test-report: needs Chromium: apt-get install chromium" >&2; exit 1; }
	POLKU=$(POLKU) $(PYTHON) Tests/Report/test_report_browser.py \
	  $(if $(REPORT_SCREENSHOT),--screenshot $(REPORT_SCREENSHOT))

# Pipelines/spark/polku-spark in Spark local[2] against polku run on the same inputs
# (Tests/Spark/test_polku_spark.py; about 3.5 minutes on 2 cores). Needs Java 17+ and pyspark.
test-spark: release test-tools
	POLKU=$(POLKU) $(PYTHON) Tests/Spark/test_polku_spark.py

# The PrefixSpan oracle tests compare the miner with the PyPI package prefixspan, the CSV
# formula-guard tests read the outputs back with duckdb's CSV reader (test tooling only,
# never runtime dependencies), and the Spark test runs the job with pyspark (~520 MB):
# install them when they are missing. Java cannot be pip-installed: say how.
test-tools:
	@$(PYTHON) -c 'import prefixspan' 2>/dev/null || $(PYTHON) -m pip install -q prefixspan \
	  || { echo "make test: could not pip install prefixspan for $(PYTHON); install it" \
	       "(pip install --user prefixspan, or set PYTHON= to a venv's python) and retry" >&2; \
	       exit 1; }
	@$(PYTHON) -c 'import duckdb' 2>/dev/null || $(PYTHON) -m pip install -q duckdb \
	  || { echo "make test: could not pip install duckdb for $(PYTHON); install it" \
	       "(pip install --user duckdb, or set PYTHON= to a venv's python) and retry" >&2; \
	       exit 1; }
	@$(PYTHON) -c 'import pyspark' 2>/dev/null || $(PYTHON) -m pip install -q pyspark==4.3.0 \
	  || { echo "make test: could not pip install pyspark for $(PYTHON); install it" \
	       "(pip install --user pyspark==4.3.0, or set PYTHON= to a venv's python) and retry" >&2; \
	       exit 1; }
	@command -v java >/dev/null || [ -x "$$JAVA_HOME/bin/java" ] \
	  || { echo "make test: the Spark test needs Java 17 or later:" \
	       "apt-get install openjdk-17-jre-headless (or set JAVA_HOME)" >&2; exit 1; }

run: release
	.build/release/polku run --pipeline $(PIPELINE) --out $(OUT) $(INPUTS)
	@echo "outputs in $(OUT)/:" && ls $(OUT)

sample-nginx: release
	.build/release/polku run --pipeline Pipelines/nginx-combined.json --out $(OUT)/nginx SampleData/access

validate: build
	for f in Pipelines/*.json; do .build/debug/polku validate $$f || exit 1; done

bench: release
	Benchmarks/bench.sh

bench-spark: release test-tools
	Benchmarks/bench-spark.sh

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format format -i -r Sources Tests Package.swift

clean:
	rm -rf .build $(OUT)
include Fuzz/Makefile.inc
