#!/usr/bin/env bash
# Installs what ContainerPS needs on a fresh Debian 12 machine of this kind (root, apt
# reachable): the peers and base-image sources the project and its tests use. Idempotent
# and quiet when everything is already there.
set -euo pipefail

# runc and crun: the OCI runtimes a container can be run with instead of the built-in one
# (tests/Unit/OciRuntimes runs the same bundle with all three).
packages=(busybox-static skopeo runc crun)
# tmux: a real terminal for the interactive tests (tests/Integration/Containers/InteractiveTerminalTests).
packages+=(tmux)
# The CNI reference plugins (bridge, host-local, portmap, firewall, loopback in /usr/lib/cni)
# every container's network is made with, and iptables, which portmap and firewall drive.
packages+=(containernetworking-plugins iptables)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (dotnet) is required and not on PATH" >&2
  exit 1
fi
