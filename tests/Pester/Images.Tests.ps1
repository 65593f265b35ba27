#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    $script:root = Initialize-TestStore
    Import-ContainerPSUnderTest
    $script:busybox = New-TestBusyboxImage
}

AfterAll {
    Remove-TestStore $script:root
}

Describe 'Import-Image -FileSystemPath (docker import)' {
    It 'creates busybox:latest with the default PATH and CMD sh' {
        $script:busybox.RepoTags | Should -Contain 'busybox:latest'
        $script:busybox.Id | Should -Match '^sha256:[0-9a-f]{64}$'
        $script:busybox.Config.Cmd | Should -Be @('sh')
        $script:busybox.Config.Env | Should -Contain 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    }
}

Describe 'Get-Image' {
    It 'finds an image by familiar name, full name and ID prefix' {
        (Get-Image -Reference busybox).Id | Should -Be $script:busybox.Id
        (Get-Image -Reference docker.io/library/busybox:latest).Id | Should -Be $script:busybox.Id
        (Get-Image -Id $script:busybox.Id.Substring(7, 12)).Id | Should -Be $script:busybox.Id
    }

    It 'supports wildcards' {
        @(Get-Image -Reference 'busy*').Count | Should -BeGreaterOrEqual 1
        @(Get-Image -Reference 'nomatch*').Count | Should -Be 0
    }

    It 'reports a missing image as ObjectNotFound' {
        $err = $null
        Get-Image -Reference nosuch:tag -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Remove-Image' {
    It 'removes nothing with -WhatIf' {
        Get-Image | Where-Object Repository -eq 'busybox' | Remove-Image -WhatIf
        (Get-Image -Reference busybox:latest).Id | Should -Be $script:busybox.Id
    }

    It 'untags while other names remain, as docker rmi does' {
        Add-ImageTag -Source busybox:latest -Target busybox:extra
        $result = Remove-Image -Reference busybox:extra -Confirm:$false
        $result.Action | Should -Be 'Untagged'
        (Get-Image -Reference busybox:latest).Id | Should -Be $script:busybox.Id
    }

    It 'rejects an invalid reference as InvalidArgument' {
        $err = $null
        Remove-Image -Reference 'Bad:Name' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Save-Image and Import-Image' {
    It 'round-trips an image with the same ID and layers' {
        $tar = [System.IO.Path]::Combine($script:root, 'busybox.tar')
        Get-Image -Reference busybox:latest | Save-Image -Path $tar
        [System.IO.File]::Exists($tar) | Should -BeTrue
        Remove-Image -Reference busybox:latest -Confirm:$false | Out-Null
        $loaded = Import-Image -Path $tar
        $loaded.Id | Should -Be $script:busybox.Id
        $loaded.Layers | Should -Be $script:busybox.Layers
        $loaded.RepoTags | Should -Contain 'busybox:latest'
    }

    It 'refuses to overwrite an existing file without -Force' {
        $tar = [System.IO.Path]::Combine($script:root, 'exists.tar')
        [System.IO.File]::WriteAllText($tar, 'x')
        { Save-Image -Reference busybox:latest -Path $tar -ErrorAction Stop } | Should -Throw
        Save-Image -Reference busybox:latest -Path $tar -Force
        ([System.IO.FileInfo]$tar).Length | Should -BeGreaterThan 1000
    }
}

Describe 'Get-ImageHistory' {
    It 'takes images from Get-Image on the pipeline' {
        $history = @(Get-Image -Reference busybox:latest | Get-ImageHistory)
        $history.Count | Should -BeGreaterOrEqual 1
        $history[0].Id | Should -Be $script:busybox.Id
    }
}

Describe 'Get-ContainerDiskUsage' {
    It 'reports the images row' {
        $images = Get-ContainerDiskUsage | Where-Object Type -eq 'Images'
        $images.Total | Should -BeGreaterOrEqual 1
        $images.Size | Should -BeGreaterThan 0
    }
}
