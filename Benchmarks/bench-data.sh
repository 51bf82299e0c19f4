# The benchmarks' generated data sets, cached outside the repo: sourced by bench.sh and
# bench-spark.sh, which set ROOT, DATA and POLKU and define say (GEN_HASH reads ROOT).

# BENCH_SETS (small, large, all) as the list of sets to run.
set_list() {
  case $1 in
    small) echo "small" ;;
    large) echo "large" ;;
    all | both) echo "small large" ;;
    *) echo "bench: BENCH_SETS must be small, large or all (got '$1')" >&2; return 1 ;;
  esac
}

# Data sets: name events files_per_day (7 days; the generator adds people until the event
# target is met, so visitors scale with events: ~400 k people for 20 M events).
set_params() {
  case $1 in
    small) echo "2000000 2" ;;
    large) echo "20000000 4" ;;
  esac
}

# The cache key covers the generator's sources and parameters, so a changed generator
# regenerates and an unchanged one reuses the files.
GEN_HASH=$(cat "$ROOT"/Sources/PolkuGenerate/*.swift "$ROOT/Sources/polku/Commands/Generate.swift" \
  | sha256sum | cut -c1-12)

data_dir() {  # set -> folder holding segment/*.jsonl.gz and expected.json
  local events files
  read -r events files <<<"$(set_params "$1")"
  echo "$DATA/$1-e$events-d7-f$files-seed1-g$GEN_HASH"
}

generate() {
  local name=$1 dir events files
  dir=$(data_dir "$name")
  read -r events files <<<"$(set_params "$name")"
  if [[ -f $dir/.complete ]]; then
    say "data set $name: cached in $dir"
    return
  fi
  say "data set $name: generating $events events into $dir (once)"
  rm -rf "$dir.tmp"
  "$POLKU" generate --out "$dir.tmp" --events-target "$events" --days 7 --formats jsonl \
    --files-per-day "$files" --gzip --no-sessions-truth --seed 1 >&2
  rm -rf "$dir" && mv "$dir.tmp" "$dir" && touch "$dir/.complete"
}
