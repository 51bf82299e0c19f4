#!/usr/bin/env bash
# The Spark job against polku run, on the same files, in the same run (issue 23):
#
#   Benchmarks/bench-spark.sh      (or: make bench-spark, which builds the release binary first)
#
# Environment:
#   POLKU_BENCH_DATA   data cache, outside the repo   (default ~/.cache/polku-bench)
#   POLKU_BENCH_OUT    results folder, git-ignored    (default bench-results)
#   BENCH_SETS         small | large | all            (default small: ~2 M events; large: ~20 M)
#   BENCH_REPEAT       rounds per set; the median ratio is kept (default 1)
#   SPARK_MASTER       the Spark master               (default local[2])
#   POLKU_BIN          the polku binary               (default .build/release/polku)
#
# Each round runs, back to back on the same warm files: polku run --threads 2, then
# Pipelines/spark/polku-spark --master $SPARK_MASTER --threads 2 (map on Spark, merge on the
# driver), and checks that the two output folders are byte-identical (all but the
# manifest's and metrics' run times). Recorded per run: wall and CPU seconds, peak RSS of
# the largest process (for Spark: the JVM or the merge), the Spark job's own split (start-up
# and map, until the log's "map done"; merge after it), and the bytes that move from the
# map tasks to the merge per event (the map output; the job has no Spark shuffle).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${POLKU_BENCH_DATA:-$HOME/.cache/polku-bench}
OUT=${POLKU_BENCH_OUT:-bench-results}
SETS=${BENCH_SETS:-small}
MASTER=${SPARK_MASTER:-local[2]}
POLKU=${POLKU_BIN:-$ROOT/.build/release/polku}
PIPELINE=$ROOT/Pipelines/segment-web.json
SPARK_JOB=$ROOT/Pipelines/spark/polku-spark

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'bench-spark: %s\n' "$*" >&2; exit 1; }

# set_list, set_params, data_dir and generate, shared with bench.sh.
source "$ROOT/Benchmarks/bench-data.sh"
SET_LIST=$(set_list "$SETS") || exit 1

[[ -x $POLKU ]] || die "no polku binary at $POLKU (run 'make release' or 'make bench-spark')"
python3 -c 'import pyspark' 2>/dev/null \
  || die "pyspark is not installed: python3 -m pip install pyspark==4.3.0 (or make test-tools)"
command -v java >/dev/null || [[ -x ${JAVA_HOME:-/nonexistent}/bin/java ]] \
  || die "Spark needs Java 17 or later: apt-get install openjdk-17-jre-headless"
if [[ ! -x /usr/bin/time ]]; then
  say "installing GNU time"
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
TIME=/usr/bin/time

mkdir -p "$DATA" "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/spark-measurements.jsonl
: >"$RESULTS"
record() { echo "$1" >>"$RESULTS"; }

record "{\"tool\":\"machine\",\"cores\":$(nproc),\"mem_kb\":$(awk '/MemTotal/{print $2}' /proc/meminfo),\"polku\":\"$("$POLKU" --version)\",\"pyspark\":\"$(python3 -c 'import pyspark; print(pyspark.__version__)')\",\"master\":\"$MASTER\",\"load_at_start\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"

# Every output but the manifest and the metrics (which hold run times) must be
# byte-identical; the manifests must list the same files with the same checksums.
check_identical() {  # run_dir spark_dir
  local name
  for name in $(cd "$1" && ls); do
    case $name in
      manifest.json | metrics.prom) ;;
      *) cmp -s "$1/$name" "$2/$name" || die "NOT IDENTICAL: $name differs between polku run and polku-spark ($1, $2)" ;;
    esac
  done
  [[ $(ls "$1") == "$(ls "$2")" ]] || die "the output folders list different files ($1, $2)"
  python3 - "$1/manifest.json" "$2/manifest.json" <<'EOF' || die "the manifests' outputs differ"
import json, sys
a, b = (json.load(open(p))["outputs"] for p in sys.argv[1:])
sys.exit(0 if a == b else 1)
EOF
}

for name in $SET_LIST; do generate "$name"; done

for name in $SET_LIST; do
  dir=$(data_dir "$name")
  cat "$dir"/segment/*.jsonl.gz >/dev/null  # warm the page cache
  rounds=${BENCH_REPEAT:-1}
  for round in $(seq 1 "$rounds"); do
    run_dir=$OUT/runs/spark-bench-$name-run
    spark_dir=$OUT/runs/spark-bench-$name-spark
    staging=$OUT/runs/spark-bench-$name-staging
    rm -rf "$run_dir" "$spark_dir" "$staging"
    mkdir -p "$OUT/runs"

    say "$name round $round/$rounds: polku run --threads 2"
    "$TIME" -f '%e %M %U %S' -o "$OUT/time.txt" "$POLKU" run --pipeline "$PIPELINE" \
      --out "$run_dir" --threads 2 --quiet "$dir/segment"
    read -r run_wall run_rss run_user run_sys <"$OUT/time.txt"

    say "$name round $round/$rounds: polku-spark --master $MASTER --threads 2"
    started=$(date +%s.%N)
    "$TIME" -f '%e %M %U %S' -o "$OUT/time.txt" python3 "$SPARK_JOB" --master "$MASTER" \
      --pipeline "$PIPELINE" --out "$spark_dir" --threads 2 --staging "$staging" \
      --polku "$POLKU" "$dir/segment" >"$OUT/spark.log" 2>&1 \
      || { tail -20 "$OUT/spark.log" >&2; die "polku-spark failed on $name (log: $OUT/spark.log)"; }
    read -r spark_wall spark_rss spark_user spark_sys <"$OUT/time.txt"
    map_s=$(sed -n 's/.*map done in \([0-9.]*\) s.*/\1/p' "$OUT/spark.log" | head -1)
    map_bytes=$(cat "$staging"/map-all/part-* | wc -c)
    events=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"]["accepted"])' \
      "$run_dir/summary.json")
    check_identical "$run_dir" "$spark_dir"
    rm -rf "$staging"

    record "{\"set\":\"$name\",\"round\":$round,\"events\":$events,\"polku_run\":{\"wall_s\":$run_wall,\"cpu_s\":$(awk "BEGIN{print $run_user+$run_sys}"),\"peak_rss_kb\":$run_rss},\"polku_spark\":{\"wall_s\":$spark_wall,\"cpu_s\":$(awk "BEGIN{print $spark_user+$spark_sys}"),\"peak_rss_kb\":$spark_rss,\"map_s\":${map_s:-null}},\"map_output_bytes\":$map_bytes,\"identical\":true,\"load1\":$(cut -d' ' -f1 /proc/loadavg)}"
    say "$name: polku run ${run_wall} s, polku-spark ${spark_wall} s (map ${map_s:-?} s)," \
      "ratio $(awk "BEGIN{printf \"%.2f\", $spark_wall/$run_wall}")x," \
      "map output $(awk "BEGIN{printf \"%.1f\", $map_bytes/$events}") bytes/event; outputs identical"
  done
done

python3 - "$RESULTS" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"{'set':6} {'events':>11} {'polku run s':>12} {'polku-spark s':>14} {'ratio':>6} "
      f"{'map s':>6} {'merge+rest s':>12} {'B/event':>8}")
for name in ("small", "large"):
    runs = [r for r in rows if r.get("set") == name]
    if not runs:
        continue
    ratio = statistics.median(r["polku_spark"]["wall_s"] / r["polku_run"]["wall_s"] for r in runs)
    r = runs[len(runs) // 2]
    spark = r["polku_spark"]
    rest = spark["wall_s"] - (spark["map_s"] or 0)
    print(f"{name:6} {r['events']:>11} {r['polku_run']['wall_s']:>12} {spark['wall_s']:>14} "
          f"{ratio:>5.2f}x {spark['map_s'] or 0:>6} {rest:>12.1f} "
          f"{r['map_output_bytes'] / r['events']:>8.1f}")
EOF
