using System.Collections;
using System.Management.Automation;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Turns input for a container's standard input into lines: strings as they are, numbers,
/// booleans, characters and dates as text. Other objects are refused as an invalid cast so
/// that pipeline binding can give them to the parameters they belong to (a Container to
/// -InputObject, an object with a Name property to -Name); to feed objects as text, pipe
/// them through Out-String -Stream first.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class StandardInputTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = Unwrap(inputData);
        if (input is null) return null!;
        if (input is string or not IEnumerable) return new[] { Line(input) };
        var lines = new List<string>();
        foreach (var item in (IEnumerable)input) lines.Add(Line(Unwrap(item)));
        return lines.ToArray();
    }

    private static string Line(object? value) => value switch
    {
        null => "",
        string text => text,
        IConvertible primitive when primitive.GetTypeCode() is not TypeCode.Object and not TypeCode.DBNull => LanguagePrimitives.ConvertTo<string>(primitive),
        _ => throw new ArgumentTransformationMetadataException(
            $"Cannot use a {value.GetType().Name} as a line of standard input: pipe it through Out-String -Stream first.",
            new PSInvalidCastException($"{value.GetType().FullName} is not text.")),
    };

    private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;
}
