using System.Management.Automation;
using System.Runtime.InteropServices;
using Xunit;

namespace ContainerPS.Tests.Integration.Images;

/// <summary>Ctrl+C (PowerShell.Stop) cancels the engine call a cmdlet is waiting on.</summary>
[Collection(ImagesCollection.Name)]
public sealed class CancellationTests : IClassFixture<ImageSession>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ImageSession _s;

    public CancellationTests(ImageSession session) => _s = session;

    [Fact]
    public async Task Stop_WhileImportImageWaitsForInput_StopsThePipeline_AndLoadsNothing()
    {
        // A FIFO makes the engine wait for input for as long as the test wants.
        var fifo = Path.Combine(_s.WorkDirectory, "slow.tar");
        Assert.Equal(0, mkfifo(fifo, Convert.ToUInt32("600", 8)));
        var before = _s.RunOk("Get-Image").Count;

        using var ps = PowerShell.Create();
        ps.Runspace = _s.Shell.Runspace;
        ps.AddScript("Import-Image -LiteralPath $args[0]").AddArgument(fifo);
        var invocation = ps.BeginInvoke();

        // Opening the writer returns once the engine has opened the reading end.
        var open = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write));
        Assert.Same(open, await Task.WhenAny(open, Task.Delay(Patience)));
        await using var writer = await open;
        await Task.Delay(200);
        Assert.Equal(PSInvocationState.Running, ps.InvocationStateInfo.State);

        var stop = Task.Factory.FromAsync(ps.BeginStop(null, null), ps.EndStop);
        // Hand the engine a first tar block: its blocked read returns, and the next read
        // sees the cancelled token.
        await writer.WriteAsync(new byte[512]);
        await writer.FlushAsync();
        var finished = await Task.WhenAny(stop, Task.Delay(Patience));
        writer.Close(); // unblocks the engine for good, whatever happened
        Assert.Same(stop, finished);
        await stop;

        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));
        Assert.Equal(before, _s.RunOk("Get-Image").Count);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);
}
