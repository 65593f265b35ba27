#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# ConvertFrom-Dockerfile: Dockerfiles as objects for linting and inspection.

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-ContainerPSUnderTest
    $script:dir = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'cps-dockerfile-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    [System.IO.Directory]::CreateDirectory($script:dir) | Out-Null
    $script:file = [System.IO.Path]::Combine($script:dir, 'Dockerfile')
    [System.IO.File]::WriteAllText($script:file, @'
# syntax=docker/dockerfile:1
ARG VERSION=1.36
FROM busybox:$VERSION AS build
RUN echo one \
    && echo two
COPY --chown=1:1 <<EOF /etc/motd
hello
EOF
FROM scratch
COPY --from=build /etc/motd /motd
CMD ["cat", "/motd"]
ENTRYPOINT cat /motd
'@)
    $script:bad = [System.IO.Path]::Combine($script:dir, 'Bad.Dockerfile')
    [System.IO.File]::WriteAllText($script:bad, "FROM busybox`n`nFOO bar`n")
}

AfterAll {
    if ($script:dir -and [System.IO.Directory]::Exists($script:dir)) { [System.IO.Directory]::Delete($script:dir, $true) }
}

Describe 'ConvertFrom-Dockerfile' {
    It 'writes one object per instruction, in file order, with stages and lines' {
        $all = @(ConvertFrom-Dockerfile -Path $script:file)
        $all.Count | Should -Be 8
        ($all | ForEach-Object Instruction) | Should -Be @('ARG', 'FROM', 'RUN', 'COPY', 'FROM', 'COPY', 'CMD', 'ENTRYPOINT')
        $all[0].StageIndex | Should -Be -1
        $all[0].Stage | Should -BeNullOrEmpty
        $all[2].Stage | Should -Be 'build'
        $all[2].StartLine | Should -Be 4
        $all[2].EndLine | Should -Be 5
        $all[6].Stage | Should -Be '1'
    }

    It 'lets Where-Object find shell-form commands' {
        $shellForm = @(ConvertFrom-Dockerfile $script:file | Where-Object { $_.Instruction -in 'CMD', 'ENTRYPOINT' -and -not $_.IsJsonForm })
        $shellForm.Count | Should -Be 1
        $shellForm[0].Instruction | Should -Be 'ENTRYPOINT'
        $shellForm[0].Arguments | Should -Be @('cat /motd')
    }

    It 'shows flags, JSON-form commands, heredocs and the typed instruction' {
        $all = @(ConvertFrom-Dockerfile $script:file)
        $all[3].Flags | Should -Be @('--chown=1:1')
        $all[3].Heredocs[0].Name | Should -Be 'EOF'
        $all[3].Heredocs[0].Content | Should -Be "hello`n"
        $all[6].Command | Should -Be @('cat', '/motd')
        $all[1].Parsed.BaseName | Should -Be 'busybox:$VERSION'
        $all[5].Parsed.From | Should -Be 'build'
    }

    It 'binds PSPath from the pipeline (Get-ChildItem output)' {
        @([pscustomobject]@{ PSPath = $script:file } | ConvertFrom-Dockerfile).Count | Should -Be 8
    }

    It 'reports a parse error as ParserError with file and line, and goes on with the next file' {
        $err = $null
        $out = @(ConvertFrom-Dockerfile -Path $script:bad, $script:file -ErrorVariable err -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 8
        $err.Count | Should -Be 1
        $err[0].CategoryInfo.Category | Should -Be 'ParserError'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DockerfileParseError*'
        $err[0].Exception.Line | Should -Be 3
        $err[0].Exception.File | Should -Be $script:bad
        $err[0].Exception.Message | Should -Be "${script:bad}:3: unknown instruction: FOO"
    }
}
