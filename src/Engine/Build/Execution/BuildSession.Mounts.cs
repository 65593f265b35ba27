using System.Globalization;
using ContainerPS.Engine.Build.Context;
using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Containers;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.Interop;
using ContainerPS.Engine.Store;

namespace ContainerPS.Engine.Build.Execution;

public sealed partial class BuildSession
{
    /// <summary>buildcache/mounts: the directories behind RUN --mount=type=cache, kept across builds.</summary>
    private string CacheMountsDir => Path.Combine(_containers.Layout.BuildCache, "mounts");

    /// <summary>
    /// RUN --mount as container mounts: type=cache is a directory of the build cache that
    /// persists across builds (keyed by id, else target); type=tmpfs a tmpfs; type=bind (without
    /// from) a read-only bind of a context path. Nothing of a mount reaches the layer. Not yet:
    /// bind mounts from stages or images, read-write binds, secret and ssh — refused by name.
    /// </summary>
    /// <exception cref="InvalidArgumentException">"UnsupportedRunMount", "SourceOutsideContext".</exception>
    internal void ApplyRunMounts(ContainerCreateOptions options, IReadOnlyList<RunMount> mounts, StepInfo step)
    {
        foreach (var m in mounts)
        {
            var target = m.Target ?? "";
            if (!target.StartsWith('/'))
            {
                var workdir = string.IsNullOrEmpty(options.WorkingDir) ? "/" : options.WorkingDir;
                target = workdir.TrimEnd('/') + "/" + target;
            }
            switch (m.Type)
            {
                case "cache":
                {
                    var id = m.Options.TryGetValue("id", out var given) && given.Length > 0 ? given : target;
                    var dir = Path.Combine(CacheMountsDir, Digest.Compute(System.Text.Encoding.UTF8.GetBytes(id)).Hex[..32]);
                    if (!Directory.Exists(dir))
                    {
                        Directory.CreateDirectory(dir);
                        var uid = m.Options.TryGetValue("uid", out var u) ? int.Parse(u, CultureInfo.InvariantCulture) : 0;
                        var gid = m.Options.TryGetValue("gid", out var g) ? int.Parse(g, CultureInfo.InvariantCulture) : 0;
                        FileSystem.LChown(dir, uid, gid);
                        FileSystem.Chmod(dir, m.Options.TryGetValue("mode", out var mode) ? Convert.ToUInt32(mode, 8) : 0x1ED);
                    }
                    options.Mounts.Add($"type=bind,source={dir},target={target}");
                    break;
                }
                case "tmpfs":
                    options.Tmpfs.Add(m.Options.TryGetValue("size", out var size) ? $"{target}:size={size}" : target);
                    break;
                case "bind" when m.From is null && m.ReadOnly:
                {
                    var source = BuildContext.Clean(m.Source ?? ".");
                    options.Mounts.Add($"type=bind,source={Context.FullPath(source)},target={target},readonly");
                    break;
                }
                default:
                    throw new InvalidArgumentException("UnsupportedRunMount",
                        $"{step.File}:{step.Line}: RUN --mount=type={m.Type}{(m.From is null ? "" : ",from=" + m.From)}{(m.Type == "bind" && !m.ReadOnly ? ",rw" : "")} is not supported yet (cache, tmpfs and read-only binds of the context are)", m.Type);
            }
        }
    }

    /// <summary>What a RUN's bind mounts of the context contain, for its cache key (their content, as for COPY).</summary>
    internal string MountsDigest(IReadOnlyList<RunMount> mounts)
    {
        var binds = mounts.Where(m => m.Type == "bind" && m.From is null).ToList();
        if (binds.Count == 0) return "";
        return SourceDigest.Compute(Context, binds.SelectMany(m => Context.Resolve(m.Source ?? ".")), Hashes);
    }
}
