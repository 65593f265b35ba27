#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    $script:root = Initialize-TestStore
    Import-ContainerPSUnderTest
    New-TestBusyboxImage | Out-Null
    $script:context = [System.IO.Path]::Combine($script:root, 'app')
    [System.IO.Directory]::CreateDirectory($script:context) | Out-Null
    function Set-ContextFile([string] $Name, [string] $Text) {
        $path = [System.IO.Path]::Combine($script:context, $Name)
        [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($path)) | Out-Null
        [System.IO.File]::WriteAllText($path, $Text)
    }
}

AfterAll {
    Get-Container -All | Remove-Container -Force
    Remove-TestStore $script:root
}

Describe 'Invoke-ContainerBuild (docker build)' {
    It 'builds an image that Start-Container runs' {
        Set-ContextFile 'greeting.txt' "Hello CloudMan`n"
        Set-ContextFile 'Dockerfile' "FROM busybox`nWORKDIR /app`nCOPY greeting.txt .`nCMD [`"cat`", `"/app/greeting.txt`"]`n"
        $image = Invoke-ContainerBuild $script:context -Tag pester-app:1
        $image.RepoTags | Should -Contain 'pester-app:1'
        Start-Container pester-app:1 -AutoRemove | Should -Be 'Hello CloudMan'
    }

    It 'takes every step from the cache on a second build and gives the same image' {
        $first = Invoke-ContainerBuild $script:context -Tag pester-app:1
        $info = $null
        $second = Invoke-ContainerBuild $script:context -Tag pester-app:1 -InformationVariable info
        $second.Id | Should -Be $first.Id
        @($info | Where-Object { $_.Tags -contains 'status' } | Where-Object { "$($_.MessageData)" -notlike '*CACHED' }).Count | Should -Be 0
    }

    It 're-runs from the step that reads a changed file' {
        $before = Invoke-ContainerBuild $script:context -Tag pester-app:1
        Set-ContextFile 'greeting.txt' "Hello again`n"
        $info = $null
        $after = Invoke-ContainerBuild $script:context -Tag pester-app:1 -InformationVariable info
        $after.Id | Should -Not -Be $before.Id
        ($info | Where-Object { "$($_.MessageData)" -like '*COPY greeting.txt*' }).MessageData | Should -BeLike '*DONE'
        Start-Container pester-app:1 -AutoRemove | Should -Be 'Hello again'
    }

    It 'reports a failing RUN as BuildStepFailed and tags nothing' {
        Set-ContextFile 'Dockerfile.fail' "FROM busybox`nRUN exit 5`n"
        $err = $null
        Invoke-ContainerBuild $script:context -File ([System.IO.Path]::Combine($script:context, 'Dockerfile.fail')) -Tag pester-fail -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BuildStepFailed,*'
        "$($err[0].Exception.Message)" | Should -BeLike '*exit code: 5*'
        @(Get-Image -Reference pester-fail -ErrorAction SilentlyContinue).Count | Should -Be 0
        @(Get-Container -All).Count | Should -Be 0
    }

    It 'counts the build cache in Get-ContainerDiskUsage' {
        $row = Get-ContainerDiskUsage | Where-Object Type -eq 'Build Cache'
        $row.Total | Should -BeGreaterThan 0
    }

    It 'shows the build in Get-ImageHistory' {
        $rows = Get-ImageHistory pester-app:1
        $rows.CreatedBy | Should -Contain 'WORKDIR /app'
        $rows.CreatedBy | Should -Contain 'COPY greeting.txt . # buildkit'
    }
}
