using ContainerPS.Runtime.Cgroups;

namespace ContainerPS.Tests.Unit.Cgroups;

public sealed class CgroupManagerFactoryTests
{
    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("../../etc")]
    public void Ids_that_would_escape_the_parent_are_rejected(string id)
    {
        var e = Assert.Throws<CgroupException>(() => CgroupManagerFactory.PathFor(id));
        Assert.Equal(CgroupErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void The_path_is_below_containerps()
    {
        Assert.Equal("/containerps/abc123", CgroupManagerFactory.PathFor("abc123"));
    }

    [Fact]
    public void Mode_picks_the_implementation()
    {
        using var v1 = FakeCgroupKernel.V1(hybrid: false);
        using var hybrid = FakeCgroupKernel.V1(hybrid: true);
        using var v2 = FakeCgroupKernel.V2();
        Assert.IsType<CgroupV1Manager>(CgroupManagerFactory.For("x", v1.Detect(), v1));
        Assert.Equal(CgroupMode.Hybrid, Assert.IsType<CgroupV1Manager>(CgroupManagerFactory.For("x", hybrid.Detect(), hybrid)).Mode);
        Assert.IsType<CgroupV2Manager>(CgroupManagerFactory.For("x", v2.Detect(), v2));

        var none = new CgroupInfo { Mode = CgroupMode.None, Root = "/nowhere" };
        Assert.Equal(CgroupErrorKind.NotSupported, Assert.Throws<CgroupException>(() => CgroupManagerFactory.For("x", none)).Kind);
    }
}
