namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// A COPY/ADD source given as a heredoc (`COPY <<EOF /etc/motd`): the file named <see cref="Path"/>
/// with <see cref="Data"/> as content. <see cref="Expand"/> says whether variables in the content
/// are substituted (unquoted delimiter); quotes in the content are kept either way.
/// </summary>
public sealed record InlineSource(string Path, string Data, bool Expand);
