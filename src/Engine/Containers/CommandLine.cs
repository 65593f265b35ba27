namespace ContainerPS.Engine.Containers;

/// <summary>Joins a process's path and arguments the way docker ps shows the COMMAND column.</summary>
public static class CommandLine
{
    public static string Format(string path, IEnumerable<string> args) =>
        string.Join(' ', new[] { path }.Concat(args).Select(Quote));

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || "-_./:=@%+,".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}
