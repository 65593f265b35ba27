#!/usr/bin/env bash
# Dockerfile build benchmark (issue 5): Invoke-ContainerBuild vs docker build (BuildKit) and
# buildah bud on the reference build. See docs/benchmarks.md, "Dockerfile builds (issue 5)".
#
#   bench/build/run.sh [--rounds R] [--no-build] [--no-docker] [--no-buildah] [--keep]
#
# The reference build (make-context.py): FROM busybox, ENV/WORKDIR/LABEL, COPY of 2000 small
# files, COPY of one 50 MiB file, 3 RUN steps, CMD. Per round and tool, in this order:
#   cold     a build with an empty build cache (the busybox base image already present)
#   cached   the same build again: every step from the cache
#   touched  after appending a line to one small file: re-runs from the COPY that reads it
# Tools (each round: ours, docker, buildah — interleaved so they share the machine's state):
#   ours     out/shell/cpsh -File ours.ps1 (fresh store per round; timed in the script, shell
#            start-up excluded) and, apart, the whole `cpsh -Command Invoke-ContainerBuild`
#            process for a cached build (what a user waits for at a prompt)
#   docker   docker.io's dockerd started here by hand (own --data-root/--exec-root, no bridge,
#            no iptables), `DOCKER_BUILDKIT=1 /usr/bin/docker build --network none`, whole
#            process; cold = after `docker builder prune -af` and removing the built image
#   buildah  `buildah bud --layers --network none --pull-never` with its own --root/--runroot
#            (fresh per round), whole process
# RUN steps get no network in every tool (-Network none, --network none). The base image is our
# busybox:latest saved with Save-Image and loaded into docker and buildah. Everything is made
# under one work directory and removed at exit (dockerd stopped by its PID, mounts unmounted).
# Prints a markdown table, writes it to bench/results/build.md (raw: build.raw.tsv).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${CONTAINERPS_BENCH_CACHE:-/var/tmp/containerps-bench}
results=$repo/bench/results
rounds=3 build=1 keep=0 use_docker=1 use_buildah=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-docker) use_docker=0; shift ;;
    --no-buildah) use_buildah=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds needs a positive number" >&2; exit 2; }

mkdir -p "$cache" "$results"
work=$(mktemp -d /tmp/cps-bench-build.XXXXXX)   # short: dockerd's exec-root holds sockets
raw=$work/raw.tsv
: > "$raw"
cpsh=$repo/out/shell/cpsh
dockerd_pid=
log() { echo "==> $*" >&2; }
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

cleanup() {
  set +e
  if [[ -n $dockerd_pid ]]; then
    kill "$dockerd_pid" 2> /dev/null
    for _ in $(seq 100); do kill -0 "$dockerd_pid" 2> /dev/null || break; sleep 0.1; done
  fi
  if [[ $use_buildah == 1 && -d $work/buildah ]]; then
    for r in "$work"/buildah/root*; do [[ -d $r ]] && buildah --root "$r" --runroot "$r.run" rm -a > /dev/null 2>&1; done
  fi
  awk -v p="$work" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
  if [[ $keep == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $build == 1 || ! -x $cpsh ]]; then log "building (./build.sh)"; "$repo/build.sh" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }; fi
command -v buildah > /dev/null || { use_buildah=0; log "buildah: not installed (apt-get install buildah)"; }
[[ -x /usr/bin/docker && -x /usr/sbin/dockerd ]] || { use_docker=0; log "docker: not installed (apt-get install docker.io)"; }

# --- the context and the base image --------------------------------------------------------
log "making the reference context"
ctx=$work/context
python3 "$here/make-context.py" "$ctx"
touchfile=$ctx/files/d050/f10.txt
cp "$touchfile" "$work/touchfile.orig"
reset_context() { cp "$work/touchfile.orig" "$touchfile"; }
base_store=$work/base-store
CONTAINERPS_ROOT=$base_store "$cpsh" -NoProfile -Command "& '$repo/scripts/New-BusyboxImage.ps1' | Out-Null; Save-Image busybox:latest -Path '$work/busybox.tar'" > /dev/null

# --- docker --------------------------------------------------------------------------------
dsock=$work/d/docker.sock
docker_cmd() { DOCKER_BUILDKIT=1 /usr/bin/docker -H "unix://$dsock" "$@"; }
if [[ $use_docker == 1 ]]; then
  log "starting dockerd (own data root)"
  mkdir -p "$work/d"
  /usr/sbin/dockerd --data-root "$work/d/data" --exec-root "$work/d/x" --pidfile "$work/d/pid" -H "unix://$dsock" \
    --bridge=none --iptables=false --ip-masq=false --storage-driver overlay2 > "$work/d/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 300); do [[ -S $dsock ]] && docker_cmd version > /dev/null 2>&1 && break; sleep 0.1; done
  docker_cmd version > /dev/null 2>&1 || { log "dockerd did not start (see below); going on without docker"; tail -5 "$work/d/dockerd.log" >&2; use_docker=0; }
  [[ $use_docker == 1 ]] && docker_cmd load -i "$work/busybox.tar" > /dev/null
fi

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$raw"; }

for round in $(seq "$rounds"); do
  log "round $round/$rounds"
  # ours
  reset_context
  store=$work/ours-$round
  cp -a "$base_store" "$store"
  while read -r phase value; do record ours "$phase" "$round" "$value"; done \
    < <(CONTAINERPS_ROOT=$store "$cpsh" -NoProfile -File "$here/ours.ps1" "$ctx" "$touchfile")
  t0=$(now); CONTAINERPS_ROOT=$store "$cpsh" -NoProfile -Command "Invoke-ContainerBuild '$ctx' -Tag bench:latest -Network none -Quiet | Out-Null"; t1=$(now)
  record ours-process cached "$round" "$(ms "$t0" "$t1")"
  rm -rf "$store"

  if [[ $use_docker == 1 ]]; then
    reset_context
    docker_cmd rmi -f bench:latest > /dev/null 2>&1 || true
    docker_cmd builder prune -af > /dev/null
    for phase in cold cached touched; do
      [[ $phase == touched ]] && echo touched >> "$touchfile"
      t0=$(now); docker_cmd build -q --network none -t bench:latest "$ctx" > /dev/null; t1=$(now)
      record docker "$phase" "$round" "$(ms "$t0" "$t1")"
    done
  fi

  if [[ $use_buildah == 1 ]]; then
    reset_context
    broot=$work/buildah/root$round
    mkdir -p "$work/buildah"
    buildah --root "$broot" --runroot "$broot.run" --storage-driver overlay pull -q "docker-archive:$work/busybox.tar" > /dev/null
    for phase in cold cached touched; do
      [[ $phase == touched ]] && echo touched >> "$touchfile"
      t0=$(now)
      buildah --root "$broot" --runroot "$broot.run" --storage-driver overlay bud -q --layers --network none --pull-never -t bench:latest "$ctx" > /dev/null
      t1=$(now)
      record buildah "$phase" "$round" "$(ms "$t0" "$t1")"
    done
    buildah --root "$broot" --runroot "$broot.run" rm -a > /dev/null 2>&1 || true
    awk -v p="$broot" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
    rm -rf "$broot" "$broot.run"
  fi
done

python3 "$here/report.py" "$raw" | tee "$results/build.md"
cp "$raw" "$results/build.raw.tsv"
