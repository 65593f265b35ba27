using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ContainerPS.Module.Loading;

/// <summary>
/// The module's private load context: the engine, compose and their third-party
/// dependencies (YamlDotNet, SharpCompress, Tmds.LibC) live in <c>deps/</c> and load here,
/// so another module's copy of YamlDotNet in the default context can never clash with ours
/// ("Resolving PowerShell module assembly dependency conflicts", the ALC pattern).
/// </summary>
/// <remarks>
/// Only the cmdlet assembly sits in the default context. It names engine assemblies that the
/// default context cannot find; <see cref="ModuleInitializer"/> answers those requests from
/// here. Once an assembly is loaded here, its own references are resolved by
/// <see cref="Load"/> first, which keeps the whole dependency graph inside this context;
/// framework assemblies are not in deps/ and fall through to the default context.
/// RID-specific packages (Tmds.LibC ships only runtimes/linux-*/lib/...) are found under
/// <c>deps/runtimes/&lt;rid&gt;/</c>, as the host would find them next to an application.
/// </remarks>
internal sealed class ContainerPSLoadContext : AssemblyLoadContext
{
    private readonly string _dependencyDirectory;
    private readonly string[] _runtimeDirectories;

    public ContainerPSLoadContext(string dependencyDirectory)
        : base("ContainerPS", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
        _runtimeDirectories = RuntimeIdentifiers()
            .Select(rid => Path.Combine(dependencyDirectory, "runtimes", rid))
            .Where(Directory.Exists)
            .ToArray();
    }

    public string DependencyDirectory => _dependencyDirectory;

    /// <summary>The path of <paramref name="name"/> in deps/, or null when it is not ours.</summary>
    public string? PathOf(AssemblyName name)
    {
        if (string.IsNullOrEmpty(name.Name)) return null;
        var fileName = name.Name + ".dll";
        var path = Path.Combine(_dependencyDirectory, fileName);
        if (File.Exists(path)) return path;
        foreach (var runtime in _runtimeDirectories)
        {
            var lib = Path.Combine(runtime, "lib");
            if (!Directory.Exists(lib)) continue;
            // runtimes/<rid>/lib/<tfm>/Name.dll: newest target framework first.
            foreach (var tfm in Directory.GetDirectories(lib).OrderByDescending(d => d, StringComparer.Ordinal))
            {
                var candidate = Path.Combine(tfm, fileName);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Returning null hands the request to the default context (framework assemblies).
        var path = PathOf(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var runtime in _runtimeDirectories)
        {
            foreach (var file in new[] { unmanagedDllName, "lib" + unmanagedDllName + ".so", unmanagedDllName + ".so" })
            {
                var candidate = Path.Combine(runtime, "native", file);
                if (File.Exists(candidate)) return LoadUnmanagedDllFromPath(candidate);
            }
        }
        return IntPtr.Zero; // the default probing (system libraries such as libc)
    }

    private static IEnumerable<string> RuntimeIdentifiers()
    {
        yield return RuntimeInformation.RuntimeIdentifier; // e.g. linux-x64, linux-musl-arm64
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            Architecture.X86 => "x86",
            var other => other.ToString().ToLowerInvariant(),
        };
        yield return "linux-" + arch;
        yield return "unix";
    }
}
