# Shared set-up for the Pester suites: a throw-away store root per file and the busybox
# base image made by the project's own script.

function Get-RepoRoot { [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..')) }

function Initialize-TestStore {
    $root = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'cps-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    [System.IO.Directory]::CreateDirectory($root) | Out-Null
    $env:CONTAINERPS_ROOT = $root
    $root
}

function Remove-TestStore([string] $Root) {
    $env:CONTAINERPS_ROOT = $null
    if ($Root -and [System.IO.Directory]::Exists($Root)) { [System.IO.Directory]::Delete($Root, $true) }
}

function Import-ContainerPSUnderTest {
    $manifest = [System.IO.Path]::Combine((Get-RepoRoot), 'out', 'ContainerPS', 'ContainerPS.psd1')
    if (-not [System.IO.File]::Exists($manifest)) { throw "build the module first (./build.sh): $manifest not found" }
    Import-Module $manifest -Force
}

function New-TestBusyboxImage([string] $Reference = 'busybox:latest') {
    & ([System.IO.Path]::Combine((Get-RepoRoot), 'scripts', 'New-BusyboxImage.ps1')) -Reference $Reference
}

Export-ModuleMember -Function Get-RepoRoot, Initialize-TestStore, Remove-TestStore, Import-ContainerPSUnderTest, New-TestBusyboxImage
