@{
    # The cmdlet assembly. Engine, compose and third-party assemblies live in deps/ and load
    # into the module's own AssemblyLoadContext (see src/Module/Loading), so they never
    # clash with other modules' copies of YamlDotNet or SharpCompress.
    RootModule           = 'ContainerPS.Module.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '40da8746-798c-458e-8a8d-f0757dce5c7c'
    Author               = 'ContainerPS contributors'
    CompanyName          = 'ContainerPS'
    Copyright            = '(c) ContainerPS contributors. All rights reserved.'
    Description          = 'A daemonless Linux container engine driven from PowerShell: images, containers, builds and compose projects as objects.'

    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'

    FormatsToProcess     = @('ContainerPS.format.ps1xml')
    TypesToProcess       = @('ContainerPS.types.ps1xml')

    # Explicit lists, no wildcards: list a cmdlet here only once it exists.
    CmdletsToExport      = @(
        'Add-ImageTag'
        'Connect-Container'
        'ConvertFrom-Dockerfile'
        'Connect-ContainerNetwork'
        'Disconnect-ContainerNetwork'
        'Get-ContainerNetwork'
        'Get-ContainerPort'
        'New-ContainerNetwork'
        'Remove-ContainerNetwork'
        'ConvertTo-Image'
        'Copy-ContainerItem'
        'Enter-Container'
        'Export-Container'
        'Get-Container'
        'Get-ContainerDiskUsage'
        'Get-ContainerLog'
        'Get-ContainerProcess'
        'Get-ContainerStats'
        'Get-ContainerVolume'
        'Invoke-ContainerCommand'
        'Invoke-ContainerBuild'
        'Get-Image'
        'Get-ImageHistory'
        'Import-Image'
        'New-Container'
        'New-ContainerVolume'
        'Remove-Container'
        'Remove-ContainerVolume'
        'Remove-Image'
        'Remove-ImageTag'
        'Rename-Container'
        'Restart-Container'
        'Resume-Container'
        'Save-Image'
        'Start-Container'
        'Stop-Container'
        'Suspend-Container'
        'Wait-Container'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags = @('container', 'docker', 'oci', 'image', 'compose', 'Linux', 'PSEdition_Core')
        }
    }
}
