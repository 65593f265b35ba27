using System.Management.Automation;

namespace ContainerPS.Module.Infrastructure;

/// <summary>
/// PowerShell paths (relative to the current location, PSDrives, wildcards) to file-system
/// paths the engine can open. Failures are written as non-terminating errors per path.
/// </summary>
internal static class ProviderPaths
{
    /// <summary>
    /// The existing files <paramref name="path"/> names; wildcards expand unless
    /// <paramref name="literal"/>. Reports "not found" and "not a file-system path" itself.
    /// </summary>
    public static IReadOnlyList<string> ResolveExistingFiles(PSCmdlet cmdlet, string path, bool literal)
    {
        var files = new List<string>();
        try
        {
            if (!literal && WildcardPattern.ContainsWildcardCharacters(path))
            {
                var resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                if (!IsFileSystem(cmdlet, provider, path)) return files;
                files.AddRange(resolved.Where(File.Exists));
                return files;
            }

            var full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var unresolvedProvider, out _);
            if (!IsFileSystem(cmdlet, unresolvedProvider, path)) return files;
            if (File.Exists(full)) files.Add(full);
            else cmdlet.WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find file '{full}'.", full), "PathNotFound", ErrorCategory.ObjectNotFound, path));
        }
        catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or ArgumentException)
        {
            var category = e is ArgumentException ? ErrorCategory.InvalidArgument : ErrorCategory.ObjectNotFound;
            cmdlet.WriteError(new ErrorRecord(e, "PathNotFound", category, path));
        }
        return files;
    }

    /// <summary>
    /// A file-system path for a file to create (it need not exist); null after handing an
    /// error to <paramref name="report"/> (which may throw, for a terminating error).
    /// </summary>
    public static string? ResolveNewFile(PSCmdlet cmdlet, string path, Action<ErrorRecord> report)
    {
        ProviderInfo provider;
        string full;
        try
        {
            full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (Exception e) when (e is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or ArgumentException)
        {
            report(new ErrorRecord(e, "InvalidPath", ErrorCategory.InvalidArgument, path));
            return null;
        }
        return IsFileSystem(provider, path, report) ? full : null;
    }

    private static bool IsFileSystem(PSCmdlet cmdlet, ProviderInfo provider, string path) =>
        IsFileSystem(provider, path, cmdlet.WriteError);

    private static bool IsFileSystem(ProviderInfo provider, string path, Action<ErrorRecord> report)
    {
        if (string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase)) return true;
        report(new ErrorRecord(
            new ArgumentException($"'{path}' is not a file-system path (it belongs to the {provider.Name} provider); image archives must be files."),
            "NotAFileSystemPath", ErrorCategory.InvalidArgument, path));
        return false;
    }
}
