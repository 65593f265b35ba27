#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# MiniPester's own check: the results here are asserted one by one by
# PesterSuiteTests.MiniPester_reports_failures; keep the two in step (names, lines).

Describe 'failing tests' {
    It 'passes' {
        1 | Should -Be 1
    }

    It 'fails an assertion' {
        $value = 'actual'
        $value | Should -Be 'expected'
    }

    It 'throws' {
        throw 'thrown by the test'
    }

    It 'calls a command that does not exist' {
        Invoke-NoSuchCommand
    }

    It 'is skipped' -Skip {
        throw 'must not run'
    }
}

Describe 'a BeforeAll that throws' {
    BeforeAll {
        throw 'setup failed'
    }

    It 'fails with the setup error (1)' { }
    It 'fails with the setup error (2)' { }
}

Describe 'an AfterAll that throws' {
    AfterAll {
        throw 'teardown failed'
    }

    It 'still passes itself' { }
}

Describe 'a BeforeEach or AfterEach that throws' {
    Context 'BeforeEach' {
        BeforeEach { throw 'before each failed' }
        It 'fails without running' { throw 'must not run' }
    }

    Context 'AfterEach' {
        AfterEach { throw 'after each failed' }
        It 'fails after running' { }
    }
}
