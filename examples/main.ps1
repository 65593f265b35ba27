<#
.SYNOPSIS
    The main job on the embedded defaults: make the busybox base image, list images, save
    it to a tar, remove it, and load it back with the same ID.
#>
[CmdletBinding()]
param([string] $ArchivePath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'busybox.tar'))

$ErrorActionPreference = 'Stop'
$repo = [System.IO.Path]::GetDirectoryName($PSScriptRoot)

"== Building busybox:latest from Debian's busybox-static"
$image = & ([System.IO.Path]::Combine($repo, 'scripts', 'New-BusyboxImage.ps1'))
$image | Out-Default

"== Get-Image"
Get-Image | Out-Default

"== Save-Image busybox:latest -> $ArchivePath"
Save-Image -Reference busybox:latest -Path $ArchivePath -Force -PassThru | ForEach-Object { "{0} ({1:N1} MB)" -f $_.FullName, ($_.Length / 1MB) }

"== Remove-Image busybox:latest"
Remove-Image -Reference busybox:latest -Confirm:$false | Out-Default

"== Import-Image -Path $ArchivePath"
$loaded = Import-Image -Path $ArchivePath
$loaded | Out-Default
if ($loaded.Id -ne $image.Id) { throw "the loaded image has ID $($loaded.Id), expected $($image.Id)" }
"Round trip kept the image ID $($image.ShortId)."
[System.IO.File]::Delete($ArchivePath)

"== Start-Container busybox (foreground): output streams to the pipeline, exit code to `$LASTEXITCODE"
Start-Container busybox -AutoRemove -- sh -c 'echo "hello from $(hostname), PID $$"; exit 3'
"exit code: $LASTEXITCODE"

"== Start-Container -Detach"
$web = Start-Container busybox -Name main-demo -Detach -- sh -c 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 1; done'
Start-Sleep -Seconds 2
Get-Container | Out-Default

"== Get-ContainerLog main-demo -Tail 2"
Get-ContainerLog main-demo -Tail 2 | Out-Default

"== Invoke-ContainerCommand main-demo (docker exec)"
Invoke-ContainerCommand main-demo -- sh -c 'echo "inside: $(hostname), processes: $(ps | wc -l)"'

"== Stop-Container and Remove-Container"
$web | Stop-Container -Timeout 1 -PassThru | Remove-Container -PassThru | ForEach-Object { "removed $($_.Name), exit code $($_.ExitCode)" }

"== Networks: a web server with a published port, fetched from the host"
$probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
$probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
Start-Container busybox -Name main-web -Detach -Publish "127.0.0.1:$($port):80" -- sh -c 'mkdir -p /www && echo "hello from $(hostname), served through a published port" > /www/index.html && exec httpd -f -p 80 -h /www' | Out-Null
Get-Container main-web | Out-Default
Get-ContainerPort main-web | Out-Default
$http = [System.Net.Http.HttpClient]::new()
$page = $null
for ($try = 0; $try -lt 50 -and -not $page; $try++) {
    try { $page = $http.GetStringAsync("http://127.0.0.1:$port/index.html").GetAwaiter().GetResult() } catch { Start-Sleep -Milliseconds 100 }
}
if (-not $page) { throw "nothing answered on 127.0.0.1:$port" }
"GET http://127.0.0.1:$port/ -> $($page.Trim())"

"== A user-defined network: containers reach each other by name"
New-ContainerNetwork main-net | Out-Default
Connect-ContainerNetwork main-net main-web
Start-Container busybox -AutoRemove -Network main-net -- wget -q -O - http://main-web/index.html
Remove-Container main-web -Force
Remove-ContainerNetwork main-net

"== Invoke-ContainerBuild examples/app (docker build): a two-stage Dockerfile, step output on the Information stream"
$app = [System.IO.Path]::Combine($repo, 'examples', 'app')
$built = Invoke-ContainerBuild $app -Tag example-app:1 -BuildArg @{ VERSION = '1.1' } -InformationAction Continue
$built | Out-Default

"== Start-Container example-app:1 (the built image's ENTRYPOINT + CMD)"
Start-Container example-app:1 -AutoRemove

"== Get-ImageHistory example-app:1 (docker history)"
Get-ImageHistory example-app:1 | Out-Default

"== Invoke-ContainerBuild again: every step from the build cache"
$sw = [System.Diagnostics.Stopwatch]::StartNew()
$again = Invoke-ContainerBuild $app -Tag example-app:1 -BuildArg @{ VERSION = '1.1' } -InformationVariable steps
$sw.Stop()
$cached = @($steps | Where-Object { "$($_.MessageData)" -like '*CACHED' }).Count
"{0} of {1} steps cached in {2:N2} s, same image: {3}" -f $cached, @($steps | Where-Object { $_.Tags -contains 'status' }).Count, $sw.Elapsed.TotalSeconds, ($again.Id -eq $built.Id)
