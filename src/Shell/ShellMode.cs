namespace ContainerPS.Shell;

/// <summary>What a cpsh invocation was asked to do.</summary>
internal enum ShellMode
{
    Interactive,
    Command,
    File,
    StandardInput,
    Version,
    Help,
}
