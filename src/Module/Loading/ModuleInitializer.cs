using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace ContainerPS.Module.Loading;

/// <summary>
/// Runs when Import-Module loads ContainerPS.Module.dll: hooks the default load context so
/// that the engine assemblies in <c>deps/</c> load into <see cref="ContainerPSLoadContext"/>;
/// Remove-Module unhooks it again.
/// </summary>
/// <remarks>
/// Several runspaces in one process (tests, hosted shells) may import the module at the same
/// time, so the hook is reference-counted: the last Remove-Module takes it away. Assemblies
/// that were already resolved stay bound, as .NET never unloads the default context's bindings.
/// </remarks>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static readonly Lazy<ContainerPSLoadContext> Context = new(
        () => new ContainerPSLoadContext(DependencyDirectory()),
        LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _imports;

    public void OnImport()
    {
        lock (Gate)
        {
            if (_imports++ == 0) AssemblyLoadContext.Default.Resolving += ResolveFromDependencies;
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            if (_imports > 0 && --_imports == 0) AssemblyLoadContext.Default.Resolving -= ResolveFromDependencies;
        }
    }

    private static Assembly? ResolveFromDependencies(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        // Only answer for our own deps/: anything else is somebody else's business, and
        // answering it would drag other modules' requests into our context.
        var context = Context.Value;
        return context.PathOf(name) is null ? null : context.LoadFromAssemblyName(name);
    }

    private static string DependencyDirectory()
    {
        var moduleAssembly = typeof(ModuleInitializer).Assembly.Location;
        var root = Path.GetDirectoryName(moduleAssembly) ?? AppContext.BaseDirectory;
        return Path.Combine(root, "deps");
    }
}
