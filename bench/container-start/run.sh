#!/usr/bin/env bash
# Container start-to-exit and monitor memory benchmark (issue 3): ContainerPS vs crun, runc
# and podman on a busybox `true`. See docs/benchmarks.md, "Container start-to-exit and
# monitor memory (issue 3)".
#
#   bench/container-start/run.sh [--rounds R] [--per-round N] [--warmup W] [--memory C]
#                                [--no-build] [--profile] [--keep]
#
# Start-to-exit of `true`, N per round after W warm-ups, R rounds (default 5 x 10 after 5),
# the tools interleaved round by round in this order so they share the machine's conditions:
#   engine   bench/container-start/Driver: ContainerManager.Run + WaitAsync in one process (network none)
#            (Run = create + start, overlapped: the monitor and the init start while the container is created)
#            (RemoveAsync after each, untimed; its time is reported apart)
#   cpsh     out/shell/cpsh -File ours.ps1: `Start-Container busybox true -AutoRemove -Network none` in one
#            session, timed by a Stopwatch in the script (if out/shell/cpsh is built)
#   crun     `crun run --bundle B id` per iteration, whole process, on an equivalent bundle
#   runc     `runc run --bundle B id` likewise
#   crun/runc "apart": the same with an untimed 50 ms pause before each run. On this kind of
#            kernel the first cgroup migration (write to cgroup.procs) after ~20 ms without one
#            waits for an RCU grace period (~10 ms); back-to-back runs skip that wait, so the
#            tight loops flatter crun/runc (ours pays it every time: its removal sits between runs)
#   podman   `podman run --rm --network none busybox true`, throw-away --root (if installed)
# Then monitor memory: C containers (default 10) running `sleep 1000`, Rss and Pss of each
# monitor from /proc/<monitorPid>/smaps_rollup; conmon's beside it when podman is installed.
# --profile adds syscall counts per container start (strace -f) for ours, crun and runc.
#
# The bundle for crun/runc: rootfs = the same busybox tree as the image's layer, config.json
# from `crun spec` / `runc spec` with args ["true"] and terminal false. On a cgroup hybrid
# host, crun 1.8.1 needs hugetlb mounted as v1: it is mounted around the crun rows (under an
# flock on /sys/fs/cgroup shared with the tests) and unmounted after, if it was not there.
# Everything the bench creates (containers, stores, bundles, runtime state, podman storage)
# lives under one work directory and is removed at exit, also on failure or Ctrl+C.
# Prints a markdown table and writes it to bench/results/container-start.md (raw numbers in
# container-start.raw.tsv beside it).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${CONTAINERPS_BENCH_CACHE:-/var/tmp/containerps-bench}
results=$repo/bench/results
rounds=5 per_round=10 warmup=5 memory_count=10 build=1 keep=0 profile=0

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --per-round) per_round=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --memory) memory_count=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --profile) profile=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for v in "$rounds" "$per_round" "$memory_count"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: counts must be positive numbers" >&2; exit 2; }
done
[[ $warmup =~ ^[0-9]+$ ]] || { echo "run.sh: --warmup needs a number" >&2; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$cache" "$results"
work=$(mktemp -d "$cache/container-start.XXXXXX")
store=$work/store
raw=$work/raw.tsv
: > "$raw"
driver_out=$cache/container-start-build   # kept between runs: incremental builds
driver=$driver_out/bin/ContainerStartDriver/release/container-start-driver
shim=${CONTAINERPS_SHIM:-$repo/out/ContainerPS/deps/containerps-shim}
cpsh=$repo/out/shell/cpsh
podman_root=$work/podman
libpod_cgroups_existed=1
compgen -G '/sys/fs/cgroup/*/libpod_parent' > /dev/null || libpod_cgroups_existed=0
podman_runroot=   # podman wants a runroot under 50 characters: made in /tmp when podman runs

log() { echo "==> $*" >&2; }

# --- clean-up (runs on every exit) ---------------------------------------------------------
hugetlb_mounted=0 hugetlb_created=0 lock_fd=
hugetlb_undo() {
  if [[ $hugetlb_mounted == 1 ]]; then
    # crun's cgroups in the hierarchy we mounted: empty ones go with rmdir, deepest first.
    find /sys/fs/cgroup/hugetlb -mindepth 1 -depth -type d -exec rmdir {} \; 2> /dev/null || true
    umount /sys/fs/cgroup/hugetlb && hugetlb_mounted=0
    if [[ $hugetlb_created == 1 ]]; then rmdir /sys/fs/cgroup/hugetlb && hugetlb_created=0; fi
  fi
  if [[ -n $lock_fd ]]; then exec {lock_fd}<&-; lock_fd=; fi
}
cleanup() {
  set +e
  [[ -x $driver && -d $store ]] && CONTAINERPS_SHIM=$shim "$driver" remove-all "$store" > /dev/null 2>&1
  for rt in runc crun; do
    for d in "$work/$rt-state"/*/; do
      [[ -d $d ]] && "$rt" --root "$work/$rt-state" delete --force "$(basename "$d")" > /dev/null 2>&1
    done
  done
  if [[ -d $podman_root ]]; then
    podman_cmd rm -a -f > /dev/null 2>&1
    podman_cmd rmi -a -f > /dev/null 2>&1
    for p in "$podman_root" "$podman_runroot"; do
      [[ -n $p ]] && awk -v p="$p" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
    done
  fi
  [[ -n $podman_runroot ]] && rm -rf "$podman_runroot"
  # podman's cgroupfs parents (libpod_parent, libpod_parent/conmon), if this run made them: empty ones go.
  if [[ $libpod_cgroups_existed == 0 ]]; then
    find /sys/fs/cgroup/*/libpod_parent -depth -type d -exec rmdir {} \; 2> /dev/null
  fi
  hugetlb_undo
  if [[ $keep == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build ---------------------------------------------------------------------------------
have_engine=1
if [[ $build == 1 || ! -x $driver ]]; then
  log "building the engine-level driver (bench/container-start/Driver)"
  # --artifacts-path keeps every obj/ and bin/ of this build out of the source tree.
  if ! dotnet build "$here/Driver/ContainerStartDriver.csproj" -c Release --artifacts-path "$driver_out" --nologo -v quiet > "$work/build.log" 2>&1; then
    grep -E 'error' "$work/build.log" | sort -u | head -10 >&2
    echo "run.sh: the engine-level driver did not build; going on without the engine row" >&2
    have_engine=0
  fi
fi
[[ -x $driver ]] || have_engine=0
[[ -x $shim ]] || { echo "run.sh: $shim not found: run ./build.sh (or set CONTAINERPS_SHIM)" >&2; exit 1; }
# A snapshot of the built module, shell and shim: ./build.sh replaces out/ whole, and someone
# else's build during the bench must not pull them away mid-run.
mkdir -p "$work/built/deps"
cp "$shim" "$work/built/deps/containerps-shim"
[[ -x $(dirname "$shim")/containerps-monitor ]] && cp "$(dirname "$shim")/containerps-monitor" "$work/built/deps/"
shim=$work/built/deps/containerps-shim
if [[ -x $cpsh && -d $repo/out/ContainerPS ]]; then
  cp -a "$repo/out/shell" "$repo/out/ContainerPS" "$work/built/"
  cpsh=$work/built/shell/cpsh
fi
export CONTAINERPS_SHIM=$shim CONTAINERPS_ROOT=$store
have_cpsh=0
if [[ -x $cpsh ]] && "$cpsh" -NoProfile -Command 'if (-not (Get-Command Start-Container -ErrorAction SilentlyContinue)) { exit 3 }' > /dev/null 2>&1; then
  have_cpsh=1
else
  echo "run.sh: out/shell/cpsh with Start-Container not built; no cpsh row" >&2
fi
have() { command -v "$1" > /dev/null 2>&1; }
have_runc=0; have runc && have_runc=1
have_crun=0; have crun && have_crun=1
have_podman=0; have podman && have_podman=1
docker_note="not installed"
if have docker; then
  docker info > /dev/null 2>&1 && docker_note="installed, not measured by this bench" || docker_note="client only, no daemon (not measured)"
fi

# --- inputs: the busybox rootfs as an image (ours, podman) and as a bundle (crun, runc) -----
[[ $have_engine == 1 ]] || { echo "run.sh: the driver is needed to make the image" >&2; exit 1; }
log "making the busybox image and bundles (untimed)"
"$driver" rootfs-tar "$work/busybox.tar"
"$driver" import "$store" "$work/busybox.tar"
mkdir -p "$work/rootfs"
tar -xf "$work/busybox.tar" -C "$work/rootfs"
make_bundle() {  # RUNTIME: config.json from `RUNTIME spec`, args ["true"], terminal false, shared rootfs
  local rt=$1 dir=$work/bundle-$1
  mkdir -p "$dir"
  (cd "$dir" && "$rt" spec)
  python3 - "$dir/config.json" "$work/rootfs" <<'PY'
import json, sys
path, rootfs = sys.argv[1], sys.argv[2]
c = json.load(open(path))
c["process"]["args"] = ["true"]
c["process"]["terminal"] = False
c["root"]["path"] = rootfs
json.dump(c, open(path, "w"), indent=1)
PY
}
[[ $have_runc == 1 ]] && make_bundle runc
[[ $have_crun == 1 ]] && make_bundle crun

# crun on a hybrid host: hugetlb as a v1 hierarchy while the crun rows run.
is_hybrid() { [[ $(findmnt -n -o FSTYPE /sys/fs/cgroup/unified 2> /dev/null) == cgroup2 && $(findmnt -n -o FSTYPE /sys/fs/cgroup 2> /dev/null) == tmpfs ]]; }
hugetlb_apply() {
  is_hybrid || return 0
  exec {lock_fd}< /sys/fs/cgroup
  flock "$lock_fd"
  [[ $(findmnt -n -o FSTYPE /sys/fs/cgroup/hugetlb 2> /dev/null) == cgroup ]] && return 0
  if [[ ! -d /sys/fs/cgroup/hugetlb ]]; then mkdir /sys/fs/cgroup/hugetlb; hugetlb_created=1; fi
  mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
  hugetlb_mounted=1
}

# podman: throw-away storage; its blob-info cache in /var/lib/containers/cache is shared with
# the machine, so it runs in a private mount namespace with a throw-away directory over it.
blob_cache=/var/lib/containers/cache
podman_cmd() {
  local base=(podman --root "$podman_root/root" --runroot "$podman_runroot" --tmpdir "$podman_root/tmp"
    --storage-driver overlay --events-backend file --cgroup-manager cgroupfs)
  if [[ -d $blob_cache ]]; then
    unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$podman_root/blob-cache" "$blob_cache" "${base[@]}" "$@"
  else
    "${base[@]}" "$@"
  fi
}
# podman (its conmon) cannot raise RLIMIT_NPROC to the caller's hard limit here (EPERM), so both rlimits
# get RLIMIT_NOFILE's hard limit (20000 on this kind of machine); podman's default 1048576 fails.
hard_nofile=$(ulimit -Hn) hard_nproc=$(ulimit -Hn)
podman_run=(run --rm --network none --ulimit "nofile=$hard_nofile:$hard_nofile" --ulimit "nproc=$hard_nproc:$hard_nproc" localhost/busybox:latest true)
if [[ $have_podman == 1 ]]; then
  mkdir -p "$podman_root/blob-cache"
  podman_runroot=$(mktemp -d /tmp/cs-podman.XXXXXX)
  if ! podman_cmd import -q "$work/busybox.tar" localhost/busybox:latest > /dev/null 2> "$work/podman.err"; then
    echo "run.sh: podman import failed; no podman row: $(head -3 "$work/podman.err")" >&2
    have_podman=0
  fi
fi

# --- start-to-exit -------------------------------------------------------------------------
# A bash loop timed with $EPOCHREALTIME (no fork to read the clock): one line per run,
# "tool<TAB>round<TAB>ms".
time_loop() {  # TOOL ROUND COMMAND... (the command gets the iteration's container name last)
  local tool=$1 round=$2 i t0 t1; shift 2
  for ((i = 0; i < warmup + per_round; i++)); do
    [[ $tool == *-apart ]] && sleep 0.05   # untimed pause: see "apart" rows in the report
    t0=${EPOCHREALTIME/./}
    if ! "$@" "cs-$tool-$round-$i" > /dev/null 2>> "$work/$tool.err"; then
      echo "run.sh: $tool failed: $*" >&2; tail -5 "$work/$tool.err" >&2; exit 1
    fi
    t1=${EPOCHREALTIME/./}
    ((i < warmup)) || printf '%s\t%s\t%d.%03d\n' "$tool" "$round" $(((t1 - t0) / 1000)) $(((t1 - t0) % 1000)) >> "$raw"
  done
}
fail() {  # WHAT LOG...: report a failed step with the end of its logs, and stop
  local what=$1; shift
  echo "run.sh: $what failed" >&2
  tail -n 8 "$@" >&2
  exit 1
}
runtime_run() { local rt=$1; shift; "$rt" --root "$work/$rt-state" run --bundle "$work/bundle-$rt" "$1"; }
podman_once() { podman_cmd "${podman_run[@]}"; }

for ((r = 1; r <= rounds; r++)); do
  log "round $r of $rounds"
  "$driver" start-exit "$store" builtin "$per_round" "$warmup" > "$work/out" 2>> "$work/engine.err" ||
    fail "the engine driver" "$work/engine.err"
  awk -v r="$r" '{ printf "engine\t%s\t%s\t%s\t%s\t%s\n", r, $1, $2, $3, $4 }' "$work/out" >> "$raw"
  # The same with -Network host: no network namespace and no CNI loopback plugin (see the report).
  "$driver" start-exit "$store" builtin "$per_round" "$warmup" host > "$work/out" 2>> "$work/engine.err" ||
    fail "the engine driver (network host)" "$work/engine.err"
  awk -v r="$r" '{ printf "engine-host\t%s\t%s\n", r, $1 }' "$work/out" >> "$raw"
  if [[ $have_cpsh == 1 ]]; then
    "$cpsh" -NoProfile -File "$here/ours.ps1" "$per_round" "$warmup" > "$work/out" 2>> "$work/cpsh.err" ||
      fail "cpsh ours.ps1" "$work/cpsh.err" "$work/out"
    awk -v r="$r" '$1 == "ms" { printf "cpsh\t%s\t%s\n", r, $2 }' "$work/out" >> "$raw"
  fi
  if [[ $have_crun == 1 ]]; then
    hugetlb_apply
    time_loop crun "$r" runtime_run crun
    time_loop crun-apart "$r" runtime_run crun
    hugetlb_undo
  fi
  if [[ $have_runc == 1 ]]; then
    time_loop runc "$r" runtime_run runc
    time_loop runc-apart "$r" runtime_run runc
  fi
  if [[ $have_podman == 1 ]]; then
    hugetlb_apply   # podman runs crun
    time_loop podman "$r" podman_once
    hugetlb_undo
  fi
done
{ grep -h '^wait-error' "$work/engine.err" 2> /dev/null || true; } | sed 's/^/engine-/' >> "$raw"

# --- monitor memory ------------------------------------------------------------------------
log "monitor memory: $memory_count containers running sleep 1000"
"$driver" memory "$store" builtin "$memory_count" > "$work/out" 2>> "$work/engine.err" || fail "the memory measurement" "$work/engine.err"
awk '{ printf "monitor\t%s\t%s\t%s\t%s\n", $1, $2, $3, $4 }' "$work/out" >> "$raw"
if [[ $have_podman == 1 ]]; then
  log "conmon memory: $memory_count podman containers running sleep 1000"
  hugetlb_apply
  ids=()
  for ((i = 0; i < memory_count; i++)); do
    ids+=("$(podman_cmd run -d --network none --ulimit "nofile=$hard_nofile:$hard_nofile" --ulimit "nproc=$hard_nproc:$hard_nproc" localhost/busybox:latest sleep 1000)")
  done
  sleep 1
  for id in "${ids[@]}"; do
    pid=$(podman_cmd inspect -f '{{.State.ConmonPid}}' "$id")
    awk -v pid="$pid" '/^Rss:/ { rss = $2 } /^Pss:/ { pss = $2 } /^Private_(Clean|Dirty):/ { priv += $2 }
      END { printf "conmon\t%s\t%s\t%s\t%s\n", pid, rss, pss, priv }' "/proc/$pid/smaps_rollup" >> "$raw"
  done
  podman_cmd rm -f -t 0 "${ids[@]}" > /dev/null
  hugetlb_undo
fi

# --- profile: syscalls per container start (strace -f), optional --------------------------
if [[ $profile == 1 ]] && have strace; then
  log "profile: strace -f over 10 starts each"
  n=10
  strace -f -qq -o "$work/strace.engine" -e trace=execve,clone,clone3,vfork,fork,fsync,fdatasync,mount,umount2,openat,rename,renameat2,unshare \
    "$driver" start-exit "$store" builtin "$n" 0 > /dev/null 2>> "$work/engine.err" || true
  for rt in crun runc; do
    [[ -d $work/bundle-$rt ]] || continue
    [[ $rt == crun ]] && hugetlb_apply
    strace -f -qq -o "$work/strace.$rt" -e trace=execve,clone,clone3,vfork,fork,fsync,fdatasync,mount,umount2,openat,rename,renameat2,unshare \
      bash -c 'for i in $(seq "$1"); do "$2" --root "$3" run --bundle "$4" "cs-prof-$i" > /dev/null; done' sh "$n" "$rt" "$work/$rt-state" "$work/bundle-$rt" || true
    [[ $rt == crun ]] && hugetlb_undo
  done
  for f in "$work"/strace.*; do
    python3 - "$f" "$n" >> "$raw" <<'PY'
import re, sys
path, n = sys.argv[1], int(sys.argv[2])
tool = path.rsplit(".", 1)[1]
c = dict(processes=0, threads=0, execs=0, fsyncs=0, mounts=0, writes=0, renames=0, unshares=0)
for line in open(path):
    m = re.match(r"\d+\s+(\w+)\((.*)", line)
    if not m or "resumed>" in line: continue
    call, rest = m.groups()
    failed = re.search(r"= -1 ", line) is not None
    if call in ("clone", "clone3", "vfork", "fork"):
        c["threads" if "CLONE_THREAD" in rest else "processes"] += 1
    elif call == "execve" and not failed: c["execs"] += 1
    elif call in ("fsync", "fdatasync"): c["fsyncs"] += 1
    elif call == "mount" and not failed: c["mounts"] += 1
    elif call == "openat" and re.search(r"O_(WRONLY|RDWR)", rest) and "O_CREAT" in rest and not failed: c["writes"] += 1
    elif call.startswith("rename") and not failed: c["renames"] += 1
    elif call == "unshare" and not failed: c["unshares"] += 1
if tool != "engine": c["processes"] -= n; c["execs"] -= 0   # bash's fork per run counted as the runtime's own process
else: c["execs"] -= 1                                        # the driver's own exec
print("profile\t%s\t%s" % (tool, "\t".join("%s=%.1f" % (k, v / n) for k, v in c.items())))
PY
  done
fi

# --- report --------------------------------------------------------------------------------
log "report"
cp "$raw" "$results/container-start.raw.tsv"
python3 "$here/report.py" "$raw" \
  "machine=$(nproc) vCPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
  "versions=$(crun --version 2> /dev/null | head -1); $(runc --version 2> /dev/null | head -1); $(podman --version 2> /dev/null); conmon $(conmon --version 2> /dev/null | head -1 | awk '{print $3}'); .NET SDK $(dotnet --version 2> /dev/null)" \
  "docker=$docker_note" "rounds=$rounds x $per_round after $warmup warm-ups each" |
  tee "$results/container-start.md"
