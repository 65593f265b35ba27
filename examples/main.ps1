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
