namespace ContainerPS.Engine.Build.Parsing;

/// <summary>
/// One here-document of a RUN, COPY or ADD line (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`).
/// <see cref="Content"/> is the raw text between the line and the terminator, every line with
/// its newline; <see cref="Text"/> applies `<<-` tab stripping. A quoted delimiter turns
/// <see cref="Expand"/> off: the content is then taken literally (BuildKit's rule).
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool Chomp, int FileDescriptor)
{
    /// <summary>The content as the instruction uses it: with `<<-`, leading tabs are removed from every line.</summary>
    public string Text => Chomp ? ChompContent(Content) : Content;

    /// <summary>Removes leading tab characters from each line, like `<<-` in a POSIX shell.</summary>
    public static string ChompContent(string content)
    {
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++) lines[i] = lines[i].TrimStart('\t');
        return string.Join('\n', lines);
    }
}
