using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Stages;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Build.Execution;

internal sealed partial class StageRunner
{
    /// <summary>
    /// COPY/ADD: --from names an earlier stage (waited for) or an image in the store; ADD's URLs are
    /// downloaded and heredoc sources written to a temp dir first, so the cache key can hash them.
    /// </summary>
    private async Task<BuildState> CopyAsync(BuildState state, BuildStage stage, FileInstruction file, StepInfo step, string text,
        IReadOnlyDictionary<int, Task<BuildState>> done, CancellationToken ct)
    {
        if (file.Excludes.Count > 0 || file is CopyInstruction { Parents: true })
            throw new InvalidArgumentException("UnsupportedCopyFlag", $"{File}:{step.Line}: --exclude and --parents are not supported yet", step.Name);
        BuildState? from = null;
        string? fromName = null;
        if (file is CopyInstruction { From: { } reference })
        {
            fromName = reference;
            from = _graph.Resolve(reference, stage) is { } source
                ? await done[source.Index].ConfigureAwait(false)
                : _session.FromImage(reference);
        }
        var prepared = new Dictionary<string, string>(StringComparer.Ordinal);
        var temp = Directory.CreateTempSubdirectory("containerps-build-").FullName;
        try
        {
            var urls = file is AddInstruction ? file.Sources.Where(BuildSession.IsUrl).ToList() : new List<string>();
            if (file is CopyInstruction && file.Sources.Any(BuildSession.IsUrl))
                throw new InvalidArgumentException("InvalidCopySource", $"{File}:{step.Line}: source can't be a URL for COPY", step.Name);
            foreach (var (url, path) in await _session.DownloadAsync(urls, temp, step, ct).ConfigureAwait(false)) prepared[url] = path;
            if (file is AddInstruction { Checksum: { } checksum }) VerifyChecksum(checksum, prepared.Values, step);
            var inline = Path.Combine(temp, "inline");
            foreach (var doc in file.InlineSources)
            {
                var path = Path.Combine(inline, Guid.NewGuid().ToString("N"), Path.GetFileName(doc.Path));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await System.IO.File.WriteAllTextAsync(path, doc.Data, ct).ConfigureAwait(false);
                FileSystem.Chmod(path, 0x1A4); // 0644
                FileSystem.SetTimes(path, DateTimeOffset.UnixEpoch);
                prepared[doc.Path] = path;
            }
            var request = new CopyRequest(file.Sources.Concat(file.InlineSources.Select(s => s.Path)).ToList(), file.Destination)
            {
                IsAdd = file is AddInstruction,
                From = from,
                FromName = fromName,
                Chown = file.Chown,
                Chmod = file.Chmod,
                Prepared = prepared.Keys.ToHashSet(StringComparer.Ordinal),
            };
            var preparedDigest = string.Join(',', prepared.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + Hex(System.IO.File.ReadAllBytes(p.Value))));
            var key = _session.CopyKey(state, request, file.Name + "\0" + text, preparedDigest);
            var lineage = File + "\0" + stage.DisplayName + "\0" + file.Name + "\0" + text;
            return await Cached(step, key, k => _session.CopyAsync(state, k, step, request, prepared, ct, lineage)).ConfigureAwait(false);
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }

    private void VerifyChecksum(string checksum, IEnumerable<string> files, StepInfo step)
    {
        var expected = checksum.StartsWith("sha256:", StringComparison.Ordinal) ? checksum[7..] : checksum;
        foreach (var f in files)
        {
            var actual = Hex(System.IO.File.ReadAllBytes(f));
            if (!actual.Equals(expected, StringComparison.OrdinalIgnoreCase))
                throw new DigestMismatchException("sha256:" + expected, "sha256:" + actual, $"{File}:{step.Line}: ADD --checksum");
        }
    }
}
