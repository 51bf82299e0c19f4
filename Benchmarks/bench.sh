#!/usr/bin/env bash
# polku end-to-end benchmark (issue 6): polku run vs raw zlib inflate vs DuckDB, same files.
#
#   Benchmarks/bench.sh            (or: make bench, which builds the release binary first)
#
# Environment:
#   POLKU_BENCH_DATA   data cache, outside the repo   (default ~/.cache/polku-bench)
#   POLKU_BENCH_OUT    results folder, git-ignored    (default bench-results)
#   BENCH_SETS         small | large | all            (default all: ~2 M and ~20 M events)
#   BENCH_THREADS      thread counts to compare       (default "1 2")
#   BENCH_REPEAT       rounds per set; the median is kept (default 3 for small, 1 for large)
#   BENCH_DUCKDB       0 skips DuckDB                 (default 1)
#   BENCH_BACKFILL     0 skips the 7-night backfill    (default 1; small set only)
#   POLKU_BIN          the polku binary               (default .build/release/polku)
#
# CPU seconds (user + sys) are recorded beside wall seconds: when other jobs take the
# cores, wall time stretches but CPU time barely moves, so CPU ratios are the steadier.
#
# Each round runs, back to back on the same warm files: rawinflate -t N, polku run
# --threads N for every N, then DuckDB. Only ratios of figures measured in the same run
# mean anything on a shared machine; absolute seconds do not.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${POLKU_BENCH_DATA:-$HOME/.cache/polku-bench}
OUT=${POLKU_BENCH_OUT:-bench-results}
SETS=${BENCH_SETS:-all}
THREADS=${BENCH_THREADS:-1 2}
DUCKDB=${BENCH_DUCKDB:-1}
POLKU=${POLKU_BIN:-$ROOT/.build/release/polku}
PIPELINE=$ROOT/Pipelines/segment-web.json

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# set_list, set_params, data_dir and generate, shared with bench-spark.sh.
source "$ROOT/Benchmarks/bench-data.sh"
SET_LIST=$(set_list "$SETS") || exit 1

# ---------------------------------------------------------------------------- tools
[[ -x $POLKU ]] || die "no polku binary at $POLKU (run 'make release' or 'make bench')"
if [[ ! -x /usr/bin/time ]]; then
  say "installing GNU time"
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
TIME=/usr/bin/time

say "building rawinflate"
make -s -C "$ROOT/Benchmarks/rawinflate" rawinflate
RAWINFLATE=$ROOT/Benchmarks/rawinflate/rawinflate

mkdir -p "$DATA" "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/measurements.jsonl
FAILURES=0
: >"$RESULTS"

PY=""
if [[ $DUCKDB != 0 ]]; then
  VENV=$DATA/venv
  if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
    say "creating the bench-only DuckDB venv in $VENV"
    if python3 -m venv "$VENV" && "$VENV/bin/pip" install -q duckdb; then :; else
      echo "bench: DuckDB unavailable (venv or pip install failed); skipping it" >&2
    fi
  fi
  if [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
    PY=$VENV/bin/python
  fi
fi

# ---------------------------------------------------------------------------- data
# ---------------------------------------------------------------------------- runs
record() { echo "$1" >>"$RESULTS"; }

timed() {  # file cmd... -> runs cmd under GNU time, leaves "wall_s peak_kb user_s sys_s" in file
  local into=$1
  shift
  "$TIME" -f '%e %M %U %S' -o "$into" "$@"
}

run_raw() {  # set round threads files...
  local name=$1 round=$2 threads=$3
  shift 3
  local json tm
  json=$(timed "$OUT/time.txt" "$RAWINFLATE" -t "$threads" "$@")
  read -r wall rss user sys <"$OUT/time.txt"
  record "{\"set\":\"$name\",\"round\":$round,\"tool\":\"rawinflate\",\"threads\":$threads,\"wall_s\":$wall,\"peak_rss_kb\":$rss,\"cpu_s\":$(awk "BEGIN{print $user+$sys}"),\"load1\":$(cut -d" " -f1 /proc/loadavg),\"detail\":$json}"
}

run_polku() {  # set round threads dir
  local name=$1 round=$2 threads=$3 input=$4
  local target=$OUT/runs/$name-t$threads attempt message
  mkdir -p "$OUT/runs"
  # A failed run is recorded and reported at the end (the bench then exits 1), and
  # retried up to BENCH_RETRIES times so that one flaky failure still leaves figures.
  for attempt in $(seq 0 "${BENCH_RETRIES:-2}"); do
    rm -rf "$target"
    if timed "$OUT/time.txt" "$POLKU" run --pipeline "$PIPELINE" --out "$target" \
      --threads "$threads" --quiet "$input" 2>"$OUT/stderr.txt"; then
      break
    fi
    message=$(head -c 400 "$OUT/stderr.txt" | tr -d '"\\\n')
    printf '\033[1;31mbench: polku run FAILED on %s with --threads %s: %s\033[0m\n' \
      "$name" "$threads" "$message" >&2
    record "{\"set\":\"$name\",\"round\":$round,\"tool\":\"failure\",\"threads\":$threads,\"message\":\"$message\"}"
    FAILURES=$((FAILURES + 1))
    [[ $attempt -lt ${BENCH_RETRIES:-2} ]] || die "polku run failed on $name with $threads thread(s)"
  done
  read -r wall rss user sys <"$OUT/time.txt"
  record "{\"set\":\"$name\",\"round\":$round,\"tool\":\"polku\",\"threads\":$threads,\"wall_s\":$wall,\"peak_rss_kb\":$rss,\"cpu_s\":$(awk "BEGIN{print $user+$sys}"),\"load1\":$(cut -d" " -f1 /proc/loadavg),\"manifest\":$(tr -d "\n" <"$target/manifest.json"),\"summary\":$(tr -d "\n" <"$target/summary.json")}"
}

run_duckdb() {  # set round threads dir
  local name=$1 round=$2 threads=$3 input=$4
  [[ -n $PY ]] || return 0
  local json
  json=$(timed "$OUT/time.txt" "$PY" "$ROOT/Benchmarks/duckdb_sessions.py" \
    --threads "$threads" "$input/segment/*.jsonl.gz") \
    || { echo "bench: DuckDB failed on $name; skipping it" >&2; return 0; }
  read -r wall rss user sys <"$OUT/time.txt"
  record "{\"set\":\"$name\",\"round\":$round,\"tool\":\"duckdb\",\"threads\":$threads,\"wall_s\":$wall,\"peak_rss_kb\":$rss,\"cpu_s\":$(awk "BEGIN{print $user+$sys}"),\"load1\":$(cut -d" " -f1 /proc/loadavg),\"detail\":$json}"
}

run_backfill() {  # set round threads dir: the 7 days as nightly runs, with --state
  local name=$1 round=$2 threads=$3 input=$4
  local target=$OUT/runs/$name-backfill-t$threads state=$OUT/runs/$name-backfill-state
  rm -rf "$target" "$state"
  timed "$OUT/time.txt" "$POLKU" run --pipeline "$PIPELINE" --out "$target" --state "$state" \
    --threads "$threads" --quiet --date 2026-11-01..2026-11-08 "$input" \
    || die "polku run --date (backfill) failed on $name"
  read -r wall rss user sys <"$OUT/time.txt"
  record "{\"set\":\"$name\",\"round\":$round,\"tool\":\"backfill\",\"threads\":$threads,\"nights\":8,\"wall_s\":$wall,\"peak_rss_kb\":$rss,\"cpu_s\":$(awk "BEGIN{print $user+$sys}"),\"load1\":$(cut -d" " -f1 /proc/loadavg)}"
}

check_identical() {  # set: outputs of every thread count must equal those of the first
  local name=$1 first="" t f
  for t in $THREADS; do
    if [[ -z $first ]]; then first=$t; continue; fi
    for f in sessions.csv summary.json; do
      if ! cmp -s "$OUT/runs/$name-t$first/$f" "$OUT/runs/$name-t$t/$f"; then
        record "{\"set\":\"$name\",\"tool\":\"determinism\",\"ok\":false,\"file\":\"$f\",\"threads\":[$first,$t]}"
        die "NOT DETERMINISTIC: $f differs between --threads $first and --threads $t ($OUT/runs)"
      fi
    done
  done
  record "{\"set\":\"$name\",\"tool\":\"determinism\",\"ok\":true,\"files\":[\"sessions.csv\",\"summary.json\"],\"threads\":[${THREADS// /,}]}"
  say "$name: sessions.csv and summary.json byte-identical for --threads ${THREADS// /, }"
}

for name in $SET_LIST; do generate "$name"; done

record "{\"tool\":\"machine\",\"cores\":$(nproc),\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//;s/"//g')\",\"mem_kb\":$(awk '/MemTotal/{print $2}' /proc/meminfo),\"kernel\":\"$(uname -r)\",\"polku\":\"$("$POLKU" --version 2>/dev/null || echo unknown)\",\"duckdb\":\"$([[ -n $PY ]] && "$PY" -c 'import duckdb; print(duckdb.__version__)' || echo none)\",\"load_at_start\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"

MAX_THREADS=$(tr ' ' '\n' <<<"$THREADS" | sort -n | tail -1)
for name in $SET_LIST; do
  dir=$(data_dir "$name")
  mapfile -t files < <(ls "$dir"/segment/*.jsonl.gz)
  expected=$(grep -o '"people": *[0-9]*' "$dir/expected.json" | head -1 | grep -o '[0-9]*$' || echo 0)
  record "{\"set\":\"$name\",\"tool\":\"dataset\",\"dir\":\"$dir\",\"files\":${#files[@]},\"compressed_bytes\":$(cat "${files[@]}" | wc -c),\"people\":$expected}"
  cat "${files[@]}" >/dev/null  # warm the page cache: every tool reads from memory
  if [[ $name == small ]]; then rounds=${BENCH_REPEAT:-3}; else rounds=${BENCH_REPEAT:-1}; fi
  for round in $(seq 1 "$rounds"); do
    for t in $THREADS; do
      say "$name round $round/$rounds: rawinflate -t $t"
      run_raw "$name" "$round" "$t" "${files[@]}"
      say "$name round $round/$rounds: polku run --threads $t"
      run_polku "$name" "$round" "$t" "$dir"
    done
    say "$name round $round/$rounds: DuckDB (threads $MAX_THREADS)"
    run_duckdb "$name" "$round" "$MAX_THREADS" "$dir"
    if [[ $name == small && ${BENCH_BACKFILL:-1} != 0 ]]; then
      # The week as nightly runs (plus the night after, which publishes the sessions held
      # at the last midnight), against the one run over the same files just above.
      say "$name round $round/$rounds: polku run --date (8 nights) --threads $MAX_THREADS"
      run_backfill "$name" "$round" "$MAX_THREADS" "$dir"
    fi
  done
  check_identical "$name"
done

python3 "$ROOT/Benchmarks/bench_report.py" "$RESULTS" "$OUT/bench.json"
if [[ $FAILURES -gt 0 ]]; then
  printf '\033[1;31mbench: %d polku run(s) FAILED and were retried; see "failures" in %s\033[0m\n' \
    "$FAILURES" "$OUT/bench.json" >&2
  exit 1
fi
