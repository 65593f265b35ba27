#!/usr/bin/env python3
"""Turns bench/container-start/run.sh's raw.tsv into the markdown report (stdout).

usage: report.py RAW.tsv key=value...   (machine=, versions=, docker=, rounds= lines for the header)
"""
import statistics
import sys


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


raw, meta = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
times, engine_parts, memory, profile, wait_errors = {}, {"run (create + start)": [], "wait": [], "remove": []}, {}, {}, 0
for line in open(raw):
    f = line.rstrip("\n").split("\t")
    if not f or not f[0]:
        continue
    tool = f[0]
    if tool == "engine":
        times.setdefault(tool, []).append(float(f[2]))
        for name, value in zip(engine_parts, f[3:6]):
            engine_parts[name].append(float(value))
    elif tool in ("engine-host", "cpsh", "crun", "runc", "podman", "crun-apart", "runc-apart"):
        times.setdefault(tool, []).append(float(f[2]))
    elif tool in ("monitor", "conmon"):
        memory.setdefault(tool, []).append(tuple(int(x) for x in f[2:5]))
    elif tool == "profile":
        profile[f[1]] = dict(kv.split("=") for kv in f[2:])
    elif tool == "engine-wait-error":
        wait_errors += 1

rows = [
    ("engine", "**ours**, engine in process: `ContainerManager.Run` + `WaitAsync` (busybox `true`, network none)"),
    ("engine-host", "**ours**, engine in process, `-Network host` (no network namespace, no CNI loopback plugin)"),
    ("cpsh", "**ours**, cpsh: `Start-Container busybox true -AutoRemove -Network none` (Stopwatch in one session)"),
    ("crun", "crun: `crun run --bundle B id` (whole process)"),
    ("runc", "runc: `runc run --bundle B id` (whole process)"),
    ("crun-apart", "crun, runs 50 ms apart (first cgroup migration after a pause pays an RCU grace period)"),
    ("runc-apart", "runc, runs 50 ms apart"),
    ("podman", "podman: `podman run --rm --network none busybox true` (whole process)"),
]
crun = statistics.median(times["crun"]) if times.get("crun") else None
runc = statistics.median(times["runc"]) if times.get("runc") else None

print("## Container start-to-exit and monitor memory (issue 3): results\n")
for key in ("machine", "versions", "rounds"):
    if key in meta:
        print(f"- {key.capitalize()}: {meta[key]}")
print()
print("Start-to-exit of `true`, milliseconds:\n")
print("| tool | n | median | p90 | mean | min | median ÷ crun | median ÷ runc |")
print("|---|---|---|---|---|---|---|---|")
for key, label in rows:
    xs = times.get(key)
    if not xs:
        print(f"| {label} | — | not measured ({'not built' if key.startswith('engine') or key == 'cpsh' else 'not installed'}) | | | | | |")
        continue
    med = statistics.median(xs)
    r1 = f"{med / crun:.2f}" if crun else "—"
    r2 = f"{med / runc:.2f}" if runc else "—"
    print(f"| {label} | {len(xs)} | {med:.1f} | {pct(xs, 0.9):.1f} | {statistics.mean(xs):.1f} | {min(xs):.1f} | {r1} | {r2} |")
print(f"| docker: `docker run --rm busybox true` | — | {meta.get('docker', 'not installed')} | | | | | |")
print()
if engine_parts["wait"]:
    parts = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in engine_parts.items())
    print(f"Engine row by phase (medians, ms): {parts} (remove is after the exit, not in start-to-exit).")
if wait_errors:
    print(f"`WaitAsync` failed with a raw IOException/SocketException (the monitor exited while the request was sent or read) {wait_errors} time(s) in {len(times.get('engine', []))} timed runs plus warm-ups; the driver fell back to polling.")
if times.get("engine") and crun:
    ratio = statistics.median(times["engine"]) / crun
    line = f"Target (start within 2× crun): engine {ratio:.2f}× crun back to back: **{'met' if ratio <= 2 else 'missed'}**"
    if times.get("crun-apart"):
        apart = statistics.median(times["engine"]) / statistics.median(times["crun-apart"])
        line += f"; {apart:.2f}× crun with runs 50 ms apart: **{'met' if apart <= 2 else 'missed'}**"
    print(line + ".")
if times.get("cpsh") and crun:
    ratio = statistics.median(times["cpsh"]) / crun
    print(f"Through the cmdlet in one PowerShell session (the issue's own measure, with the removal `-AutoRemove` waits for): {ratio:.2f}× crun back to back: **{'met' if ratio <= 2 else 'missed'}**.")
if times.get("engine-host") and crun:
    ratio = statistics.median(times["engine-host"]) / crun
    print(f"Without the network set-up (`-Network host`): {ratio:.2f}× crun back to back: **{'met' if ratio <= 2 else 'missed'}**.")
print()

print("Per-container monitor memory with containers running `sleep 1000` (smaps_rollup), MB:\n")
print("| monitor | n | RSS mean | PSS mean | private (USS) mean | RSS max | PSS max |")
print("|---|---|---|---|---|---|---|")
for key, label in (("monitor", "**ours**: containerps-monitor (NativeAOT)"), ("conmon", "conmon (podman), measured here")):
    xs = memory.get(key)
    if not xs:
        print(f"| {label} | — | not measured | | | | |")
        continue
    mb = lambda kb: kb / 1024
    rss = [x[0] for x in xs]
    pss = [x[1] for x in xs]
    priv = [x[2] for x in xs]
    print(f"| {label} | {len(xs)} | {mb(statistics.mean(rss)):.2f} | {mb(statistics.mean(pss)):.2f} | {mb(statistics.mean(priv)):.2f} | {mb(max(rss)):.2f} | {mb(max(pss)):.2f} |")
print("| conmon 2.0 (from the issue) | | 2.0 | 0.5 | | | |")
print("| containerd-shim (from the issue) | | 13 | 3.4 | | | |")
if memory.get("monitor"):
    rss = statistics.mean(x[0] for x in memory["monitor"]) / 1024
    pss = statistics.mean(x[1] for x in memory["monitor"]) / 1024
    print(f"\nTargets (monitor ≤ 6 MB RSS, ≤ 2 MB PSS): RSS {rss:.2f} MB **{'met' if rss <= 6 else 'missed'}**, PSS {pss:.2f} MB **{'met' if pss <= 2 else 'missed'}**.")

if profile:
    print("\nSyscalls per container start (strace -f, 10 starts each; processes = clone/fork without CLONE_THREAD):\n")
    keys = ["processes", "execs", "threads", "unshares", "mounts", "writes", "renames", "fsyncs"]
    print("| tool | " + " | ".join(keys) + " |")
    print("|---|" + "---|" * len(keys))
    for tool in ("engine", "crun", "runc"):
        if tool in profile:
            print(f"| {tool} | " + " | ".join(profile[tool].get(k, "") for k in keys) + " |")
