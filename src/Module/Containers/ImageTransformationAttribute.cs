using System.Management.Automation;
using ContainerPS.Engine.Images;

namespace ContainerPS.Module.Containers;

/// <summary>
/// Lets -Image take an Image object (from Get-Image, Import-Image or Invoke-ContainerBuild) as
/// well as a name: the object stands for the name it was listed under, else its first name,
/// else its ID (<c>Get-Image busybox | New-Container</c>). Other objects are refused as an
/// invalid cast, so pipeline binding passes them on to parameters that want them (a
/// Container to -InputObject, an object with a Name property to -Name) instead of turning
/// them into an image name like "@{Name=web}".
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ImageTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject pso ? pso.BaseObject : inputData;
        return input switch
        {
            null => null!,
            Image image => NameOf(image),
            string text => text,
            IConvertible primitive when primitive.GetTypeCode() is not TypeCode.Object and not TypeCode.DBNull => LanguagePrimitives.ConvertTo<string>(primitive),
            _ => throw new ArgumentTransformationMetadataException(
                $"Cannot use a {input.GetType().Name} as an image: give an image name, an ID or an Image object.",
                new PSInvalidCastException($"{input.GetType().FullName} is not an image.")),
        };
    }

    /// <summary>The reference an Image object stands for.</summary>
    public static string NameOf(Image image) => image.Name ?? (image.RepoTags.Count > 0 ? image.RepoTags[0] : image.Id);
}
