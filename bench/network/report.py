"""Markdown report of bench/network/run.sh's raw TSV (tool, round, ms | throughput, path, seconds, bytes/s)."""
import statistics
import sys

raw, notes = sys.argv[1], sys.argv[2:]
times, rates = {}, {}
for line in open(raw):
    f = line.rstrip("\n").split("\t")
    if f[0] == "throughput":
        if f[5] != "200" or int(f[4]) != 100 * 1048576:
            sys.exit(f"bad fetch on {f[1]}: HTTP {f[5]}, {f[4]} bytes")
        rates.setdefault(f[1], []).append((float(f[2]), float(f[3])))
    else:
        times.setdefault(f[0], []).append(float(f[2]))

order = ["ours-bridge", "ours-none", "podman", "podman-none", "docker"]
labels = {
    "ours-bridge": "ContainerPS `Start-Container busybox true -AutoRemove` (default bridge)",
    "ours-none": "ContainerPS, `-Network none`",
    "podman": "podman run --rm (default CNI network)",
    "podman-none": "podman run --rm --network none",
    "docker": "docker run --rm (dockerd, default bridge)",
}
print("### Start-to-exit\n")
print("| tool | median ms | p10 | p90 | runs |")
print("|---|---:|---:|---:|---:|")
for t in order:
    if t not in times:
        continue
    v = sorted(times[t])
    q = statistics.quantiles(v, n=10) if len(v) > 1 else [v[0]] * 9
    print(f"| {labels[t]} | {statistics.median(v):.1f} | {q[0]:.1f} | {q[-1]:.1f} | {len(v)} |")
print("\n### Throughput: 100 MiB from busybox httpd, curl on the host\n")
print("| path | median s | median MiB/s |")
print("|---|---:|---:|")
for p in ["published-127.0.0.1", "published-gateway", "bridge-ip"]:
    if p in rates:
        s = statistics.median(r[0] for r in rates[p])
        mb = statistics.median(r[1] for r in rates[p]) / 1048576
        print(f"| {p} | {s:.3f} | {mb:.0f} |")
print()
for n in notes:
    k, _, v = n.partition("=")
    print(f"- {k}: {v}")
