using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Spec.Users;

namespace ContainerPS.Tests.Unit.Spec;

public sealed class UserResolutionTests
{
    private static readonly DictionaryRootfs Rootfs = DictionaryRootfs.Debian();

    [Theory]
    // spec,          uid,  gid,  additional gids (primary first), home
    [InlineData("", 0u, 0u, new uint[] { 0 }, "/root")]
    [InlineData("root", 0u, 0u, new uint[] { 0 }, "/root")]
    [InlineData("app", 1000u, 1000u, new uint[] { 1000, 4, 50 }, "/home/app")]
    [InlineData("1000", 1000u, 1000u, new uint[] { 1000, 4, 50 }, "/home/app")]
    [InlineData("www-data", 33u, 33u, new uint[] { 33, 4 }, "/var/www")]
    [InlineData("app:staff", 1000u, 50u, new uint[] { 50 }, "/home/app")]
    [InlineData("app:0", 1000u, 0u, new uint[] { 0 }, "/home/app")]
    [InlineData("1000:4242", 1000u, 4242u, new uint[] { 4242 }, "/home/app")]
    [InlineData("4242", 4242u, 0u, new uint[] { 0 }, "/")]
    [InlineData("4242:4343", 4242u, 4343u, new uint[] { 4343 }, "/")]
    [InlineData("4242:adm", 4242u, 4u, new uint[] { 4 }, "/")]
    public void Docker_user_forms(string spec, uint uid, uint gid, uint[] additional, string home)
    {
        var (user, h) = ContainerSpecBuilder.ResolveUser(spec, Rootfs);
        Assert.Equal(uid, user.Uid);
        Assert.Equal(gid, user.Gid);
        Assert.Equal(additional, user.AdditionalGids);
        Assert.Equal(home, h);
    }

    [Fact]
    public void Unknown_user_name_is_Dockers_error()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.ResolveUser("nobody2", Rootfs));
        Assert.Equal("unable to find user nobody2: no matching entries in passwd file", ex.Message);
        Assert.Equal("UserNotFound", ex.ErrorId);
    }

    [Fact]
    public void Unknown_group_name_is_Dockers_error()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.ResolveUser("app:wheel", Rootfs));
        Assert.Equal("unable to find group wheel: no matching entries in group file", ex.Message);
    }

    [Fact]
    public void Without_passwd_and_group_only_numeric_ids_work()
    {
        var empty = new DictionaryRootfs();
        var (user, home) = ContainerSpecBuilder.ResolveUser("", empty);
        Assert.Equal((0u, 0u, "/"), (user.Uid, user.Gid, home));
        (user, home) = ContainerSpecBuilder.ResolveUser("1234:5678", empty);
        Assert.Equal((1234u, 5678u, "/"), (user.Uid, user.Gid, home));
        var ex = Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.ResolveUser("root", empty));
        Assert.Equal("unable to find user root: no matching entries in passwd file", ex.Message);
    }

    [Fact]
    public void Negative_ids_are_out_of_range()
    {
        var ex = Assert.Throws<UserLookupException>(() => ExecUser.Resolve("-1", null, null));
        Assert.Equal("uids and gids must be in range 0-2147483647", ex.Message);
    }

    [Fact]
    public void First_matching_entry_wins_and_malformed_lines_are_tolerated()
    {
        var passwd = "  \nbad-line\ndup:x:10:10::/one:/bin/sh\ndup:x:11:11::/two:/bin/sh\nshort:x:12\n";
        var u = ExecUser.Resolve("dup", passwd, null);
        Assert.Equal((10, 10, "/one"), (u.Uid, u.Gid, u.Home));
        var s = ExecUser.Resolve("short", passwd, null);
        Assert.Equal((12, 0, ""), (s.Uid, s.Gid, s.Home));
    }

    [Fact]
    public void Parsers_read_fields_as_libcontainer_does()
    {
        var users = PasswdFile.Parse("root:x:0:0:root:/root:/bin/bash\r\n\napp:x:1000:1000:App,,,:/home/app:/bin/sh");
        Assert.Equal(2, users.Count);
        Assert.Equal(new PasswdEntry("app", "x", 1000, 1000, "App,,,", "/home/app", "/bin/sh"), users[1]);
        Assert.Equal("/bin/bash", users[0].Shell); // trailing \r trimmed

        var groups = GroupFile.Parse("# comment\nadm:x:4:syslog,app\nempty:x:5:\n");
        Assert.Equal(2, groups.Count);
        Assert.Equal(new[] { "syslog", "app" }, groups[0].Members);
        Assert.Empty(groups[1].Members);
    }
}
