# The user path of bench/build: run by out/shell/cpsh with $env:CONTAINERPS_ROOT at a store
# that holds busybox:latest and no build cache.
#
#   cpsh -NoProfile -File ours.ps1 CONTEXT TOUCHFILE
#
# Builds CONTEXT three times in this one session — cold (empty build cache), fully cached,
# and after changing the content of TOUCHFILE — and prints "cold|cached|touched <ms>", each
# timed with a Stopwatch around Invoke-ContainerBuild (shell start-up and module import excluded).
param(
    [Parameter(Mandatory, Position = 0)][string] $Context,
    [Parameter(Mandatory, Position = 1)][string] $TouchFile
)
$ErrorActionPreference = 'Stop'
$inv = [System.Globalization.CultureInfo]::InvariantCulture
function Measure-Build([string] $Label) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $image = Invoke-ContainerBuild $Context -Tag bench:latest -Network none -Quiet
    $sw.Stop()
    if (-not $image) { throw "the $Label build produced no image" }
    '{0} {1}' -f $Label, $sw.Elapsed.TotalMilliseconds.ToString('0.#', $inv)
}
Measure-Build cold
Measure-Build cached
[System.IO.File]::AppendAllText($TouchFile, "touched`n")
Measure-Build touched
