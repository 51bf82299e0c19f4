# polku — common tasks.
#   make run    runs the main job (omnichannel pipeline) on the shipped SampleData
#   make test   builds and runs every test (what CI runs)
#   make bench  end-to-end benchmark vs raw inflate and DuckDB (BENCH_SETS=small for ~2 min)
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
OUT ?= out
PIPELINE ?= Pipelines/omnichannel.json
INPUTS ?= SampleData/segment SampleData/touchpoints

.PHONY: build release test test-tools run sample-nginx validate bench fuzz lint format clean

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

test: test-tools
	PYTHON=$(PYTHON) $(SWIFT) test

# The PrefixSpan oracle tests compare the miner with the PyPI package prefixspan (test
# tooling only, never a runtime dependency): install it when it is missing.
test-tools:
	@$(PYTHON) -c 'import prefixspan' 2>/dev/null || $(PYTHON) -m pip install -q prefixspan \
	  || { echo "make test: could not pip install prefixspan for $(PYTHON); install it" \
	       "(pip install --user prefixspan, or set PYTHON= to a venv's python) and retry" >&2; \
	       exit 1; }

run: release
	.build/release/polku run --pipeline $(PIPELINE) --out $(OUT) $(INPUTS)
	@echo "outputs in $(OUT)/:" && ls $(OUT)

sample-nginx: release
	.build/release/polku run --pipeline Pipelines/nginx-combined.json --out $(OUT)/nginx SampleData/access

validate: build
	for f in Pipelines/*.json; do .build/debug/polku validate $$f || exit 1; done

bench: release
	Benchmarks/bench.sh

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format format -i -r Sources Tests Package.swift

clean:
	rm -rf .build $(OUT)
include Fuzz/Makefile.inc
