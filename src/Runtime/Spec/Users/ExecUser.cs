namespace ContainerPS.Runtime.Spec.Users;

/// <summary>
/// The identity a "user[:group]" specification resolves to inside a container: uid, primary gid,
/// supplementary gids (the groups that list the user as a member) and home directory. Resolution
/// follows runc's libcontainer/user GetExecUser, which Docker uses: names are looked up in the
/// container's own /etc/passwd and /etc/group; numeric IDs need no entry.
/// </summary>
public sealed record ExecUser(int Uid, int Gid, IReadOnlyList<int> SupplementaryGids, string Home)
{
    /// <summary>The highest ID accepted (libcontainer/user: 1&lt;&lt;31 - 1, for 32-bit compatibility).</summary>
    public const int MaxId = int.MaxValue;

    /// <summary>root, primary group 0, home "/" (runc's defaults when no passwd entry matches).</summary>
    public static ExecUser Root { get; } = new(0, 0, Array.Empty<int>(), "/");

    /// <summary>
    /// Resolves <paramref name="userSpec"/> ("", "name", "uid", "name:group", "uid:gid", "name:gid",
    /// "uid:group") against the text of /etc/passwd and /etc/group; either may be null when the
    /// container has no such file.
    /// </summary>
    /// <param name="defaults">Used for an empty spec and for fields with no entry; <see cref="Root"/> when null.</param>
    /// <exception cref="UserLookupException">A name has no entry, or an ID is out of range.</exception>
    public static ExecUser Resolve(string? userSpec, string? passwdText, string? groupText, ExecUser? defaults = null)
    {
        var spec = userSpec ?? "";
        var d = defaults ?? Root;
        int uid = d.Uid, gid = d.Gid;
        var sgids = d.SupplementaryGids;
        var home = d.Home;

        var parts = spec.Split(':');
        var userArg = parts[0];
        var groupArg = parts.Length > 1 ? parts[1] : "";
        var userIsNumber = UserFields.TryNumber(userArg, out var uidArg);
        var groupIsNumber = UserFields.TryNumber(groupArg, out var gidArg);

        PasswdEntry? match = null;
        if (passwdText is not null)
        {
            foreach (var u in PasswdFile.Parse(passwdText))
            {
                var hit = userArg.Length == 0 ? u.Uid == uid : userIsNumber ? u.Uid == uidArg : u.Name == userArg;
                if (hit) { match = u; break; } // first match wins, as in libcontainer
            }
        }

        if (match is not null)
        {
            uid = match.Uid;
            gid = match.Gid;
            home = match.Home;
        }
        else if (userArg.Length > 0)
        {
            if (!userIsNumber)
                throw new UserLookupException($"unable to find user {userArg}: no matching entries in passwd file", spec);
            if (uidArg < 0) throw RangeError(spec);
            uid = uidArg;
        }

        var matchedName = match?.Name ?? "";
        if (groupArg.Length > 0 || matchedName.Length > 0)
        {
            var groups = groupText is null ? new List<GroupEntry>() : GroupFile.Parse(groupText);
            if (groupArg.Length > 0)
            {
                var g = groups.FirstOrDefault(g => groupIsNumber ? g.Gid == gidArg : g.Name == groupArg);
                if (g is not null)
                {
                    gid = g.Gid;
                }
                else
                {
                    if (!groupIsNumber)
                        throw new UserLookupException($"unable to find group {groupArg}: no matching entries in group file", spec);
                    if (gidArg < 0) throw RangeError(spec);
                    gid = gidArg;
                }
            }
            else
            {
                // Supplementary groups only in the implicit form ("name", not "name:group").
                var member = groups.Where(g => g.Members.Contains(matchedName, StringComparer.Ordinal)).Select(g => g.Gid).ToList();
                if (member.Count > 0) sgids = member;
            }
        }

        return new ExecUser(uid, gid, sgids, home);
    }

    private static UserLookupException RangeError(string spec) =>
        new($"uids and gids must be in range 0-{MaxId}", spec);
}
