# The user path of bench/network: run by out/shell/cpsh (which pre-imports the ContainerPS
# module), with the store at $env:CONTAINERPS_ROOT holding busybox:latest.
#
#   cpsh -NoProfile -File ours.ps1 start N WARMUP NETWORK
#       `Start-Container busybox true -AutoRemove -Network NETWORK` WARMUP + N times; one
#       line per timed run: "ms <milliseconds>" (Stopwatch around the cmdlet)
#   cpsh -NoProfile -File ours.ps1 serve PORT
#       a detached busybox httpd serving /www/big (100 MiB) published on PORT (all host
#       addresses); prints "id <id>" and "ip <bridge address>"
param(
    [Parameter(Mandatory, Position = 0)][string] $Mode,
    [Parameter(Position = 1)][int] $N,
    [Parameter(Position = 2)][int] $Warmup,
    [Parameter(Position = 3)][string] $Network = 'bridge'
)
$ErrorActionPreference = 'Stop'
$inv = [System.Globalization.CultureInfo]::InvariantCulture
if ($Mode -eq 'start') {
    for ($i = 0; $i -lt $Warmup + $N; $i++) {
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        Start-Container busybox true -AutoRemove -Network $Network
        $sw.Stop()
        if ($LASTEXITCODE -ne 0) { throw "Start-Container busybox true exited with $LASTEXITCODE" }
        if ($i -ge $Warmup) { 'ms {0}' -f $sw.Elapsed.TotalMilliseconds.ToString('0.###', $inv) }
    }
}
elseif ($Mode -eq 'serve') {
    $c = Start-Container busybox -Detach -Name bench-web -Publish "$($N):80" -Command sh, '-c', 'mkdir -p /www && dd if=/dev/zero of=/www/big bs=1M count=100 2>/dev/null && touch /www/ready && exec httpd -f -p 80 -h /www'
    'id {0}' -f $c.Id
    'ip {0}' -f (Get-Container -Id $c.Id).IPAddress
}
