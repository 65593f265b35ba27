# A/B of two builds' teardown on the -AutoRemove default-bridge path (docs/benchmarks.md,
# "DEL in parallel"): in one cpsh session, `Start-Container busybox true -AutoRemove` with the
# shim (and the monitor beside it) of build A and of build B in turn, run by run (ABBA order),
# so both share the machine's conditions. The shim runs `netdown` (the CNI DEL); the engine is
# the session's own. Prints median, p10 and p90 per build.
#
#   $env:CONTAINERPS_ROOT = <a throw-away store holding busybox:latest>
#   cpsh -NoProfile -File shim-ab.ps1 -A <out-A>/ContainerPS/deps/containerps-shim -B <out-B>/ContainerPS/deps/containerps-shim [-N 40]
param(
    [Parameter(Mandatory)][string] $A,
    [Parameter(Mandatory)][string] $B,
    [int] $N = 40,
    [int] $Warmup = 4
)
$ErrorActionPreference = 'Stop'
$times = @{ A = [System.Collections.Generic.List[double]]::new(); B = [System.Collections.Generic.List[double]]::new() }
$shims = @{ A = $A; B = $B }
for ($i = 0; $i -lt $Warmup + $N; $i++) {
    foreach ($k in $(if ($i % 2) { 'A', 'B' } else { 'B', 'A' })) {
        $env:CONTAINERPS_SHIM = $shims[$k]
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        Start-Container busybox true -AutoRemove
        $sw.Stop()
        if ($LASTEXITCODE -ne 0) { throw "Start-Container busybox true exited with $LASTEXITCODE" }
        if ($i -ge $Warmup) { $times[$k].Add($sw.Elapsed.TotalMilliseconds) }
    }
}
foreach ($k in 'A', 'B') {
    $s = @($times[$k] | Sort-Object)
    $at = { param($q) $s[[Math]::Min($s.Count - 1, [int][Math]::Floor($s.Count * $q))] }
    '{0} median {1:0.0} p10 {2:0.0} p90 {3:0.0} runs {4}' -f $k, (& $at 0.5), (& $at 0.1), (& $at 0.9), $s.Count
}
