#!/usr/bin/env python3
"""report.py RAW_DIR OUT_DIR: turns tools/bench's raw outputs into the table (stdout),
OUT_DIR/bench.json and OUT_DIR/bench.svg (bars: each figure's ratio to its ceiling,
1.0 = at the ceiling; for latencies the ratio is ceiling / figure).

Raw files (written by tools/bench): redis_p16.csv, redis_p1.csv, redis_c1.csv
(redis-benchmark --csv), kafka_produce.txt (ProducerPerformance), kafka_hop.txt
(EndToEndLatency), order_<variant>_<n>.jsonl (+ _commandstats.json),
loop_<variant>_<n>.json, loyalty_<variant>_<n>.txt, outreach_<variant>_<n>.txt,
scaling.json (optional), machine.json. A variant is "before" or "after"; with
several runs of a variant the median is reported. Missing inputs leave a row out.
"""
import csv
import glob
import json
import os
import re
import statistics
import sys


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def redis_csv(path):
    if not os.path.exists(path):
        return None
    rows = list(csv.DictReader(open(path)))
    return {"rps": float(rows[-1]["rps"]), "p50_ms": float(rows[-1]["p50_latency_ms"])} if rows else None


def kafka_produce(path):
    m = os.path.exists(path) and re.search(
        r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\)", read(path))
    return {"records_per_s": float(m.group(2)), "mb_per_s": float(m.group(3))} if m else None


def kafka_hop(path):
    if not os.path.exists(path):
        return None
    text = read(path)
    m = re.search(r"Percentiles: 50th = ([\d.]+), 99th = ([\d.]+)", text)
    return {"p50_ms": float(m.group(1)), "p99_ms": float(m.group(2))} if m else None


def runs(raw, pattern):
    """{variant: [paths]} for files named <kind>_<variant>_<n>.<ext>."""
    out = {}
    for path in sorted(glob.glob(os.path.join(raw, pattern))):
        variant = os.path.basename(path).split("_")[1]
        out.setdefault(variant, []).append(path)
    return out


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def commit_rows(raw):
    row = {"path": "commit script, Redis main-thread CPU per call", "unit": "us", "higher_is_better": False}
    for variant, paths in runs(raw, "commit_*_[0-9]*.json").items():
        ls = [json.load(open(p)) for p in paths]
        row[variant] = {"value": median([l["cpu_us_per_call"] for l in ls]),
                        "evalsha_usec_per_call": median([l["usec_per_call"] for l in ls]), "runs": len(ls)}
    return [row] if ("after" in row or "before" in row) else []


def order_rows(raw):
    rows = []
    per = {}
    for variant, paths in runs(raw, "order_*_[0-9].jsonl").items():
        for path in paths:
            stats_path = path.replace(".jsonl", "_commandstats.json")
            stats = json.load(open(stats_path)) if os.path.exists(stats_path) else {}
            levels = [json.loads(line) for line in open(path) if line.strip()]
            for l in levels:
                per.setdefault((l["concurrency"], variant), []).append(l)
            ev = stats.get("evalsha", [0, 0])
            rpcs = sum(l.get("rpcs", 0) for l in levels)
            usec = sum(u for _, u in stats.values())
            calls = sum(c for c, _ in stats.values())
            per.setdefault(("redis", variant), []).append({
                "evalsha_us_per_call": ev[1] / ev[0] if ev[0] else None,
                "redis_us_per_rpc": usec / rpcs if rpcs else None,
                "redis_calls_per_rpc": calls / rpcs if rpcs else None})
    for c in (64, 1):
        row = {"path": f"order write path, {c} in flight", "unit": "RPC/s", "higher_is_better": True}
        for variant in ("before", "after"):
            ls = per.get((c, variant))
            if not ls:
                continue
            row[variant] = {k: median([l[k] for l in ls]) for k in
                            ("rpc_per_s", "orders_per_s", "p50_ms", "p99_ms", "echo_rpc_per_s",
                             "echo_p50_ms", "echo_p99_ms", "failed")}
            row[variant]["value"] = row[variant]["rpc_per_s"]
            row[variant]["ceiling"] = row[variant]["echo_rpc_per_s"]
            row[variant]["runs"] = len(ls)
        if "after" in row or "before" in row:
            row["ceiling_what"] = "callback-API gRPC echo, same client and TLS"
            rows.append(row)
    row = {"path": "order path: Redis EVALSHA time per call (all scripts)", "unit": "us",
           "higher_is_better": False}
    for variant in ("before", "after"):
        ls = per.get(("redis", variant))
        if ls:
            row[variant] = {k: median([l[k] for l in ls]) for k in
                            ("evalsha_us_per_call", "redis_us_per_rpc", "redis_calls_per_rpc")}
            row[variant]["value"] = row[variant]["evalsha_us_per_call"]
            row[variant]["runs"] = len(ls)
    if "after" in row or "before" in row:
        rows.append(row)
    return rows


def loop_rows(raw):
    row = {"path": "loop latency delivered -> feedback scheduled", "unit": "ms p50",
           "higher_is_better": False, "ceiling_what": "Kafka hop p50 + Redis round trip p50"}
    for variant, paths in runs(raw, "loop_*_[0-9].json").items():
        ls = [json.load(open(p)) for p in paths]
        row[variant] = {k: median([l[k] for l in ls]) for k in
                        ("p50_ms", "p99_ms", "max_ms", "orders_per_s", "rate_asked", "measured", "failed")}
        row[variant]["value"] = row[variant]["p50_ms"]
        row[variant]["runs"] = len(ls)
    return [row] if ("after" in row or "before" in row) else []


def loyalty_rows(raw):
    row = {"path": "loyalty applies order events", "unit": "events/s", "higher_is_better": True,
           "ceiling_what": "redis-benchmark -P 16 SET, same redis-server"}
    for variant, paths in runs(raw, "loyalty_*_[0-9].txt").items():
        vals, ceil, svc_us, redis_us = [], [], [], []
        for p in paths:
            t = read(p)
            m = re.search(r": ([\d.]+) events/s", t)
            c = re.search(r"everysec\): ([\d.]+) ops/s|\): ([\d.]+) ops/s", t)
            u = re.search(r"revisit-loyalty ([\d.]+) us, redis-server ([\d.]+) us", t)
            vals.append(float(m.group(1)) if m else None)
            ceil.append(float(c.group(1) or c.group(2)) if c else None)
            svc_us.append(float(u.group(1)) if u else None)
            redis_us.append(float(u.group(2)) if u else None)
        # CPU per applied event (bench_loyalty): moves far less with the load than events/s.
        row[variant] = {"value": median(vals), "ceiling": median(ceil), "runs": len(paths),
                        "loyalty_cpu_us_per_event": median(svc_us),
                        "redis_cpu_us_per_event": median(redis_us)}
    return [row] if ("after" in row or "before" in row) else []


def outreach_rows(raw):
    specs = [("outreach pending touch, Redis memory", "B/touch", False, r"memory per pending touch: ([\d.]+) B"),
             ("outreach touch creation", "touches/s", True, r"create: [\d.]+ s \(([\d.]+) touches/s"),
             ("outreach dispatch of due touches", "touches/s", True, r"dispatch: .*= ([\d.]+) touches/s")]
    rows = []
    found = runs(raw, "outreach_*_[0-9].txt")
    for path_name, unit, hib, rx in specs:
        row = {"path": path_name, "unit": unit, "higher_is_better": hib}
        for variant, paths in found.items():
            vals = []
            for p in paths:
                m = re.search(rx, read(p))
                vals.append(float(m.group(1)) if m else None)
            row[variant] = {"value": median(vals), "runs": len(paths)}
        if found:
            rows.append(row)
    return rows


def ratio(row, variant):
    v = row.get(variant)
    if not v or v.get("value") is None or not v.get("ceiling"):
        return None
    return v["value"] / v["ceiling"] if row["higher_is_better"] else v["ceiling"] / v["value"]


def fmt(x, unit=""):
    if x is None:
        return "-"
    if abs(x) >= 100:
        return f"{x:,.0f}{unit}"
    return f"{x:.2f}{unit}"


def describe(row, variant):
    v = row.get(variant)
    if not v or v.get("value") is None:
        return "-"
    s = fmt(v["value"]) + " " + row["unit"]
    if "p99_ms" in v and "p50_ms" in v and row["unit"] == "RPC/s":
        s += f", p50 {fmt(v['p50_ms'])} p99 {fmt(v['p99_ms'])} ms"
    elif "redis_us_per_rpc" in v and v["redis_us_per_rpc"] is not None:
        s += f"; all Redis {fmt(v['redis_us_per_rpc'])} us in {fmt(v['redis_calls_per_rpc'])} commands per RPC"
    elif "p99_ms" in v:
        s += f", p99 {fmt(v['p99_ms'])} ms at {fmt(v.get('orders_per_s'))} orders/s"
    return s


def svg(rows, path):
    bars = [(r["path"], ratio(r, "before"), ratio(r, "after")) for r in rows]
    bars = [b for b in bars if b[1] is not None or b[2] is not None]
    width, left, bar_w, row_h = 900, 330, 520, 46
    height = 70 + row_h * len(bars)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="15">Revisit hot paths: ratio to the ceiling measured in the '
           'same run (1.0 = at the ceiling; latency: ceiling / figure)</text>',
           '<rect x="10" y="30" width="12" height="10" fill="#bbb"/><text x="26" y="39">before</text>',
           '<rect x="80" y="30" width="12" height="10" fill="#2a7"/><text x="96" y="39">after</text>']
    for i, (name, before, after) in enumerate(bars):
        y = 55 + i * row_h
        out.append(f'<text x="10" y="{y + 18}">{name}</text>')
        for j, (val, color) in enumerate(((before, "#bbb"), (after, "#2a7"))):
            if val is None:
                continue
            w = max(1, min(1.0, val) * bar_w)
            out.append(f'<rect x="{left}" y="{y + 4 + j * 18}" width="{w:.1f}" height="15" fill="{color}"/>')
            out.append(f'<text x="{left + w + 5:.1f}" y="{y + 16 + j * 18}">{val:.3f}</text>')
    out.append(f'<line x1="{left + bar_w}" y1="50" x2="{left + bar_w}" y2="{height - 5}" '
               'stroke="#555" stroke-dasharray="4"/>')
    out.append('</svg>')
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    raw, out = sys.argv[1], sys.argv[2]
    ceilings = {"redis_set_p16": redis_csv(os.path.join(raw, "redis_p16.csv")),
                "redis_set_p1": redis_csv(os.path.join(raw, "redis_p1.csv")),
                "redis_set_one_client": redis_csv(os.path.join(raw, "redis_c1.csv")),
                "kafka_produce": kafka_produce(os.path.join(raw, "kafka_produce.txt")),
                "kafka_hop": kafka_hop(os.path.join(raw, "kafka_hop.txt"))}
    rows = commit_rows(raw) + order_rows(raw) + loop_rows(raw) + loyalty_rows(raw) + outreach_rows(raw)
    hop, rtt = ceilings["kafka_hop"], ceilings["redis_set_one_client"]
    for r in rows:
        if r["path"].startswith("loop") and hop and rtt:
            for v in ("before", "after"):
                if v in r:
                    r[v]["ceiling"] = hop["p50_ms"] + rtt["p50_ms"]
        for v in ("before", "after"):
            if v in r:
                r[v]["ratio"] = ratio(r, v)
    scaling_path = os.path.join(raw, "scaling.json")
    scaling = json.load(open(scaling_path)).get("rows", []) if os.path.exists(scaling_path) else []
    machine = json.load(open(os.path.join(raw, "machine.json")))
    doc = {"machine": machine, "ceilings": ceilings, "rows": rows, "scaling": scaling}
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "bench.json"), "w") as f:
        json.dump(doc, f, indent=1)
    svg(rows, os.path.join(out, "bench.svg"))

    print(f"\nmachine: {machine['nproc']} cores ({machine['cpu']}), load {machine['loadavg']}, "
          f"commit {machine['commit']}, {machine['seconds']} s")
    print("ceilings in this run:")
    for name, c in ceilings.items():
        if c:
            print(f"  {name:22s} " + ", ".join(f"{k} {fmt(v)}" for k, v in c.items()))
    both = any("before" in r for r in rows)
    head = ["path", "before", "after", "ceiling (same run)", "ratio before", "ratio after"] if both else \
           ["path", "figure", "ceiling (same run)", "ratio"]
    print("\n| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for r in rows:
        ceil = (r.get("after") or r.get("before") or {}).get("ceiling")
        ceil_s = f"{fmt(ceil)} ({r.get('ceiling_what', '')})" if ceil else ""
        cells = [r["path"]]
        cells += [describe(r, "before")] if both else []
        cells += [describe(r, "after"), ceil_s]
        cells += [fmt(ratio(r, "before"))] if both else []
        cells += [fmt(ratio(r, "after"))]
        print("| " + " | ".join(cells) + " |")
    for s in scaling:
        print(f"| {s.get('path')} | {s.get('value')} {s.get('unit', '')} | {s.get('ceiling', '')} | "
              f"{s.get('ratio', '')} |")
    print(f"\nwrote {os.path.join(out, 'bench.json')} and {os.path.join(out, 'bench.svg')}")


if __name__ == "__main__":
    main()
