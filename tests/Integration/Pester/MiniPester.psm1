<#
MiniPester: a small stand-in for Pester 5, used only to run tests/Pester/*.Tests.ps1 on
machines where Pester cannot be installed (no PSGallery, and Pester is not on the NuGet
mirror), so that those suites are at least executed here and cannot rot unnoticed.
Real Pester 5 (Invoke-Pester on pwsh) remains the reference: CI runs the same files with it.
Do not use MiniPester for anything else, and do not write suites that only work with it.

It follows Pester 5's semantics for the subset the suites use:

  * Two phases. Discovery runs the file: Describe/Context bodies run (each in a new scope,
    with -ForEach data as variables), It/BeforeAll/AfterAll/BeforeEach/AfterEach are only
    recorded; BeforeDiscovery runs in place. Then the run phase executes what was recorded.
    Variables made at Describe level or at file level outside BeforeAll are therefore NOT
    visible in It, exactly as in Pester 5.
  * Scopes in the run phase: a block's BeforeAll and AfterAll are dot-sourced into one new
    scope per block (a child of the parent block's scope; file-level BeforeAll belongs to
    the root block); each test gets a new child scope of its block's where BeforeEach
    (outermost first), the It body and AfterEach (innermost first) are dot-sourced. All of
    them run in the session state of the caller of Invoke-MiniPester, never in this
    module's, so $PSScriptRoot, $script: variables and imported modules behave as in Pester.
  * It -Skip/-Pending, Describe/Context -Skip, -ForEach/-TestCases (hashtables become
    variables, every item is $_; null or empty data fails discovery unless
    -AllowNullOrEmptyForEach, as Pester >= 5.5 does), <name>/<_>/<a.b> name templates
    (expanded in the test's scope after BeforeEach), Set-ItResult -Skipped/-Pending/
    -Inconclusive, $TestDrive (a fresh directory per top-level block; no TestDrive: drive).
  * A block whose BeforeAll throws fails all its tests; a throwing AfterAll fails the block;
    an error during discovery fails the file. Blocks without tests to run (all skipped) are
    not set up, as in Pester >= 5.6.
  * Should with -Not and -Be/-EQ, -BeExactly/-CEQ, -BeTrue, -BeFalse, -BeNullOrEmpty,
    -BeGreaterThan/-GT, -BeGreaterOrEqual/-GE, -BeLessThan/-LT, -BeLessOrEqual/-LE, -Match,
    -MatchExactly, -BeLike, -BeLikeExactly, -Contain, -BeIn, -HaveCount, -BeOfType/-HaveType,
    -Exist, -Throw (-ExpectedMessage wildcard, -ErrorId wildcard on FullyQualifiedErrorId,
    -ExceptionType, -PassThru), -Because. Pipeline input is collected as Pester does: -Be,
    -BeExactly, -Contain, -HaveCount and -BeNullOrEmpty get the whole array (-Be compares
    element-wise), the others test each item.

Files are read, their '#requires -Modules ... Pester ...' line blanked (Pester is not
installed here; line numbers stay right) and parsed with their real path, so $PSScriptRoot
and $PSCommandPath are those of the file in tests/Pester and errors point at its lines.

Not supported (a suite using them fails here rather than passing wrongly): Mock and
Should -Invoke, InModuleScope, TestDrive:/TestRegistry: drives, Should operators not listed
above, containers with parameters. -Tag is accepted and ignored (no tag filters). Soft
assertions (Should -ErrorAction Continue) fail the test at once instead of at its end.

Written with .NET calls and core cmdlets only: the hosted runspace (cpsh, the xunit harness)
has no Microsoft.PowerShell.Utility module, just the stand-ins in src/Shell/Commands.

    Import-Module ./tests/Integration/Pester/MiniPester.psm1
    $r = Invoke-MiniPester -Path ./tests/Pester -Output Detailed
    $r.FailedCount
#>

Set-StrictMode -Version 3.0

$script:BindingFlags = [System.Reflection.BindingFlags]'Instance,NonPublic'
$script:SessionStateInternalProperty = [System.Management.Automation.SessionState].GetProperty('Internal', $script:BindingFlags)
$script:ScriptBlockSessionStateProperty = [scriptblock].GetProperty('SessionStateInternal', $script:BindingFlags)
if ($null -eq $script:SessionStateInternalProperty -or $null -eq $script:ScriptBlockSessionStateProperty) {
    throw 'MiniPester: this PowerShell does not expose SessionState.Internal/ScriptBlock.SessionStateInternal (Pester 5 needs them too).'
}

# The run in progress: discovery state, the current block, the phase, results.
$script:Run = $null

# ---------------------------------------------------------------------------------------
# Wrappers executed in the caller's session state (bound to it in Invoke-MiniPester).
# Their variables are visible to test code; the odd names keep them out of the way.
# ---------------------------------------------------------------------------------------

$script:SetVariablesText = @'
    if ($null -ne $______mp.Data) {
        if ($______mp.Data -is [System.Collections.IDictionary]) {
            foreach ($______mpKey in @($______mp.Data.Keys)) {
                $ExecutionContext.SessionState.PSVariable.Set([psvariable]::new([string]$______mpKey, $______mp.Data[$______mpKey]))
            }
        }
        $ExecutionContext.SessionState.PSVariable.Set([psvariable]::new('_', $______mp.Data))
    }
'@

# Discovery of a Describe/Context body: data as variables, the name expanded, the body run.
$script:DiscoverText = @'
param($______mp)
'@ + $script:SetVariablesText + @'
    if ($______mp.NameTemplate) {
        try { $______mp.Name = $ExecutionContext.InvokeCommand.ExpandString($______mp.NameTemplate) } catch { }
    }
    $null = . $______mp.Body
'@

# A block in the run phase: BeforeAll, the children (through the module), AfterAll.
$script:BlockText = @'
param($______mp, $______mpContinue)
'@ + $script:SetVariablesText + @'
    if ($______mp.TestDrive) { $ExecutionContext.SessionState.PSVariable.Set([psvariable]::new('TestDrive', $______mp.TestDrive)) }
    try {
        do {
            foreach ($______mpSetup in $______mp.BeforeAll) { $null = . $______mpSetup }
        } until ($true)
    }
    catch { $______mp.SetupError = $_ }
    try {
        & $______mpContinue $______mp
    }
    finally {
        foreach ($______mpSetup in $______mp.AfterAll) {
            try {
                do { $null = . $______mpSetup } until ($true)
            }
            catch { $______mp.TeardownErrors.Add($_) }
        }
    }
'@

# A test in the run phase: BeforeEach (outermost first), the name, the body, AfterEach.
$script:TestText = @'
param($______mp)
'@ + $script:SetVariablesText + @'
    try {
        do {
            foreach ($______mpSetup in $______mp.BeforeEach) { $null = . $______mpSetup }
            if ($______mp.NameTemplate) {
                try { $______mp.Name = $ExecutionContext.InvokeCommand.ExpandString($______mp.NameTemplate) } catch { }
            }
            $null = . $______mp.Body
        } until ($true)
    }
    catch { $______mp.ErrorRecord = $_ }
    foreach ($______mpSetup in $______mp.AfterEach) {
        try {
            do { $null = . $______mpSetup } until ($true)
        }
        catch { if ($null -eq $______mp.ErrorRecord) { $______mp.ErrorRecord = $_ } }
    }
'@

function Set-ScriptBlockSessionState([scriptblock] $ScriptBlock, [System.Management.Automation.SessionState] $SessionState) {
    $internal = $script:SessionStateInternalProperty.GetValue($SessionState, $null)
    $script:ScriptBlockSessionStateProperty.SetValue($ScriptBlock, $internal, $null)
    $ScriptBlock
}

function New-BoundScriptBlock([string] $Text, [System.Management.Automation.SessionState] $SessionState) {
    Set-ScriptBlockSessionState ([scriptblock]::Create($Text)) $SessionState
}

# ---------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------

function New-Block([string] $Name, $Parent, [scriptblock] $Body, $Data, [bool] $Skip, [int] $Line) {
    [pscustomobject]@{
        Kind           = 'Block'
        Name           = $Name
        NameTemplate   = $null
        Parent         = $Parent
        Body           = $Body
        Data           = $Data
        Skip           = $Skip
        Line           = $Line
        BeforeAll      = [System.Collections.Generic.List[scriptblock]]::new()
        AfterAll       = [System.Collections.Generic.List[scriptblock]]::new()
        BeforeEach     = [System.Collections.Generic.List[scriptblock]]::new()
        AfterEach      = [System.Collections.Generic.List[scriptblock]]::new()
        Children       = [System.Collections.Generic.List[object]]::new()
        SetupError     = $null
        TeardownErrors = [System.Collections.Generic.List[object]]::new()
        TestDrive      = $null
    }
}

function Get-BlockPath($Block) {
    $names = [System.Collections.Generic.List[string]]::new()
    for ($b = $Block; $null -ne $b -and $null -ne $b.Parent; $b = $b.Parent) { $names.Insert(0, $b.Name) }
    , $names.ToArray()
}

function Assert-Discovery([string] $Command) {
    if ($null -eq $script:Run) {
        throw "MiniPester: $Command can only be used in a test file run by Invoke-MiniPester (Invoke-Pester in real Pester)."
    }
    if ($script:Run.Phase -ne 'Discovery' -or $null -eq $script:Run.Current) {
        throw "MiniPester: $Command was called during the run phase (inside It, BeforeAll, BeforeEach...). In Pester 5, Describe, Context, It and the setup blocks may only be used in the file body or in Describe/Context bodies."
    }
}

function ConvertTo-DataItems($ForEach, [bool] $Bound, [bool] $AllowEmpty, [string] $What) {
    if (-not $Bound) { return , @($null) }
    $items = @($ForEach)
    if ($items.Count -eq 0 -or ($items.Count -eq 1 -and $null -eq $items[0])) {
        if ($AllowEmpty) { return , @() }
        throw "MiniPester: $What was given a null or empty -ForEach/-TestCases; Pester 5.5+ fails discovery for that (use -AllowNullOrEmptyForEach if intended)."
    }
    , $items
}

function ConvertTo-NameTemplate([string] $Name) {
    # Pester 5 expands <var>, <_>, <a.b> by evaluating them in the test's scope.
    if ($Name -notmatch '<[_A-Za-z][\w.]*>') { return $null }
    $escaped = $Name.Replace('`', '``').Replace('$', '`$').Replace('"', '`"')
    [regex]::Replace($escaped, '<([_A-Za-z][\w.]*)>', { param($m) '$($' + $m.Groups[1].Value + ')' })
}

# ---------------------------------------------------------------------------------------
# Discovery keywords
# ---------------------------------------------------------------------------------------

function Add-Block {
    param([string] $Keyword, [string] $Name, [scriptblock] $Fixture, [bool] $Skip, $ForEach, [bool] $ForEachBound, [bool] $AllowEmpty, [int] $Line)
    Assert-Discovery $Keyword
    if ($null -eq $Fixture) { throw "MiniPester: $Keyword '$Name' has no script block." }
    $items = ConvertTo-DataItems $ForEach $ForEachBound $AllowEmpty "$Keyword '$Name'"
    foreach ($item in $items) {
        $parent = $script:Run.Current
        $block = New-Block -Name $Name -Parent $parent -Body $Fixture -Data $item -Skip ($Skip -or $parent.Skip) -Line $Line
        $block.NameTemplate = ConvertTo-NameTemplate $Name
        $parent.Children.Add($block)
        $script:Run.Current = $block
        try {
            & $script:Run.Wrappers.Discover $block
        }
        finally {
            $script:Run.Current = $parent
        }
    }
}

function Describe {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
        [Parameter(Position = 1)] [scriptblock] $Fixture,
        [string[]] $Tag,
        [switch] $Skip,
        [object] $ForEach,
        [switch] $AllowNullOrEmptyForEach
    )
    Add-Block 'Describe' $Name $Fixture $Skip.IsPresent $ForEach $PSBoundParameters.ContainsKey('ForEach') $AllowNullOrEmptyForEach.IsPresent $MyInvocation.ScriptLineNumber
}

function Context {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
        [Parameter(Position = 1)] [scriptblock] $Fixture,
        [string[]] $Tag,
        [switch] $Skip,
        [object] $ForEach,
        [switch] $AllowNullOrEmptyForEach
    )
    Add-Block 'Context' $Name $Fixture $Skip.IsPresent $ForEach $PSBoundParameters.ContainsKey('ForEach') $AllowNullOrEmptyForEach.IsPresent $MyInvocation.ScriptLineNumber
}

function It {
    [CmdletBinding(DefaultParameterSetName = 'Normal')]
    param(
        [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
        [Parameter(Position = 1)] [scriptblock] $Test,
        [Alias('TestCases')] [object[]] $ForEach,
        [string[]] $Tag,
        [Parameter(ParameterSetName = 'Skip')] [switch] $Skip,
        [Parameter(ParameterSetName = 'Pending')] [switch] $Pending,
        [switch] $AllowNullOrEmptyForEach
    )
    Assert-Discovery 'It'
    $parent = $script:Run.Current
    if ($null -eq $parent.Parent) { throw "MiniPester: It '$Name' is not inside a Describe or Context (Pester 5 does not allow tests at the root of a file)." }
    $items = ConvertTo-DataItems $ForEach $PSBoundParameters.ContainsKey('ForEach') $AllowNullOrEmptyForEach.IsPresent "It '$Name'"
    foreach ($item in $items) {
        $parent.Children.Add([pscustomobject]@{
            Kind         = 'Test'
            Name         = $Name
            NameTemplate = ConvertTo-NameTemplate $Name
            Block        = $parent
            Body         = $Test
            Data         = $item
            Skip         = $Skip.IsPresent -or $Pending.IsPresent -or $parent.Skip -or $null -eq $Test
            Line         = $MyInvocation.ScriptLineNumber
            BeforeEach   = $null
            AfterEach    = $null
            ErrorRecord  = $null
        })
    }
}

function BeforeAll {
    param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock)
    Assert-Discovery 'BeforeAll'
    $script:Run.Current.BeforeAll.Add($Scriptblock)
}

function AfterAll {
    param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock)
    Assert-Discovery 'AfterAll'
    $script:Run.Current.AfterAll.Add($Scriptblock)
}

function BeforeEach {
    param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock)
    Assert-Discovery 'BeforeEach'
    $script:Run.Current.BeforeEach.Add($Scriptblock)
}

function AfterEach {
    param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock)
    Assert-Discovery 'AfterEach'
    $script:Run.Current.AfterEach.Add($Scriptblock)
}

function BeforeDiscovery {
    param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock)
    Assert-Discovery 'BeforeDiscovery'
    # Runs in place: dot-sourced into the caller's current scope (the file or Describe body).
    . $Scriptblock
}

function Set-ItResult {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Inconclusive')] [switch] $Inconclusive,
        [Parameter(Mandatory = $true, ParameterSetName = 'Pending')] [switch] $Pending,
        [Parameter(Mandatory = $true, ParameterSetName = 'Skipped')] [switch] $Skipped,
        [string] $Because
    )
    $result = $PSCmdlet.ParameterSetName
    $message = "is $($result.ToLowerInvariant())$(if ($Because) { ", because $Because" })"
    $exception = [System.Exception]::new($message)
    $id = if ($result -eq 'Inconclusive') { 'PesterTestInconclusive' } else { 'PesterTestSkipped' }
    throw [System.Management.Automation.ErrorRecord]::new($exception, $id, [System.Management.Automation.ErrorCategory]::InvalidResult, $result)
}

# ---------------------------------------------------------------------------------------
# Should
# ---------------------------------------------------------------------------------------

$script:Operators = @(
    'Be', 'BeExactly', 'BeTrue', 'BeFalse', 'BeNullOrEmpty', 'BeGreaterThan', 'BeGreaterOrEqual', 'BeLessThan',
    'BeLessOrEqual', 'Match', 'MatchExactly', 'BeLike', 'BeLikeExactly', 'Contain', 'BeIn', 'HaveCount', 'BeOfType',
    'Exist', 'Throw'
)
# Operators that receive all pipeline input as one array (Pester's SupportsArrayInput).
$script:ArrayInputOperators = @('Be', 'BeExactly', 'Contain', 'HaveCount', 'BeNullOrEmpty')
# Parameters each operator accepts besides -ActualValue, -Not and -Because (Pester's parameter sets).
$script:OperatorParameters = @{
    Throw         = @('ExpectedValue', 'ExpectedMessage', 'ErrorId', 'ExceptionType', 'PassThru')
    Match         = @('ExpectedValue', 'RegularExpression')
    MatchExactly  = @('ExpectedValue', 'RegularExpression')
    BeOfType      = @('ExpectedValue', 'ExpectedType')
    BeTrue        = @()
    BeFalse       = @()
    BeNullOrEmpty = @()
    Exist         = @()
}

function Format-Value($Value, [int] $Depth = 0) {
    if ($null -eq $Value) { return '$null' }
    if ($Value -is [System.Management.Automation.PSObject] -and $Value.BaseObject -isnot [System.Management.Automation.PSCustomObject]) { $Value = $Value.BaseObject }
    if ($Value -is [string]) { return "'$Value'" }
    if ($Value -is [bool]) { return '$' + $Value.ToString().ToLowerInvariant() }
    if ($Value -is [type]) { return "[$($Value.FullName)]" }
    if ($Value -is [scriptblock]) { return "{$Value}" }
    if ($Value -is [System.IFormattable] -and $Value.GetType().IsPrimitive -or $Value -is [decimal]) {
        return $Value.ToString($null, [System.Globalization.CultureInfo]::InvariantCulture)
    }
    if ($Depth -ge 2) { return $Value.ToString() }
    if ($Value -is [System.Collections.IDictionary]) {
        $pairs = foreach ($k in $Value.Keys) { "$k=$(Format-Value $Value[$k] ($Depth + 1))" }
        return '@{' + (@($pairs) -join '; ') + '}'
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = [System.Collections.Generic.List[string]]::new()
        foreach ($item in $Value) {
            if ($items.Count -ge 10) { $items.Add('...'); break }
            $items.Add((Format-Value $item ($Depth + 1)))
        }
        return '@(' + ($items -join ', ') + ')'
    }
    if ($Value -is [System.Management.Automation.PSObject] -and $Value.BaseObject -is [System.Management.Automation.PSCustomObject]) {
        $pairs = foreach ($p in $Value.PSObject.Properties) { "$($p.Name)=$(Format-Value $p.Value ($Depth + 1))" }
        return 'PSObject{' + (@($pairs) -join '; ') + '}'
    }
    $Value.ToString()
}

# Pester unrolls a one-item array before showing it ("but got 'x'", not "@('x')").
function Format-Actual($Value) {
    if ($Value -is [array] -and $Value.Count -eq 1) { return Format-Value $Value[0] }
    Format-Value $Value
}

function Format-Because([string] $Because) {
    if ([string]::IsNullOrWhiteSpace($Because)) { return '' }
    ' because ' + ($Because.Trim() -replace '^because\s+', '') + ','
}

function Test-NullOrEmptyArray([object[]] $Array) {
    $null -eq $Array -or $Array.Count -eq 0 -or ($Array.Count -eq 1 -and $null -eq $Array[0])
}

# Pester's -Be comparison: arrays element-wise (recursively), scalars with $expected -eq $actual.
function Test-ArraysEqual([object[]] $Actual, [object[]] $Expected, [bool] $CaseSensitive, [int] $Depth = 0) {
    if ($Depth -gt 100) { throw 'MiniPester: arrays nested deeper than 100 levels (cyclic?).' }
    $actualEmpty = Test-NullOrEmptyArray @($Actual)
    $expectedEmpty = Test-NullOrEmptyArray @($Expected)
    if ($actualEmpty -or $expectedEmpty) { return $actualEmpty -and $expectedEmpty }
    if ($Actual.Count -ne $Expected.Count) { return $false }
    for ($i = 0; $i -lt $Actual.Count; $i++) {
        $a = $Actual[$i]
        $e = $Expected[$i]
        if ($a -is [array] -or $e -is [array]) {
            if (-not (Test-ArraysEqual $a $e $CaseSensitive ($Depth + 1))) { return $false }
        }
        elseif ($CaseSensitive) {
            if (-not ($e -ceq $a)) { return $false }
        }
        elseif (-not ($e -eq $a)) {
            return $false
        }
    }
    $true
}

function Get-ThrowOutcome($ActualValue, [string] $ExpectedMessage, [string] $ErrorId, [type] $ExceptionType, [bool] $Negate, [string] $Because) {
    if ($ActualValue -isnot [scriptblock]) {
        throw [System.ArgumentException]::new("Input is missing or not a ScriptBlock. Input to '-Throw' and '-Not -Throw' must be enclosed in curly braces.")
    }
    $caught = $null
    try {
        do { $null = & $ActualValue } until ($true)
    }
    catch {
        $caught = $_
    }
    if ($Negate) {
        if ($null -eq $caught) { return @{ Succeeded = $true } }
        return @{ Succeeded = $false; Message = "Expected no exception to be thrown,$(Format-Because $Because) but an exception `"$($caught.Exception.Message)`" was thrown $(Get-PositionText $caught)." }
    }
    $filters = [System.Collections.Generic.List[string]]::new()
    $buts = [System.Collections.Generic.List[string]]::new()
    if ($null -ne $ExceptionType) {
        $filters.Add("type $(Format-Value $ExceptionType)")
        if ($null -ne $caught -and $caught.Exception -isnot $ExceptionType) { $buts.Add("the exception type was $(Format-Value $caught.Exception.GetType())") }
    }
    if (-not [string]::IsNullOrWhiteSpace($ExpectedMessage)) {
        $filters.Add("message like $(Format-Value ([System.Management.Automation.WildcardPattern]::Unescape($ExpectedMessage)))")
        if ($null -ne $caught -and -not ($caught.Exception.Message -like $ExpectedMessage)) { $buts.Add("the message was $(Format-Value $caught.Exception.Message)") }
    }
    if (-not [string]::IsNullOrWhiteSpace($ErrorId)) {
        $filters.Add("FullyQualifiedErrorId $(Format-Value $ErrorId)")
        if ($null -ne $caught -and -not ($caught.FullyQualifiedErrorId -like $ErrorId)) { $buts.Add("the FullyQualifiedErrorId was $(Format-Value $caught.FullyQualifiedErrorId)") }
    }
    if ($null -eq $caught) { $buts.Add('no exception was thrown') }
    if ($buts.Count -gt 0) {
        $with = if ($filters.Count) { ' with ' + ($filters -join ' and ') } else { '' }
        return @{ Succeeded = $false; Message = "Expected an exception$with to be thrown,$(Format-Because $Because) but $($buts -join ' and ')." }
    }
    @{ Succeeded = $true; Data = $caught }
}

function Get-PositionText($ErrorRecord) {
    $info = $ErrorRecord.InvocationInfo
    if ($null -eq $info -or -not $info.ScriptName) { return '' }
    "from $($info.ScriptName):$($info.ScriptLineNumber)"
}

function Invoke-Operator {
    param([string] $Operator, $Actual, [hashtable] $P, [bool] $Negate, [string] $Because)
    $b = Format-Because $Because
    $expected = $P['ExpectedValue']
    switch ($Operator) {
        'Be' {
            $ok = (Test-ArraysEqual $Actual $expected $false) -xor $Negate
            if ($ok) { return @{ Succeeded = $true } }
            if ($Negate) { return @{ Succeeded = $false; Message = "Expected $(Format-Value $expected) to be different from the actual value,$b but got the same value." } }
            return @{ Succeeded = $false; Message = "Expected $(Format-Value $expected),$b but got $(Format-Actual $Actual)." }
        }
        'BeExactly' {
            $ok = (Test-ArraysEqual $Actual $expected $true) -xor $Negate
            if ($ok) { return @{ Succeeded = $true } }
            if ($Negate) { return @{ Succeeded = $false; Message = "Expected $(Format-Value $expected) to be different from the actual value,$b but got exactly the same value." } }
            return @{ Succeeded = $false; Message = "Expected exactly $(Format-Value $expected),$b but got $(Format-Actual $Actual)." }
        }
        'BeTrue' {
            $ok = [bool]$Actual -xor $Negate
            if ($ok) { return @{ Succeeded = $true } }
            $want = if ($Negate) { '$false' } else { '$true' }
            return @{ Succeeded = $false; Message = "Expected $want,$b but got $(Format-Actual $Actual)." }
        }
        'BeFalse' {
            $ok = (-not $Actual) -xor $Negate
            if ($ok) { return @{ Succeeded = $true } }
            $want = if ($Negate) { '$true' } else { '$false' }
            return @{ Succeeded = $false; Message = "Expected $want,$b but got $(Format-Actual $Actual)." }
        }
        'BeNullOrEmpty' {
            $items = [object[]]@($Actual)
            if ($null -eq $Actual -or $items.Count -eq 0) { $empty = $true }
            elseif ($items.Count -eq 1) {
                $single = $items[0]
                $empty = if ($single -is [hashtable]) { $single.Count -eq 0 } else { [string]::IsNullOrEmpty($single) }
            }
            else { $empty = $false }
            if ($empty -xor $Negate) { return @{ Succeeded = $true } }
            if ($Negate) { return @{ Succeeded = $false; Message = "Expected a value,$b but got `$null or empty." } }
            return @{ Succeeded = $false; Message = "Expected `$null or empty,$b but got $(Format-Actual $Actual)." }
        }
        { $_ -in 'BeGreaterThan', 'BeGreaterOrEqual', 'BeLessThan', 'BeLessOrEqual' } {
            # Pester negates by switching to the opposite operator; the actual value is on the left.
            $op = $Operator
            if ($Negate) { $op = @{ BeGreaterThan = 'BeLessOrEqual'; BeLessOrEqual = 'BeGreaterThan'; BeLessThan = 'BeGreaterOrEqual'; BeGreaterOrEqual = 'BeLessThan' }[$op] }
            $ok, $words = switch ($op) {
                'BeGreaterThan' { (-not ($Actual -le $expected)), 'greater than' }
                'BeGreaterOrEqual' { (-not ($Actual -lt $expected)), 'greater than or equal to' }
                'BeLessThan' { (-not ($Actual -ge $expected)), 'less than' }
                'BeLessOrEqual' { (-not ($Actual -gt $expected)), 'less than or equal to' }
            }
            if ($ok) { return @{ Succeeded = $true } }
            return @{ Succeeded = $false; Message = "Expected the actual value to be $words $(Format-Value $expected),$b but got $(Format-Actual $Actual)." }
        }
        { $_ -in 'Match', 'MatchExactly' } {
            $pattern = if ($P.ContainsKey('RegularExpression')) { $P['RegularExpression'] } else { $expected }
            $matched = if ($Operator -eq 'Match') { $Actual -match $pattern } else { $Actual -cmatch $pattern }
            if ([bool]$matched -xor $Negate) { return @{ Succeeded = $true } }
            $exactly = if ($Operator -eq 'MatchExactly') { ' exactly' } else { '' }
            $not = if ($Negate) { ' not' } else { '' }
            $result = if ($Negate) { 'it did match' } else { 'it did not match' }
            return @{ Succeeded = $false; Message = "Expected regular expression $(Format-Value $pattern) to$not match$exactly $(Format-Actual $Actual),$b but $result." }
        }
        { $_ -in 'BeLike', 'BeLikeExactly' } {
            $like = if ($Operator -eq 'BeLike') { $Actual -like $expected } else { $Actual -clike $expected }
            if ([bool]$like -xor $Negate) { return @{ Succeeded = $true } }
            $not = if ($Negate) { ' not' } else { '' }
            $result = if ($Negate) { 'it did match' } else { 'it did not match' }
            return @{ Succeeded = $false; Message = "Expected like wildcard $(Format-Value $expected) to$not match $(Format-Value $Actual),$b but $result." }
        }
        'Contain' {
            if (($Actual -contains $expected) -xor $Negate) { return @{ Succeeded = $true } }
            if ($Negate) { return @{ Succeeded = $false; Message = "Expected $(Format-Value $expected) to not be found in collection $(Format-Value $Actual),$b but it was found." } }
            return @{ Succeeded = $false; Message = "Expected $(Format-Value $expected) to be found in collection $(Format-Value $Actual),$b but it was not found." }
        }
        'BeIn' {
            if (($expected -contains $Actual) -xor $Negate) { return @{ Succeeded = $true } }
            if ($Negate) { return @{ Succeeded = $false; Message = "Expected collection $(Format-Value $expected) to not contain $(Format-Value $Actual),$b but it was found." } }
            return @{ Succeeded = $false; Message = "Expected collection $(Format-Value $expected) to contain $(Format-Value $Actual),$b but it was not found." }
        }
        'HaveCount' {
            $want = [int]$expected
            if ($want -lt 0) { throw [System.ArgumentException]::new('Expected collection size must be greater than or equal to 0.') }
            $count = if ($null -eq $Actual) { 0 } else { $Actual.Count }
            if (($count -eq $want) -xor $Negate) { return @{ Succeeded = $true } }
            if ($Negate) { return @{ Succeeded = $false; Message = "Expected a collection with size different from $want,$b but got collection with that size $(Format-Value $Actual)." } }
            return @{ Succeeded = $false; Message = "Expected a collection with size $want,$b but got collection with size $count $(Format-Value $Actual)." }
        }
        'BeOfType' {
            $type = if ($P.ContainsKey('ExpectedType')) { $P['ExpectedType'] } else { $expected }
            if ($type -is [string]) {
                $parsed = ($type -replace '^\[(.*)\]$', '$1') -as [type]
                if ($null -eq $parsed) { throw [System.ArgumentException]::new("Could not find type [$type]. Make sure that the assembly that contains that type is loaded.") }
                $type = $parsed
            }
            if (($Actual -is $type) -xor $Negate) { return @{ Succeeded = $true } }
            $actualType = if ($null -ne $Actual) { $Actual.GetType() } else { $null }
            $not = if ($Negate) { ' not' } else { '' }
            return @{ Succeeded = $false; Message = "Expected the value to$not have type $(Format-Value $type) or any of its subtypes,$b but got $(Format-Actual $Actual) with type $(Format-Value $actualType)." }
        }
        'Exist' {
            $exists = [bool](Test-Path $Actual)
            if ($exists -xor $Negate) { return @{ Succeeded = $true } }
            if ($Negate) { return @{ Succeeded = $false; Message = "Expected path $(Format-Actual $Actual) to not exist,$b but it did exist." } }
            return @{ Succeeded = $false; Message = "Expected path $(Format-Actual $Actual) to exist,$b but it did not exist." }
        }
        'Throw' {
            $message = if ($P.ContainsKey('ExpectedMessage')) { $P['ExpectedMessage'] } elseif ($null -ne $expected) { [string]$expected } else { '' }
            return Get-ThrowOutcome $Actual $message ([string]$P['ErrorId']) $P['ExceptionType'] $Negate $Because
        }
    }
}

function Should {
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline = $true)] [AllowNull()] [object] $ActualValue,
        [switch] $Not,
        [Alias('EQ')] [switch] $Be,
        [Alias('CEQ')] [switch] $BeExactly,
        [switch] $BeTrue,
        [switch] $BeFalse,
        [switch] $BeNullOrEmpty,
        [Alias('GT')] [switch] $BeGreaterThan,
        [Alias('GE')] [switch] $BeGreaterOrEqual,
        [Alias('LT')] [switch] $BeLessThan,
        [Alias('LE')] [switch] $BeLessOrEqual,
        [switch] $Match,
        [Alias('CMATCH')] [switch] $MatchExactly,
        [switch] $BeLike,
        [switch] $BeLikeExactly,
        [switch] $Contain,
        [switch] $BeIn,
        [switch] $HaveCount,
        [Alias('HaveType')] [switch] $BeOfType,
        [switch] $Exist,
        [switch] $Throw,
        [Parameter(Position = 0)] [AllowNull()] [object] $ExpectedValue,
        [Parameter(Position = 1)] [string] $Because,
        [string] $RegularExpression,
        [object] $ExpectedType,
        [string] $ExpectedMessage,
        [string] $ErrorId,
        [type] $ExceptionType,
        [switch] $PassThru
    )
    begin {
        $inputs = [System.Collections.Generic.List[object]]::new()
    }
    process {
        $inputs.Add($ActualValue)
    }
    end {
        $chosen = @(foreach ($name in $script:Operators) { if ($PSBoundParameters.ContainsKey($name) -and $PSBoundParameters[$name]) { $name } })
        if ($chosen.Count -ne 1) {
            throw [System.Management.Automation.ParameterBindingException]::new("Should needs exactly one operator (got: $(if ($chosen.Count) { $chosen -join ', ' } else { 'none' })). Parameter set cannot be resolved using the specified named parameters.")
        }
        $operator = $chosen[0]
        $p = @{}
        foreach ($name in 'ExpectedValue', 'RegularExpression', 'ExpectedType', 'ExpectedMessage', 'ErrorId', 'ExceptionType', 'PassThru') {
            if ($PSBoundParameters.ContainsKey($name)) { $p[$name] = $PSBoundParameters[$name] }
        }
        $because = $Because
        if ($script:OperatorParameters.ContainsKey($operator)) {
            $allowed = $script:OperatorParameters[$operator]
            if ($allowed.Count -eq 0 -and $p.ContainsKey('ExpectedValue')) {
                # -BeTrue, -BeNullOrEmpty...: Pester's first positional parameter is -Because.
                $because = [string]$p['ExpectedValue']
                $p.Remove('ExpectedValue')
            }
            foreach ($name in @($p.Keys)) {
                if ($name -notin $allowed) { throw [System.Management.Automation.ParameterBindingException]::new("Should -${operator} does not take -${name}. Parameter set cannot be resolved using the specified named parameters.") }
            }
        }
        else {
            foreach ($name in @($p.Keys)) {
                if ($name -ne 'ExpectedValue') { throw [System.Management.Automation.ParameterBindingException]::new("Should -${operator} does not take -${name}. Parameter set cannot be resolved using the specified named parameters.") }
            }
        }

        $values = if ($inputs.Count -eq 0) { , @($null) }
        elseif ($operator -in $script:ArrayInputOperators) { , @(, $inputs.ToArray()) }
        else { , $inputs.ToArray() }

        foreach ($value in $values) {
            $outcome = Invoke-Operator -Operator $operator -Actual $value -P $p -Negate $Not.IsPresent -Because $because
            if (-not $outcome.Succeeded) {
                $line = $MyInvocation.ScriptLineNumber
                $file = $MyInvocation.ScriptName
                $exception = [System.Exception]::new($outcome.Message)
                $target = @{ Message = $outcome.Message; File = $file; Line = $line; LineText = $MyInvocation.Line.TrimEnd() }
                throw [System.Management.Automation.ErrorRecord]::new($exception, 'PesterAssertionFailed', [System.Management.Automation.ErrorCategory]::InvalidResult, $target)
            }
            if ($PassThru -and $outcome.ContainsKey('Data')) { $outcome.Data }
        }
    }
}

# ---------------------------------------------------------------------------------------
# Run phase
# ---------------------------------------------------------------------------------------

function Test-HasTestsToRun($Block) {
    foreach ($child in $Block.Children) {
        if ($child.Kind -eq 'Test') { if (-not $child.Skip) { return $true } }
        elseif (Test-HasTestsToRun $child) { return $true }
    }
    $false
}

function Get-Tests($Block) {
    foreach ($child in $Block.Children) {
        if ($child.Kind -eq 'Test') { $child } else { Get-Tests $child }
    }
}

function Get-ErrorLine($ErrorRecord, [string] $File) {
    if ($null -eq $ErrorRecord) { return $null }
    if ($ErrorRecord.FullyQualifiedErrorId -eq 'PesterAssertionFailed' -and $ErrorRecord.TargetObject -is [hashtable]) {
        return [int]$ErrorRecord.TargetObject.Line
    }
    # The innermost frame in the test file, else where the error was raised.
    $escaped = [regex]::Escape($File)
    foreach ($frame in ([string]$ErrorRecord.ScriptStackTrace) -split "`n") {
        $m = [regex]::Match($frame, "$escaped`: line (\d+)")
        if ($m.Success) { return [int]$m.Groups[1].Value }
    }
    if ($ErrorRecord.InvocationInfo -and $ErrorRecord.InvocationInfo.ScriptName -eq $File) { return $ErrorRecord.InvocationInfo.ScriptLineNumber }
    $null
}

function Get-ErrorText($ErrorRecord) {
    if ($null -eq $ErrorRecord) { return $null }
    $exception = $ErrorRecord.Exception
    if ($ErrorRecord.FullyQualifiedErrorId -eq 'PesterAssertionFailed' -or $exception.GetType() -eq [System.Management.Automation.RuntimeException]) {
        return $exception.Message
    }
    "$($exception.GetType().FullName): $($exception.Message) [$($ErrorRecord.FullyQualifiedErrorId)]"
}

function Add-Result($Test, [string] $Result, $ErrorRecord, [double] $Milliseconds) {
    $run = $script:Run
    $blockPath = Get-BlockPath $Test.Block
    $path = [string[]]($blockPath + $Test.Name)
    $line = if ($null -ne $ErrorRecord) { Get-ErrorLine $ErrorRecord $run.File } else { $null }
    $message = Get-ErrorText $ErrorRecord
    if ($Result -eq 'Failed' -and $null -ne $line) { $message = "$message`n  at $($run.File):$line" }
    $record = [pscustomobject]@{
        PSTypeName   = 'MiniPester.TestResult'
        Name         = $Test.Name
        ExpandedName = $Test.Name
        ExpandedPath = $path -join '.'
        Path         = $path
        Result       = $Result
        ErrorMessage = $message
        ErrorRecord  = $ErrorRecord
        StackTrace   = if ($null -ne $ErrorRecord) { $ErrorRecord.ScriptStackTrace } else { $null }
        File         = $run.File
        Line         = if ($null -ne $line) { $line } else { $Test.Line }
        Duration     = [timespan]::FromMilliseconds($Milliseconds)
    }
    $run.Result.Tests.Add($record)
    Write-Report $record
}

function Write-Report($Record) {
    $output = $script:Run.Output
    if ($output -eq 'None') { return }
    $indent = '  ' * $Record.Path.Count
    switch ($Record.Result) {
        'Passed' { if ($output -eq 'Detailed') { Write-Host "$indent[+] $($Record.Name) $([int]$Record.Duration.TotalMilliseconds)ms" } }
        'Skipped' { if ($output -eq 'Detailed') { Write-Host "$indent[!] $($Record.Name) is skipped" } }
        'Inconclusive' { if ($output -eq 'Detailed') { Write-Host "$indent[?] $($Record.Name) is inconclusive" } }
        'Failed' {
            Write-Host "$indent[-] $($Record.ExpandedPath) $([int]$Record.Duration.TotalMilliseconds)ms"
            foreach ($l in ([string]$Record.ErrorMessage) -split "`n") { Write-Host "$indent    $l" }
        }
    }
}

function Invoke-Test($Test) {
    if ($Test.Skip) {
        Add-Result $Test 'Skipped' $null 0
        return
    }
    # BeforeEach from the outermost block inwards, AfterEach from the innermost outwards.
    $chain = [System.Collections.Generic.List[object]]::new()
    for ($b = $Test.Block; $null -ne $b; $b = $b.Parent) { $chain.Insert(0, $b) }
    $before = [System.Collections.Generic.List[scriptblock]]::new()
    $after = [System.Collections.Generic.List[scriptblock]]::new()
    foreach ($b in $chain) { $before.AddRange($b.BeforeEach) }
    for ($i = $chain.Count - 1; $i -ge 0; $i--) { $after.AddRange($chain[$i].AfterEach) }
    $Test.BeforeEach = $before.ToArray()
    $Test.AfterEach = $after.ToArray()
    $Test.ErrorRecord = $null

    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    & $script:Run.Wrappers.Test $Test
    $watch.Stop()
    $err = $Test.ErrorRecord
    $result = if ($null -eq $err) { 'Passed' }
    elseif ($err.FullyQualifiedErrorId -eq 'PesterTestSkipped') { 'Skipped' }
    elseif ($err.FullyQualifiedErrorId -eq 'PesterTestInconclusive') { 'Inconclusive' }
    else { 'Failed' }
    if ($result -in 'Skipped', 'Inconclusive') { $err = $null }
    Add-Result $Test $result $err $watch.Elapsed.TotalMilliseconds
}

function Invoke-Children($Block) {
    if ($null -ne $Block.SetupError) {
        # Pester 5: a failing BeforeAll fails every test of the block.
        foreach ($t in @(Get-Tests $Block)) {
            $result = if ($t.Skip) { 'Skipped' } else { 'Failed' }
            $err = if ($t.Skip) { $null } else { $Block.SetupError }
            Add-Result $t $result $err 0
        }
        return
    }
    foreach ($child in $Block.Children) {
        if ($child.Kind -eq 'Test') { Invoke-Test $child } else { Invoke-Block $child }
    }
}

function Invoke-Block($Block) {
    if (-not (Test-HasTestsToRun $Block)) {
        foreach ($t in @(Get-Tests $Block)) { Add-Result $t 'Skipped' $null 0 }
        return
    }
    $run = $script:Run
    $testDrive = $null
    if ($null -ne $Block.Parent -and $null -eq $Block.Parent.Parent) {
        $testDrive = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'minipester-' + [guid]::NewGuid().ToString('N'))
        [void][System.IO.Directory]::CreateDirectory($testDrive)
        $Block.TestDrive = $testDrive
    }
    if ($run.Output -eq 'Detailed' -and $null -ne $Block.Parent) {
        Write-Host ('  ' * ((Get-BlockPath $Block).Count - 1) + $Block.Name)
    }
    try {
        & $run.Wrappers.Block $Block $script:ContinueWithChildren
    }
    catch {
        # Only MiniPester's own failures get here; user errors are caught in the wrapper.
        $Block.TeardownErrors.Add($_)
    }
    finally {
        if ($testDrive -and [System.IO.Directory]::Exists($testDrive)) {
            try { [System.IO.Directory]::Delete($testDrive, $true) } catch { }
        }
    }
    foreach ($err in $Block.TeardownErrors) {
        $name = if ($null -eq $Block.Parent) { '<file>' } else { (Get-BlockPath $Block) -join '.' }
        $line = Get-ErrorLine $err $run.File
        $message = "AfterAll failed: $(Get-ErrorText $err)$(if ($null -ne $line) { "`n  at $($run.File):$line" })"
        $run.Result.FailedBlocks.Add([pscustomobject]@{ Name = $name; File = $run.File; ErrorMessage = $message; ErrorRecord = $err })
        if ($run.Output -ne 'None') { Write-Host "[-] $name`n    $message" }
    }
}

$script:ContinueWithChildren = { param($Block) Invoke-Children $Block }

function Invoke-File([string] $File, [System.Management.Automation.SessionState] $SessionState) {
    $run = $script:Run
    $run.File = $File
    $run.Phase = 'Discovery'
    $root = New-Block -Name $File -Parent $null -Body $null -Data $null -Skip $false -Line 0
    $run.Current = $root
    if ($run.Output -ne 'None') { Write-Host "Running tests from '$File'" }

    $failContainer = {
        param([string] $Message, $ErrorRecord)
        $run.Result.FailedContainers.Add([pscustomobject]@{ Name = $File; File = $File; ErrorMessage = $Message; ErrorRecord = $ErrorRecord })
        if ($run.Output -ne 'None') { Write-Host "[-] Discovery in $File failed:`n    $Message" }
    }

    # The file as Pester would see it, minus '#requires -Modules ... Pester ...' (Pester is
    # not installed here); the line is blanked so line numbers stay right. Parsing with the
    # real path keeps $PSScriptRoot/$PSCommandPath and error positions pointing at the file.
    $text = [System.IO.File]::ReadAllText($File)
    $text = [regex]::Replace($text, '(?im)^[ \t]*#requires[ \t]+[^\r\n]*-Modules?\b[^\r\n]*\bPester\b[^\r\n]*$', '')
    $tokens = $null
    $parseErrors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, $File, [ref]$tokens, [ref]$parseErrors)
    if ($parseErrors.Count -gt 0) {
        $messages = foreach ($e in $parseErrors) { "line $($e.Extent.StartLineNumber): $($e.Message)" }
        & $failContainer ("parse errors:`n    " + ($messages -join "`n    ")) $null
        return
    }
    $fileBlock = Set-ScriptBlockSessionState $ast.GetScriptBlock() $SessionState

    try {
        $null = & $fileBlock
    }
    catch {
        $line = Get-ErrorLine $_ $File
        & $failContainer "$(Get-ErrorText $_)$(if ($null -ne $line) { "`n  at ${File}:$line" })" $_
        return
    }
    finally {
        $run.Phase = 'Run'
        $run.Current = $null
    }

    Invoke-Block $root
}

function Invoke-MiniPester {
    <#
    .SYNOPSIS
        Runs Pester 5 test files (*.Tests.ps1) with MiniPester, the stand-in for machines without Pester.
    .PARAMETER Path
        Test files, or directories searched recursively for *.Tests.ps1.
    .PARAMETER Output
        None, Normal (failures and a summary; the default, as in Pester) or Detailed (every test).
    .OUTPUTS
        An object with Result, PassedCount, FailedCount, SkippedCount, InconclusiveCount,
        TotalCount, FailedBlocksCount, FailedContainersCount, Tests (Name, ExpandedPath,
        Result, ErrorMessage, File, Line...), Failed, FailedBlocks and FailedContainers.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] [string[]] $Path,
        [ValidateSet('None', 'Normal', 'Detailed')] [string] $Output = 'Normal'
    )
    $sessionState = $PSCmdlet.SessionState
    $files = [System.Collections.Generic.List[string]]::new()
    foreach ($p in $Path) {
        $full = $sessionState.Path.GetUnresolvedProviderPathFromPSPath($p)
        if ([System.IO.Directory]::Exists($full)) {
            $found = [string[]][System.IO.Directory]::GetFiles($full, '*.Tests.ps1', [System.IO.SearchOption]::AllDirectories)
            [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
            $files.AddRange($found)
        }
        elseif ([System.IO.File]::Exists($full)) { $files.Add($full) }
        else { throw "MiniPester: no such test file or directory: $p" }
    }

    $result = [pscustomobject]@{
        PSTypeName            = 'MiniPester.Run'
        Result                = 'Passed'
        PassedCount           = 0
        FailedCount           = 0
        SkippedCount          = 0
        InconclusiveCount     = 0
        TotalCount            = 0
        FailedBlocksCount     = 0
        FailedContainersCount = 0
        Duration              = [timespan]::Zero
        Containers            = $files.ToArray()
        Tests                 = [System.Collections.Generic.List[object]]::new()
        Failed                = $null
        FailedBlocks          = [System.Collections.Generic.List[object]]::new()
        FailedContainers      = [System.Collections.Generic.List[object]]::new()
    }

    $previous = $script:Run
    $script:Run = [pscustomobject]@{
        Output   = $Output
        Result   = $result
        File     = $null
        Phase    = 'Discovery'
        Current  = $null
        Wrappers = [pscustomobject]@{
            Discover = New-BoundScriptBlock $script:DiscoverText $sessionState
            Block    = New-BoundScriptBlock $script:BlockText $sessionState
            Test     = New-BoundScriptBlock $script:TestText $sessionState
        }
    }
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        foreach ($file in $files) { Invoke-File $file $sessionState }
    }
    finally {
        $script:Run = $previous
    }
    $watch.Stop()

    $tests = $result.Tests
    $result.PassedCount = @($tests | Where-Object Result -EQ 'Passed').Count
    $result.FailedCount = @($tests | Where-Object Result -EQ 'Failed').Count
    $result.SkippedCount = @($tests | Where-Object Result -EQ 'Skipped').Count
    $result.InconclusiveCount = @($tests | Where-Object Result -EQ 'Inconclusive').Count
    $result.TotalCount = $tests.Count
    $result.FailedBlocksCount = $result.FailedBlocks.Count
    $result.FailedContainersCount = $result.FailedContainers.Count
    $result.Failed = @($tests | Where-Object Result -EQ 'Failed')
    $result.Duration = $watch.Elapsed
    if ($result.FailedCount -or $result.FailedBlocksCount -or $result.FailedContainersCount) { $result.Result = 'Failed' }
    if ($Output -ne 'None') {
        Write-Host ("Tests completed in {0:N1}s" -f $watch.Elapsed.TotalSeconds)
        Write-Host ("Tests Passed: {0}, Failed: {1}, Skipped: {2}, Inconclusive: {3}, Failed blocks: {4}, Failed containers: {5}" -f
            $result.PassedCount, $result.FailedCount, $result.SkippedCount, $result.InconclusiveCount, $result.FailedBlocksCount, $result.FailedContainersCount)
    }
    $result
}

Export-ModuleMember -Function Invoke-MiniPester, Describe, Context, It, BeforeAll, AfterAll, BeforeEach, AfterEach, BeforeDiscovery, Set-ItResult, Should
