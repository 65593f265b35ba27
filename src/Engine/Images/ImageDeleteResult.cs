namespace ContainerPS.Engine.Images;

/// <summary>One line of `docker rmi` output: a name removed ("Untagged") or an image deleted ("Deleted").</summary>
public sealed record ImageDeleteResult(string Action, string Target)
{
    public static ImageDeleteResult Untagged(string name) => new("Untagged", name);
    public static ImageDeleteResult Deleted(string id) => new("Deleted", id);
    public override string ToString() => $"{Action}: {Target}";
}
