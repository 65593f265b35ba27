#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Volumes, bind and tmpfs mounts and Copy-ContainerItem, as users would check them: real
# busybox containers in a throw-away store; everything made here is removed in AfterAll.

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    $script:root = Initialize-TestStore
    Import-ContainerPSUnderTest
    New-TestBusyboxImage | Out-Null
    $script:hostDir = [System.IO.Path]::Combine($script:root, 'host')
    [System.IO.Directory]::CreateDirectory($script:hostDir) | Out-Null
}

AfterAll {
    Get-Container -All | Remove-Container -Force
    Remove-ContainerVolume -Unused -All -Force
    Remove-TestStore $script:root
}

Describe 'Volumes' {
    It 'keeps data written to a named volume after the container is gone' {
        Start-Container busybox -AutoRemove -Volume pester-data:/data -- sh -c 'echo kept > /data/f' | Out-Null
        Start-Container busybox -AutoRemove -Volume pester-data:/data -- cat /data/f | Should -Be 'kept'
        (Get-ContainerVolume pester-data).Driver | Should -Be 'local'
    }

    It 'refuses writes to a read-only volume' {
        Start-Container busybox -AutoRemove -Volume pester-data:/data:ro -- sh -c '(echo x > /data/g) 2>/dev/null || echo refused' | Should -Be 'refused'
    }

    It 'does not remove a volume a container uses' {
        $c = New-Container busybox -Volume pester-busy:/data -- true
        $err = $null
        Remove-ContainerVolume pester-busy -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VolumeInUse*'
        $c | Remove-Container
        Remove-ContainerVolume pester-busy -PassThru | Select-Object -ExpandProperty Name | Should -Be 'pester-busy'
    }

    It 'mounts host directories and tmpfs' {
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($script:hostDir, 'f'), "from host`n")
        $out = Start-Container busybox -AutoRemove -Volume "$($script:hostDir):/h" -Tmpfs '/scratch:size=1m' -- sh -c 'cat /h/f; grep -c " /scratch tmpfs" /proc/mounts'
        $out | Should -Be @('from host', '1')
    }
}

Describe 'Copy-ContainerItem' {
    It 'copies out of and into a container, keeping modes' {
        Start-Container busybox -Name pester-cp -- sh -c 'echo inside > /f; chmod 640 /f' | Out-Null
        Copy-ContainerItem pester-cp:/f ([System.IO.Path]::Combine($script:hostDir, 'out'))
        [System.IO.File]::ReadAllText([System.IO.Path]::Combine($script:hostDir, 'out')) | Should -Be "inside`n"
        [int]([System.IO.FileInfo]::new([System.IO.Path]::Combine($script:hostDir, 'out'))).UnixFileMode | Should -Be ([Convert]::ToInt32('640', 8))
        Copy-ContainerItem ([System.IO.Path]::Combine($script:hostDir, 'f')) pester-cp:/tmp/
        Copy-ContainerItem pester-cp:/tmp/f ([System.IO.Path]::Combine($script:hostDir, 'roundtrip'))
        [System.IO.File]::ReadAllText([System.IO.Path]::Combine($script:hostDir, 'roundtrip')) | Should -Be "from host`n"
    }

    It 'reports a missing file as ObjectNotFound' {
        $err = $null
        Copy-ContainerItem pester-cp:/nope $script:hostDir -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
