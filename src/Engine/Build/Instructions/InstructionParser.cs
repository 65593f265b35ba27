using System.Text.RegularExpressions;
using ContainerPS.Engine.Build.Parsing;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Instructions;

/// <summary>
/// Turns syntax nodes into typed instructions, validating arguments and flags with BuildKit's
/// rules and words (instructions/parse.go). No variable is expanded here.
/// </summary>
public static class InstructionParser
{
    private static readonly Regex StageNameRegex = new(@"^[a-z][a-z0-9-_\.]*$", RegexOptions.CultureInvariant);
    private static readonly Regex OnbuildPrefix = new(@"^\s*ONBUILD\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Every instruction name Docker knows, upper case.</summary>
    public static IReadOnlyList<string> InstructionNames { get; } = new[]
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
        "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    };

    /// <summary>Parses one node.</summary>
    /// <param name="node">The syntax node.</param>
    /// <param name="file">The file name errors carry.</param>
    /// <exception cref="DockerfileParseException">unknown instruction, wrong arguments or flags.</exception>
    public static Instruction Parse(SyntaxNode node, string file = "Dockerfile")
    {
        try
        {
            return ParseNode(node);
        }
        catch (InstructionParseException e)
        {
            throw new DockerfileParseException(file, node.StartLine, node.EndLine, e.Message);
        }
        catch (LineParseException e)
        {
            throw new DockerfileParseException(file, node.StartLine, node.EndLine, e.Message);
        }
    }

    internal static Instruction ParseNode(SyntaxNode node)
    {
        var args = node.Arguments;
        var flags = new InstructionFlags(node.Flags);
        switch (node.Keyword.ToLowerInvariant())
        {
            case "env":
                flags.Parse();
                return new EnvInstruction { Node = node, Variables = Pairs(args, "ENV") };
            case "label":
                flags.Parse();
                return new LabelInstruction { Node = node, Labels = Pairs(args, "LABEL") };
            case "maintainer":
                if (args.Count != 1) throw ExactlyOne("MAINTAINER");
                flags.Parse();
                return new MaintainerInstruction { Node = node, Maintainer = args[0] };
            case "add":
            {
                var flagsOf = FileFlags(node, "ADD", flags.String("checksum").Bool("keep-git-dir"));
                var add = new AddInstruction { Node = node, Sources = Array.Empty<string>(), Destination = "" };
                return FillFile(add, node, "ADD", flagsOf) with { KeepGitDir = flags.GetBool("keep-git-dir"), Checksum = flags.Get("checksum") };
            }
            case "copy":
            {
                var flagsOf = FileFlags(node, "COPY", flags.String("from").Bool("parents"));
                var copy = new CopyInstruction { Node = node, Sources = Array.Empty<string>(), Destination = "" };
                return FillFile(copy, node, "COPY", flagsOf) with { From = flags.Get("from"), Parents = flags.GetBool("parents") };
            }
            case "from":
            {
                var stageName = StageName(args);
                flags.String("platform").Parse();
                return new FromInstruction { Node = node, BaseName = args[0], StageName = stageName, Platform = flags.Get("platform") };
            }
            case "onbuild":
                return Onbuild(node, flags);
            case "workdir":
                if (args.Count != 1) throw ExactlyOne("WORKDIR");
                flags.Parse();
                return new WorkdirInstruction { Node = node, Path = args[0] };
            case "run":
            {
                flags.List("mount").String("network", "security").Parse();
                var network = flags.Get("network");
                if (network is not null && network is not ("default" or "none" or "host"))
                    throw new InstructionParseException($"unsupported network mode \"{network}\"");
                var security = flags.Get("security");
                if (security is not null && security is not ("sandbox" or "insecure"))
                    throw new InstructionParseException($"unsupported security mode \"{security}\"");
                var specs = flags.GetList("mount");
                return new RunInstruction
                {
                    Node = node, Command = Command(node, emptyAsNull: false), MountSpecs = specs,
                    // Specs with variables parse after expansion; the others are checked now.
                    Mounts = specs.All(s => !s.Contains('$')) ? specs.Select(RunMount.Parse).ToList() : Array.Empty<RunMount>(),
                    Network = network, Security = security,
                };
            }
            case "cmd":
                flags.Parse();
                return new CmdInstruction { Node = node, Command = Command(node, emptyAsNull: false) };
            case "entrypoint":
                flags.Parse();
                return new EntrypointInstruction { Node = node, Command = Command(node, emptyAsNull: true) };
            case "healthcheck":
                return Healthcheck(node, flags);
            case "expose":
                if (args.Count == 0) throw AtLeastOne("EXPOSE");
                flags.Parse();
                // BuildKit sorts the ports as written.
                return new ExposeInstruction { Node = node, Ports = args.OrderBy(p => p, StringComparer.Ordinal).ToList() };
            case "user":
                if (args.Count != 1) throw ExactlyOne("USER");
                flags.Parse();
                return new UserInstruction { Node = node, User = args[0] };
            case "volume":
            {
                if (args.Count == 0) throw AtLeastOne("VOLUME");
                flags.Parse();
                var volumes = new List<string>();
                foreach (var v in args)
                {
                    var t = v.Trim();
                    if (t.Length == 0) throw new InstructionParseException("VOLUME specified can not be an empty string");
                    volumes.Add(t);
                }
                return new VolumeInstruction { Node = node, Volumes = volumes };
            }
            case "stopsignal":
                if (args.Count != 1) throw ExactlyOne("STOPSIGNAL");
                return new StopSignalInstruction { Node = node, Signal = args[0] };
            case "arg":
            {
                if (args.Count == 0) throw AtLeastOne("ARG");
                flags.Parse();
                var list = new List<ArgDeclaration>();
                foreach (var a in args)
                {
                    var eq = a.IndexOf('=');
                    if (eq == 0) throw new InstructionParseException("ARG names can not be blank");
                    list.Add(eq < 0 ? new ArgDeclaration(a, null) : new ArgDeclaration(a[..eq], a[(eq + 1)..]));
                }
                return new ArgInstruction { Node = node, Args = list };
            }
            case "shell":
                flags.Parse();
                if (args.Count == 0) throw AtLeastOne("SHELL");
                if (!node.IsJson) throw new InstructionParseException("SHELL requires the arguments to be in JSON form");
                return new ShellInstruction { Node = node, Shell = args.ToList() };
            default:
                throw new InstructionParseException($"unknown instruction: {node.Keyword}");
        }
    }

    private static Instruction Onbuild(SyntaxNode node, InstructionFlags flags)
    {
        if (node.Child is not { } child) throw AtLeastOne("ONBUILD");
        flags.Parse();
        var trigger = child.Keyword.ToUpperInvariant();
        switch (trigger)
        {
            case "ONBUILD": throw new InstructionParseException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER":
            case "FROM":
                throw new InstructionParseException($"{trigger} isn't allowed as an ONBUILD trigger");
        }
        var expression = OnbuildPrefix.Replace(node.Original, "");
        foreach (var doc in node.Heredocs) expression += "\n" + doc.Content + doc.Name;
        Instruction? parsed;
        try
        {
            parsed = ParseNode(child);
        }
        catch (Exception e) when (e is InstructionParseException or LineParseException)
        {
            parsed = null;  // Docker stores the trigger as text and fails only when it fires
        }
        return new OnbuildInstruction { Node = node, Expression = expression, Trigger = parsed };
    }

    private static Instruction Healthcheck(SyntaxNode node, InstructionFlags flags)
    {
        var args = node.Arguments;
        if (args.Count == 0) throw AtLeastOne("HEALTHCHECK");
        var type = args[0].ToUpperInvariant();
        var rest = args.Skip(1).ToList();
        if (type == "NONE")
        {
            if (rest.Count != 0) throw new InstructionParseException("HEALTHCHECK NONE takes no arguments");
            return new HealthcheckInstruction { Node = node, Health = new HealthcheckConfig(new[] { "NONE" }, null, null, null, null, null) };
        }
        flags.String("interval", "timeout", "start-period", "start-interval", "retries").Parse();
        if (type != "CMD") throw new InstructionParseException($"Unknown type \"{type}\" in HEALTHCHECK (try CMD)");
        var cmd = node.IsJson ? rest : new List<string> { string.Join(' ', rest) };
        if (cmd.Count == 0 || (!node.IsJson && cmd[0].Length == 0)) throw new InstructionParseException("Missing command after HEALTHCHECK CMD");
        var test = new List<string> { node.IsJson ? "CMD" : "CMD-SHELL" };
        test.AddRange(cmd);
        int? retries = null;
        if (flags.Get("retries") is { Length: > 0 } r)
        {
            if (!int.TryParse(r, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
                throw new InstructionParseException($"strconv.ParseInt: parsing \"{r}\": invalid syntax");
            if (n < 1) throw new InstructionParseException($"--retries must be at least 1 (not {n})");
            retries = n;
        }
        return new HealthcheckInstruction
        {
            Node = node,
            Health = new HealthcheckConfig(test, Interval(flags, "interval"), Interval(flags, "timeout"),
                Interval(flags, "start-period"), Interval(flags, "start-interval"), retries),
        };
    }

    private static TimeSpan? Interval(InstructionFlags flags, string name)
    {
        var s = flags.Get(name);
        if (string.IsNullOrEmpty(s)) return null;
        TimeSpan d;
        try
        {
            d = GoDuration.Parse(s);
        }
        catch (FormatException e)
        {
            throw new InstructionParseException(e.Message);
        }
        // Docker's container.MinimumDuration is 1ms.
        if (d < TimeSpan.FromMilliseconds(1)) throw new InstructionParseException($"Interval \"{name}\" cannot be less than 1ms");
        return d;
    }

    private static CommandLine Command(SyntaxNode node, bool emptyAsNull)
    {
        IReadOnlyList<string> args = node.IsJson ? node.Arguments.ToList() : node.Arguments.Count == 0 ? Array.Empty<string>() : new[] { string.Join(' ', node.Arguments) };
        return new CommandLine(args, !node.IsJson, node.Heredocs);
    }

    private static string? StageName(IReadOnlyList<string> args)
    {
        if (args.Count == 3 && args[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            var name = args[2].ToLowerInvariant();
            if (!StageNameRegex.IsMatch(name))
                throw new InstructionParseException($"invalid name for build stage: \"{args[2]}\", name can't start with a number or contain symbols");
            return name;
        }
        if (args.Count != 1) throw new InstructionParseException("FROM requires either one or three arguments");
        return null;
    }

    // The flags ADD and COPY share, parsed together with the instruction's own.
    private static InstructionFlags FileFlags(SyntaxNode node, string command, InstructionFlags flags)
    {
        if (node.Arguments.Count < 2) throw NoDestination(command);
        return flags.String("chown", "chmod").Bool("link").List("exclude").Parse();
    }

    private static T FillFile<T>(T instruction, SyntaxNode node, string command, InstructionFlags flags) where T : FileInstruction
    {
        var (sources, inline, dest) = SourcesAndDest(node, command);
        return instruction with
        {
            Sources = sources, InlineSources = inline, Destination = dest, IsJsonForm = node.IsJson,
            Chown = flags.Get("chown"), Chmod = flags.Get("chmod"), Link = flags.GetBool("link"), Excludes = flags.GetList("exclude"),
        };
    }

    private static (IReadOnlyList<string>, IReadOnlyList<InlineSource>, string) SourcesAndDest(SyntaxNode node, string command)
    {
        var args = node.Arguments;
        var dest = args[^1];
        var lookup = node.Heredocs.GroupBy(h => h.Name).ToDictionary(g => g.Key, g => g.Last());
        if (!node.IsJson && HeredocParser.Parse(dest) is not null)
            throw new InstructionParseException($"{command} cannot accept a heredoc as a destination");
        var paths = new List<string>();
        var inline = new List<InlineSource>();
        foreach (var src in args.Take(args.Count - 1))
        {
            if (!node.IsJson && HeredocParser.Parse(src) is { } marker)
            {
                var doc = lookup.TryGetValue(marker.Name, out var d) ? d : marker;
                inline.Add(new InlineSource(marker.Name, doc.Text, marker.Expand));
            }
            else paths.Add(src);
        }
        return (paths, inline, dest);
    }

    private static List<KeyValue> Pairs(IReadOnlyList<string> args, string command)
    {
        if (args.Count == 0) throw AtLeastOne(command);
        if (args.Count % 2 != 0) throw new InstructionParseException($"Bad input to {command}, too many arguments");
        var list = new List<KeyValue>();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i].Length == 0) throw new InstructionParseException($"{command} names can not be blank");
            list.Add(new KeyValue(args[i], args[i + 1]));
        }
        return list;
    }

    private static InstructionParseException AtLeastOne(string c) => new($"{c} requires at least one argument");
    private static InstructionParseException ExactlyOne(string c) => new($"{c} requires exactly one argument");
    private static InstructionParseException NoDestination(string c) =>
        new($"{c} requires at least two arguments, but only one was provided. Destination could not be determined");
}
