using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Build.Context;

/// <summary>One file, directory or link of a build context: its path relative to the context root ("a/b.txt") and lstat.</summary>
public sealed record ContextEntry(string Path, FileStatus Status)
{
    public bool IsDirectory => Status.IsDirectory;
}
