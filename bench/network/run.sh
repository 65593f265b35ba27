#!/usr/bin/env bash
# Networking benchmark (issue 4): start-to-exit on the default bridge network, and throughput
# through a published port. See docs/benchmarks.md, "Networking (issue 4)".
#
#   bench/network/run.sh [--rounds R] [--per-round N] [--warmup W] [--no-docker] [--no-podman]
#
# Start-to-exit of `true` (docker run --rm busybox true), R rounds of N runs after W warm-ups,
# the tools interleaved round by round so they share the machine's conditions:
#   ours-bridge  cpsh: Start-Container busybox true -AutoRemove            (default network)
#   ours-none    the same with -Network none                               (no CNI at all)
#   podman       podman run --rm busybox true, throw-away storage, its default CNI network
#   podman-none  the same with --network none
#   docker       docker run --rm busybox true on a dockerd started here with its own data
#                root, exec root and bridge (no iptables: docker0 and the DOCKER chains are
#                shared with any other dockerd), stopped and cleaned up at exit
# Throughput: a 100 MiB file from busybox httpd in a container, fetched from the host with
# curl (3 times each) through the published port on 127.0.0.1, through the published port on
# the bridge's gateway address (a host address), and directly from the container's bridge IP.
# Everything the bench creates (stores, containers, podman and docker storage, docker0 and its
# iptables chains) is removed at exit, also on failure or Ctrl+C.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${CONTAINERPS_BENCH_CACHE:-/var/tmp/containerps-bench}
results=$repo/bench/results
rounds=3 per_round=10 warmup=3 use_docker=1 use_podman=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --per-round) per_round=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --no-docker) use_docker=0; shift ;;
    --no-podman) use_podman=0; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$cache" "$results"
work=$(mktemp -d "$cache/network.XXXXXX")
store=$work/store
raw=$work/raw.tsv
: > "$raw"
log() { echo "==> $*" >&2; }
have() { command -v "$1" > /dev/null 2>&1; }

[[ -x $repo/out/shell/cpsh ]] || { echo "run.sh: out/shell/cpsh not built: run ./build.sh" >&2; exit 1; }
# A snapshot of the built module, shell and shim: someone else's ./build.sh must not pull them away mid-run.
mkdir -p "$work/built"
cp -a "$repo/out/shell" "$repo/out/ContainerPS" "$work/built/"
cpsh=$work/built/shell/cpsh
export CONTAINERPS_ROOT=$store CONTAINERPS_SHIM=$work/built/ContainerPS/deps/containerps-shim

podman_root=$work/podman podman_runroot= dockerd_pid= docker_sock=$work/docker.sock
# dockerd gets a bridge of its own and leaves iptables alone: docker0 and the DOCKER chains are
# machine-wide, and another dockerd (someone else's bench) may own them.
docker_bridge=cpsbench-dk0
cleanup() {
  set +e
  "$cpsh" -NoProfile -Command 'Get-Container -All | Remove-Container -Force' > /dev/null 2>&1
  if [[ -d $podman_root ]] && have podman; then
    podman_cmd rm -a -f > /dev/null 2>&1
    podman_cmd rmi -a -f > /dev/null 2>&1
    for p in "$podman_root" "$podman_runroot"; do
      [[ -n $p ]] && awk -v p="$p" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
    done
    [[ -d /sys/class/net/cni-podman0 ]] && ip link delete cni-podman0
  fi
  [[ -n $podman_runroot ]] && rm -rf "$podman_runroot"
  if [[ -n $dockerd_pid ]]; then
    docker -H "unix://$docker_sock" rm -f $(docker -H "unix://$docker_sock" ps -aq) > /dev/null 2>&1
    kill "$dockerd_pid"; for _ in $(seq 50); do kill -0 "$dockerd_pid" 2> /dev/null || break; sleep 0.2; done
    awk -v p="$work/docker" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
    [[ -d /sys/class/net/$docker_bridge ]] && ip link delete "$docker_bridge"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

podman_cmd() {
  podman --root "$podman_root/root" --runroot "$podman_runroot" --tmpdir "$podman_root/tmp" \
    --storage-driver overlay --events-backend file --cgroup-manager cgroupfs "$@"
}
hard_nofile=$(ulimit -Hn)
podman_limits=(--ulimit "nofile=$hard_nofile:$hard_nofile" --ulimit "nproc=$hard_nofile:$hard_nofile")

# --- inputs ---------------------------------------------------------------------------------
log "making the busybox image (untimed)"
tar_path=$work/busybox.tar
"$cpsh" -NoProfile -File "$repo/scripts/New-BusyboxImage.ps1" -RootfsPath "$tar_path" > /dev/null
have_podman=0
if [[ $use_podman == 1 ]] && have podman; then
  podman_runroot=$(mktemp -d /tmp/nb-podman.XXXXXX)
  podman_cmd import -q "$tar_path" localhost/busybox:latest > /dev/null && have_podman=1
fi
have_docker=0
if [[ $use_docker == 1 ]] && have dockerd; then
  log "starting dockerd with its own data root and bridge"
  ip link add "$docker_bridge" type bridge && ip addr add 10.86.254.1/24 dev "$docker_bridge" && ip link set "$docker_bridge" up
  dockerd --data-root "$work/docker" --exec-root "$work/docker-exec" --pidfile "$work/docker.pid" \
    -H "unix://$docker_sock" --bridge "$docker_bridge" --iptables=false --ip-masq=false > "$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 100); do docker -H "unix://$docker_sock" info > /dev/null 2>&1 && break; sleep 0.2; done
  if docker -H "unix://$docker_sock" import "$tar_path" busybox:latest > /dev/null 2>&1; then have_docker=1; else
    echo "run.sh: dockerd did not come up; no docker row: $(tail -3 "$work/dockerd.log")" >&2; fi
fi

time_loop() {  # TOOL ROUND COMMAND...
  local tool=$1 round=$2 i t0 t1; shift 2
  for ((i = 0; i < warmup + per_round; i++)); do
    t0=${EPOCHREALTIME/./}
    "$@" > /dev/null 2>> "$work/$tool.err" || { echo "run.sh: $tool failed" >&2; tail -5 "$work/$tool.err" >&2; exit 1; }
    t1=${EPOCHREALTIME/./}
    ((i < warmup)) || printf '%s\t%s\t%d.%03d\n' "$tool" "$round" $(((t1 - t0) / 1000)) $(((t1 - t0) % 1000)) >> "$raw"
  done
}

# --- start-to-exit --------------------------------------------------------------------------
for ((r = 1; r <= rounds; r++)); do
  log "round $r of $rounds"
  for net in bridge none; do
    "$cpsh" -NoProfile -File "$here/ours.ps1" start "$per_round" "$warmup" "$net" > "$work/out" 2>> "$work/ours.err" || { tail "$work/ours.err" >&2; exit 1; }
    awk -v r="$r" -v t="ours-$net" '$1 == "ms" { printf "%s\t%s\t%s\n", t, r, $2 }' "$work/out" >> "$raw"
  done
  if [[ $have_podman == 1 ]]; then
    time_loop podman "$r" podman_cmd run --rm "${podman_limits[@]}" localhost/busybox:latest true
    time_loop podman-none "$r" podman_cmd run --rm --network none "${podman_limits[@]}" localhost/busybox:latest true
  fi
  [[ $have_docker == 1 ]] && time_loop docker "$r" docker -H "unix://$docker_sock" run --rm busybox:latest true
done

# --- throughput -----------------------------------------------------------------------------
log "throughput: 100 MiB through the published port and over the bridge"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
"$cpsh" -NoProfile -File "$here/ours.ps1" serve "$port" > "$work/serve" 2>> "$work/ours.err" || { tail "$work/ours.err" >&2; exit 1; }
ip=$(awk '$1 == "ip" { print $2 }' "$work/serve")
for _ in $(seq 100); do curl -sf -o /dev/null "http://$ip/ready" && break; sleep 0.2; done
for rep in 1 2 3; do
  for target in "published-127.0.0.1 http://127.0.0.1:$port/big" "published-gateway http://10.87.0.1:$port/big" "bridge-ip http://$ip/big"; do
    set -- $target
    curl -s -o /dev/null -w "throughput\t$1\t%{time_total}\t%{speed_download}\t%{size_download}\t%{http_code}\n" "$2" >> "$raw"
  done
done

# --- report ---------------------------------------------------------------------------------
cp "$raw" "$results/network.raw.tsv"
python3 "$here/report.py" "$raw" \
  "machine=$(nproc) vCPUs, kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
  "versions=$(podman --version 2> /dev/null); docker $(dockerd --version 2> /dev/null | awk '{print $3}' | tr -d ,); CNI plugins $(dpkg-query -W -f='${Version}' containernetworking-plugins)" \
  "rounds=$rounds x $per_round after $warmup warm-ups each" | tee "$results/network.md"
