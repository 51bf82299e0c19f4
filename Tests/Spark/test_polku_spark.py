#!/usr/bin/env python3
"""End-to-end test of Pipelines/spark/polku-spark against `polku run` (issue 23, v1).

Runs polku-spark in Spark local[2] and compares its output folder with `polku run
--threads 2` on the same inputs, byte for byte: every file except manifest.json and
metrics.prom, which hold run times; of those two, every field but the run times is
compared (TIME_FIELDS and TIME_METRICS below, listed in Pipelines/spark/README.md).

Data: SampleData with Pipelines/omnichannel.json (--partitions 1, 3, 8, a day range with
--state), and a generated set of ~200 K events with stitching, several channels,
midnight-spanning sessions and anomalies (--partitions 1 and 8). Faults: a map task whose
first attempt fails (POLKU_TEST_FAIL_ONCE, and a worker that writes half its output and
dies once), a truncated gzip input, a worker that always crashes mid-output.

Uses only the standard library (pyspark is used by polku-spark). Builds nothing: it uses
.build/release/polku, or the binary named in $POLKU (`make test-spark` builds it first).
Prints `N passed, N failed` last and exits 1 when a check failed. Set POLKU_KEEP_TMP=1 to
keep the temp folder.
"""

import csv
import hashlib
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Pipelines", "spark"))

import polku_spark as job  # noqa: E402  (the job module: unit checks of its pure parts)

POLKU = os.path.abspath(os.environ.get("POLKU") or os.path.join(ROOT, ".build/release/polku"))
SPARK = os.path.join(ROOT, "Pipelines", "spark", "polku-spark")
PIPELINE = os.path.join(ROOT, "Pipelines", "omnichannel.json")

# manifest.json fields that hold when and how long the run took (or memory it peaked at).
TIME_FIELDS = ["started_at", "finished_at", "wall_seconds", "stages_ms", "peak_memory_mib"]
# metrics.prom samples that hold run times.
TIME_METRICS = ["polku_run_duration_seconds", "polku_last_success_timestamp_seconds"]


class Failure(Exception):
    """A check that did not hold; the message says what differed."""


def expect(condition, message):
    if not condition:
        raise Failure(message)


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, body):
        started = time.monotonic()
        try:
            body()
        except Failure as failure:
            self.failed += 1
            print(f"FAIL {name}: {failure}", flush=True)
        except Exception:  # a bug in the test or an unexpected error: a failure too
            self.failed += 1
            print(f"FAIL {name}: unexpected error\n{traceback.format_exc()}", flush=True)
        else:
            self.passed += 1
            print(f"ok   {name} ({time.monotonic() - started:.1f} s)", flush=True)


def run(command, env=None, cwd=ROOT):
    """Runs a command; returns (status, stdout, stderr) as text."""
    merged = dict(os.environ)
    merged.update(env or {})
    done = subprocess.run(command, cwd=cwd, env=merged, capture_output=True, check=False)
    return (
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def tail(text, lines=25):
    return "\n".join(text.rstrip().splitlines()[-lines:])


def polku_run(out, inputs, extra=()):
    status, _, err = run(
        [POLKU, "run", "--quiet", "--threads", "2", "--pipeline", PIPELINE, "--out", out,
         *extra, *inputs]
    )
    if status != 0:
        raise Failure(f"polku run into {out} exited {status}:\n{tail(err)}")


# The JIT's first tier only: these Spark runs are short, and on 2 cores the optimising
# compiler's threads cost more CPU than they give back (about 40 % of a run's CPU time).
SHORT_RUN_JVM = ["--conf", "spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1"]


def polku_spark(out, inputs, extra=(), env=None):
    """Runs polku-spark in local[2]; returns (status, stdout, stderr)."""
    status, stdout, err = run(
        [sys.executable, SPARK, "--master", "local[2]", "--polku", POLKU, *SHORT_RUN_JVM,
         "--pipeline", PIPELINE, "--out", out, *extra, *inputs],
        env=env,
    )
    return status, stdout, err


def spark_ok(out, inputs, extra=(), env=None):
    """Runs polku-spark, which must succeed, and checks its streams as polku run's: the
    summary line of each day on stdout, logs on stderr. Returns stderr."""
    status, stdout, err = polku_spark(out, inputs, extra, env)
    if status != 0:
        raise Failure(f"polku-spark into {out} exited {status}:\n{tail(err)}")
    lines = stdout.splitlines()
    expect(lines and all(line.startswith("√ ") for line in lines),
           f"stdout holds more than polku's summary lines:\n{tail(stdout)}")
    expect("info polku-spark : " in err and "info polku: " in err,
           f"stderr lacks polku-spark's or the merge's log:\n{tail(err)}")
    return err


def files_below(folder, hidden=True):
    """Path below `folder` → bytes; without hidden files (the run locks) when not `hidden`."""
    found = {}
    for base, _, names in os.walk(folder):
        for name in names:
            if not hidden and name.startswith("."):
                continue
            path = os.path.join(base, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = handle.read()
    return found


def without_time_fields(manifest_bytes):
    manifest = json.loads(manifest_bytes)
    for field in TIME_FIELDS:
        manifest.pop(field, None)
    return manifest


def without_time_metrics(metrics_bytes):
    return [
        line
        for line in metrics_bytes.decode("utf-8").splitlines()
        if not any(line.startswith(name + "{") for name in TIME_METRICS)
    ]


def differences(expected_dir, actual_dir, state_paths=None):
    """What differs between two output folders, as readable lines (empty: identical).

    Hidden files (`.NAME.polku.lock`, which hold a process id) are not outputs. With
    `state_paths` (polku run's --state, polku-spark's), the manifests' `state.path` must
    name each run's own state folder.
    """
    expected = files_below(expected_dir, hidden=False)
    actual = files_below(actual_dir, hidden=False)
    problems = []
    if sorted(expected) != sorted(actual):
        problems.append(
            f"file lists differ: only in polku run {sorted(set(expected) - set(actual))}, "
            f"only in polku-spark {sorted(set(actual) - set(expected))}"
        )
    for name in sorted(set(expected) & set(actual)):
        left, right = expected[name], actual[name]
        base = os.path.basename(name)
        if base == "manifest.json":
            left_m, right_m = without_time_fields(left), without_time_fields(right)
            if state_paths and left_m.get("state") and right_m.get("state"):
                if (left_m["state"]["path"], right_m["state"]["path"]) != state_paths:
                    problems.append(f"{name}: state.path is not the run's own --state")
                left_m["state"].pop("path")
                right_m["state"].pop("path")
            for key in sorted(set(left_m) | set(right_m)):
                if left_m.get(key) != right_m.get(key):
                    problems.append(
                        f"{name}: '{key}' differs: polku run {json.dumps(left_m.get(key))[:300]}"
                        f" vs polku-spark {json.dumps(right_m.get(key))[:300]}"
                    )
        elif base == "metrics.prom":
            if without_time_metrics(left) != without_time_metrics(right):
                problems.append(f"{name}: samples other than {TIME_METRICS} differ")
        elif left != right:
            at = next(
                (i for i, (a, b) in enumerate(zip(left, right)) if a != b),
                min(len(left), len(right)),
            )
            line = left[:at].count(b"\n") + 1
            problems.append(
                f"{name}: not byte-identical ({len(left)} vs {len(right)} bytes, first "
                f"difference at byte {at}, line {line})"
            )
    return problems


def expect_same(expected_dir, actual_dir, state_paths=None):
    problems = differences(expected_dir, actual_dir, state_paths)
    expect(not problems, "outputs differ from polku run:\n  " + "\n  ".join(problems))


def leftovers(out):
    parent, name = os.path.split(os.path.abspath(out))
    return [n for n in os.listdir(parent) if n.startswith(f".{name}.polku-spark-")]


def write_script(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


# Lines that a text transport between processes could mangle: line breaks and tabs inside
# values, U+0001 (the transform's field delimiter), NUL, invalid UTF-8, Hive's null
# marker, a percent sign, an empty line. Valid events and bad rows both.
EVENT = (
    '{"type":"page","timestamp":"2026-11-02T10:00:0%dZ","messageId":"m-hostile-%d",'
    '"anonymousId":%s,"channel":"web","context":{"page":{"path":%s}}}'
)
HOSTILE_LINES = b"\n".join(
    [
        (EVENT % (1, 1, '"a hostile 1"', '"/a\\r\\nb\\tc\\u0001d\\u2028e%41 f\\u00e9"')).encode(),
        (EVENT % (2, 2, '"\\\\N"', '"/caf\\u00e9/%zz/\\\\N"')).encode(),
        (EVENT % (3, 3, '"a hostile 1"', '"/x"')).encode().replace(b",", b",\r", 1),
        b'{"type":"page" not json \xff\xfe\xc3( at all}',
        b"bad\rline with a carriage return",
        b"bad\x00line with a NUL",
        b"bad\x01line with U+0001\tand a tab",
        b"",
        b"\\N",
        b"%41%",
    ]
) + b"\n"


# ---------------------------------------------------------------------------------------
# Unit checks of the job's pure parts (no Spark).


def unit_days():
    expect(job.days("2026-11-01") == ["2026-11-01"], "one day")
    expect(
        job.days("2026-12-30..2027-01-02")
        == ["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"],
        "a window over new year",
    )
    for bad in ["2026-11-31", "2026-11-1", "x", "2026-11-02..2026-11-01", "2026-01-01..2027-01-02"]:
        try:
            job.days(bad)
        except job.UsageError:
            continue
        raise Failure(f"--date {bad} was accepted")


def unit_master():
    cases = {
        "local": "local[1,4]",
        "local[2]": "local[2,4]",
        "local[*]": "local[*,4]",
        "local[2,3]": "local[2,3]",
        "spark://h:7077": "spark://h:7077",
        "yarn": "yarn",
    }
    for given, wanted in cases.items():
        got = job.master_with_retries(given, 4)
        expect(got == wanted, f"{given} became {got}, wanted {wanted}")


def unit_failed_worker():
    message = (
        "py4j.protocol.Py4JJavaError: An error occurred while calling o52.text.\n"
        ": org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 in stage "
        "1.0 failed 4 times, most recent failure: Lost task 0.3 in stage 1.0 (TID 4) "
        "(localhost executor driver): org.apache.spark.SparkException: Subprocess exited with "
        "status 74. Error: x io error: cannot read /data/a.gz: Permission denied\n.\n"
        "\tat org.apache.spark.sql.execution.BaseScriptTransformationExec.checkFailure(X.scala:1)\n"
    )
    status, error = job.failed_worker(message)
    expect(status == 74, f"status {status}")
    expect(error == "x io error: cannot read /data/a.gz: Permission denied", f"stderr {error!r}")
    expect(job.failed_worker("java.lang.OutOfMemoryError") == (None, None), "no worker")
    expect(job.exit_status_for_failed_job(78) == 78, "78 is kept")
    expect(job.exit_status_for_failed_job(1) == 70, "a crash is 70")


def unit_map_command(tmp):
    """The task command refuses a staging folder the node cannot see, finds a relative
    worker in the folder it starts in, moves to the driver's folder, and quotes paths."""
    staging = os.path.join(tmp, "unit staging's")
    start = os.path.join(tmp, "task start")
    os.makedirs(staging)
    os.makedirs(start)
    write_script(os.path.join(start, "echo-worker"), '#!/bin/bash\necho "$PWD" "$@"\n')
    command = job.map_command("./echo-worker", "pipe line's.json", "2026-11-01", staging, ROOT)
    status, out, err = run(["/bin/bash", "-c", command], cwd=start)
    expect(status == 74, f"missing marker: exit {status}")
    expect("is not visible on node" in err and staging in err, f"missing marker message: {err!r}")
    open(os.path.join(staging, job.STAGING_MARKER), "w").close()
    status, out, err = run(["/bin/bash", "-c", command], cwd=start)
    expect(status == 0, f"with marker: exit {status} {err}")
    expect(
        out == f"{ROOT} worker map --pipeline pipe line's.json --date 2026-11-01\n",
        f"worker arguments {out!r}",
    )
    gone = job.map_command("/bin/echo", "p.json", None, staging, os.path.join(tmp, "gone"))
    status, out, err = run(["/bin/bash", "-c", gone], cwd=start)
    expect(status == 74 and "working folder" in err, f"missing driver folder: {status} {err!r}")
    absolute = job.map_command("/bin/echo", "/p.json", None, staging)
    status, out, err = run(["/bin/bash", "-c", absolute], cwd=start)
    expect(out == "worker map --pipeline /p.json\n", f"absolute paths: {out!r}")
    sql = job.transform_sql("v", "a'b\\c")
    expect("USING 'a\\'b\\\\c' AS (line STRING)" in sql, f"SQL literal in {sql}")


def usage_and_preflight(tmp):
    """Bad arguments, a bad pipeline, no input and no Java fail at once with polku's codes."""
    sample = [os.path.join(ROOT, "SampleData", "segment")]
    out = os.path.join(tmp, "never")
    cases = [
        (["--date", "2026-13-01"], sample, {}, 64),
        (["--partitions", "0"], sample, {}, 64),
        ([], [], {}, 64),
        ([], [os.path.join(tmp, "no-such-folder")], {}, 66),
        ([], sample + ["file:" + sample[0]], {}, 64),  # local paths and URIs mixed
        ([], sample, {"JAVA_HOME": os.path.join(tmp, "no-java")}, 69),
    ]
    for extra, inputs, env, wanted in cases:
        started = time.monotonic()
        status, _, err = polku_spark(out, inputs, extra, env)
        expect(status == wanted,
               f"{extra} {inputs}: exit {status}, wanted {wanted}:\n{tail(err, 5)}")
        expect(time.monotonic() - started < 8, f"{extra}: took long enough to start Spark")
    bad_pipeline = os.path.join(tmp, "bad.json")
    with open(bad_pipeline, "w", encoding="utf-8") as handle:
        handle.write('{"version": 1, "nmae": "x"}\n')
    status, _, err = run(
        [sys.executable, SPARK, "--polku", POLKU, "--pipeline", bad_pipeline, "--out", out, *sample]
    )
    expect(status == 78, f"invalid pipeline: exit {status}, wanted 78:\n{tail(err, 5)}")
    expect(not os.path.exists(out), "an output folder appeared")


# ---------------------------------------------------------------------------------------
# End-to-end runs.


def main():
    if not os.access(POLKU, os.X_OK):
        print(f"no polku binary at {POLKU}: run `make release` or set POLKU", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    tmp = tempfile.mkdtemp(prefix="polku-spark-test-")
    results = Results()
    started = time.monotonic()
    try:
        scenarios(results, tmp)
    finally:
        if os.environ.get("POLKU_KEEP_TMP") == "1":
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"Spark test took {time.monotonic() - started:.0f} s")
    print(f"{results.passed} passed, {results.failed} failed")
    return 0 if results.failed == 0 else 1


def scenarios(results, tmp):
    check = results.check
    check("days() expands --date like polku run", unit_days)
    check("local[N] masters get retries (local[N,F])", unit_master)
    check("a failed worker's status and stderr are read from Spark's error", unit_failed_worker)
    check("the task command checks the staging folder and quotes paths",
          lambda: unit_map_command(tmp))
    check("usage errors, a bad pipeline, no input, no Java: polku's codes at once",
          lambda: usage_and_preflight(tmp))

    # SampleData, also as a copy under awkward names (space, quote) to test the quoting.
    relative = ["SampleData/segment", "SampleData/touchpoints"]
    odd = os.path.join(tmp, "sample data's")
    os.makedirs(odd)
    for name in ["segment", "touchpoints"]:
        shutil.copytree(os.path.join(ROOT, "SampleData", name), os.path.join(odd, name))
    awkward = [os.path.join(odd, "segment"), os.path.join(odd, "touchpoints")]

    reference = {}

    def sample_identical(partitions, inputs, key, extra=(), env=None):
        def body():
            if key not in reference:
                reference[key] = os.path.join(tmp, f"ref-{key}")
                polku_run(reference[key], inputs)
            out = os.path.join(tmp, f"spark-{key}-p{partitions}")
            err = spark_ok(out, inputs, ["--partitions", str(partitions), *extra], env)
            expect_same(reference[key], out)
            expect(not leftovers(out), f"staging left beside {out}: {leftovers(out)}")
            return err

        return body

    check("SampleData, --partitions 1 (relative paths): identical to polku run",
          sample_identical(1, relative, "sample"))
    # No Python on the executors: with spark.pyspark.python pointing nowhere, any Python
    # worker (a UDF, a Python RDD) would fail the job.
    check("SampleData, --partitions 3 (odd paths), no Python on executors: identical",
          sample_identical(3, awkward, "odd", extra=[
              "--conf", "spark.pyspark.python=/nonexistent/python",
              "--conf", f"spark.pyspark.driver.python={sys.executable}"]))
    # The binary shipped to the executors with spark.files, found in the task's folder.
    check("SampleData, --partitions 8 (odd paths), polku shipped by spark.files: identical",
          sample_identical(8, awkward, "odd", extra=[
              "--conf", f"spark.files={POLKU}", "--worker-polku", "./polku"]))

    def uris():
        # Spark lists and reads `file:` URIs as it would s3a:// or hdfs:// ones, and hands
        # the map tasks each file's bytes inline; polku names the files by their URIs.
        prefix = "file:" + ROOT + "/"
        inputs = [prefix + path for path in relative]
        if "sample" not in reference:
            reference["sample"] = os.path.join(tmp, "ref-sample")
            polku_run(reference["sample"], relative)
        out = os.path.join(tmp, "spark-uris")
        spark_ok(out, inputs, ["--conf", "spark.pyspark.python=/nonexistent/python",
                               "--conf", f"spark.pyspark.driver.python={sys.executable}"])
        manifest = json.load(open(os.path.join(out, "manifest.json")))
        paths = [entry["path"] for entry in manifest["inputs"]]
        expect(paths and all(path.startswith(prefix) for path in paths),
               f"inputs not named by their URIs: {paths[:3]}")
        renamed = os.path.join(tmp, "spark-uris-renamed")
        shutil.copytree(out, renamed)
        # The files that name inputs: the bad rows, the report's data-quality examples.
        naming = ["bad_rows.jsonl", "report.html"]
        for name in ["manifest.json", *naming]:
            with open(os.path.join(renamed, name), "rb") as handle:
                text = handle.read()
            with open(os.path.join(renamed, name), "wb") as handle:
                handle.write(text.replace(prefix.encode(), b""))
        # The manifest's entries for those describe the files with the URIs in them.
        manifest = json.load(open(os.path.join(renamed, "manifest.json")))
        for entry in manifest["outputs"]:
            if entry["file"] in naming:
                with open(os.path.join(renamed, entry["file"]), "rb") as handle:
                    data = handle.read()
                entry["bytes"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()
        with open(os.path.join(renamed, "manifest.json"), "w", encoding="utf-8") as handle:
            json.dump(manifest, handle)
        expect_same(reference["sample"], renamed)
        # A URI that names nothing: polku run's "no input", after Spark has looked.
        missing = "file:" + os.path.join(tmp, "no-such-folder")
        status, _, err = polku_spark(os.path.join(tmp, "never-uri"), [missing])
        expect(status == 66 and "no input" in err, f"exit {status}, wanted 66:\n{tail(err, 5)}")

    check("SampleData as file: URIs, read by Spark, no Python on executors: identical "
          "but for the paths", uris)

    def day_range():
        window = ["--date", "2026-11-01..2026-11-02"]
        ref, out = os.path.join(tmp, "ref-days"), os.path.join(tmp, "spark-days")
        ref_state, state = os.path.join(tmp, "ref-state"), os.path.join(tmp, "spark-state")
        ref_prom, prom = os.path.join(tmp, "ref.prom"), os.path.join(tmp, "spark.prom")
        polku_run(ref, relative, [*window, "--state", ref_state, "--metrics-file", ref_prom])
        spark_ok(out, relative, [*window, "--partitions", "3", "--state", state,
                                 "--metrics-file", prom])
        written = sorted(n for n in os.listdir(out) if not n.startswith("."))
        expect(written == ["dt=2026-11-01", "dt=2026-11-02"], f"partitions written: {written}")
        expect_same(ref, out, state_paths=(ref_state, state))
        with open(ref_prom, "rb") as a, open(prom, "rb") as b:
            expect(without_time_metrics(a.read()) == without_time_metrics(b.read()),
                   "--metrics-file differs")
        # The state after both nights: the same customers and open sessions.
        for name in ["customers.tsv", "session_tails.tsv"]:
            texts = []
            for folder in [ref_state, state]:
                with open(os.path.join(folder, "CURRENT"), encoding="utf-8") as handle:
                    live = os.path.join(folder, handle.read().strip(), name)
                texts.append(open(live, "rb").read() if os.path.exists(live) else None)
            expect(texts[0] == texts[1], f"--state {name} differs from polku run's")
            expect(name != "customers.tsv" or texts[0], "no customers in the state")

    check("SampleData, --date FROM..TO with --state and --metrics-file: identical", day_range)

    def failed_attempts():
        """Two kinds of failed first attempts in one run: the worker's own test hook
        (POLKU_TEST_FAIL_ONCE: fails before writing), and a worker that writes 25 lines of
        real output and dies (Spark's committer must drop that half output)."""
        fail_once = os.path.join(tmp, "fail-once-marker")
        partial_once = os.path.join(tmp, "partial-once")
        worker = write_script(
            os.path.join(tmp, "partial-once-worker"),
            "#!/bin/bash\n"
            f"if mkdir {shlex.quote(partial_once)} 2>/dev/null; then\n"
            f"  {shlex.quote(POLKU)} \"$@\" | head -n 25; echo 'worker died' >&2; exit 1\n"
            "fi\n"
            f"exec {shlex.quote(POLKU)} \"$@\"\n",
        )
        body = sample_identical(
            3, awkward, "odd", extra=["--worker-polku", worker],
            env={"POLKU_TEST_FAIL_ONCE": fail_once})
        err = body()
        expect(os.path.exists(fail_once), "POLKU_TEST_FAIL_ONCE did not fire: no marker file")
        expect(os.path.isdir(partial_once), "the dying attempt never ran")
        expect(err.count("Lost task") >= 1, f"Spark reported no failed attempt:\n{tail(err)}")

    check("map attempts that fail (test hook; half output, then death) are retried: identical",
          failed_attempts)

    def damaged_gzip():
        data = os.path.join(tmp, "damaged")
        shutil.copytree(os.path.join(ROOT, "SampleData", "segment"), data)
        victim = os.path.join(data, "events-2026-11-02-1.jsonl.gz")
        with open(victim, "rb") as handle:
            whole = handle.read()
        with open(victim, "wb") as handle:
            handle.write(whole[: len(whole) // 2])
        with open(os.path.join(data, "events-hostile.jsonl"), "wb") as handle:
            handle.write(HOSTILE_LINES)
        ref, out = os.path.join(tmp, "ref-damaged"), os.path.join(tmp, "spark-damaged")
        polku_run(ref, [data])
        spark_ok(out, [data], ["--partitions", "3"])
        expect_same(ref, out)
        with open(os.path.join(out, "manifest.json"), "rb") as handle:
            inputs = json.loads(handle.read())["inputs"]
        statuses = {os.path.basename(i["path"]): i["status"] for i in inputs}
        expect(statuses.get("events-2026-11-02-1.jsonl.gz") == "damaged",
               f"manifest statuses: {statuses}")
        expect(list(statuses.values()).count("damaged") == 1, f"manifest statuses: {statuses}")

    check("a truncated gzip is reported as damaged; control bytes, invalid UTF-8: identical",
          damaged_gzip)

    def crash_keeps_previous():
        out = os.path.join(tmp, "spark-sample-p1")  # published by the first SampleData run
        expect(os.path.isdir(out), "the first SampleData run left no output to protect")
        before = files_below(out)
        worker = write_script(
            os.path.join(tmp, "crashing-worker"),
            "#!/bin/bash\n"
            "# Always writes 25 lines of real output, then crashes.\n"
            f"{shlex.quote(POLKU)} \"$@\" | head -n 25; echo 'segfault (simulated)' >&2; exit 1\n",
        )
        status, _, err = polku_spark(
            out, relative, ["--worker-polku", worker, "--max-failures", "2"])
        expect(status == 70, f"exit {status}, wanted 70:\n{tail(err)}")
        expect("segfault (simulated)" in err, f"the worker's stderr is not reported:\n{tail(err)}")
        expect(files_below(out) == before, "the published output folder changed")
        expect(not leftovers(out), f"staging left beside {out}: {leftovers(out)}")

    check("a worker that crashes fails the run (exit 70), previous outputs untouched",
          crash_keeps_previous)

    def terminated():
        """SIGTERM to polku-spark mid-map (a supervisor, `timeout`): exit 130, the staging
        folder removed, no process left, the previous outputs untouched."""
        out = os.path.join(tmp, "spark-sample-p1")
        before = files_below(out)
        started = os.path.join(tmp, "slow-worker-started")
        worker = write_script(
            os.path.join(tmp, "slow-worker"),
            f"#!/bin/bash\ntouch {shlex.quote(started)}\nsleep 60\n"
            f"exec {shlex.quote(POLKU)} \"$@\"\n",
        )
        process = subprocess.Popen(
            [sys.executable, SPARK, "--polku", POLKU, *SHORT_RUN_JVM, "--worker-polku", worker,
             "--pipeline", PIPELINE, "--out", out, *relative],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while not os.path.exists(started) and time.monotonic() < deadline:
            time.sleep(0.5)
        expect(os.path.exists(started), "the map never started")
        process.terminate()
        try:
            status = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise Failure("polku-spark did not stop within 60 s of SIGTERM")
        err = process.stderr.read().decode("utf-8", "replace")
        expect(status == 130, f"exit {status}, wanted 130:\n{tail(err)}")
        expect(files_below(out) == before, "the published output folder changed")
        expect(not leftovers(out), f"staging left beside {out}: {leftovers(out)}")
        # The task's processes are killed with their group; give the kernel a moment to
        # reap them on a busy machine before calling any of them left over.
        deadline = time.monotonic() + 15
        while True:
            left = subprocess.run(["pgrep", "-f", worker], capture_output=True, check=False)
            if left.returncode == 1 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        expect(left.returncode == 1, f"processes left: {left.stdout.decode()}")

    check("SIGTERM mid-map: exit 130, staging removed, no process left, outputs untouched",
          terminated)

    # ~200 K events: stitching, channels, midnight-spanning sessions, anomalies.
    generated = os.path.join(tmp, "gen")

    def generate():
        status, _, err = run(
            [POLKU, "generate", "--out", generated, "--events-target", "200000", "--days", "3",
             "--seed", "3", "--gzip", "--formats", "jsonl,csv", "--no-sessions-truth"]
        )
        expect(status == 0, f"polku generate exited {status}:\n{tail(err)}")

    check("generate ~200 K events (polku generate --seed 3)", generate)
    big = [os.path.join(generated, "segment"), os.path.join(generated, "touchpoints")]

    def big_has_the_features():
        reference["big"] = os.path.join(tmp, "ref-big")
        polku_run(reference["big"], big)
        with open(os.path.join(reference["big"], "summary.json"), "rb") as handle:
            summary = json.loads(handle.read())
        events = summary["events"]
        expect(events["accepted"] >= 200_000, f"accepted events {events['accepted']}")
        expect(events["rejected_total"] > 0 and events["duplicates"] > 0,
               f"no anomalies: {events}")
        expect(summary["identity"]["mode"] == "stitched"
               and summary["identity"]["stitched_anonymous_ids"] > 0,
               f"no stitching: {summary['identity']}")
        expect(len(summary["sessions_per_channel"]) >= 3,
               f"channels: {summary['sessions_per_channel']}")
        spanning = 0
        with open(os.path.join(reference["big"], "sessions.csv"), encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                spanning += row["start"][:10] != row["end"][:10]
        expect(spanning > 0, "no session spans midnight")

    check("the generated set has stitching, 3+ channels, midnight sessions, anomalies",
          big_has_the_features)
    for partitions in [1, 8]:
        check(f"~200 K events, --partitions {partitions}: identical to polku run",
              sample_identical(partitions, big, "big"))


if __name__ == "__main__":
    sys.exit(main())
