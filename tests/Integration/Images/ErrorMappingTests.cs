using System.Management.Automation;
using Xunit;

namespace ContainerPS.Tests.Integration.Images;

/// <summary>Engine error kinds become specific ErrorCategories, never NotSpecified (convention 4).</summary>
[Collection(ImagesCollection.Name)]
public sealed class ErrorMappingTests : IClassFixture<ImageSession>
{
    private readonly ImageSession _s;

    public ErrorMappingTests(ImageSession session) => _s = session;

    [Fact]
    public void EveryErrorKind_MapsToASpecificCategory()
    {
        // ErrorKind lives in the engine, inside the module's load context: reach it through the mapping method.
        var mapped = _s.RunOk("""
            $method = [ContainerPS.Module.Infrastructure.ErrorMapping].GetMethods() |
                Where-Object { $_.Name -eq 'CategoryOf' -and $_.GetParameters()[0].ParameterType.IsEnum }
            $kind = $method.GetParameters()[0].ParameterType
            foreach ($name in [Enum]::GetNames($kind)) {
                '{0}={1}' -f $name, $method.Invoke($null, @([Enum]::Parse($kind, $name)))
            }
            """).Select(o => ((string)o.BaseObject).Split('=')).ToDictionary(p => p[0], p => Enum.Parse<ErrorCategory>(p[1]));

        Assert.Equal(ErrorCategory.ObjectNotFound, mapped["NotFound"]);
        Assert.Equal(ErrorCategory.ResourceExists, mapped["AlreadyExists"]);
        Assert.Equal(ErrorCategory.InvalidOperation, mapped["Conflict"]);
        Assert.Equal(ErrorCategory.InvalidOperation, mapped["FailedPrecondition"]);
        Assert.Equal(ErrorCategory.InvalidArgument, mapped["InvalidArgument"]);
        Assert.Equal(ErrorCategory.ParserError, mapped["ParseError"]);
        Assert.Equal(ErrorCategory.AuthenticationError, mapped["Unauthenticated"]);
        Assert.Equal(ErrorCategory.ConnectionError, mapped["Unavailable"]);
        Assert.Equal(ErrorCategory.OperationStopped, mapped["Cancelled"]);
        Assert.DoesNotContain(ErrorCategory.NotSpecified, mapped.Values);
    }
}
