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
#     deps/containerps-shim     the per-container monitor and container init (NativeAOT)
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

# The shim is NativeAOT: started per container, it must not pay for a JIT start-up. It is
# rebuilt only when its sources changed (AOT compilation takes ~30 s).
echo "==> dotnet publish src/Shim (NativeAOT)"
shim_stamp=$out/.shim-stamp
shim_cache=$out/.shim
shim_hash=$(cat src/Shim/*.csproj src/Runtime/*.csproj $(find src/Shim src/Runtime -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort) Directory.Build.props | sha256sum | cut -c1-16)
if [[ ! -x $shim_cache/containerps-shim || $(cat "$shim_stamp" 2>/dev/null) != "$shim_hash" ]]; then
  rm -rf "$shim_cache"
  case $(uname -m) in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
  run dotnet publish "$repo/src/Shim" -c "$config" -r "$rid" -o "$shim_cache" "${quiet[@]}"
  echo "$shim_hash" > "$shim_stamp"
fi
cp "$shim_cache/containerps-shim" "$layout/deps/"

for required in ContainerPS.Engine.dll ContainerPS.Runtime.dll ContainerPS.Compose.dll YamlDotNet.dll SharpCompress.dll containerps-shim; do
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
