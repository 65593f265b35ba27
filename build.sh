#!/usr/bin/env bash
# Builds ContainerPS (Release) and lays out what PowerShell loads:
#
#   out/ContainerPS/            the module: Import-Module ./out/ContainerPS/ContainerPS.psd1
#     ContainerPS.psd1          manifest (copied from the repo root)
#     ContainerPS.Module.dll    cmdlets; the only assembly in PowerShell's default load context
#     ContainerPS.format.ps1xml, ContainerPS.types.ps1xml
#     en-US/ContainerPS.Module.dll-Help.xml
#     deps/*.dll                engine, compose and third-party assemblies (YamlDotNet,
#                               SharpCompress, Tmds.LibC): loaded into the module's own
#                               AssemblyLoadContext, so other modules' copies never clash
#     deps/containerps-shim     the container init, exec and network teardown (NativeAOT)
#     deps/containerps-monitor  the per-container monitor (NativeAOT, kept small: one per container)
#   out/shell/cpsh              the bundled shell; imports ../ContainerPS/ContainerPS.psd1
#
# Usage: ./build.sh           build everything, lay out the module, publish the shell
#        ./build.sh module    build and lay out only the module (quick iteration)
# Idempotent: every run replaces out/ContainerPS and out/shell whole.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
repo=$PWD
target=${1:-all}
config=Release
out=$repo/out
module_out=$out/ContainerPS
shell_out=$out/shell
module_src=$repo/src/Module

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

case $target in
  all|module) ;;
  *) echo "build.sh: unknown target '$target' (use: all, module)" >&2; exit 2 ;;
esac

# Quiet: a step's output is shown only when it fails (warnings are errors in this repo).
quiet=(--nologo -v minimal)
run() {
  local log status=0
  log=$(mktemp "${TMPDIR:-/tmp}/containerps-build-log.XXXXXX")
  "$@" >"$log" 2>&1 || status=$?
  if (( status != 0 )); then
    cat "$log" >&2
    rm -f "$log"
    echo "build.sh: FAILED ($status): $*" >&2
    exit "$status"
  fi
  rm -f "$log"
}

stage=$(mktemp -d "${TMPDIR:-/tmp}/containerps-build.XXXXXX")
trap 'rm -rf "$stage"' EXIT

if [[ $target == all ]]; then
  echo "==> dotnet build Containers.sln -c $config"
  run dotnet build "$repo/Containers.sln" -c "$config" "${quiet[@]}"
else
  echo "==> dotnet build src/Module -c $config"
  run dotnet build "$module_src" -c "$config" "${quiet[@]}"
fi

echo "==> laying out $module_out"
run dotnet publish "$module_src" -c "$config" --no-build -o "$stage/publish" "${quiet[@]}"

layout=$stage/ContainerPS
mkdir -p "$layout/deps" "$layout/en-US"
cp "$repo/ContainerPS.psd1" "$layout/"
cp "$module_src/ContainerPS.format.ps1xml" "$module_src/ContainerPS.types.ps1xml" "$layout/"
cp "$module_src/en-US/ContainerPS.Module.dll-Help.xml" "$layout/en-US/"
cp "$stage/publish/ContainerPS.Module.dll" "$layout/"
[[ -f $stage/publish/ContainerPS.Module.pdb ]] && cp "$stage/publish/ContainerPS.Module.pdb" "$layout/"

shopt -s nullglob
for dll in "$stage/publish"/*.dll; do
  name=$(basename "$dll")
  case $name in
    ContainerPS.Module.dll) ;;                     # module root, default load context
    System.Management.Automation.dll) ;;           # the host's own; never ship a copy
    *) cp "$dll" "$layout/deps/" ;;
  esac
done
for pdb in "$stage/publish"/ContainerPS.*.pdb; do
  [[ $(basename "$pdb") == ContainerPS.Module.pdb ]] || cp "$pdb" "$layout/deps/"
done
shopt -u nullglob
# RID-specific assets (Tmds.LibC ships only runtimes/linux-*/lib/...): the load context
# probes deps/runtimes/<rid>/ for the machine it runs on.
if [[ -d $stage/publish/runtimes ]]; then
  cp -R "$stage/publish/runtimes" "$layout/deps/"
fi

# The shim (init, exec, network teardown) and the monitor are NativeAOT: started per
# container, they must not pay for a JIT start-up. Each is rebuilt only when its sources
# changed (AOT compilation takes ~30 s).
case $(uname -m) in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
publish_aot() {  # PROJECT-DIR BINARY
  local project=$1 binary=$2 stamp=$out/.$2-stamp cache=$out/.$2 hash
  echo "==> dotnet publish $project (NativeAOT)"
  hash=$(cat "$project"/*.csproj src/Runtime/*.csproj $(find "$project" src/Runtime -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort) Directory.Build.props | sha256sum | cut -c1-16)
  if [[ ! -x $cache/$binary || $(cat "$stamp" 2>/dev/null) != "$hash" ]]; then
    rm -rf "$cache"
    run dotnet publish "$repo/$project" -c "$config" -r "$rid" -o "$cache" "${quiet[@]}"
    echo "$hash" > "$stamp"
  fi
  cp "$cache/$binary" "$layout/deps/"
}
publish_aot src/Shim containerps-shim
publish_aot src/Monitor containerps-monitor

for required in ContainerPS.Engine.dll ContainerPS.Runtime.dll ContainerPS.Compose.dll YamlDotNet.dll SharpCompress.dll containerps-shim containerps-monitor; do
  [[ -f $layout/deps/$required ]] || { echo "build.sh: $required missing from the module's deps/" >&2; exit 1; }
done
compgen -G "$layout/deps/runtimes/linux-*/lib/*/Tmds.LibC.dll" >/dev/null \
  || [[ -f $layout/deps/Tmds.LibC.dll ]] \
  || { echo "build.sh: Tmds.LibC.dll missing from the module's deps/" >&2; exit 1; }

mkdir -p "$out"
rm -rf "$module_out"
mv "$layout" "$module_out"

if [[ $target == all ]]; then
  echo "==> dotnet publish src/Shell -o $shell_out"
  rm -rf "$shell_out"
  run dotnet publish "$repo/src/Shell" -c "$config" -o "$shell_out" "${quiet[@]}"
  [[ -x $shell_out/cpsh ]] || { echo "build.sh: $shell_out/cpsh was not produced" >&2; exit 1; }
fi

echo "==> done: $module_out$([[ $target == all ]] && echo ", $shell_out/cpsh")"
