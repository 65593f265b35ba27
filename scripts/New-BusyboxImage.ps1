#requires -Version 7.4
<#
.SYNOPSIS
    Builds the busybox:latest base image from Debian's busybox-static package.

.DESCRIPTION
    No registry is reachable on these machines, so base images are made locally. This
    script lays out a minimal root file system — the static busybox binary, its applet
    links, /etc/passwd and /etc/group, /tmp, /root and the usual mount points — writes it
    as a tar archive with .NET's TarWriter (numeric owners, fixed timestamps, sorted
    entries, so the same busybox binary always gives the same image ID) and imports it with
    `Import-Image -FileSystemPath` (docker import).

    Requires the ContainerPS module (imported by the bundled shell `cpsh`) and the
    busybox-static package (`apt-get install busybox-static`).

.PARAMETER Reference
    The name to give the image. Default busybox:latest.

.PARAMETER BusyboxPath
    The static busybox binary. Default /bin/busybox (Debian's busybox-static).

.PARAMETER RootfsPath
    Keep the root file system tarball at this path (default: a temp file, removed).

.EXAMPLE
    ./scripts/New-BusyboxImage.ps1
    Creates busybox:latest and returns the Image object.
#>
[CmdletBinding()]
[OutputType('ContainerPS.Engine.Images.Image')]
param(
    [string] $Reference = 'busybox:latest',
    [string] $BusyboxPath = '/bin/busybox',
    [string] $RootfsPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if (-not [System.IO.File]::Exists($BusyboxPath)) {
    throw "busybox not found at '$BusyboxPath': install Debian's busybox-static (apt-get install busybox-static)"
}
$busyboxInfo = [System.IO.FileInfo]::new($BusyboxPath)
# Timestamps: SOURCE_DATE_EPOCH when set (reproducible builds), else the binary's own
# mtime, which changes only with the package version.
$epoch = $env:SOURCE_DATE_EPOCH
$mtime = if ($epoch) { [DateTimeOffset]::FromUnixTimeSeconds([long]$epoch) } else { [DateTimeOffset]$busyboxInfo.LastWriteTimeUtc }

function Get-Mode([string] $octal) { [System.IO.UnixFileMode][Convert]::ToInt32($octal, 8) }

$applets = @(& $BusyboxPath --list-full | ForEach-Object { $_.Trim() } | Where-Object { $_ -and $_ -ne 'bin/busybox' })
if ($applets.Count -lt 100) { throw "'$BusyboxPath --list-full' listed only $($applets.Count) applets: is it Debian's busybox-static?" }

$directories = [System.Collections.Generic.SortedDictionary[string, string]]::new([System.StringComparer]::Ordinal)
foreach ($d in 'bin', 'dev', 'etc', 'home', 'proc', 'sbin', 'sys', 'usr', 'usr/bin', 'usr/sbin', 'var', 'var/spool', 'var/spool/mail', 'var/www') { $directories[$d] = '755' }
$directories['root'] = '700'
$directories['tmp'] = '1777'
foreach ($a in $applets) {
    $parent = [System.IO.Path]::GetDirectoryName($a)
    while ($parent) { if (-not $directories.ContainsKey($parent)) { $directories[$parent] = '755' }; $parent = [System.IO.Path]::GetDirectoryName($parent) }
}

$passwd = @(
    'root:x:0:0:root:/root:/bin/sh'
    'daemon:x:1:1:daemon:/usr/sbin:/bin/false'
    'bin:x:2:2:bin:/bin:/bin/false'
    'sys:x:3:3:sys:/dev:/bin/false'
    'sync:x:4:100:sync:/bin:/bin/sync'
    'mail:x:8:8:mail:/var/spool/mail:/bin/false'
    'www-data:x:33:33:www-data:/var/www:/bin/false'
    'operator:x:37:37:Operator:/var:/bin/false'
    'nobody:x:65534:65534:nobody:/home:/bin/false'
) -join "`n"
$group = @(
    'root:x:0:'
    'daemon:x:1:'
    'bin:x:2:'
    'sys:x:3:'
    'adm:x:4:'
    'tty:x:5:'
    'disk:x:6:'
    'wheel:x:10:root'
    'mail:x:8:'
    'www-data:x:33:'
    'operator:x:37:'
    'staff:x:50:'
    'users:x:100:'
    'nogroup:x:65534:'
) -join "`n"

$keep = [bool]$RootfsPath
if (-not $RootfsPath) { $RootfsPath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "busybox-rootfs-$([guid]::NewGuid().ToString('N')).tar") }

function New-Entry([System.Formats.Tar.TarEntryType] $type, [string] $name, [string] $mode) {
    $e = [System.Formats.Tar.UstarTarEntry]::new($type, $name)
    $e.Mode = Get-Mode $mode
    $e.Uid = 0
    $e.Gid = 0
    $e.ModificationTime = $mtime
    $e
}

$stream = [System.IO.File]::Create($RootfsPath)
try {
    $writer = [System.Formats.Tar.TarWriter]::new($stream, [System.Formats.Tar.TarEntryFormat]::Ustar, $true)
    try {
        foreach ($d in $directories.Keys) { $writer.WriteEntry((New-Entry Directory "$d/" $directories[$d])) }

        $binary = New-Entry RegularFile 'bin/busybox' '755'
        $binary.DataStream = [System.IO.File]::OpenRead($BusyboxPath)
        try { $writer.WriteEntry($binary) } finally { $binary.DataStream.Dispose() }

        foreach ($name in @(('etc/passwd', $passwd), ('etc/group', $group))) {
            $entry = New-Entry RegularFile $name[0] '644'
            $entry.DataStream = [System.IO.MemoryStream]::new([System.Text.Encoding]::UTF8.GetBytes($name[1] + "`n"))
            $writer.WriteEntry($entry)
        }

        # Applets are hard links to the one binary, as in the official busybox image.
        foreach ($a in [System.Collections.Generic.SortedSet[string]]::new([string[]]$applets, [System.StringComparer]::Ordinal)) {
            $link = New-Entry HardLink $a '755'
            $link.LinkName = 'bin/busybox'
            $writer.WriteEntry($link)
        }
    }
    finally { $writer.Dispose() }
}
finally { $stream.Dispose() }

try {
    Import-Image -FileSystemPath $RootfsPath -Reference $Reference -Message "busybox $($busyboxInfo.Length) bytes from Debian busybox-static" -Change @(
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
        'CMD ["sh"]'
    )
}
finally {
    if (-not $keep) { [System.IO.File]::Delete($RootfsPath) }
}
