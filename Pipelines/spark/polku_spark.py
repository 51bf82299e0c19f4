"""The polku Spark job (issue 23, v1): the map phase on Spark, the merge on the driver.

Run it through `polku-spark` (beside this file), which checks Java and pyspark and calls
`spark-submit` with the right options; `spark-submit polku_spark.py --help` works too.

What runs where:

1. Driver: `polku worker inputs INPUT...` lists the input files, in the order `polku run`
   reads them.
2. Spark: one task per input file (or per slice of files with --partitions), each running
   `polku worker map` through Spark SQL's script transform (`SELECT TRANSFORM ... USING`).
   The rows stay in the JVM: no Python runs on the executors. The map output goes through
   Spark's output committer into a staging folder (`part-*` files of text lines), so a
   failed or retried task leaves nothing behind.
3. Driver: `polku merge` turns the staging folder into the output folder `polku run` would
   publish (same files, same atomic publish, same exit codes).

With `--date FROM..TO` steps 2 and 3 run once per day, in order, as `polku run` does.
This module imports pyspark only inside `run_job`, so `polku-spark` can use its argument
parser and checks on a machine where pyspark is missing.
"""

import argparse
import datetime
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

# polku's exit statuses (sysexits), plus two that only polku-spark uses.
EX_OK = 0
EX_USAGE = 64
EX_UNAVAILABLE = 69  # Java, pyspark, spark-submit or the polku binary is missing
EX_SOFTWARE = 70  # the Spark job failed for a reason other than a polku error
EX_NOINPUT = 66
EX_IOERR = 74
EX_INTERRUPTED = 130
POLKU_STATUSES = {64, 65, 66, 71, 74, 75, 78}

DEFAULT_MASTER = "local[2]"
DEFAULT_MAX_FAILURES = 4
STAGING_MARKER = ".polku-spark-staging"

# spark-submit runs a Python driver with its stderr joined to its stdout. polku-spark sets
# this variable and sends the driver's stdout lines that start with it to its own stderr,
# so that logs and errors stay on stderr and polku's summary line on stdout, as with
# polku run. Without it (spark-submit by hand) both end up on spark-submit's stdout.
STDERR_TAG_ENV = "POLKU_SPARK_STDERR_TAG"

HERE = os.path.dirname(os.path.realpath(__file__))
REPO_POLKU = os.path.join(os.path.dirname(os.path.dirname(HERE)), ".build", "release", "polku")


class UsageError(Exception):
    """A bad argument: the run stops with exit 64 before Spark starts."""


class _Parser(argparse.ArgumentParser):
    """argparse with polku's usage exit status (64) instead of argparse's 2."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EX_USAGE, f"{self.prog}: error: {message}\n")


def build_parser(prog="polku-spark", spark_options=True):
    """The options of `polku run`, plus the Spark ones.

    `spark_options` adds --master, --conf and --spark-submit, which `polku-spark` turns
    into spark-submit arguments; the job itself gets the rest.
    """
    parser = _Parser(
        prog=prog,
        description=(
            "Run polku's map phase (parsing every input file) on Apache Spark, one task "
            "per input file, and publish the output folder `polku run` would write, "
            "with `polku merge` on the driver. Exit statuses are polku run's."
        ),
        epilog=(
            "Example: polku-spark --pipeline Pipelines/omnichannel.json --out out-spark "
            "SampleData/segment SampleData/touchpoints. Pipelines/spark/README.md has "
            "cluster examples."
        ),
    )
    run = parser.add_argument_group("polku run's options (passed on to polku)")
    run.add_argument("--pipeline", required=True, help="The pipeline file (JSON).")
    run.add_argument("--out", required=True, help="The output folder, as for polku run.")
    run.add_argument(
        "--date",
        help="Process one day (YYYY-MM-DD) into OUT/dt=DAY/, or each day of FROM..TO in turn.",
    )
    run.add_argument("--state", help="Per-customer history folder for churn (merge only).")
    run.add_argument("--threads", type=int, help="Threads of the merge on the driver.")
    run.add_argument("--metrics-file", help="Also write metrics.prom here.")
    run.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help="The merge on the driver stops, publishing nothing, when the night needs more "
        "memory than this (exit 71); as polku run's.",
    )
    run.add_argument("--quiet", action="store_true", help="Only errors on stderr.")
    run.add_argument(
        "--log-format", choices=["text", "json"], default="text", help="Log format on stderr."
    )
    run.add_argument("inputs", nargs="*", metavar="INPUT", help="Input files, folders or globs.")
    spark = parser.add_argument_group("Spark options")
    if spark_options:
        spark.add_argument(
            "--master", default=DEFAULT_MASTER, help="Spark master URL (default: local[2])."
        )
        spark.add_argument(
            "--conf",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A Spark property, passed to spark-submit (repeatable).",
        )
        spark.add_argument(
            "--spark-submit",
            help="The spark-submit to use (default: the one in the pyspark package).",
        )
    spark.add_argument(
        "--partitions",
        type=int,
        help=(
            "Spark parallelism: spark.default.parallelism, and at most this many map tasks "
            "(default: one task per input file)."
        ),
    )
    spark.add_argument(
        "--max-failures",
        type=int,
        help="spark.task.maxFailures: attempts per task before the job fails (default 4).",
    )
    spark.add_argument(
        "--polku",
        help=(
            "The polku binary on the driver (default: .build/release/polku of this "
            "repository when built, else polku on PATH)."
        ),
    )
    spark.add_argument(
        "--worker-polku",
        help="The polku binary as the executors see it (default: the --polku path).",
    )
    spark.add_argument(
        "--staging",
        help=(
            "Folder for the map output, kept after the run (default: a new hidden folder "
            "beside --out, removed when the run ends)."
        ),
    )
    return parser


def parse_args(argv, prog="polku-spark", spark_options=True):
    """Parses and checks the arguments; exits 64 (usage) on a bad one, as polku run does."""
    parser = build_parser(prog, spark_options)
    args = parser.parse_args(argv)
    try:
        if args.threads is not None and not 1 <= args.threads <= 256:
            raise UsageError(f"--threads must be 1...256, got {args.threads}")
        if not args.inputs:
            raise UsageError("give at least one INPUT (a file, folder or glob)")
        if args.partitions is not None and args.partitions < 1:
            raise UsageError(f"--partitions must be 1 or more, got {args.partitions}")
        if args.max_failures is not None and args.max_failures < 1:
            raise UsageError(f"--max-failures must be 1 or more, got {args.max_failures}")
        for item in getattr(args, "conf", []):
            if "=" not in item:
                raise UsageError(f"--conf takes KEY=VALUE, got {item!r}")
        args.days = days(args.date) if args.date else [None]
    except UsageError as error:
        parser.error(str(error))
    return args


def days(text):
    """The days of `--date`: one day, or every day of FROM..TO (at most 366), as polku run."""
    parts = text.split("..")
    message = f'--date must be YYYY-MM-DD or FROM..TO, got "{text}"'
    if len(parts) > 2:
        raise UsageError(message)
    dates = []
    for part in parts:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
            raise UsageError(message)
        try:
            dates.append(datetime.date.fromisoformat(part))
        except ValueError:
            raise UsageError(message) from None
    first, last = dates[0], dates[-1]
    if last < first or (last - first).days >= 366:
        raise UsageError(f"--date {text}: the last day must follow the first, within a year")
    count = (last - first).days + 1
    return [(first + datetime.timedelta(days=n)).isoformat() for n in range(count)]


def default_polku():
    """This repository's release build when there is one, else `polku` on PATH."""
    if os.access(REPO_POLKU, os.X_OK):
        return REPO_POLKU
    return shutil.which("polku") or "polku"


def master_with_retries(master, max_failures):
    """`local[N]` never retries a failed task; `local[N,F]` allows F attempts.

    Other masters (`local[N,F]`, `spark://`, `yarn`, `k8s://`) are returned unchanged:
    they take the attempts from spark.task.maxFailures.
    """
    match = re.fullmatch(r"local(?:\[(\d+|\*)\])?", master.strip())
    if not match:
        return master
    return f"local[{match.group(1) or 1},{max_failures}]"


def map_command(worker_polku, pipeline, day, staging_root, workdir=None):
    """The shell command each map task runs (Spark runs it with `/bin/bash -c`).

    Spark starts it in the task's SparkFiles folder (where `spark.files` land, also last on
    its PATH), not in the driver's working folder. So a relative worker path is taken from
    there (`--conf spark.files=polku --worker-polku ./polku`), and when input or pipeline
    paths are relative (`workdir` given) the command moves to the driver's working folder
    first: the worker gets the paths as written, and reports them so, as polku run does.

    It also checks that the staging folder is visible on the node: on a cluster whose
    nodes do not share that filesystem, Spark's committer would publish task outputs that
    the driver cannot see, and the merge would miss rows without a word.
    """
    node = '"$(uname -n)"'
    marker = shlex.quote(os.path.join(staging_root, STAGING_MARKER))
    steps = [
        f"test -e {marker} || {{ echo "
        + shlex.quote(f"polku-spark: the staging folder {staging_root} is not visible on node ")
        + node
        + shlex.quote(": give --staging a folder that every node and the driver mount")
        + f" >&2; exit {EX_IOERR}; }}"
    ]
    if "/" in worker_polku and not os.path.isabs(worker_polku):
        steps.append(f'worker="$PWD"/{shlex.quote(worker_polku)}')
    else:
        steps.append(f"worker={shlex.quote(worker_polku)}")
    if workdir:
        steps.append(
            f"cd {shlex.quote(workdir)} 2>/dev/null || {{ echo "
            + shlex.quote(f"polku-spark: the driver's working folder {workdir} is not on node ")
            + node
            + shlex.quote(": relative input or pipeline paths need it there; give absolute paths")
            + f" >&2; exit {EX_IOERR}; }}"
        )
    arguments = ["worker", "map", "--pipeline", pipeline] + (["--date", day] if day else [])
    steps.append(f'exec "$worker" {shlex.join(arguments)}')
    return "; ".join(steps)


def sql_string(text):
    """`text` as a Spark SQL string literal (backslashes and quotes escaped)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def transform_sql(view, command, columns="idx, path"):
    """The map as a script transform: `INDEX<TAB>PATH` lines in, one string per line out.

    Output fields are split on U+0001, which the worker never writes, so each line is one
    value whatever it holds; U+0001 is also the null marker, because Spark reads the
    default one, a line `\\N`, as null and writes null as an empty line (tried on 4.3.0).
    """
    return (
        f"SELECT TRANSFORM({columns}) "
        "ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' "
        f"USING {sql_string(command)} AS (line STRING) "
        "ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\u0001' LINES TERMINATED BY '\\n' "
        "NULL DEFINED AS '\\u0001' "
        f"FROM {view}"
    )


def failed_worker(message):
    """The exit status and stderr of the worker that failed the Spark job, if one did.

    Spark reports a failed script as `Subprocess exited with status N. Error: <the last
    2 KiB of its stderr>.` in the job's error, followed by the Java stack trace.
    """
    pattern = r"Subprocess exited with status (\d+)\. Error: (.*?)(?:\n\s+at |\Z)"
    match = re.search(pattern, message, re.S)
    if not match:
        return None, None
    stderr = match.group(2).strip()
    if stderr.endswith("\n."):
        stderr = stderr[:-2].rstrip()
    return int(match.group(1)), stderr


def exit_status_for_failed_job(status):
    """A worker's polku status (74 unreadable input, 78 bad pipeline, ...) is the run's;
    any other failure (a crash, a lost executor) is 70."""
    return status if status in POLKU_STATUSES else EX_SOFTWARE


def say_error(text):
    """Writes `text` (whole lines) to the driver's stderr, through polku-spark's channel."""
    tag = os.environ.get(STDERR_TAG_ENV)
    if not tag:
        sys.stderr.write(text)
        sys.stderr.flush()
        return
    sys.stdout.flush()
    for line in text.splitlines(keepends=True):
        sys.stdout.write(tag + line)
    sys.stdout.flush()


def run_polku(command, capture=False):
    """Runs polku; returns (status, stdout bytes when `capture`). Its stderr goes to the
    driver's stderr (through polku-spark's channel), its stdout to the driver's stdout."""
    tag = os.environ.get(STDERR_TAG_ENV)
    stdout = subprocess.PIPE if capture else None
    if not tag:
        done = subprocess.run(command, stdout=stdout, check=False)
        return done.returncode, done.stdout
    sys.stdout.flush()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)

    def relay():
        for line in process.stderr:
            sys.stdout.buffer.write(tag.encode() + line + (b"" if line.endswith(b"\n") else b"\n"))
            sys.stdout.buffer.flush()

    thread = threading.Thread(target=relay, daemon=True)
    thread.start()
    output = process.stdout.read() if capture else None
    status = process.wait()
    thread.join()
    return status, output


class Log:
    """Progress and errors on stderr, in polku's formats (swift-log text or JSON lines)."""

    def __init__(self, quiet=False, json_format=False):
        self.quiet = quiet
        self.json_format = json_format

    def info(self, message):
        if not self.quiet:
            self._write("info", message)

    def error(self, message):
        self._write("error", message)

    def _write(self, level, message):
        now = datetime.datetime.now(datetime.timezone.utc)
        if self.json_format:
            stamp = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
            line = json.dumps(
                {"ts": stamp, "level": level, "label": "polku-spark", "message": message},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        else:
            line = f"{now.strftime('%Y-%m-%dT%H:%M:%S%z')} {level} polku-spark : {message}"
        say_error(line + "\n")


def list_inputs(polku, inputs):
    """`polku worker inputs`: the input files in polku run's order.

    Returns (status, files); on a non-zero status polku has already said why on stderr.
    """
    try:
        status, output = run_polku([polku, "worker", "inputs", *inputs], capture=True)
    except OSError as error:
        say_error(f"x polku-spark: cannot run {polku}: {error.strerror}\n")
        return EX_UNAVAILABLE, []
    if status != 0:
        return status, []
    files = output.decode("utf-8", "surrogateescape").split("\n")
    return EX_OK, [f for f in files if f]


def preflight(args, polku):
    """Checks the pipeline and lists the inputs before Spark starts, so a missing pipeline
    (66), an invalid one (78) or no input (66) fails in a second, as with polku run.

    Returns (status, files).
    """
    try:
        status, _ = run_polku([polku, "validate", args.pipeline], capture=True)
    except OSError as error:
        say_error(f"x polku-spark: cannot run {polku}: {error.strerror}\n")
        return EX_UNAVAILABLE, []
    if status != 0:
        return status, []
    remote = [path for path in args.inputs if is_uri(path)]
    if remote and len(remote) < len(args.inputs):
        say_error(
            "x polku-spark: give the inputs either all as local paths or all as URIs "
            f"(s3a://, hdfs://, file:/...); got both ({remote[0]})\n"
        )
        return EX_USAGE, []
    if remote:
        return EX_OK, None  # listed by Spark once it has started
    return list_inputs(polku, args.inputs)


URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:/")


def is_uri(path):
    """`s3a://b/x`, `hdfs://nn/x`, `file:/x`: a path Spark's filesystems read."""
    return URI.match(path) is not None


def list_with_spark(spark, inputs):
    """The files below `inputs` (URIs: files, folders, Hadoop globs) as Spark lists them,
    in polku run's order (sorted by bytes, each once), with a DataFrame of their bytes.

    Returns (status, files, frame); on a failure, the status and a message said.
    """
    from pyspark.errors import AnalysisException

    try:
        frame = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(inputs)
        found = [row.path for row in frame.select("path").collect()]
    except AnalysisException as error:
        say_error(f"x polku-spark: no input: {spark_reason(error)}\n")
        return EX_NOINPUT, [], None
    files = sorted(set(found), key=lambda path: path.encode("utf-8", "surrogateescape"))
    if not files:
        say_error(f"x polku-spark: no input files in {' '.join(inputs)} (empty folder?)\n")
        return EX_NOINPUT, [], None
    return EX_OK, files, frame


def merge_command(args, polku, parts, day):
    """`polku merge` with polku run's options, reading the map output in `parts`."""
    command = [polku, "merge", "--pipeline", args.pipeline, "--out", args.out]
    if day:
        command += ["--date", day]
    if args.state:
        command += ["--state", args.state]
    if args.threads:
        command += ["--threads", str(args.threads)]
    if args.metrics_file:
        command += ["--metrics-file", args.metrics_file]
    if args.memory_limit:
        command += ["--memory-limit", args.memory_limit]
    if args.quiet:
        command.append("--quiet")
    command += ["--log-format", args.log_format, parts]
    return command


def make_staging(args):
    """The staging root, its marker, and whether this run owns (and removes) it."""
    if args.staging:
        root = os.path.abspath(args.staging)
        os.makedirs(root, exist_ok=True)
        owned = False
    else:
        out = os.path.abspath(args.out)
        parent = os.path.dirname(out)
        os.makedirs(parent, exist_ok=True)
        root = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.polku-spark-", dir=parent)
        owned = True
    with open(os.path.join(root, STAGING_MARKER), "w", encoding="utf-8") as marker:
        marker.write("map output of polku-spark; safe to delete when no run is going\n")
    return root, owned


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def run_job(args):
    """Runs the map on Spark and the merge on the driver; returns the exit status."""
    log = Log(args.quiet, args.log_format == "json")
    polku = args.polku or default_polku()
    worker_polku = args.worker_polku or polku
    status, files = preflight(args, polku)
    if status != EX_OK:
        return status

    from pyspark import SparkConf
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    conf = SparkConf()
    max_failures = args.max_failures or int(
        conf.get("spark.task.maxFailures", str(DEFAULT_MAX_FAILURES))
    )
    master = master_with_retries(conf.get("spark.master", DEFAULT_MASTER), max_failures)
    builder = (
        SparkSession.builder.appName(conf.get("spark.app.name", "polku-spark"))
        .master(master)
        .config("spark.task.maxFailures", str(max_failures))
        # The script transform needs no Hive: ROW FORMAT DELIMITED works in-memory.
        .config("spark.sql.catalogImplementation", "in-memory")
        # Keep `${...}` in paths as written instead of reading it as a SQL variable.
        .config("spark.sql.variable.substitute", "false")
        # Remote inputs cross to the map tasks as base64: one line, never MIME-chunked.
        .config("spark.sql.chunkBase64String.enabled", "false")
    )
    if args.partitions:
        builder = builder.config("spark.default.parallelism", str(args.partitions))
        builder = builder.config("spark.sql.shuffle.partitions", str(args.partitions))
    signal.signal(signal.SIGTERM, _raise_interrupt)
    staging, owned = make_staging(args)
    spark = None
    try:
        spark = builder.getOrCreate()
        sc = spark.sparkContext
        if files is None:
            # URIs: Spark lists and reads them (its Hadoop filesystems: s3a, hdfs, gs, file)
            # and hands each task its files' bytes; tasks as Spark packs the files.
            status, files, frame = list_with_spark(spark, args.inputs)
            if status != EX_OK:
                return status
            index = F.create_map(*[F.lit(v) for i, f in enumerate(files) for v in (f, i)])
            inputs = frame.select(
                index[F.col("path")].alias("idx"),
                F.col("path"),
                F.base64(F.col("content")).alias("content"),
            )
            tasks = inputs.rdd.getNumPartitions()
            columns = "idx, path, content"
        else:
            tasks = min(len(files), args.partitions or len(files))
            # One row per input file, tasks contiguous slices of the list; built in the
            # JVM (no Python on the executors): idx from a range, path from a literal array.
            paths = F.array(*[F.lit(f) for f in files])
            inputs = spark.range(0, len(files), 1, tasks).select(
                F.col("id").alias("idx"),
                F.element_at(paths, (F.col("id") + 1).cast("int")).alias("path"),
            )
            columns = "idx, path"
        inputs.createOrReplaceTempView("polku_inputs")
        relative = [p for p in [args.pipeline, *files] if not is_uri(p) and not os.path.isabs(p)]
        workdir = os.getcwd() if relative else None
        log.info(
            f"{len(files)} input files in {tasks} map tasks on {sc.master} "
            f"(spark.task.maxFailures {max_failures}), map output in {staging}, "
            f"Spark UI {sc.uiWebUrl or 'off'}"
        )
        for day in args.days:
            label = f" of {day}" if day else ""
            parts = os.path.join(staging, f"map-{day or 'all'}")
            command = map_command(worker_polku, args.pipeline, day, staging, workdir)
            sc.setJobDescription(f"polku map{label}: {len(files)} files in {tasks} tasks")
            started = time.monotonic()
            try:
                spark.sql(transform_sql("polku_inputs", command, columns)).write.mode("overwrite").text(
                    "file://" + parts
                )
            except Exception as error:  # py4j or pyspark error carrying the Java trace
                worker_status, worker_error = failed_worker(str(error))
                if worker_status is None:
                    log.error(f"the Spark map job{label} failed: {spark_reason(error)}")
                else:
                    log.error(
                        f"the Spark map job{label} failed: a map task failed {max_failures} "
                        f"time(s); its worker exited {worker_status}: {worker_error}"
                    )
                log.error(f"nothing{label} was published; the previous outputs are untouched")
                return exit_status_for_failed_job(worker_status)
            finally:
                sc.setJobDescription(None)
            seconds = time.monotonic() - started
            log.info(f"map{label} done in {seconds:.1f} s; merging on the driver")
            status, _ = run_polku(merge_command(args, polku, parts, day))
            if status != 0:
                return status
            if owned:
                shutil.rmtree(parts, ignore_errors=True)
        return EX_OK
    except KeyboardInterrupt:
        log.error("interrupted; nothing more is published")
        return EX_INTERRUPTED
    finally:
        if owned:
            shutil.rmtree(staging, ignore_errors=True)
        if spark is not None:
            try:
                spark.stop()
            except Exception:  # the JVM is gone already (a signal reached it too)
                pass


def spark_reason(error):
    """The line of a Spark error that says why (py4j puts a call description first)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:
        if "Job aborted due to stage failure" in line or "Exception:" in line:
            return line.lstrip(": ")
    return lines[0] if lines else type(error).__name__


def main(argv=None):
    args = parse_args(
        sys.argv[1:] if argv is None else argv, prog="polku_spark.py", spark_options=False
    )
    try:
        return run_job(args)
    except Exception:  # a bug here, or Spark failing to start: say it on stderr
        import traceback

        say_error("x polku-spark: the driver failed:\n" + traceback.format_exc())
        return EX_SOFTWARE


if __name__ == "__main__":
    sys.exit(main())
