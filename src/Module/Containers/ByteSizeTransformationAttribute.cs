using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Lets a byte-count parameter (-Memory, -MemorySwap) take docker's size strings as well as
/// numbers: "64m", "1g", "1.5G", "512k", "100b", "1024" and -1 (unlimited, for swap). Units
/// are binary, as in docker (k = 1024). PowerShell's own 64MB literals are numbers already.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed partial class ByteSizeTransformationAttribute : ArgumentTransformationAttribute
{
    [GeneratedRegex(@"^\s*(?<n>-?\d+(\.\d+)?)\s*(?<unit>[bkmgtp]?)(i?b)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject pso ? pso.BaseObject : inputData;
        switch (input)
        {
            case null:
                return null!;
            case long or int or short or byte or uint or ulong or ushort or sbyte:
                return Convert.ToInt64(input, CultureInfo.InvariantCulture);
            case double or float or decimal:
                return (long)Math.Round(Convert.ToDouble(input, CultureInfo.InvariantCulture));
            case string text:
                return Parse(text);
            default:
                throw new ArgumentTransformationMetadataException($"Cannot convert '{input}' to a size in bytes: use a number or a string such as '64m' or '1g'.");
        }
    }

    /// <summary>Parses "64m" (binary units) into bytes.</summary>
    public static long Parse(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success)
            throw new ArgumentTransformationMetadataException($"'{text}' is not a size: use a number of bytes or a number with a unit (b, k, m, g, t), such as '64m'.");
        var number = double.Parse(match.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var multiplier = char.ToLowerInvariant(match.Groups["unit"].Value is { Length: 1 } u ? u[0] : 'b') switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            't' => 1L << 40,
            'p' => 1L << 50,
            _ => 1L,
        };
        return (long)Math.Round(number * multiplier);
    }
}
