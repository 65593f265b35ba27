using System.Globalization;
using ContainerPS.Engine.Archive;
using ContainerPS.Engine.Build.Context;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;
using ContainerPS.Engine.Layers;
using ContainerPS.Engine.Store;
using ContainerPS.Runtime.Spec.Users;

namespace ContainerPS.Engine.Build.Execution;

public sealed partial class BuildSession
{
    /// <summary>A source of a COPY/ADD, resolved: its name, host path, lstat, and for a directory its entries below (relative name, host path, lstat).</summary>
    private sealed record Source(string Name, string HostPath, FileStatus Status, IReadOnlyList<(string Relative, string HostPath, FileStatus Status)> Children, bool FromContext);

    /// <summary>
    /// The cache key of a COPY/ADD: parent state, the instruction and, for context sources, the
    /// digest of what they contain (content, modes, owners — not mtimes); for --from sources the
    /// source stage's own key stands for its content.
    /// </summary>
    public Digest CopyKey(BuildState parent, CopyRequest request, string instruction, string? downloadedDigest = null)
    {
        string content;
        if (request.From is { } from) content = "from:" + from.Key;
        else
        {
            var local = request.Sources.Where(s => !IsUrl(s) && !request.Prepared.Contains(s)).SelectMany(s => Context.Resolve(s)).ToList();
            content = SourceDigest.Compute(Context, local, Hashes);
        }
        return Key(parent.Key, instruction, content, downloadedDigest ?? "");
    }

    /// <summary>
    /// COPY/ADD: builds the new layer in a staging directory — the copied files with their
    /// modes (or --chmod), owners (root, --chown, or kept for --from), times and symlinks, and
    /// the destination's parent directories with their existing metadata — and adopts it.
    /// Docker's rules: a directory source copies its contents; several sources or a wildcard need
    /// a destination ending in '/'; a file lands at dest/&lt;name&gt; when dest ends in '/' or is
    /// an existing directory, else at dest. ADD extracts local tar archives (plain, gzip, bzip2,
    /// xz) into the destination and downloads http(s) URLs.
    /// </summary>
    public async Task<BuildState> CopyAsync(BuildState parent, Digest key, StepInfo step, CopyRequest request, IReadOnlyDictionary<string, string>? downloads, CancellationToken ct,
        string? lineage = null)
    {
        var view = new LayeredView(parent.Chains.Reverse().Select(c => Images.LayerStore.DiffPath(c)).ToList());
        var owner = request.Chown is null ? ((int, int)?)null : ResolveChown(request.Chown, view, step);
        var mode = request.Chmod is null ? (uint?)null : ParseChmod(request.Chmod, step);
        var sources = ResolveSources(request, downloads, step);
        var wildcard = request.Sources.Any(s => !IsUrl(s) && !request.Prepared.Contains(s) && GlobMatcher.HasWildcards(s));
        var destination = request.Destination;
        var workdir = string.IsNullOrEmpty(parent.Runtime.WorkingDir) ? "/" : parent.Runtime.WorkingDir!;
        var absolute = destination.StartsWith('/') ? destination : workdir.TrimEnd('/') + "/" + destination;
        var endsWithSlash = destination.EndsWith('/') || destination.EndsWith("/.", StringComparison.Ordinal) || destination == ".";
        if ((request.Sources.Count > 1 || wildcard && sources.Count > 1) && !endsWithSlash)
            throw new InvalidArgumentException("CopyDestinationNotDirectory",
                $"{step.File}:{step.Line}: When using {(request.IsAdd ? "ADD" : "COPY")} with more than one source file, the destination must be a directory and end with a /", destination);
        var resolvedDest = view.Resolve(absolute, followLast: true);
        var destIsDir = endsWithSlash || view.LStat(resolvedDest) is { Status.IsDirectory: true };

        var staging = Images.LayerStore.NewStaging();
        try
        {
            var root = Path.Combine(staging, "diff");
            var previous = lineage is not null && request.From is null ? PreviousLayer(lineage) : null;
            var copier = new LayerStager(root, view, owner, mode) { Reuse = previous is null ? null : (previous, Hashes) };
            foreach (var source in sources)
            {
                ct.ThrowIfCancellationRequested();
                if (source.Status.IsDirectory)
                {
                    copier.EnsureDirectory(resolvedDest, created: true);
                    copier.CopyAll(source.Children.Select(c => (c.HostPath, c.Status, resolvedDest.TrimEnd('/') + "/" + c.Relative)), keepOwner: !source.FromContext, ct);
                }
                else if (request.IsAdd && source.FromContext && await TarProbe.IsArchiveAsync(source.HostPath, ct).ConfigureAwait(false))
                {
                    copier.EnsureDirectory(resolvedDest, created: true);
                    var target = copier.HostPathOf(resolvedDest);
                    await using var file = File.OpenRead(source.HostPath);
                    await using var plain = Compression.OpenDecompressed(file, out _);
                    await new LayerExtractor(WhiteoutMode.Apply).ExtractAsync(plain, target, source.Name, ct).ConfigureAwait(false);
                }
                else
                {
                    var target = destIsDir ? resolvedDest.TrimEnd('/') + "/" + source.Name : resolvedDest;
                    copier.EnsureDirectory(LayeredView.Parent(target), created: true);
                    copier.Copy(source.HostPath, source.Status, target, keepOwner: request.From is not null);
                }
            }
            copier.FinishDirectories();
            var state = await AddLayerAsync(parent, key, step.CreatedBy, root, staging, change: null, ct).ConfigureAwait(false);
            if (lineage is not null && state.Layers.Count > parent.Layers.Count) RecordLineage(lineage, state.Chains[^1]);
            return state;
        }
        finally
        {
            LayerStore.RemoveTree(staging); // gone already when adopted
        }
    }

    /// <summary>buildcache/lineage/&lt;hash of the instruction&gt;: the layer that instruction made last.</summary>
    private string LineagePath(string lineage) =>
        Path.Combine(_containers.Layout.BuildCache, "lineage", Digest.Compute(System.Text.Encoding.UTF8.GetBytes(lineage)).Hex);

    private string? PreviousLayer(string lineage)
    {
        try
        {
            var chain = new Digest("sha256", File.ReadAllText(LineagePath(lineage)).Trim());
            return Images.LayerStore.Exists(chain) ? Images.LayerStore.DiffPath(chain) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void RecordLineage(string lineage, Digest chain)
    {
        try
        {
            ContainerPS.Runtime.IO.AtomicFile.WriteAllBytes(LineagePath(lineage), System.Text.Encoding.ASCII.GetBytes(chain.Hex), durable: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only an optimisation: the next build copies instead of linking.
        }
    }

    private List<Source> ResolveSources(CopyRequest request, IReadOnlyDictionary<string, string>? downloads, StepInfo step)
    {
        var result = new List<Source>();
        foreach (var source in request.Sources)
        {
            if (downloads is not null && downloads.TryGetValue(source, out var file))
            {
                // A downloaded URL or a heredoc source, prepared in a temp dir.
                result.Add(new Source(IsUrl(source) ? UrlFileName(source) : Path.GetFileName(source), file, FileSystem.LStat(file), Array.Empty<(string, string, FileStatus)>(), FromContext: false));
                continue;
            }
            if (IsUrl(source))
                throw new InvalidArgumentException("InvalidCopySource", $"{step.File}:{step.Line}: source can't be a URL for COPY", source);
            if (request.From is { } from)
            {
                var view = new LayeredView(from.Chains.Reverse().Select(c => Images.LayerStore.DiffPath(c)).ToList());
                var path = view.Resolve("/" + BuildContext.Clean(source), followLast: true);
                var node = view.LStat(path) ?? throw new NotFoundException("SourceNotFound",
                    $"{step.File}:{step.Line}: \"{source}\": not found in {request.FromName}", source);
                var children = new List<(string, string, FileStatus)>();
                if (node.Status.IsDirectory) WalkView(view, path, "", children);
                result.Add(new Source(Path.GetFileName(path), node.HostPath, node.Status, children, FromContext: false));
                continue;
            }
            foreach (var entry in Context.Resolve(source))
            {
                var children = entry.IsDirectory
                    ? Context.Below(entry.Path).Select(c => (entry.Path.Length == 0 ? c.Path : c.Path[(entry.Path.Length + 1)..], Context.FullPath(c.Path), c.Status)).ToList()
                    : new List<(string, string, FileStatus)>();
                var name = entry.Path.Length == 0 ? "" : Path.GetFileName(entry.Path);
                result.Add(new Source(name, Context.FullPath(entry.Path), entry.Status, children, FromContext: true));
            }
        }
        return result;
    }

    private static void WalkView(LayeredView view, string dir, string prefix, List<(string, string, FileStatus)> into)
    {
        foreach (var (name, node) in view.List(dir))
        {
            var relative = prefix.Length == 0 ? name : prefix + "/" + name;
            into.Add((relative, node.HostPath, node.Status));
            if (node.Status.IsDirectory) WalkView(view, dir.TrimEnd('/') + "/" + name, relative, into);
        }
    }

    internal static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static string UrlFileName(string url)
    {
        var path = new Uri(url).AbsolutePath.TrimEnd('/');
        var name = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        return name.Length == 0 ? "index.html" : name;
    }

    private (int, int) ResolveChown(string spec, LayeredView view, StepInfo step)
    {
        string? Read(string p) => view.LStat(view.Resolve(p, true)) is { Status.IsRegularFile: true } n ? File.ReadAllText(n.HostPath) : null;
        try
        {
            var user = ExecUser.Resolve(spec, Read("/etc/passwd"), Read("/etc/group"));
            // "--chown=user" alone: the user's primary group, as Docker does.
            return (user.Uid, user.Gid);
        }
        catch (UserLookupException e)
        {
            throw new InvalidArgumentException("InvalidChown", $"{step.File}:{step.Line}: --chown={spec}: {e.Message}", spec, e);
        }
    }

    private static uint ParseChmod(string spec, StepInfo step)
    {
        try
        {
            var mode = Convert.ToUInt32(spec, 8);
            if (mode <= 0xFFF) return mode;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
        }
        throw new InvalidArgumentException("InvalidChmod", $"{step.File}:{step.Line}: --chmod={spec}: invalid mode (an octal number like 755 is expected)", spec);
    }

    /// <summary>Downloads the URL sources of an ADD into <paramref name="dir"/>; returns URL → file.</summary>
    public async Task<Dictionary<string, string>> DownloadAsync(IEnumerable<string> urls, string dir, StepInfo step, CancellationToken ct)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        using var http = new HttpClient();
        var n = 0;
        foreach (var url in urls.Distinct())
        {
            var file = Path.Combine(dir, (n++).ToString(CultureInfo.InvariantCulture));
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new EngineException(ErrorKind.Unavailable, "DownloadFailed",
                        $"{step.File}:{step.Line}: failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}", url);
                await using (var output = File.Create(file))
                    await response.Content.CopyToAsync(output, ct).ConfigureAwait(false);
                FileSystem.Chmod(file, 0x180); // 0600, as Docker gives downloaded files
                var modified = response.Content.Headers.LastModified ?? DateTimeOffset.UnixEpoch;
                FileSystem.SetTimes(file, modified);
            }
            catch (HttpRequestException e)
            {
                throw new EngineException(ErrorKind.Unavailable, "DownloadFailed", $"{step.File}:{step.Line}: failed to GET {url}: {e.Message}", url, e);
            }
            files[url] = file;
        }
        return files;
    }
}
