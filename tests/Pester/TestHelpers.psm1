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
    # -Global: called from inside this module, a plain Import-Module would import ContainerPS
    # into TestHelpers' own session state, and the tests would not see its cmdlets.
    Import-Module $manifest -Force -Global
}

function New-TestBusyboxImage([string] $Reference = 'busybox:latest') {
    & ([System.IO.Path]::Combine((Get-RepoRoot), 'scripts', 'New-BusyboxImage.ps1')) -Reference $Reference
}

# The cmdlets the repository's manifest exports (CmdletsToExport), read without importing
# anything, so it also works during Pester's discovery phase (BeforeDiscovery).
function Get-ManifestCmdletName {
    $path = [System.IO.Path]::Combine((Get-RepoRoot), 'ContainerPS.psd1')
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)
    if ($errors.Count -gt 0) { throw "cannot parse ${path}: $($errors[0].Message)" }
    $data = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $false).SafeGetValue()
    @($data['CmdletsToExport'])
}

# A small root filesystem tarball (docker import input) at $Path; $Content makes it unique.
function New-TestRootfsTarball([string] $Path, [string] $Content = 'containerps') {
    $dir = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($Path), [guid]::NewGuid().ToString('N'))
    [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($dir, 'etc')) | Out-Null
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($dir, 'etc', 'hostname'), "$Content`n")
    try { [System.Formats.Tar.TarFile]::CreateFromDirectory($dir, $Path, $false) }
    finally { [System.IO.Directory]::Delete($dir, $true) }
    $Path
}

Export-ModuleMember -Function Get-RepoRoot, Initialize-TestStore, Remove-TestStore, Import-ContainerPSUnderTest, New-TestBusyboxImage, Get-ManifestCmdletName, New-TestRootfsTarball
