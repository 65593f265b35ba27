namespace ContainerPS.Runtime.Spec.Users;

/// <summary>
/// Parses /etc/group the way runc's libcontainer/user does: lines trimmed, blank lines and
/// '#' comments skipped (as glibc allows), the member list split on commas.
/// </summary>
public static class GroupFile
{
    public static List<GroupEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<GroupEntry>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split(':');
            var members = f.Length > 3 && f[3].Length > 0 ? f[3].Split(',') : Array.Empty<string>();
            entries.Add(new GroupEntry(Field(f, 0), Field(f, 1), UserFields.Number(Field(f, 2)), members));
        }
        return entries;
    }

    private static string Field(string[] fields, int i) => i < fields.Length ? fields[i] : "";
}
