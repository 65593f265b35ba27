using System.Text;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Layers;

/// <summary>
/// Chain IDs (OCI config.md "Layer ChainID"): ChainID(L0) = DiffID(L0);
/// ChainID(L0|...|Ln) = sha256(ChainID(L0|...|Ln-1) + " " + DiffID(Ln)). A chain ID names
/// a layer together with everything below it, which is what an unpacked lower dir is.
/// </summary>
public static class ChainId
{
    public static Digest Next(Digest? parent, Digest diffId) =>
        parent is null ? diffId : Digest.Compute(Encoding.ASCII.GetBytes($"{parent} {diffId}"));

    public static IReadOnlyList<Digest> For(IEnumerable<Digest> diffIds)
    {
        var result = new List<Digest>();
        Digest? parent = null;
        foreach (var d in diffIds)
        {
            parent = Next(parent, d);
            result.Add(parent.Value);
        }
        return result;
    }
}
