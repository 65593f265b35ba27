using ContainerPS.Engine.Containers.Spec;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Tests.Unit.Spec;

public sealed class RestartPolicyTests
{
    [Theory]
    [InlineData(null, "no", 0)]
    [InlineData("", "no", 0)]
    [InlineData("no", "no", 0)]
    [InlineData("always", "always", 0)]
    [InlineData("unless-stopped", "unless-stopped", 0)]
    [InlineData("on-failure", "on-failure", 0)]
    [InlineData("on-failure:5", "on-failure", 5)]
    [InlineData("on-failure:", "on-failure", 0)]
    [InlineData("always:0", "always", 0)]
    public void Valid_policies(string? text, string name, int count)
    {
        var p = RestartPolicy.Parse(text);
        Assert.Equal(name, p.Name);
        Assert.Equal(count, p.MaximumRetryCount);
    }

    [Theory]
    [InlineData("sometimes", "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'")]
    [InlineData("Always", "invalid restart policy: unknown policy 'Always'")]
    [InlineData(":3", "invalid restart policy format: no policy provided before colon")]
    [InlineData("on-failure:x", "invalid restart policy format: maximum retry count must be an integer")]
    [InlineData("on-failure:-1", "invalid restart policy: maximum retry count cannot be negative")]
    [InlineData("always:3", "invalid restart policy: maximum retry count can only be used with 'on-failure'")]
    [InlineData("no:-2", "maximum retry count can only be used with 'on-failure' and cannot be negative")]
    public void Invalid_policies_name_the_value(string text, string message)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => RestartPolicy.Parse(text));
        Assert.Contains(message, ex.Message);
        Assert.Contains($"'{text}'", ex.Message);
        Assert.Equal("InvalidRestartPolicy", ex.ErrorId);
    }

    [Fact]
    public void Options_validation_uses_it_and_refuses_rm_with_restart()
    {
        var options = SpecTestBuilder.Options("sh");
        options.RestartPolicy = "bogus";
        Assert.Equal("InvalidRestartPolicy", Assert.Throws<InvalidArgumentException>(options.Validate).ErrorId);
        options.RestartPolicy = "always";
        options.AutoRemove = true;
        Assert.Equal("ConflictingOptions", Assert.Throws<InvalidArgumentException>(options.Validate).ErrorId);
        options.RestartPolicy = "no";
        options.Validate();
    }

    [Fact]
    public void ToString_round_trips()
    {
        Assert.Equal("on-failure:3", RestartPolicy.Parse("on-failure:3").ToString());
        Assert.Equal("always", RestartPolicy.Parse("always").ToString());
    }
}
