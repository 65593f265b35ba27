using System.Text;

namespace ContainerPS.Engine.Build.Parsing;

/// <summary>Splits a logical line into keyword, `--flags` and the rest (BuildKit's split_command.go).</summary>
internal static class CommandSplitter
{
    public static (string Keyword, List<string> Flags, string Remainder) Split(string line)
    {
        var parts = LineParsers.Whitespace.Split(line.Trim(), 2);
        var flags = new List<string>();
        var rest = "";
        if (parts.Length == 2) (rest, flags) = ExtractFlags(parts[1]);
        return (parts[0], flags, rest.Trim());
    }

    /// <summary>
    /// Reads leading `--name=value` words (quotes and backslashes removed) up to the first
    /// word not starting with "--", or a bare "--" which ends the flags.
    /// </summary>
    private static (string Remainder, List<string> Flags) ExtractFlags(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var phase = 0; // 0 spaces, 1 word, 2 quote
        var quote = '\0';
        var blankOk = false;
        for (var pos = 0; pos <= line.Length; pos++)
        {
            var end = pos == line.Length;
            var ch = end ? '\0' : line[pos];
            if (phase == 0)
            {
                if (end) break;
                if (char.IsWhiteSpace(ch)) continue;
                if ((ch != '-' || pos + 1 == line.Length || line[pos + 1] != '-'))
                    return (line[pos..], words);
                phase = 1;
            }
            if (end)
            {
                if (word.ToString() != "--" && (blankOk || word.Length > 0)) words.Add(word.ToString());
                break;
            }
            if (phase == 1)
            {
                if (char.IsWhiteSpace(ch))
                {
                    phase = 0;
                    if (word.ToString() == "--") return (line[pos..], words);
                    if (blankOk || word.Length > 0) words.Add(word.ToString());
                    word.Clear();
                    blankOk = false;
                    continue;
                }
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    phase = 2;
                    continue;
                }
                if (ch == '\\')
                {
                    if (pos + 1 == line.Length) continue;
                    ch = line[++pos];
                }
                word.Append(ch);
                continue;
            }
            // phase 2: inside quotes
            if (ch == quote)
            {
                phase = 1;
                continue;
            }
            if (ch == '\\')
            {
                if (pos + 1 == line.Length)
                {
                    phase = 1;
                    continue;
                }
                ch = line[++pos];
            }
            word.Append(ch);
        }
        return ("", words);
    }
}
