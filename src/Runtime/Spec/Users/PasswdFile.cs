namespace ContainerPS.Runtime.Spec.Users;

/// <summary>
/// Parses /etc/passwd the way runc's libcontainer/user (and so Docker) does: lines are trimmed,
/// blank lines skipped, missing fields left empty, malformed numbers read as 0.
/// </summary>
public static class PasswdFile
{
    public static List<PasswdEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<PasswdEntry>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var f = line.Split(':');
            entries.Add(new PasswdEntry(
                Field(f, 0), Field(f, 1), UserFields.Number(Field(f, 2)), UserFields.Number(Field(f, 3)),
                Field(f, 4), Field(f, 5), Field(f, 6)));
        }
        return entries;
    }

    private static string Field(string[] fields, int i) => i < fields.Length ? fields[i] : "";
}
