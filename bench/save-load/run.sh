#!/usr/bin/env bash
# Image save/load benchmark (issue 2): ContainerPS vs podman and skopeo on a ~315 MB image
# of 4 random (incompressible) layers. See docs/benchmarks.md, "Image save/load".
#
#   bench/save-load/run.sh [--rounds N] [--no-build] [--no-drop-caches] [--keep]
#                 (--no-build: use out/ as it is; by default ./build.sh runs when out/ is stale)
#   bench/save-load/run.sh --clean        remove the cached image (and anything left over)
#
# Each round runs, in this order, each with a fresh store where it loads:
#   ours (engine)  save, load         bench/save-load/Driver: ImageStore.SaveAsync / LoadAsync in process
#   ours (cpsh)    save, load         out/shell/cpsh -File ours.ps1: Save-Image / Import-Image (if built)
#   skopeo         load, save         docker-archive:X -> oci:DIR, then oci:DIR -> docker-archive:Y
#   podman         load, save         podman load -i X / podman save -o Y, throw-away --root (if installed)
# Before every operation: sync, then drop the page cache (echo 3 > /proc/sys/vm/drop_caches)
# when the kernel allows it, so every tool starts cold; after it, a timed `sync`.
# Prints a markdown table and writes it to bench/results/save-load.md (raw numbers beside it).
#
# Environment: CONTAINERPS_BENCH_CACHE (default /var/tmp/containerps-bench) holds the
# generated image between runs; everything else is created under it per run and removed.
# CONTAINERPS_BENCH_QUIET_WAIT (default 10) / _QUIET_BUDGET (default 60): seconds to wait
# for an idle CPU before each operation / in all (other builds and tests skew it most).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${CONTAINERPS_BENCH_CACHE:-/var/tmp/containerps-bench}
results=$repo/bench/results
rounds=3 build=1 drop=1 keep=0

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --rounds=*) rounds=${1#*=}; shift ;;
    --no-build) build=0; shift ;;
    --no-drop-caches) drop=0; shift ;;
    --keep) keep=1; shift ;;
    --clean)
      # Only what this bench puts there: other benches may share the directory.
      rm -rf "$cache/image.tar" "$cache/image.tar.tmp" "$cache"/run.??????
      rmdir "$cache" 2>/dev/null || true
      echo "removed the save/load test image (and any leftover run directories) from $cache"
      exit 0 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds needs a positive number" >&2; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$cache" "$results"
work=$(mktemp -d "$cache/run.XXXXXX")
podman_root=$work/podman

cleanup() {
  set +e
  if [[ -d $podman_root ]]; then
    # Nothing should be mounted (no container ran), but never rm -rf through a mount.
    awk -v p="$podman_root" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
  fi
  if [[ $keep == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
  declare -F remove_created_blob_cache > /dev/null && remove_created_blob_cache
}
trap cleanup EXIT
export TMPDIR=$work/tmp   # any temp files of the tools land in the work dir
mkdir -p "$TMPDIR"

log() { echo "==> $*" >&2; }
now() { date +%s.%N; }

# --- build -------------------------------------------------------------------------------
driver_out=$work/build
driver=$driver_out/bin/SaveLoadDriver/release/save-load-driver
have_engine=1
log "building the engine-level driver (bench/save-load/Driver)"
# --artifacts-path keeps every obj/ and bin/ of this build (the engine's too) out of the
# source tree, so it never races a build someone else runs in src/.
if ! dotnet build "$here/Driver/SaveLoadDriver.csproj" -c Release --artifacts-path "$driver_out" --nologo -v quiet > "$work/build.log" 2>&1 || [[ ! -x $driver ]]; then
  grep -E 'error|Error' "$work/build.log" | sort -u | head -10 >&2
  echo "run.sh: the engine-level driver did not build; going on without the engine row" >&2
  have_engine=0
fi

cpsh=$repo/out/shell/cpsh
# ./build.sh builds the whole solution (NativeAOT shim included): run it only when out/ is
# missing or older than a source the module and the shell are made of.
out_stale() {
  [[ -x $cpsh && -f $repo/out/ContainerPS/ContainerPS.psd1 ]] || return 0
  local d newer
  for d in src/Engine src/Runtime src/Compose src/Module src/Shell; do
    [[ -d $repo/$d ]] || continue
    newer=$(find "$repo/$d" \( -name bin -o -name obj \) -prune -o -type f -newer "$cpsh" -print -quit)
    [[ -n $newer ]] && return 0
  done
  [[ $repo/ContainerPS.psd1 -nt $cpsh ]]
}
if [[ $build == 1 && -x $repo/build.sh && -d $repo/src/Shell ]] && out_stale; then
  log "building the module and the shell (./build.sh; out/ is older than the sources)"
  if ! "$repo/build.sh" > "$work/build-sh.log" 2>&1; then
    tail -20 "$work/build-sh.log" >&2
    echo "run.sh: ./build.sh failed (output above); using out/ as it is, if present" >&2
  fi
fi
have_cpsh=0
if [[ -x $cpsh && -f $repo/out/ContainerPS/ContainerPS.psd1 ]]; then have_cpsh=1; fi
if [[ $have_engine == 0 && $have_cpsh == 0 ]]; then
  echo "run.sh: neither the engine-level driver nor out/shell/cpsh is available: nothing of ours to measure" >&2
  exit 1
fi

# --- the image ---------------------------------------------------------------------------
image=$cache/image.tar
if [[ ! -s $image ]]; then
  log "generating the test image (once) -> $image"
  python3 "$here/make-image.py" "$image"
fi
image_bytes=$(stat -c %s "$image")

# --- page cache ----------------------------------------------------------------------------
drop_note="page cache dropped before every operation (sync; echo 3 > /proc/sys/vm/drop_caches)"
if [[ $drop == 1 ]]; then
  if ! (sync && echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then
    drop=0
    drop_note="page cache NOT dropped: writing /proc/sys/vm/drop_caches failed (not root or no permission); runs after the first may read from cache"
    echo "run.sh: $drop_note" >&2
  fi
else
  drop_note="page cache not dropped (--no-drop-caches)"
fi
# Other work on the machine (builds, tests) skews everything on 2 cores: before each
# operation wait (up to quiet_wait seconds, and quiet_budget seconds over the whole run so
# a busy machine cannot stretch the run past a few minutes) for half a second with >= 85%
# of the CPUs idle.
quiet_wait=${CONTAINERPS_BENCH_QUIET_WAIT:-10}
quiet_budget=${CONTAINERPS_BENCH_QUIET_BUDGET:-60}
busy_ops=0 total_ops=0 waited=0
cpu_idle_pct() {  # idle share of all CPUs over 0.5 s, in percent
  local a b
  a=($(awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6 }' /proc/stat))
  sleep 0.5
  b=($(awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6 }' /proc/stat))
  echo $(( (b[1] - a[1]) * 100 / ((b[0] - a[0]) > 0 ? (b[0] - a[0]) : 1) ))
}
wait_quiet() {
  local start=$SECONDS limit idle
  limit=$(( quiet_wait < quiet_budget - waited ? quiet_wait : quiet_budget - waited ))
  total_ops=$((total_ops + 1))
  while true; do
    idle=$(cpu_idle_pct)
    (( idle >= 85 )) && break
    if (( SECONDS - start >= limit )); then
      busy_ops=$((busy_ops + 1))
      echo "    (machine busy: only ${idle}% idle after $((SECONDS - start))s of waiting; measuring anyway)" >&2
      break
    fi
  done
  waited=$((waited + SECONDS - start))
}
prepare() {
  wait_quiet
  sync
  if [[ $drop == 1 ]]; then echo 3 > /proc/sys/vm/drop_caches; fi
}

# --- measuring ---------------------------------------------------------------------------
raw=$work/raw.tsv
printf '# round\ttool\top\tseconds\twall\tflush\n' > "$raw"
# measure ROUND TOOL OP COMMAND...: runs COMMAND cold; its stdout's "seconds N" line (if
# any) is the in-process time, else the process wall time counts.
measure() {
  local round=$1 tool=$2 op=$3; shift 3
  prepare
  local t0 t1 f1 out rc=0
  t0=$(now)
  out=$("$@" 2> "$work/stderr") || rc=$?
  t1=$(now)
  sync
  f1=$(now)
  if [[ $rc != 0 ]]; then
    echo "run.sh: $tool $op failed (exit $rc): $*" >&2
    cat "$work/stderr" >&2
    echo "$out" >&2
    exit 1
  fi
  local wall flush seconds
  wall=$(echo "$t1 - $t0" | bc -l)
  flush=$(echo "$f1 - $t1" | bc -l)
  seconds=$(awk '$1 == "seconds" { print $2 }' <<< "$out")
  [[ -n $seconds ]] || seconds=$wall
  printf '%s\t%s\t%s\t%.6f\t%.6f\t%.6f\n' "$round" "$tool" "$op" "$seconds" "$wall" "$flush" >> "$raw"
  printf '    %-7s %-5s %6.2f s  (process %.2f s, then sync %.2f s)\n' "$tool" "$op" "$seconds" "$wall" "$flush" >&2
}

have_podman=0
if command -v podman > /dev/null; then have_podman=1; else printf '0\tpodman\tabsent\t0\tnot installed\t0\n' >> "$raw"; fi
have_skopeo=0
if command -v skopeo > /dev/null; then have_skopeo=1; else printf '0\tskopeo\tabsent\t0\tnot installed\t0\n' >> "$raw"; fi
[[ $have_cpsh == 1 ]] || printf '0\tcpsh\tabsent\t0\tnot built (out/shell/cpsh missing)\t0\n' >> "$raw"
[[ $have_engine == 1 ]] || printf '0\tengine\tabsent\t0\tdriver did not build\t0\n' >> "$raw"
[[ $have_podman == 1 ]] || echo "podman: not installed" >&2
[[ $have_skopeo == 1 ]] || echo "skopeo: not installed" >&2

# skopeo and podman (as root) keep a blob-digest cache in /var/lib/containers/cache, shared
# with everything else on the machine. Leave it alone: when it exists, each tool runs in a
# private mount namespace with a throw-away directory bind-mounted over it; when it does
# not, whatever the tools create there is removed at exit.
blob_cache=/var/lib/containers/cache
blob_cache_private=$work/blob-info-cache
mkdir -p "$blob_cache_private"
isolate=0
if [[ -d $blob_cache ]] && command -v unshare > /dev/null &&
   unshare -m --propagation private sh -c 'mount --bind "$1" "$2"' sh "$blob_cache_private" "$blob_cache" 2>/dev/null; then
  isolate=1
else
  [[ -e /var/lib/containers ]] && created_containers_dir=0 || created_containers_dir=1
  [[ -e $blob_cache ]] && created_blob_cache=0 || created_blob_cache=1
fi
remove_created_blob_cache() {
  if [[ $isolate == 0 && ${created_containers_dir:-0} == 1 ]]; then rm -rf /var/lib/containers
  elif [[ $isolate == 0 && ${created_blob_cache:-0} == 1 ]]; then rm -rf "$blob_cache"
  fi
}
containers_tool() {
  if [[ $isolate == 1 ]]; then
    unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$blob_cache_private" "$blob_cache" "$@"
  else
    "$@"
  fi
}
podman_cmd() {
  containers_tool podman --root "$podman_root/root" --runroot "$podman_root/run" --tmpdir "$podman_root/tmp" \
    --storage-driver overlay --events-backend file --cgroup-manager cgroupfs "$@"
}

# The store ours saves from: the image loaded once, untimed.
source_root=$work/ours-source
log "loading the image into the source store for 'save' (untimed)"
if [[ $have_engine == 1 ]]; then
  "$driver" load "$source_root" "$image" > /dev/null
else
  CONTAINERPS_ROOT=$source_root "$cpsh" -NoProfile -File "$here/ours.ps1" load "$image" > /dev/null
fi

out=$work/out
mkdir -p "$out"
for ((r = 1; r <= rounds; r++)); do
  log "round $r of $rounds"
  if [[ $have_engine == 1 ]]; then
    measure "$r" engine save "$driver" save "$source_root" bench:latest "$out/engine.tar"
    rm -f "$out/engine.tar"
    measure "$r" engine load "$driver" load "$work/engine-load" "$image"
    rm -rf "$work/engine-load"
  fi

  if [[ $have_cpsh == 1 ]]; then
    CONTAINERPS_ROOT=$source_root measure "$r" cpsh save "$cpsh" -NoProfile -File "$here/ours.ps1" save bench:latest "$out/cpsh.tar"
    rm -f "$out/cpsh.tar"
    CONTAINERPS_ROOT=$work/cpsh-load measure "$r" cpsh load "$cpsh" -NoProfile -File "$here/ours.ps1" load "$image"
    rm -rf "$work/cpsh-load"
  fi

  if [[ $have_skopeo == 1 ]]; then
    measure "$r" skopeo load containers_tool skopeo copy -q "docker-archive:$image" "oci:$work/oci:bench:latest"
    measure "$r" skopeo save containers_tool skopeo copy -q "oci:$work/oci:bench:latest" "docker-archive:$out/skopeo.tar:bench:latest"
    rm -rf "$work/oci" "$out/skopeo.tar"
  fi

  if [[ $have_podman == 1 ]]; then
    mkdir -p "$podman_root"
    measure "$r" podman load podman_cmd load -q -i "$image"
    measure "$r" podman save podman_cmd save -q -o "$out/podman.tar" bench:latest
    rm -f "$out/podman.tar"
    podman_cmd rmi -a -f > /dev/null 2>&1 || true
    awk -v p="$podman_root" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
    rm -rf "$podman_root"
  fi
done

# --- report ------------------------------------------------------------------------------
meta=$work/meta.txt
{
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, kernel $(uname -r)"
  disk_dev=$(df --output=source "$cache" | tail -1)
  disk=$(basename "$disk_dev")
  echo "Disk: $disk_dev ($(df --output=fstype "$cache" | tail -1)), rotational=$(cat "/sys/block/$disk/queue/rotational" 2>/dev/null || echo '?') (as the VM reports it)"
  echo "Versions: $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /')$( [[ $have_skopeo == 1 ]] && echo ", $(skopeo --version)")$( [[ $have_podman == 1 ]] && echo ", $(podman --version)")"
  echo "Conditions: $drop_note; a timed sync after each operation; same order every round; each operation waited for an idle machine (>= 85% CPU idle over 0.5 s, up to ${quiet_wait} s each and ${quiet_budget} s in all): $busy_ops of $total_ops ran on a busy machine anyway."
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), bench/save-load/run.sh --rounds $rounds"
} > "$meta"

python3 "$here/report.py" "$raw" "$image_bytes" "$meta" > "$results/save-load.md"
cp "$raw" "$results/save-load.raw.tsv"
echo
cat "$results/save-load.md"
echo
echo "(written to bench/results/save-load.md; raw numbers in bench/results/save-load.raw.tsv)"
