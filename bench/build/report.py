#!/usr/bin/env python3
"""Summarises bench/build raw numbers (tool, phase, round, ms) as a markdown table: median
seconds (min-max) per tool and phase, and each tool's median relative to ours."""
import statistics, sys
from collections import defaultdict

data = defaultdict(list)
for line in open(sys.argv[1]):
    tool, phase, _round, ms = line.split("\t")
    data[(tool, phase)].append(float(ms) / 1000)

names = {
    "ours": "**ours**: cpsh `Invoke-ContainerBuild` (timed in the script)",
    "ours-process": "ours: whole `cpsh -Command Invoke-ContainerBuild` process",
    "docker": "docker build (BuildKit, docker.io 20.10), whole process",
    "buildah": "buildah bud --layers, whole process",
}
phases = ["cold", "cached", "touched"]
def cell(tool, phase):
    v = data.get((tool, phase))
    if not v:
        return "–"
    return f"{statistics.median(v):.2f} ({min(v):.2f}–{max(v):.2f})"
print("| tool | cold s | cached s | touched s |")
print("|---|---|---|---|")
for tool in ["ours", "ours-process", "docker", "buildah"]:
    if any((tool, p) in data for p in phases):
        print(f"| {names[tool]} | " + " | ".join(cell(tool, p) for p in phases) + " |")
print()
ours = {p: statistics.median(data[("ours", p)]) for p in phases if ("ours", p) in data}
for peer in ["docker", "buildah"]:
    ratios = [f"{p} {statistics.median(data[(peer, p)]) / ours[p]:.2f}" for p in phases if (peer, p) in data and p in ours]
    if ratios:
        print(f"- {peer} ÷ ours: " + ", ".join(ratios) + " (above 1: ours is faster)")
