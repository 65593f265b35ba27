# The user path of bench/container-start: run by out/shell/cpsh (which pre-imports the
# ContainerPS module), with the store at $env:CONTAINERPS_ROOT holding busybox:latest.
#
#   cpsh -NoProfile -File ours.ps1 N WARMUP
#
# Runs `Start-Container busybox true -AutoRemove -Network none` (docker run --rm --network none
# busybox true, like the crun/runc bundles and the podman row) WARMUP + N
# times in this one session and prints one line per timed run: "ms <milliseconds>", timed
# with a Stopwatch around the cmdlet (shell start-up and module import excluded).
param(
    [Parameter(Mandatory, Position = 0)][int] $N,
    [Parameter(Mandatory, Position = 1)][int] $Warmup
)
$ErrorActionPreference = 'Stop'
$inv = [System.Globalization.CultureInfo]::InvariantCulture
for ($i = 0; $i -lt $Warmup + $N; $i++) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    Start-Container busybox true -AutoRemove -Network none
    $sw.Stop()
    if ($LASTEXITCODE -ne 0) { throw "Start-Container busybox true exited with $LASTEXITCODE" }
    if ($i -ge $Warmup) { 'ms {0}' -f $sw.Elapsed.TotalMilliseconds.ToString('0.###', $inv) }
}
