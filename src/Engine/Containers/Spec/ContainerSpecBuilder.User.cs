using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Spec;
using ContainerPS.Runtime.Spec.Users;

namespace ContainerPS.Engine.Containers.Spec;

public sealed partial class ContainerSpecBuilder
{
    /// <summary>
    /// Resolves "uid", "uid:gid", "name" or "name:group" (empty: root) in the container's
    /// /etc/passwd and /etc/group, as Docker does through runc's libcontainer/user. The additional
    /// gids are the primary gid followed by the groups listing the user as a member: moby adds the
    /// primary group since the CVE-2023-25173 fix, so a process never runs with a supplementary
    /// group list that omits it. Home is the passwd entry's directory, "/" without one.
    /// </summary>
    /// <exception cref="InvalidArgumentException">A user or group name has no entry ("unable to find user app: no matching entries in passwd file").</exception>
    public static (SpecUser User, string Home) ResolveUser(string? userSpec, IRootfsReader rootfs)
    {
        ArgumentNullException.ThrowIfNull(rootfs);
        ExecUser exec;
        try
        {
            exec = ExecUser.Resolve(userSpec, rootfs.ReadFile("/etc/passwd"), rootfs.ReadFile("/etc/group"));
        }
        catch (UserLookupException ex)
        {
            throw new InvalidArgumentException("UserNotFound", ex.Message, userSpec);
        }

        var gids = new List<uint> { (uint)exec.Gid };
        foreach (var g in exec.SupplementaryGids)
            if (!gids.Contains((uint)g)) gids.Add((uint)g);
        var user = new SpecUser { Uid = (uint)exec.Uid, Gid = (uint)exec.Gid, AdditionalGids = gids };
        return (user, string.IsNullOrEmpty(exec.Home) ? "/" : exec.Home);
    }
}
