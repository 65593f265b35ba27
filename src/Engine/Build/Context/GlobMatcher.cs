namespace ContainerPS.Engine.Build.Context;

/// <summary>
/// Go's path/filepath.Match, which Docker and BuildKit apply to COPY/ADD sources: '*' is any
/// run of characters except '/', '?' one character except '/', '[...]' a class (ranges, '^'
/// negation), '\' escapes. The whole name must match.
/// </summary>
public static class GlobMatcher
{
    public static bool HasWildcards(string pattern) => pattern.IndexOfAny(new[] { '*', '?', '[', '\\' }) >= 0;

    /// <summary>Whether <paramref name="name"/> matches <paramref name="pattern"/>; a malformed class matches nothing.</summary>
    public static bool Match(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s)
    {
        int pi = 0, si = 0, starP = -1, starS = -1;
        while (si < s.Length)
        {
            if (pi < p.Length && p[pi] == '*')
            {
                starP = ++pi;
                starS = si;
                continue;
            }
            if (pi < p.Length && MatchOne(p, ref pi, s[si], out var ok) && ok)
            {
                si++;
                continue;
            }
            // Backtrack: let the last '*' swallow one more character, never a separator.
            if (starP >= 0 && s[starS] != '/')
            {
                pi = starP;
                si = ++starS;
                continue;
            }
            return false;
        }
        while (pi < p.Length && p[pi] == '*') pi++;
        return pi == p.Length;
    }

    /// <summary>Matches one pattern element at <paramref name="pi"/> against <paramref name="c"/>; false when the pattern is malformed.</summary>
    private static bool MatchOne(ReadOnlySpan<char> p, ref int pi, char c, out bool ok)
    {
        ok = false;
        switch (p[pi])
        {
            case '?':
                pi++;
                ok = c != '/';
                return true;
            case '[':
            {
                var i = pi + 1;
                var negate = i < p.Length && p[i] == '^';
                if (negate) i++;
                var matched = false;
                var first = true;
                while (i < p.Length && (p[i] != ']' || first))
                {
                    first = false;
                    var lo = ReadChar(p, ref i);
                    var hi = lo;
                    if (i + 1 < p.Length && p[i] == '-' && p[i + 1] != ']')
                    {
                        i++;
                        hi = ReadChar(p, ref i);
                    }
                    if (lo <= c && c <= hi) matched = true;
                }
                if (i >= p.Length) return false; // no closing bracket
                pi = i + 1;
                ok = matched != negate && c != '/';
                return true;
            }
            case '\\':
                if (pi + 1 >= p.Length) return false;
                ok = p[pi + 1] == c;
                pi += 2;
                return true;
            default:
                ok = p[pi] == c;
                pi++;
                return true;
        }
    }

    private static char ReadChar(ReadOnlySpan<char> p, ref int i)
    {
        if (p[i] == '\\' && i + 1 < p.Length)
        {
            i += 2;
            return p[i - 1];
        }
        return p[i++];
    }
}
