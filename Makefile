# polku — common tasks. `make run` runs the main job on SampleData; `make test` runs every test.
SWIFT ?= swift
OUT ?= out
PIPELINE ?= Pipelines/segment-web.json

.PHONY: build release test run sample bench fuzz lint format clean

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

test:
	$(SWIFT) test --parallel 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

run: release
	.build/release/polku run --pipeline $(PIPELINE) --out $(OUT) SampleData/segment

clean:
	rm -rf .build $(OUT)
include Fuzz/Makefile.inc
