#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# MiniPester's own check: every test here must pass under MiniPester, and (being plain
# Pester 5) under real Pester 5.7 too; the counts are asserted by
# PesterSuiteTests.MiniPester_follows_Pester_5_semantics.

$discoveryOnly = 'set while discovering'

BeforeDiscovery {
    $cases = @(
        @{ Value = 1; Square = 1 }
        @{ Value = 3; Square = 9 }
    )
}

BeforeAll {
    $fileLevel = 'from the file-level BeforeAll'
    $script:scriptLevel = 'a script: variable'
    $root = $PSScriptRoot
}

Describe 'scopes' {
    BeforeAll {
        $blockLevel = 'from the Describe BeforeAll'
    }

    BeforeEach {
        $eachLevel = 'from BeforeEach'
    }

    It 'sees BeforeAll variables of the file and of its block' {
        $fileLevel | Should -Be 'from the file-level BeforeAll'
        $blockLevel | Should -Be 'from the Describe BeforeAll'
        $script:scriptLevel | Should -Be 'a script: variable'
        $eachLevel | Should -Be 'from BeforeEach'
    }

    It 'does not see variables made during discovery' {
        $discoveryOnly | Should -BeNullOrEmpty
    }

    It 'has $PSScriptRoot of the test file, also in BeforeAll' {
        $PSScriptRoot | Should -Be $root
        [System.IO.File]::Exists([System.IO.Path]::Combine($PSScriptRoot, 'Semantics.Fixture.ps1')) | Should -BeTrue
        $PSCommandPath | Should -BeLike '*Semantics.Fixture.ps1'
    }

    It 'gives each test a scope of its own (1)' {
        $leak = 'x'
        $blockLevel = 'changed in a test'
    }

    It 'gives each test a scope of its own (2)' {
        $leak | Should -BeNullOrEmpty
        $blockLevel | Should -Be 'from the Describe BeforeAll'
    }

    Context 'nested' {
        BeforeAll { $inner = "$blockLevel, inner" }
        BeforeEach { $eachLevel = "$eachLevel, then inner BeforeEach" }

        It 'sees outer and inner setup, outer BeforeEach first' {
            $inner | Should -Be 'from the Describe BeforeAll, inner'
            $eachLevel | Should -Be 'from BeforeEach, then inner BeforeEach'
        }
    }

    It 'has a TestDrive directory' {
        [System.IO.Directory]::Exists($TestDrive) | Should -BeTrue
    }
}

Describe 'data-driven tests' {
    It 'squares <Value> to <Square>' -ForEach $cases {
        $Value * $Value | Should -Be $Square
        $_.Value | Should -Be $Value
    }

    It 'takes any array: <_>' -TestCases @('a', 'b') {
        $_ | Should -BeIn @('a', 'b')
    }

    Context 'block for <Name>' -ForEach @(@{ Name = 'first'; N = 1 }, @{ Name = 'second'; N = 2 }) {
        BeforeAll { $twice = $N * 2 }
        It 'sees block data in BeforeAll and It' {
            $twice | Should -Be ($N * 2)
            $Name | Should -BeIn @('first', 'second')
        }
    }
}

Describe 'skipping' {
    It 'is skipped' -Skip {
        throw 'must not run'
    }

    It 'can skip itself' {
        Set-ItResult -Skipped -Because 'it says so'
        throw 'must not run'
    }

    Context 'skipped context' -Skip {
        BeforeAll { throw 'BeforeAll of a skipped block must not run' }
        It 'is skipped too' { throw 'must not run' }
    }
}

Describe 'Should' {
    It 'compares arrays element-wise with -Be' {
        @(1, 2, 3) | Should -Be @(1, 2, 3)
        @('sh') | Should -Be 'sh'
        'sh' | Should -Be @('sh')
        @(1, 2) | Should -Not -Be @(1, 2, 3)
        @(1, 2) | Should -Not -Be @(2, 1)
        , @() | Should -BeNullOrEmpty
        $null | Should -Be $null
        [System.Management.Automation.ErrorCategory]::ObjectNotFound | Should -Be 'ObjectNotFound'
        'ABC' | Should -Be 'abc'
        'ABC' | Should -Not -BeExactly 'abc'
        'ABC' | Should -BeExactly 'ABC'
    }

    It 'supports the comparison operators' {
        5 | Should -BeGreaterThan 4
        5 | Should -BeGreaterOrEqual 5
        5 | Should -BeLessThan 6
        5 | Should -BeLessOrEqual 5
        5 | Should -Not -BeGreaterThan 5
        5 | Should -GT 1
    }

    It 'supports boolean, null and collection operators' {
        $true | Should -BeTrue
        $false | Should -BeFalse
        $null | Should -BeFalse
        '' | Should -BeNullOrEmpty
        @{} | Should -BeNullOrEmpty
        'x' | Should -Not -BeNullOrEmpty
        @(1, 2, 3) | Should -Contain 2
        @(1, 2, 3) | Should -Not -Contain 4
        @(1, 2, 3) | Should -HaveCount 3
        @() | Should -HaveCount 0
        'one' | Should -HaveCount 1
        2 | Should -BeIn 1, 2, 3
    }

    It 'supports string operators' {
        'hello world' | Should -Match '^hello'
        'hello world' | Should -Not -MatchExactly '^HELLO'
        'hello world' | Should -BeLike 'HELLO*'
        'hello world' | Should -Not -BeLikeExactly 'HELLO*'
        'abc' | Should -Match -RegularExpression 'b'
    }

    It 'supports -BeOfType with types and type names' {
        'x' | Should -BeOfType [string]
        'x' | Should -BeOfType System.String
        'x' | Should -BeOfType ([string])
        1 | Should -Not -BeOfType [string]
        1 | Should -HaveType [int]
    }

    It 'supports -Exist' {
        $PSCommandPath | Should -Exist
        [System.IO.Path]::Combine($PSScriptRoot, 'no-such-file') | Should -Not -Exist
    }

    It 'supports -Throw with message, error id and type' {
        { throw 'boom here' } | Should -Throw
        { throw 'boom here' } | Should -Throw 'boom*'
        { throw 'boom here' } | Should -Throw -ExpectedMessage '*here'
        { throw [System.ArgumentException]::new('bad') } | Should -Throw -ExceptionType ([System.ArgumentException])
        { Write-Error 'nope' -ErrorId 'MyError' -ErrorAction Stop } | Should -Throw -ErrorId 'MyError*'
        { 1 } | Should -Not -Throw
        $err = { throw 'data' } | Should -Throw -PassThru
        $err.Exception.Message | Should -Be 'data'
    }

    It 'sees the test''s variables inside a -Throw script block' {
        $local = 'here'
        { if ($local -eq 'here') { throw 'seen' } } | Should -Throw 'seen'
    }

    It 'fails: <Name>' -ForEach @(
        @{ Name = '-Be on different values'; Assertion = { 1 | Should -Be 2 } }
        @{ Name = '-Be on arrays of different length'; Assertion = { @(1, 2) | Should -Be @(1, 2, 3) } }
        @{ Name = '-BeTrue on $false'; Assertion = { $false | Should -BeTrue } }
        @{ Name = '-Contain a missing item'; Assertion = { @(1) | Should -Contain 2 } }
        @{ Name = '-HaveCount wrong'; Assertion = { @(1, 2) | Should -HaveCount 3 } }
        @{ Name = '-Throw without an exception'; Assertion = { { 1 } | Should -Throw } }
        @{ Name = '-Throw with another message'; Assertion = { { throw 'a' } | Should -Throw -ExpectedMessage 'b' } }
        @{ Name = '-Not -Throw with an exception'; Assertion = { { throw 'a' } | Should -Not -Throw } }
        @{ Name = '-BeOfType wrong'; Assertion = { 1 | Should -BeOfType [string] } }
        @{ Name = '-Match no match'; Assertion = { 'abc' | Should -Match 'x' } }
        @{ Name = '-BeGreaterThan equal'; Assertion = { 1 | Should -BeGreaterThan 1 } }
        @{ Name = '-BeNullOrEmpty on a value'; Assertion = { 'x' | Should -BeNullOrEmpty } }
        @{ Name = '-Exist on a missing path'; Assertion = { '/no/such/path' | Should -Exist } }
    ) {
        $Assertion | Should -Throw -ErrorId 'PesterAssertionFailed'
    }
}
