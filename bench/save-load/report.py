#!/usr/bin/env python3
"""Turns the raw measurements of bench/save-load/run.sh into the markdown report.

Usage: report.py RAW.tsv IMAGE_BYTES META.txt > save-load.md

RAW.tsv columns: round, tool, op (save|load), seconds (what the tool's row reports),
wall (the whole process), flush (a `sync` right after the operation: its dirty data still
going to disk). A tool that is absent has one row with op "absent" and a reason in `wall`.
META.txt is copied verbatim (machine, options) above the tables.
"""
import statistics
import sys

raw, image_bytes, meta = sys.argv[1], int(sys.argv[2]), sys.argv[3]
MB = 1e6

# Row order and labels; the first present "baseline" row is "ours" for the ratios.
TOOLS = [
    ("cpsh", "ours: cpsh Save-Image / Import-Image (timed in the script)"),
    ("cpsh-process", "ours: cpsh, whole process (shell start-up + module import included)"),
    ("engine", "ours: engine in-process (ImageStore.SaveAsync / LoadAsync)"),
    ("podman", "podman save -o / podman load -i"),
    ("skopeo", "skopeo copy oci: -> docker-archive: / docker-archive: -> oci:"),
]
BASELINES = ["cpsh", "engine"]

samples = {}  # (tool, op) -> list of (seconds, wall, flush)
absent = {}
with open(raw) as f:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        rnd, tool, op, seconds, wall, flush = line.split("\t")
        if op == "absent":
            absent[tool] = wall
            continue
        samples.setdefault((tool, op), []).append((float(seconds), float(wall), float(flush)))
        if tool == "cpsh":  # the same runs, measured from outside the shell
            samples.setdefault(("cpsh-process", op), []).append((float(wall), float(wall), float(flush)))


def med(tool, op, col=0):
    xs = [s[col] for s in samples.get((tool, op), [])]
    return statistics.median(xs) if xs else None


def spread(tool, op):
    xs = [s[0] for s in samples.get((tool, op), [])]
    return (min(xs), max(xs)) if xs else None


base = next((b for b in BASELINES if (b, "save") in samples), None)
base_label = dict(TOOLS)[base] if base else None


def fmt_s(tool, op):
    m = med(tool, op)
    if m is None:
        return "—"
    lo, hi = spread(tool, op)
    return f"{m:.2f} ({lo:.2f}–{hi:.2f})"


def fmt_mbs(tool, op, with_flush=False):
    m = med(tool, op)
    if m is None:
        return "—"
    if with_flush:
        m = statistics.median([s[0] + s[2] for s in samples[(tool, op)]])
    return f"{image_bytes / MB / m:.0f}"


def fmt_ratio(tool, op, with_flush=False):
    if base is None or med(tool, op) is None or med(base, op) is None:
        return "—"
    if with_flush:
        t = statistics.median([s[0] + s[2] for s in samples[(tool, op)]])
        b = statistics.median([s[0] + s[2] for s in samples[(base, op)]])
    else:
        t, b = med(tool, op), med(base, op)
    return f"{t / b:.2f}"


n = max((len(v) for v in samples.values()), default=0)
out = []
out.append(open(meta).read().rstrip("\n"))
out.append("")
out.append(f"Image: {image_bytes / MB:.1f} MB docker-archive. Median of {n} round(s) (min–max in brackets). "
           f"MB/s = image bytes (10^6) / median seconds. Ratio = tool's median time ÷ ours' "
           f"(\"ours\" = {base_label}); above 1 means ours is faster.")
out.append("")
out.append("| tool | save s | load s | save MB/s | load MB/s | save ratio vs ours | load ratio vs ours |")
out.append("|---|---|---|---|---|---|---|")
for tool, label in TOOLS:
    if tool in absent:
        out.append(f"| {label} | {absent[tool]} | | | | | |")
        continue
    if (tool, "save") not in samples and (tool, "load") not in samples:
        continue
    out.append(f"| {label} | {fmt_s(tool, 'save')} | {fmt_s(tool, 'load')} | {fmt_mbs(tool, 'save')} | "
               f"{fmt_mbs(tool, 'load')} | {fmt_ratio(tool, 'save')} | {fmt_ratio(tool, 'load')} |")
out.append("")
out.append("Same, with the `sync` that follows each operation added (the operation's dirty pages "
           "reaching the disk). During load ours and skopeo fsync every blob they store, podman only "
           "its metadata (layers.json, tar-split); no tool fsyncs a saved archive:")
out.append("")
out.append("| tool | save + sync s | load + sync s | save MB/s | load MB/s | save ratio | load ratio |")
out.append("|---|---|---|---|---|---|---|")
for tool, label in TOOLS:
    if tool in absent or tool == "cpsh-process":
        continue
    if (tool, "save") not in samples:
        continue
    cells = []
    for op in ("save", "load"):
        cells.append(f"{statistics.median([s[0] + s[2] for s in samples[(tool, op)]]):.2f}")
    out.append(f"| {label} | {cells[0]} | {cells[1]} | {fmt_mbs(tool, 'save', True)} | {fmt_mbs(tool, 'load', True)} | "
               f"{fmt_ratio(tool, 'save', True)} | {fmt_ratio(tool, 'load', True)} |")
if ("cpsh", "save") in samples:
    startup = [s[1] - s[0] for k in (("cpsh", "save"), ("cpsh", "load")) for s in samples[k]]
    out.append("")
    out.append(f"cpsh start-up + module import + exit (whole process minus the in-script time): "
               f"median {statistics.median(startup):.2f} s over {len(startup)} runs.")
print("\n".join(out))
