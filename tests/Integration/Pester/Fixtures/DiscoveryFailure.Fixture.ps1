# MiniPester's own check: an error while discovering fails the file, and nothing runs.
Describe 'never runs' {
    It 'is not run' { }
}

throw 'discovery failed'
