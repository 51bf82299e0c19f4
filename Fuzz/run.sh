#!/usr/bin/env bash
# Builds one libFuzzer target from the PolkuCore sources it needs plus its harness, then
# fuzzes it for SECONDS seconds.
#
#   Fuzz/run.sh TARGET [SECONDS]      TARGET: jsonl accesslog csv timestamp gzip
#   Fuzz/run.sh TARGET 0 INPUT...     replays inputs (a crash file) once, no fuzzing
#
# The committed seeds are Fuzz/corpus/TARGET/ (read only); the working corpus, the binary,
# logs and crash files go to Fuzz/.work/TARGET/ (git-ignored). Each run appends a line
# "date target seconds executions crashes" to Fuzz/.work/history.tsv. Exits non-zero when
# the target crashed (libFuzzer stops at the first crash; the input is in .work/TARGET/).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: Fuzz/run.sh TARGET [SECONDS] (jsonl accesslog csv timestamp gzip)}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))

case $target in
  # Model/Session.swift needs Config/ (GoalSpec): the parser targets leave it out.
  jsonl) harness=JSONLines; folders="Model Parse"; max_len=4096 ;;
  accesslog) harness=AccessLog; folders="Model Parse"; max_len=4096 ;;
  csv) harness=CSV; folders="Model Parse"; max_len=4096 ;;
  timestamp) harness=Timestamp; folders="Model Parse"; max_len=256 ;;
  gzip) harness=Gzip; folders="Model Parse Ingest Support Config Paths Churn Sinks Sessionize Pipeline"; max_len=16384 ;;
  *) echo "unknown target '$target' (jsonl accesslog csv timestamp gzip)" >&2; exit 64 ;;
esac
# The parser targets leave out Model/Session.swift (it needs Config/); the gzip target
# takes everything but the runner (Pipeline/Run*.swift and what reads its plan), whose
# RunOptions needs swift-log (a SwiftPM dependency this script does not build).
if [[ $folders == "Model Parse" ]]; then
  exclude=$'Sources/PolkuCore/Model/Session.swift'
else
  exclude=$(printf 'Sources/PolkuCore/Pipeline/%s.swift\n' RunOptions RunPlan Runner \
    Runner+Analyse Runner+Publish QualityGates StateCarry)
fi

work=Fuzz/.work/$target
mkdir -p "$work/corpus" "$work/artifacts"
binary=$work/fuzz-$target
sources=()
for folder in $folders; do
  while IFS= read -r file; do sources+=("$file"); done \
    < <(find "Sources/PolkuCore/$folder" -name '*.swift' | sort | grep -v -x -F -f <(printf '%s\n' "$exclude"))
done
sources+=("Fuzz/Check.swift" "Fuzz/$harness/main.swift")
# The gzip target also needs GzipWriter, from the PolkuGenerate target. Its `import
# PolkuCore` names a module this one-module build does not have: a copy without it is used.
imported=()
if [[ $target == gzip ]]; then imported=(Sources/PolkuGenerate/GzipWriter.swift); fi
# CZlib and CPolkuSystem are headers only; CPolkuKernels (SHA-256, CRC-32) has C
# files, compiled with the toolchain's clang and linked into every target.
c_sources=(Sources/CPolkuKernels/*.c)
clang=$(dirname "$(readlink -f "$(command -v swiftc)")")/clang
[[ -x $clang ]] || clang=clang

# Rebuild only when a source is newer than the binary.
if [[ ! -x $binary ]] ||
  [[ -n $(find "${sources[@]}" "${imported[@]}" "${c_sources[@]}" Sources/CPolkuKernels/include \
    Fuzz/run.sh -newer "$binary" | head -1) ]]; then
  echo "== building $binary ($((${#sources[@]} + ${#imported[@]})) + ${#c_sources[@]} files)" >&2
  copies=()
  for file in "${imported[@]}"; do
    copies+=("$work/$(basename "$file")")
    grep -v -x 'import PolkuCore' "$file" > "${copies[-1]}"
  done
  objects=()
  for file in "${c_sources[@]}"; do
    objects+=("$work/$(basename "$file" .c).o")
    "$clang" -fsanitize=fuzzer-no-link,address -O2 -I Sources/CPolkuKernels/include \
      -c "$file" -o "${objects[-1]}"
  done
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name PolkuFuzz \
    -I Sources/CZlib -I Sources/CPolkuSystem -I Sources/CPolkuKernels/include -lz \
    "${sources[@]}" "${copies[@]}" "${objects[@]}" -o "$binary" \
    2> >(grep -v "Cannot export local symbol" >&2)
fi

# Swift's runtime keeps metadata caches alive on purpose; LeakSanitizer reports them.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
# Swift's own crash backtracer trips AddressSanitizer; libFuzzer prints the stack.
export SWIFT_BACKTRACE=enable=no
# The gzip target's input file (tmpfs when there is one); removed when the run ends.
scratch_folder=/tmp; [[ -w /dev/shm ]] && scratch_folder=/dev/shm
export POLKU_FUZZ_SCRATCH=$scratch_folder/polku-fuzz-$target-$$
trap 'rm -f "$POLKU_FUZZ_SCRATCH"' EXIT
options=(-max_len="$max_len" -artifact_prefix="$work/artifacts/" -print_final_stats=1)
[[ -f Fuzz/dict/$target.dict ]] && options+=(-dict="Fuzz/dict/$target.dict")

if [[ $seconds == 0 ]]; then
  "$binary" "${options[@]}" "$@"
  exit
fi

before=$(find "$work/artifacts" -type f | wc -l)
log=$work/last.log
echo "== fuzzing $target for $seconds s" >&2
status=0
started=$SECONDS
"$binary" "${options[@]}" -max_total_time="$seconds" "$work/corpus" "Fuzz/corpus/$target" \
  > "$log" 2>&1 || status=$?
executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
crashes=$(( $(find "$work/artifacts" -type f | wc -l) - before ))
printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$((SECONDS - started))" "${executions:-?}" \
  "$crashes" >> Fuzz/.work/history.tsv
echo "$target: ${executions:-?} executions in $((SECONDS - started)) s, $crashes crash(es), corpus" \
  "$(find "$work/corpus" -type f | wc -l) files (log: $log)"
if [[ $status != 0 ]]; then
  grep -m1 -A30 -E '^==[0-9]+==ERROR|Fatal error|deadly signal|panic' "$log" >&2 || tail -40 "$log" >&2
  echo "crash input(s): $(ls -t "$work/artifacts" | head -3 | sed "s|^|$work/artifacts/|" | tr '\n' ' ')" >&2
fi
exit "$status"
