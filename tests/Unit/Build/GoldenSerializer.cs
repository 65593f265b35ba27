using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ContainerPS.Engine.Build.Instructions;
using ContainerPS.Engine.Build.Parsing;
using ContainerPS.Engine.Build.Stages;

namespace ContainerPS.Tests.Unit.Build;

/// <summary>Writes a parsed Dockerfile as the golden JSON: the syntax tree, the typed instructions, and the expanded ones per stage.</summary>
internal static class GoldenSerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Records use `required` for construction; serialisation does not care.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { t => { foreach (var p in t.Properties) p.IsRequired = false; } } },
    };

    public static string Serialize(Dockerfile dockerfile, IReadOnlyDictionary<string, string> buildArgs)
    {
        var syntax = dockerfile.Syntax;
        var root = new JsonObject
        {
            ["escapeToken"] = syntax.EscapeToken.ToString(),
            ["directives"] = new JsonArray(syntax.Directives.Select(d => (JsonNode)new JsonObject { ["name"] = d.Name, ["value"] = d.Value, ["line"] = d.Line }).ToArray()),
            ["warnings"] = new JsonArray(syntax.Warnings.Select(w => (JsonNode)new JsonObject { ["line"] = w.Line, ["message"] = w.Message }).ToArray()),
            ["nodes"] = new JsonArray(syntax.Nodes.Select(n => (JsonNode)Node(n)).ToArray()),
            ["metaArgs"] = new JsonArray(dockerfile.MetaArgs.Select(a => Typed(a)).ToArray()),
            ["stages"] = new JsonArray(dockerfile.Stages.Select(s => (JsonNode)new JsonObject
            {
                ["index"] = s.Index,
                ["name"] = s.Name,
                ["from"] = Typed(s.From),
                ["instructions"] = new JsonArray(s.Instructions.Select(Typed).ToArray()),
            }).ToArray()),
        };

        var global = GlobalScope.Create(dockerfile, buildArgs, BuildPlatform.Parse("linux/amd64"), BuildPlatform.Parse("linux/amd64"));
        var graph = StageGraph.Build(dockerfile, global);
        var expanded = new JsonArray();
        foreach (var stage in dockerfile.Stages)
        {
            var scope = global.BeginStage(stage);
            expanded.Add(new JsonObject
            {
                ["stage"] = stage.DisplayName,
                ["from"] = Typed(global.ExpandFrom(stage.From)),
                ["baseStage"] = graph.BaseStage(stage.Index)?.DisplayName,
                ["dependsOn"] = new JsonArray(graph.DependenciesOf(stage.Index).Select(d => (JsonNode)$"{Dockerfile(d.On, dockerfile)} ({d.Reason}, line {d.Line})").ToArray()),
                ["instructions"] = new JsonArray(stage.Instructions.Select(i => Typed(scope.Apply(i))).ToArray()),
                ["args"] = new JsonArray(scope.Args.Select(a => (JsonNode)(a.Key + "=" + a.Value)).ToArray()),
                ["env"] = new JsonArray(scope.EnvironmentList.Select(e => (JsonNode)e).ToArray()),
                ["runEnvironment"] = new JsonArray(scope.RunEnvironment().Select(e => (JsonNode)e).ToArray()),
            });
        }
        root["expanded"] = expanded;
        root["buildOrder"] = new JsonArray(graph.Required().Select(s => (JsonNode)s.DisplayName).ToArray());
        root["unconsumedBuildArgs"] = new JsonArray(global.UnconsumedBuildArgs().Select(a => (JsonNode)a).ToArray());
        return root.ToJsonString(Options).Replace("\r\n", "\n") + "\n";
    }

    private static string Dockerfile(int index, Dockerfile d) => d.Stages[index].DisplayName;

    private static JsonObject Node(SyntaxNode n)
    {
        var o = new JsonObject
        {
            ["keyword"] = n.Keyword,
            ["startLine"] = n.StartLine,
            ["endLine"] = n.EndLine,
            ["original"] = n.Original,
            ["flags"] = Strings(n.Flags),
            ["arguments"] = Strings(n.Arguments),
            ["json"] = n.IsJson,
        };
        if (n.Heredocs.Count > 0)
            o["heredocs"] = new JsonArray(n.Heredocs.Select(h => (JsonNode)new JsonObject
            {
                ["name"] = h.Name, ["content"] = h.Content, ["expand"] = h.Expand, ["chomp"] = h.Chomp, ["fileDescriptor"] = h.FileDescriptor,
            }).ToArray());
        if (n.Comments.Count > 0) o["comments"] = Strings(n.Comments);
        if (n.Child is { } child) o["child"] = Node(child);
        return o;
    }

    private static JsonArray Strings(IEnumerable<string> s) => new(s.Select(x => (JsonNode)x).ToArray());

    public static JsonNode Typed(Instruction instruction)
    {
        var node = JsonSerializer.SerializeToNode(instruction, instruction.GetType(), Options)!.AsObject();
        if (instruction is OnbuildInstruction { Trigger: { } trigger }) node["Trigger"] = Typed(trigger);
        // Lines go with the typed record so a reader sees where it came from.
        node.Insert(0, "Line", instruction.StartLine);
        return node;
    }
}
