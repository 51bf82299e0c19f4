#!/usr/bin/env bash
# Times polku's PrefixSpan (`polku mine-patterns`) against the PyPI `prefixspan` package on
# the public BMS-WebView-1 and MSNBC sequence sets, at the same absolute supports.
#
# Usage: Benchmarks/prefixspan/bench-prefixspan.sh [SEQDATA_DIR] [RUNS]
#   SEQDATA_DIR  folder with BMS1_spmf.txt and MSNBC.txt
#                (default: shared/realdata/seqdata beside the package root, or one level up)
#   RUNS         runs per case for polku; the best time is reported (default 3)
# Needs: a Swift toolchain, python3 with `pip install prefixspan`.
# Both times are mining only (file reading excluded), measured with a monotonic clock.
# Reference (Java SPMF PrefixSpan, as reported on these machines): BMS1 at 0.1 % 0.7 s,
# MSNBC at 2 % 2.7 s.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
data="${1:-}"
runs="${2:-3}"
if [[ -z "$data" ]]; then
  for candidate in "$root/../shared/realdata/seqdata" "$root/../../shared/realdata/seqdata"; do
    if [[ -f "$candidate/BMS1_spmf.txt" ]]; then data="$candidate"; break; fi
  done
fi
if [[ -z "$data" || ! -f "$data/BMS1_spmf.txt" || ! -f "$data/MSNBC.txt" ]]; then
  echo "bench-prefixspan: no BMS1_spmf.txt/MSNBC.txt found; pass SEQDATA_DIR" >&2
  exit 66
fi
python3 -c 'import prefixspan' 2>/dev/null || {
  echo "bench-prefixspan: python3 package missing: pip install prefixspan" >&2
  exit 69
}

echo "building polku (release)..." >&2
(cd "$root" && swift build -c release --product polku >&2)
polku="$root/.build/release/polku"

cases=(
  "BMS1_spmf.txt 0.005" "BMS1_spmf.txt 0.002" "BMS1_spmf.txt 0.001"
  "MSNBC.txt 0.05" "MSNBC.txt 0.02"
)
reference_java() {
  case "$1 $2" in
    "BMS1_spmf.txt 0.001") echo "0.7" ;;
    "MSNBC.txt 0.02") echo "2.7" ;;
    *) echo "-" ;;
  esac
}

printf '%-14s %8s %7s %9s %9s %9s %9s %8s\n' \
  data support minsup patterns polku_s python_s java_s py/polku
for entry in "${cases[@]}"; do
  set -- $entry
  file="$data/$1"
  best=""
  for ((run = 0; run < runs; run++)); do
    out="$("$polku" mine-patterns --spmf "$file" --min-support "$2")"
    seconds="$(awk '/^mine_seconds:/ {print $2}' <<<"$out")"
    if [[ -z "$best" ]] || awk -v a="$seconds" -v b="$best" 'BEGIN {exit !(a < b)}'; then
      best="$seconds"
    fi
  done
  count="$(awk '/^patterns:/ {print $2}' <<<"$out")"
  minsup="$(awk '/^min_support:/ {print $2}' <<<"$out")"
  py="$(python3 "$root/scripts/prefixspan_oracle.py" "$file" "$minsup" --count-only)"
  py_count="$(awk '{print $1}' <<<"$py")"
  py_seconds="$(awk '{print $4}' <<<"$py")"
  if [[ "$py_count" != "$count" ]]; then
    echo "bench-prefixspan: pattern counts differ on $1 at $minsup: polku $count, python $py_count" >&2
    exit 1
  fi
  ratio="$(awk -v p="$py_seconds" -v s="$best" 'BEGIN {printf "%.1fx", (s > 0 ? p / s : 0)}')"
  printf '%-14s %8s %7s %9s %9s %9s %9s %8s\n' \
    "$1" "$2" "$minsup" "$count" "$best" "$py_seconds" "$(reference_java "$1" "$2")" "$ratio"
done
