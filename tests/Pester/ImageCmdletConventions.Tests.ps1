#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What users rely on from every image cmdlet: pipeline binding by property name, -WhatIf,
# specific error categories and ErrorIds, and help.

BeforeDiscovery {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    $cmdlets = @(Get-ManifestCmdletName | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    $script:root = Initialize-TestStore
    Import-ContainerPSUnderTest
    $script:busybox = New-TestBusyboxImage
}

AfterAll {
    Remove-TestStore $script:root
}

Describe 'Pipeline binding by property name' {
    It 'Get-Image binds -Id from an Id property' {
        $rows = @([pscustomobject]@{ Id = $script:busybox.Id } | Get-Image)
        $rows.Count | Should -BeGreaterOrEqual 1
        $rows[0].Id | Should -Be $script:busybox.Id
    }

    It 'Get-Image binds -Reference from a Reference property and from plain strings' {
        @([pscustomobject]@{ Reference = 'busybox:latest' } | Get-Image)[0].Id | Should -Be $script:busybox.Id
        @('busybox:latest' | Get-Image)[0].Id | Should -Be $script:busybox.Id
    }

    It 'Get-ImageHistory binds the -Image alias and -Id by property name' {
        @([pscustomobject]@{ Image = 'busybox:latest' } | Get-ImageHistory)[0].Id | Should -Be $script:busybox.Id
        @([pscustomobject]@{ Id = $script:busybox.Id } | Get-ImageHistory)[0].Id | Should -Be $script:busybox.Id
    }

    It 'Add-ImageTag binds -Source from a Reference or Id property' {
        [pscustomobject]@{ Reference = 'busybox:latest' } | Add-ImageTag -Target busybox:by-reference
        [pscustomobject]@{ Id = $script:busybox.Id } | Add-ImageTag -Target busybox:by-id
        (Get-Image -Reference busybox:by-reference).Id | Should -Be $script:busybox.Id
        (Get-Image -Reference busybox:by-id).Id | Should -Be $script:busybox.Id
    }

    It 'Remove-ImageTag binds RepoTags by property name' {
        Add-ImageTag -Source busybox:latest -Target busybox:repotag-1, busybox:repotag-2
        [pscustomobject]@{ RepoTags = @('busybox:repotag-1', 'busybox:repotag-2') } | Remove-ImageTag
        @(Get-Image -Reference 'busybox:repotag-*').Count | Should -Be 0
        (Get-Image -Reference busybox:latest).Id | Should -Be $script:busybox.Id
    }

    It 'Remove-Image binds -Reference from a Reference property' {
        Add-ImageTag -Source busybox:latest -Target busybox:to-remove
        $result = [pscustomobject]@{ Reference = 'busybox:to-remove' } | Remove-Image -Confirm:$false
        $result.Action | Should -Be 'Untagged'
        @(Get-Image -Reference 'busybox:to-remove*').Count | Should -Be 0
    }

    It 'Save-Image binds -Id by property name, and Import-Image takes Get-ChildItem output (PSPath)' {
        $tar = [System.IO.Path]::Combine($script:root, 'by-id.tar')
        [pscustomobject]@{ Id = $script:busybox.Id } | Save-Image -Path $tar
        [System.IO.File]::Exists($tar) | Should -BeTrue
        $loaded = @(Get-ChildItem -LiteralPath $tar | Import-Image)
        $loaded.Count | Should -Be 1
        $loaded[0].Id | Should -Be $script:busybox.Id
    }
}

Describe '-WhatIf changes nothing' {
    It 'Add-ImageTag -WhatIf adds no name' {
        Add-ImageTag -Source busybox:latest -Target busybox:whatif -PassThru -WhatIf | Should -BeNullOrEmpty
        @(Get-Image -Reference 'busybox:whatif*').Count | Should -Be 0
    }

    It 'Remove-ImageTag -WhatIf keeps the name' {
        Add-ImageTag -Source busybox:latest -Target busybox:keep
        Remove-ImageTag -Reference busybox:keep -PassThru -WhatIf | Should -BeNullOrEmpty
        (Get-Image -Reference busybox:keep).Id | Should -Be $script:busybox.Id
    }

    It 'Remove-Image -WhatIf keeps the image, by name and by ID' {
        Remove-Image -Reference busybox:latest -WhatIf | Should -BeNullOrEmpty
        Remove-Image -Id $script:busybox.Id -Force -WhatIf | Should -BeNullOrEmpty
        (Get-Image -Reference busybox:latest).Id | Should -Be $script:busybox.Id
    }

    It 'Save-Image -WhatIf writes no file' {
        $tar = [System.IO.Path]::Combine($script:root, 'whatif.tar')
        $output = Save-Image -Reference busybox:latest -Path $tar -PassThru -WhatIf
        $output | Should -BeNullOrEmpty
        [System.IO.File]::Exists($tar) | Should -BeFalse
    }

    It 'Import-Image -WhatIf creates and loads nothing' {
        $rootfs = New-TestRootfsTarball ([System.IO.Path]::Combine($script:root, 'rootfs-whatif.tar')) 'whatif'
        Import-Image -FileSystemPath $rootfs -Reference whatif:1 -WhatIf | Should -BeNullOrEmpty
        @(Get-Image -Reference 'whatif*').Count | Should -Be 0

        $tar = [System.IO.Path]::Combine($script:root, 'load-whatif.tar')
        Save-Image -Reference busybox:latest -Path $tar
        Import-Image -Path $tar -WhatIf | Should -BeNullOrEmpty
    }
}

Describe 'Errors have specific categories and ErrorIds' {
    # -ErrorAction Stop turns each cmdlet's error into one Should -Throw can catch; the
    # FullyQualifiedErrorId is "<ErrorId>,<cmdlet class>".
    It '<Name>: <Category> (<ErrorId>)' -ForEach @(
        @{ Name = 'Get-Image of a missing name'; Category = 'ObjectNotFound'; ErrorId = 'ImageNotFound'; Command = { Get-Image -Reference nosuch:tag -ErrorAction Stop } }
        @{ Name = 'Get-ImageHistory of a missing name'; Category = 'ObjectNotFound'; ErrorId = 'ImageNotFound'; Command = { Get-ImageHistory -Reference nosuch:tag -ErrorAction Stop } }
        @{ Name = 'Add-ImageTag of a missing source'; Category = 'ObjectNotFound'; ErrorId = 'ImageNotFound'; Command = { Add-ImageTag -Source nosuch:tag -Target busybox:never -ErrorAction Stop } }
        @{ Name = 'Add-ImageTag to an invalid name'; Category = 'InvalidArgument'; ErrorId = 'InvalidReference'; Command = { Add-ImageTag -Source busybox:latest -Target 'Bad:Name' -ErrorAction Stop } }
        @{ Name = 'Remove-Image of a missing name'; Category = 'ObjectNotFound'; ErrorId = 'ImageNotFound'; Command = { Remove-Image -Reference nosuch:tag -Confirm:$false -ErrorAction Stop } }
        @{ Name = 'Remove-ImageTag of a missing name'; Category = 'ObjectNotFound'; ErrorId = 'ImageNotFound'; Command = { Remove-ImageTag -Reference nosuch:tag -ErrorAction Stop } }
        @{ Name = 'Save-Image of a missing name'; Category = 'ObjectNotFound'; ErrorId = 'ImageNotFound'; Command = { Save-Image -Reference nosuch:tag -Path ([System.IO.Path]::Combine($script:root, 'never.tar')) -ErrorAction Stop } }
        @{ Name = 'Import-Image of a missing file'; Category = 'ObjectNotFound'; ErrorId = 'PathNotFound'; Command = { Import-Image -Path ([System.IO.Path]::Combine($script:root, 'no-such.tar')) -ErrorAction Stop } }
    ) {
        $err = $Command | Should -Throw -ErrorId "$ErrorId,*" -PassThru
        $err.CategoryInfo.Category | Should -Be $Category
    }

    It 'Save-Image onto an existing file without -Force: ResourceExists (ArchiveExists)' {
        $tar = [System.IO.Path]::Combine($script:root, 'existing.tar')
        [System.IO.File]::WriteAllText($tar, 'x')
        $err = { Save-Image -Reference busybox:latest -Path $tar } | Should -Throw -ErrorId 'ArchiveExists,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        [System.IO.File]::ReadAllText($tar) | Should -Be 'x'
    }

    It 'Import-Image of a file that is not an image archive: InvalidArgument (InvalidArchive)' {
        $junk = [System.IO.Path]::Combine($script:root, 'junk.tar')
        [System.IO.File]::WriteAllText($junk, 'not a tar archive')
        $err = $null
        Import-Image -Path $junk -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidArchive,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'Remove-Image -Id of an image named in two repositories needs -Force: InvalidOperation' {
        Add-ImageTag -Source busybox:latest -Target other/busybox:conflict
        try {
            $err = $null
            Remove-Image -Id $script:busybox.Id -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            (Get-Image -Reference busybox:latest).Id | Should -Be $script:busybox.Id
        }
        finally {
            Remove-ImageTag -Reference other/busybox:conflict
        }
    }

    It 'a bad item does not stop the rest of the pipeline' {
        $err = $null
        $rows = @('nosuch:tag', 'busybox:latest' | Get-Image -ErrorVariable err -ErrorAction SilentlyContinue)
        $err.Count | Should -Be 1
        $rows.Count | Should -Be 1
        $rows[0].Id | Should -Be $script:busybox.Id
    }
}

Describe 'Help' {
    It 'exports exactly the cmdlets the manifest lists' {
        $exported = @(Get-Command -Module ContainerPS -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
        $exported | Should -Be @(Get-ManifestCmdletName | Sort-Object)
    }

    It 'Get-Help <Name> shows a synopsis and an example' -ForEach $cmdlets {
        $help = Get-Help -Name $Name
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without help content PowerShell makes the synopsis from the syntax ("Get-Image [[-Reference] ...").
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name *"
        @($help.examples.example).Count | Should -BeGreaterOrEqual 1
    }
}
