using System.Management.Automation;
using ContainerPS.Tests.Integration.Containers;
using ContainerPS.Tests.Integration.Harness;
using ContainerPS.Tests.Integration.Images;
using Xunit;

namespace ContainerPS.Tests.Integration.Volumes;

/// <summary>
/// The volume cmdlets, -Volume/-Mount/-Tmpfs and Copy-ContainerItem through PowerShell, on real
/// busybox containers in the session's throw-away store. Each test removes its containers and
/// its volumes, also when it fails.
/// </summary>
[Collection(ImagesCollection.Name)]
public sealed class VolumeCmdletTests : IClassFixture<ContainerSession>, IDisposable
{
    private readonly ContainerSession _s;
    private readonly string _dir = Directory.CreateTempSubdirectory("cps-volps-").FullName;

    public VolumeCmdletTests(ContainerSession session) => _s = session;

    public void Dispose()
    {
        _s.Run("Remove-ContainerVolume -Unused -All -Force");
        Directory.Delete(_dir, recursive: true);
    }

    private static IReadOnlyList<string> Strings(IEnumerable<PSObject> output) =>
        output.Where(o => o is not null).Select(o => o.BaseObject.ToString() ?? "").ToList();

    private static string ErrorId(ScriptResult r) => Assert.Single(r.Errors).FullyQualifiedErrorId.Split(',')[0];

    [Fact]
    public void Volumes_are_created_listed_refused_while_in_use_and_removed()
    {
        using var cleanup = _s.Track();
        var made = _s.RunOk("New-ContainerVolume psdata -Label @{ app = 'web' }");
        Assert.Equal("psdata", Assert.Single(made).Properties["Name"].Value);
        Assert.Equal(new[] { "psdata" }, Strings(_s.RunOk("(Get-ContainerVolume ps* -Label app=web).Name")));
        Assert.Empty(_s.RunOk("Get-ContainerVolume -Label app=db"));
        Assert.Equal("VolumeNotFound", ErrorId(_s.Run("Get-ContainerVolume nosuchvolume")));
        Assert.Equal("InvalidVolumeName", ErrorId(_s.Run("New-ContainerVolume 'bad/name'")));
        Assert.Empty(_s.RunOk("New-ContainerVolume whatif -WhatIf"));
        Assert.Equal("VolumeNotFound", ErrorId(_s.Run("Get-ContainerVolume whatif")));

        _s.RunOk("Start-Container busybox -Name volps -Detach -Volume psdata:/data -- sleep 1000 | Out-Null");
        var inUse = _s.Run("Remove-ContainerVolume psdata");
        Assert.Equal("VolumeInUse", ErrorId(inUse));
        Assert.Equal(ErrorCategory.InvalidOperation, inUse.Errors[0].CategoryInfo.Category);
        Assert.Equal(new[] { "volps" }, Strings(_s.RunOk("(Get-ContainerVolume psdata).UsedBy")));
        var table = string.Join("\n", Strings(_s.RunOk("Get-ContainerVolume psdata | Out-String -Width 200")));
        Assert.Matches(@"Driver\s+Volume Name\s+Used By", table);
        Assert.Matches(@"local\s+psdata\s+volps", table);
        Assert.Equal(new[] { "psdata" }, Strings(_s.RunOk(
            "[System.Management.Automation.CommandCompletion]::CompleteInput('Remove-ContainerVolume psd', 26, $null).CompletionMatches.CompletionText")));

        File.WriteAllText(Path.Combine((string)_s.RunOk("(Get-ContainerVolume psdata).Mountpoint")[0].BaseObject, "f"), "12345");
        var df = Assert.Single(_s.RunOk("Get-ContainerDiskUsage | Where-Object Type -eq 'Local Volumes'"));
        Assert.Equal((1, 1, 5L), ((int)df.Properties["Total"].Value, (int)df.Properties["Active"].Value, (long)df.Properties["Size"].Value));
        _s.RunOk("Remove-Container volps -Force");
        Assert.Equal(new[] { "psdata" }, Strings(_s.RunOk("(Get-ContainerVolume psdata | Remove-ContainerVolume -PassThru).Name")));
        Assert.Empty(_s.RunOk("Get-ContainerVolume"));
    }

    [Fact]
    public void Data_written_to_a_volume_outlives_the_container_and_ro_binds_refuse_writes()
    {
        using var cleanup = _s.Track();
        File.WriteAllText(Path.Combine(_dir, "f"), "from host\n");
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        _s.RunOk("Start-Container busybox -AutoRemove -Volume keep:/d -- sh -c 'echo kept > /d/f' | Out-Null");
        Assert.Equal(new[] { "kept" }, Strings(_s.RunOk("Start-Container busybox -AutoRemove -Volume keep:/d -- cat /d/f")));
        var ro = Strings(_s.RunOk("Set-Location $dir; Start-Container busybox -AutoRemove -Volume './:/b:ro' -Tmpfs '/run:size=1m' -- sh -c 'cat /b/f; touch /b/x 2>/dev/null || echo denied; grep -c \" /run tmpfs\" /proc/mounts'", ("dir", _dir)));
        Assert.Equal(new[] { "from host", "denied", "1" }, ro);
        Assert.False(File.Exists(Path.Combine(_dir, "x")));
        Assert.Equal("BindSourceNotFound", ErrorId(_s.Run("New-Container busybox -Mount \"type=bind,source=$dir/nope,target=/x\"", ("dir", _dir))));
        Assert.Equal("InvalidVolumeSpec", ErrorId(_s.Run("New-Container busybox -Volume 'a:b:c:d'")));
    }

    [Fact]
    public void An_image_VOLUME_gets_an_anonymous_volume_that_Remove_Container_Volumes_removes()
    {
        using var cleanup = _s.Track();
        _s.RunOk("Start-Container busybox -Name volsrc -- sh -c 'mkdir /data; echo seeded > /data/seed' | Out-Null; ConvertTo-Image volsrc -Reference withvol:1 -Change 'VOLUME /data' | Out-Null; Remove-Container volsrc");
        try
        {
            _s.RunOk("New-Container withvol:1 -Name anon -- cat /data/seed | Out-Null");
            var mount = Assert.Single(_s.RunOk("(Get-Container anon).Mounts"));
            Assert.Equal("volume", mount.Properties["Type"].Value);
            Assert.Equal(true, mount.Properties["Anonymous"].Value);
            var name = (string)mount.Properties["Name"].Value;
            Assert.Equal(new[] { "seeded" }, Strings(_s.RunOk("Get-Container anon | Start-Container | Out-Null; Wait-Container anon | Out-Null; Get-ContainerLog anon")));
            _s.RunOk("Remove-Container anon -Volumes");
            Assert.Equal("VolumeNotFound", ErrorId(_s.Run("Get-ContainerVolume $n", ("n", name))));
        }
        finally
        {
            _s.Run("Remove-Image withvol:1 -Force");
        }
    }

    [Fact]
    public void Copy_ContainerItem_copies_both_ways_keeps_modes_and_stays_inside_the_container()
    {
        using var cleanup = _s.Track();
        var sentinel = Path.Combine(_dir, "sentinel");
        File.WriteAllText(sentinel, "host\n");
        _s.RunOk("Start-Container busybox -Name cpps -Detach -- sh -c \"echo inside > /f; chmod 604 /f; ln -s / /root-link; ln -s $sentinel /abs; exec sleep 1000\" | Out-Null",
            ("sentinel", sentinel));
        _s.RunOk("Start-Sleep -Milliseconds 300");

        var copied = Assert.Single(_s.RunOk("Copy-ContainerItem cpps:/f $dir/out -PassThru", ("dir", _dir)));
        Assert.Equal("out", copied.Properties["Name"].Value);
        Assert.Equal("inside\n", File.ReadAllText(Path.Combine(_dir, "out")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("604", 8), new FileInfo(Path.Combine(_dir, "out")).UnixFileMode);

        File.WriteAllText(Path.Combine(_dir, "in"), "from host\n");
        _s.RunOk("Copy-ContainerItem $dir/in cpps:/root-link/tmp/", ("dir", _dir));
        _s.RunOk("Copy-ContainerItem -Name cpps -Path $dir/in -Destination /abs -ToContainer", ("dir", _dir));
        Assert.Equal(new[] { "from host", "from host" }, Strings(_s.RunOk("Invoke-ContainerCommand cpps -- cat /tmp/in /abs")));
        Assert.Equal("host\n", File.ReadAllText(sentinel));
        _s.RunOk("Get-Container cpps | Copy-ContainerItem -Path /tmp/in -Destination $dir/back", ("dir", _dir));
        Assert.Equal("from host\n", File.ReadAllText(Path.Combine(_dir, "back")));

        var missing = _s.Run("Copy-ContainerItem cpps:/nope $dir", ("dir", _dir));
        Assert.Equal("CopySourceNotFound", ErrorId(missing));
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.Errors[0].CategoryInfo.Category);
        Assert.Equal("CopyBetweenContainers", ErrorId(_s.Run("Copy-ContainerItem cpps:/f cpps:/g")));
        _s.RunOk("Stop-Container cpps -Timeout 1 | Out-Null");
        _s.RunOk("Copy-ContainerItem cpps:/tmp/in $dir/stopped", ("dir", _dir));
        Assert.Equal("from host\n", File.ReadAllText(Path.Combine(_dir, "stopped")));
        Assert.Empty(_s.RunOk("Copy-ContainerItem cpps:/f $dir/whatif -WhatIf", ("dir", _dir)));
        Assert.False(File.Exists(Path.Combine(_dir, "whatif")));
    }
}
