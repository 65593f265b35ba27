namespace ContainerPS.Engine.Store;

/// <summary>
/// Where everything lives under the store root. One place knows the layout, so the
/// architecture document and the code cannot drift apart silently.
/// <code>
/// root/
///   store.lock                 exclusive for every metadata mutation and GC
///   blobs/sha256/&lt;hex&gt;          content-addressed blobs (manifests, configs, layer tars)
///   ingest/                    partially written blobs (temp → verify → rename)
///   layers/&lt;chain-hex&gt;/diff    unpacked layer (overlay lower dir); layer.json beside it
///   layers/l/&lt;short&gt;           short symlinks to diff dirs (keeps overlay lowerdir under a page)
///   images/index.json          image records: manifest digest → names, config, time
///   containers/&lt;id&gt;/           (issue 3) per-container bundle, state, CoW dirs, log
///   volumes/&lt;name&gt;/            volume.json + _data/ (named and anonymous volumes)
/// </code>
/// </summary>
public sealed class StoreLayout
{
    /// <summary>Environment variable that overrides the default root (tests use throw-away roots).</summary>
    public const string RootVariable = "CONTAINERPS_ROOT";

    public const string DefaultRoot = "/var/lib/containerps";

    public StoreLayout(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The root from $CONTAINERPS_ROOT, else /var/lib/containerps.</summary>
    public static StoreLayout FromEnvironment()
    {
        var env = Environment.GetEnvironmentVariable(RootVariable);
        return new StoreLayout(string.IsNullOrWhiteSpace(env) ? DefaultRoot : env);
    }

    public string Root { get; }
    public string LockFile => Path.Combine(Root, "store.lock");
    public string Blobs => Path.Combine(Root, "blobs");
    public string Ingest => Path.Combine(Root, "ingest");
    public string Layers => Path.Combine(Root, "layers");
    public string LayerLinks => Path.Combine(Root, "layers", "l");
    public string Images => Path.Combine(Root, "images");
    public string ImageIndex => Path.Combine(Root, "images", "index.json");
    public string Containers => Path.Combine(Root, "containers");
    /// <summary>Docker's init layer, shared by every container of this store (read-only: an overlay lower layer).</summary>
    public string InitLayer => Path.Combine(Root, "init");
    public string Tmp => Path.Combine(Root, "tmp");
    /// <summary>The Dockerfile builder's cache: one record per step key, and the context file digests.</summary>
    public string BuildCache => Path.Combine(Root, "buildcache");

    /// <summary>volumes/&lt;name&gt;/volume.json (the record) and volumes/&lt;name&gt;/_data (the content), as Docker's local driver.</summary>
    public string Volumes => Path.Combine(Root, "volumes");

    public string BlobPath(Digest digest) => Path.Combine(Blobs, digest.Algorithm, digest.Hex);
}
