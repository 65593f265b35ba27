# The user path of bench/save-load: run by out/shell/cpsh (which pre-imports the ContainerPS
# module), with the store at $env:CONTAINERPS_ROOT.
#
#   cpsh -File ours.ps1 load ARCHIVE          Import-Image -Path ARCHIVE
#   cpsh -File ours.ps1 save REFERENCE OUT    Save-Image -Reference REFERENCE -Path OUT
#
# Timed in the script with a Stopwatch, so the shell's start-up and the module import are
# excluded (run.sh measures the whole process too and reports the difference). Prints
# "seconds N" like the engine-level driver.
param(
    [Parameter(Mandatory, Position = 0)][ValidateSet('load', 'save')][string] $Operation,
    [Parameter(Mandatory, Position = 1)][string] $First,
    [Parameter(Position = 2)][string] $Second
)
$ErrorActionPreference = 'Stop'
$sw = [System.Diagnostics.Stopwatch]::StartNew()
if ($Operation -eq 'load') {
    $images = Import-Image -Path $First
    $sw.Stop()
    if (@($images).Count -ne 1) { throw "expected one image from Import-Image, got $(@($images).Count)" }
} else {
    Save-Image -Reference $First -Path $Second
    $sw.Stop()
    if (-not (Test-Path -LiteralPath $Second)) { throw "Save-Image wrote no $Second" }
}
'seconds {0}' -f $sw.Elapsed.TotalSeconds.ToString('0.######', [System.Globalization.CultureInfo]::InvariantCulture)
