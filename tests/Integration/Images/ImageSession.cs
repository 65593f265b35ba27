using System.Formats.Tar;
using System.Management.Automation;
using System.Text;
using ContainerPS.Tests.Integration.Harness;
using Xunit;

namespace ContainerPS.Tests.Integration.Images;

/// <summary>
/// A <see cref="PowerShellSession"/> with the built module (out/ContainerPS) imported and a
/// fresh store root of its own ($env:CONTAINERPS_ROOT), its current location a scratch
/// directory. One per test class; the root is deleted and the variable restored afterwards.
/// </summary>
public sealed class ImageSession : IDisposable
{
    private const string RootVariable = "CONTAINERPS_ROOT";
    private readonly string? _previousRoot;
    private readonly TempDirectory _temp;
    private int _images;

    public ImageSession()
    {
        _temp = new TempDirectory("containerps-images-");
        StoreRoot = Path.Combine(_temp.Path, "store");
        WorkDirectory = Directory.CreateDirectory(Path.Combine(_temp.Path, "work")).FullName;
        _previousRoot = Environment.GetEnvironmentVariable(RootVariable);
        Environment.SetEnvironmentVariable(RootVariable, StoreRoot);
        try
        {
            ModuleManifest = TestPaths.FindModuleManifest()
                ?? throw new InvalidOperationException("The ContainerPS module is not built: run ./build.sh first.");
            Shell = PowerShellSession.WithModule(ModuleManifest);
            Shell.SetLocation(WorkDirectory);
        }
        catch
        {
            Environment.SetEnvironmentVariable(RootVariable, _previousRoot);
            _temp.Dispose();
            throw;
        }
    }

    public PowerShellSession Shell { get; }
    public string ModuleManifest { get; }
    public string StoreRoot { get; }

    /// <summary>The session's current location: relative paths in scripts resolve here.</summary>
    public string WorkDirectory { get; }

    /// <summary>Runs <paramref name="script"/> with the given variables set.</summary>
    public ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
        Shell.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

    /// <summary>As <see cref="Run"/>, failing the test on any error; returns the output.</summary>
    public IReadOnlyList<PSObject> RunOk(string script, params (string Name, object? Value)[] variables)
    {
        var result = Run(script, variables);
        if (result.HadErrors) throw new Xunit.Sdk.XunitException($"script failed: {script}\n{Describe(result.Errors)}");
        return result.Output;
    }

    /// <summary>Runs <paramref name="script"/> on a PowerShell instance of its own, to see the progress stream too.</summary>
    public (IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<ProgressRecord> Progress) RunWithProgress(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = Shell.Runspace;
        var output = ps.AddScript(script).Invoke();
        return (output, ps.Streams.Error.ToList(), ps.Streams.Progress.ToList());
    }

    /// <summary>
    /// Creates an image from a small root filesystem tarball with Import-Image -FileSystemPath,
    /// so the tests need nothing but the module. Each call makes different content, so a
    /// different image ID.
    /// </summary>
    public PSObject NewImage(string? reference, params string[] changes)
    {
        var tar = WriteRootFs($"rootfs-{Interlocked.Increment(ref _images)}.tar");
        var output = reference is null
            ? RunOk("Import-Image -FileSystemPath $tar -Change $changes", ("tar", tar), ("changes", changes))
            : RunOk("Import-Image -FileSystemPath $tar -Reference $reference -Change $changes", ("tar", tar), ("reference", reference), ("changes", changes));
        return Assert.Single(output);
    }

    /// <summary>True when an image with this ID is in the store.</summary>
    /// <summary>Whether an image with this ID is in the store (Get-Image writes a row per name, so count distinct IDs).</summary>
    public bool Exists(string id) => RunOk("@(Get-Image | Where-Object Id -eq $id).Count", ("id", id))[0].BaseObject is int n && n > 0;

    /// <summary>A rootfs tarball with a few files (and content unique to this call).</summary>
    public string WriteRootFs(string name)
    {
        var path = Path.Combine(WorkDirectory, name);
        using var file = File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Pax);
        foreach (var dir in new[] { "bin/", "etc/", "tmp/" })
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
        AddFile(writer, "bin/sh", "#!/bin/sh\necho hello\n", "755");
        AddFile(writer, "etc/hostname", "containerps\n", "644");
        AddFile(writer, "etc/unique", Guid.NewGuid().ToString("N") + "\n", "644");
        return path;
    }

    public static string Describe(IEnumerable<ErrorRecord> errors) =>
        string.Join("\n", errors.Select(e => $"{e.FullyQualifiedErrorId} [{e.CategoryInfo.Category}] {e.Exception.Message}"));

    public void Dispose()
    {
        Shell.Dispose();
        Environment.SetEnvironmentVariable(RootVariable, _previousRoot);
        try
        {
            _temp.Dispose();
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail the run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void AddFile(TarWriter writer, string name, string content, string mode)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = (UnixFileMode)Convert.ToInt32(mode, 8),
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        };
        writer.WriteEntry(entry);
    }
}
