using System.Text;
using System.Text.RegularExpressions;
using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Build.Context;

/// <summary>
/// One .dockerignore pattern, matched as moby/patternmatcher does: `*` and `?` never cross '/',
/// `**` crosses any number of directories (also none), `[...]` classes, '\' escapes. A pattern is
/// matched against the whole cleaned, slash-separated path relative to the context.
/// </summary>
public sealed class IgnorePattern
{
    private enum MatchKind { Exact, Prefix, Suffix, Regex }

    private readonly MatchKind _kind;
    private readonly Regex? _regex;

    /// <summary>Compiles a cleaned pattern; a leading '!' makes it an exception.</summary>
    /// <exception cref="InvalidArgumentException">"InvalidDockerignorePattern": a lone "!" or a malformed class.</exception>
    public IgnorePattern(string pattern)
    {
        var p = DockerIgnore.CleanPath(pattern.Trim());
        if (p.StartsWith('!'))
        {
            if (p.Length == 1) throw new InvalidArgumentException("InvalidDockerignorePattern", "illegal exclusion pattern: \"!\"", pattern);
            IsExclusion = true;
            p = p[1..];
        }
        CheckSyntax(p, pattern);
        Text = p;
        (_kind, _regex) = Compile(p);
    }

    /// <summary>The pattern without '!' after cleaning.</summary>
    public string Text { get; }

    /// <summary>True for `!pattern`: re-includes what earlier patterns excluded.</summary>
    public bool IsExclusion { get; }

    /// <summary>Whether the pattern matches this relative path exactly (no parent-directory rule).</summary>
    public bool Matches(string path) => _kind switch
    {
        MatchKind.Exact => path == Text,
        MatchKind.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal),
        MatchKind.Suffix => path.EndsWith(Text[2..], StringComparison.Ordinal) || (Text.Length > 2 && Text[2] == '/' && path == Text[3..]),
        _ => _regex!.IsMatch(path),
    };

    public override string ToString() => IsExclusion ? "!" + Text : Text;

    private static (MatchKind, Regex?) Compile(string pattern)
    {
        var re = new StringBuilder("^");
        var kind = MatchKind.Exact;
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    var atStart = i == 0;
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/') i++;   // "**/" is "**"
                    if (i + 1 == pattern.Length)
                    {
                        // trailing "**": everything below (gitignore's rule)
                        if (kind == MatchKind.Exact) kind = MatchKind.Prefix;
                        else
                        {
                            re.Append(".*");
                            kind = MatchKind.Regex;
                        }
                    }
                    else
                    {
                        re.Append("(.*/)?");
                        kind = MatchKind.Regex;
                    }
                    if (atStart) kind = MatchKind.Suffix;
                }
                else
                {
                    re.Append("[^/]*");
                    kind = MatchKind.Regex;
                }
            }
            else if (ch == '?')
            {
                re.Append("[^/]");
                kind = MatchKind.Regex;
            }
            else if (".+()|{}$^".Contains(ch) && !(ch == '^' && i > 0 && pattern[i - 1] == '['))
            {
                re.Append('\\').Append(ch);
            }
            else if (ch == '\\')
            {
                // An escaped character matches itself; a trailing '\' matches a backslash.
                re.Append(i + 1 < pattern.Length ? Regex.Escape(pattern[++i].ToString()) : @"\\");
                kind = MatchKind.Regex;
            }
            else if (ch is '[' or ']')
            {
                re.Append(ch);
                kind = MatchKind.Regex;
            }
            else re.Append(ch);
        }
        // A "**" at the start followed by wildcards is a regex after all.
        if (kind == MatchKind.Suffix && pattern.Length > 2 && pattern[2..].IndexOfAny(new[] { '*', '?', '[', '\\' }) >= 0)
            kind = MatchKind.Regex;
        if (kind != MatchKind.Regex) return (kind, null);
        if (pattern.EndsWith("**", StringComparison.Ordinal) && !re.ToString().EndsWith(".*", StringComparison.Ordinal)) re.Append(".*");
        re.Append('$');
        return (kind, new Regex(re.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    // Go's filepath.Match rejects unterminated classes and a trailing escape inside one.
    private static void CheckSyntax(string p, string original)
    {
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == '\\') { i++; continue; }
            if (p[i] != '[') continue;
            var j = i + 1;
            if (j < p.Length && p[j] == '^') j++;
            var first = true;
            while (j < p.Length && (p[j] != ']' || first))
            {
                if (p[j] == '\\') j++;
                first = false;
                j++;
            }
            if (j >= p.Length) throw new InvalidArgumentException("InvalidDockerignorePattern", $"syntax error in pattern \"{original}\"", original);
            i = j;
        }
    }
}
