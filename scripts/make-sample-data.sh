#!/bin/sh
# Regenerates SampleData/ exactly: build, generate (seed 42, 400 people, 3 days, 2 files
# per day and format), gzip -n -9 every data file (deterministic: no name, no time), and
# make segment/events-2026-11-02-0.jsonl.gz a two-member gzip (first half + second half
# of its lines, each compressed on its own, concatenated). Tests compare the result with
# the generator's output (GeneratorTests.committedSampleDataMatchesTheGenerator).
set -eu
cd "$(dirname "$0")/.."
swift build --product polku >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(swift build --show-bin-path)/polku" generate --out "$work" --seed 42 --visitors 400 --days 3 \
  --files-per-day 2 --formats jsonl,access,csv
rm -rf SampleData/segment SampleData/access SampleData/touchpoints
mkdir -p SampleData/segment SampleData/access SampleData/touchpoints
two_member=segment/events-2026-11-02-0.jsonl
for file in "$work"/segment/*.jsonl "$work"/access/*.log "$work"/touchpoints/*.csv; do
  relative=${file#"$work"/}
  if [ "$relative" = "$two_member" ]; then
    lines=$(wc -l < "$file")
    half=$((lines / 2))
    head -n "$half" "$file" | gzip -n -9 > "SampleData/$relative.gz"
    tail -n +"$((half + 1))" "$file" | gzip -n -9 >> "SampleData/$relative.gz"
  else
    gzip -n -9 < "$file" > "SampleData/$relative.gz"
  fi
done
cp "$work/expected.json" "$work/sessions_truth.csv" SampleData/
du -sh SampleData
