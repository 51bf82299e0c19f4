"""Turns bench.sh's measurements.jsonl into bench.json and a table on stdout.

    python3 bench_report.py MEASUREMENTS.jsonl BENCH.json

Every ratio is taken inside one round (figures measured back to back) and the median
over rounds is reported: on a shared machine only such ratios are comparable.
"""

import json
import statistics
import sys
from collections import defaultdict

MB = 1e6


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def rnd(value, digits=3):
    return None if value is None else round(value, digits)


def summarise(rows):
    """Median wall and peak RSS over rounds for one (set, tool, threads)."""
    return {
        "wall_s": median(r["wall_s"] for r in rows),
        "cpu_s": median(r.get("cpu_s") for r in rows),
        "load1": median(r.get("load1") for r in rows),
        "peak_rss_mb": rnd(median(r["peak_rss_kb"] for r in rows) / 1024, 1),
        "rounds": [r["wall_s"] for r in rows],
    }


def main(source, target):
    rows = [json.loads(line) for line in open(source) if line.strip()]
    machine = next((r for r in rows if r["tool"] == "machine"), {})
    by = defaultdict(list)  # (set, tool, threads) -> rows
    for r in rows:
        if r["tool"] in ("rawinflate", "polku", "duckdb", "backfill"):
            by[(r["set"], r["tool"], r["threads"])].append(r)
    report = {
        "machine": {k: v for k, v in machine.items() if k != "tool"}, "sets": {},
        "failures": [{k: v for k, v in r.items() if k != "tool"}
                     for r in rows if r["tool"] == "failure"],
    }
    for data in (r for r in rows if r["tool"] == "dataset"):
        name = data["set"]
        threads = sorted({t for (s, tool, t) in by if s == name and tool == "polku"})
        raw_any = next(iter(by.get((name, "rawinflate", threads[0]), [])), None)
        polku_any = next(iter(by.get((name, "polku", threads[0]), [])), None)
        inflated = raw_any["detail"]["inflated_bytes"] if raw_any else None
        summary = polku_any["summary"] if polku_any else {}
        events = summary.get("events", {})
        accepted = events.get("accepted")
        entry = {
            "dataset": {
                "dir": data["dir"], "files": data["files"], "people": data["people"],
                "compressed_bytes": data["compressed_bytes"], "inflated_bytes": inflated,
                "lines": events.get("read"), "events": accepted,
                "sessions": summary.get("sessions"), "visitors": summary.get("visitors"),
            },
            "rawinflate": {}, "polku": {}, "duckdb": {}, "ratios": {},
        }
        for t in threads:
            raw = by.get((name, "rawinflate", t), [])
            pk = by.get((name, "polku", t), [])
            if raw:
                s = summarise(raw)
                s["inflated_mb_s"] = rnd(inflated / MB / s["wall_s"], 1) if inflated else None
                entry["rawinflate"][str(t)] = s
            if pk:
                s = summarise(pk)
                wall = s["wall_s"]
                s["events_per_s"] = round(accepted / wall) if accepted else None
                s["compressed_mb_s"] = rnd(data["compressed_bytes"] / MB / wall, 1)
                s["inflated_mb_s"] = rnd(inflated / MB / wall, 1) if inflated else None
                stages = defaultdict(list)
                for r in pk:
                    for k, v in r["manifest"].get("stages_ms", {}).items():
                        stages[k].append(v)
                s["stages_ms"] = {k: median(v) for k, v in sorted(stages.items())}
                entry["polku"][str(t)] = s
            # Same-round ratios: polku / rawinflate at equal threads, wall and CPU.
            for key, field in (("", "wall_s"), ("_cpu", "cpu_s")):
                pairs = [p[field] / r[field] for p in pk for r in raw
                         if p["round"] == r["round"] and r.get(field)]
                entry["ratios"][f"polku_over_rawinflate{key}_t{t}"] = rnd(median(pairs))
        if len(threads) >= 2:
            lo, hi = threads[0], threads[-1]
            for tool in ("polku", "rawinflate"):
                a, b = by.get((name, tool, lo), []), by.get((name, tool, hi), [])
                pairs = [x["wall_s"] / y["wall_s"] for x in a for y in b
                         if x["round"] == y["round"] and y["wall_s"] > 0]
                entry["ratios"][f"{tool}_speedup_t{hi}_vs_t{lo}"] = rnd(median(pairs))
            # rawinflate's speed-up is the control: what the machine gave at that moment.
            p, r = (entry["ratios"].get(f"{x}_speedup_t{hi}_vs_t{lo}")
                    for x in ("polku", "rawinflate"))
            entry["ratios"][f"polku_speedup_over_rawinflate_speedup_t{hi}"] = (
                rnd(p / r) if p and r else None)
            for tool in ("polku", "rawinflate"):
                a, b = by.get((name, tool, lo), []), by.get((name, tool, hi), [])
                # CPU seconds at hi threads over lo threads: the cost of going parallel.
                pairs = [y["cpu_s"] / x["cpu_s"] for x in a for y in b
                         if x["round"] == y["round"] and x.get("cpu_s")]
                entry["ratios"][f"{tool}_cpu_t{hi}_over_t{lo}"] = rnd(median(pairs))
        for (s, tool, t), duck in by.items():
            if s != name or tool != "duckdb":
                continue
            d = summarise(duck)
            d["events_per_s"] = round(accepted / d["wall_s"]) if accepted else None
            d["sessions"] = duck[0]["detail"].get("sessions")
            d["events"] = duck[0]["detail"].get("events")
            d["top_paths"] = duck[0]["detail"].get("top_paths")
            d["duckdb_version"] = duck[0]["detail"].get("duckdb")
            entry["duckdb"][str(t)] = d
            pk = by.get((name, "polku", t), [])
            for key, field in (("", "wall_s"), ("_cpu", "cpu_s")):
                pairs = [x[field] / y[field] for x in duck for y in pk
                         if x["round"] == y["round"] and y.get(field)]
                entry["ratios"][f"duckdb_over_polku{key}_t{t}"] = rnd(median(pairs))
        for (s, tool, t), nights in by.items():
            if s != name or tool != "backfill":
                continue
            entry.setdefault("backfill", {})[str(t)] = summarise(nights)
            pk = by.get((name, "polku", t), [])
            for key, field in (("", "wall_s"), ("_cpu", "cpu_s")):
                pairs = [x[field] / y[field] for x in nights for y in pk
                         if x["round"] == y["round"] and y.get(field)]
                entry["ratios"][f"backfill_over_polku{key}_t{t}"] = rnd(median(pairs))
        det = [r for r in rows if r["tool"] == "determinism" and r["set"] == name]
        entry["byte_identical_across_threads"] = bool(det) and all(r["ok"] for r in det)
        report["sets"][name] = entry

    sets = report["sets"]
    if "small" in sets and "large" in sets:
        s, l = sets["small"], sets["large"]
        lin = {"events_ratio": rnd(l["dataset"]["events"] / s["dataset"]["events"], 2)}
        for t in sorted(set(s["polku"]) & set(l["polku"])):
            ps, pl = s["polku"][t], l["polku"][t]
            lin[f"t{t}"] = {
                "events_per_s_small": ps["events_per_s"], "events_per_s_large": pl["events_per_s"],
                "events_per_s_large_over_small": rnd(pl["events_per_s"] / ps["events_per_s"]),
                "wall_ratio": rnd(pl["wall_s"] / ps["wall_s"], 2),
                "peak_rss_mb_small": ps["peak_rss_mb"], "peak_rss_mb_large": pl["peak_rss_mb"],
                "peak_rss_ratio": rnd(pl["peak_rss_mb"] / ps["peak_rss_mb"], 2),
                "peak_rss_bytes_per_event_large": round(pl["peak_rss_mb"] * 1048576
                                                        / l["dataset"]["events"]),
            }
        report["linearity"] = lin

    with open(target, "w") as out:
        json.dump(report, out, indent=2, sort_keys=True)
        out.write("\n")
    print_table(report)
    print(f"\nfigures in {target}")


def print_table(report):
    m = report["machine"]
    print(f"\nmachine: {m.get('cores')} cores ({m.get('cpu')}), load at start "
          f"{m.get('load_at_start')}; {m.get('polku')}; duckdb {m.get('duckdb')}")
    head = f"{'set':6} {'tool':11} {'thr':>3} {'wall s':>8} {'cpu s':>7} {'load':>5} " \
           f"{'cores':>5} {'peak MB':>8} {'Mev/s':>7} " \
           f"{'gz MB/s':>8} {'raw MB/s':>9}"
    print("(cores = cpu s / wall s: the cores the run really had; load = 1-min load average)")
    print(head)
    print("-" * len(head))
    for name, e in report["sets"].items():
        ev = e["dataset"]["events"] or 0
        gz = e["dataset"]["compressed_bytes"]
        infl = e["dataset"]["inflated_bytes"] or 0
        for tool in ("rawinflate", "polku", "duckdb", "backfill"):
            for t, s in sorted(e.get(tool, {}).items()):
                w = s["wall_s"]
                print(f"{name:6} {tool:11} {t:>3} {w:8.2f} {s['cpu_s'] or 0:7.2f} "
                      f"{s['load1'] or 0:5.1f} {(s['cpu_s'] or 0) / w:5.2f} "
                      f"{s['peak_rss_mb']:8.0f} "
                      f"{ev / w / 1e6:7.2f} {gz / MB / w:8.1f} {infl / MB / w:9.1f}")
        print(f"{name:6} {e['dataset']['events']} events, {e['dataset']['files']} files, "
              f"{gz / MB:.0f} MB gz, {infl / MB:.0f} MB inflated; byte-identical across "
              f"threads: {e['byte_identical_across_threads']}")
        for k, v in e["ratios"].items():
            print(f"{name:6}   {k:32} {v}")
        for t, s in e["polku"].items():
            print(f"{name:6}   polku t{t} stages_ms {s['stages_ms']}")
    for f in report["failures"]:
        print(f"FAILED run: {f['set']} --threads {f['threads']}: {f['message']}")
    if "linearity" in report:
        print(f"linearity (large vs small): {json.dumps(report['linearity'])}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
