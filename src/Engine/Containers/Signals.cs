using ContainerPS.Engine.Errors;

namespace ContainerPS.Engine.Containers;

/// <summary>Signal names and numbers as docker kill/stop accept them ("SIGTERM", "TERM", "15").</summary>
public static class Signals
{
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["IOT"] = 6, ["BUS"] = 7,
        ["FPE"] = 8, ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14,
        ["TERM"] = 15, ["STKFLT"] = 16, ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20, ["TTIN"] = 21,
        ["TTOU"] = 22, ["URG"] = 23, ["XCPU"] = 24, ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28,
        ["IO"] = 29, ["POLL"] = 29, ["PWR"] = 30, ["SYS"] = 31,
    };

    public const int SIGKILL = 9, SIGTERM = 15;

    public static int Parse(string signal)
    {
        var s = signal.Trim();
        if (int.TryParse(s, out var n) && n is > 0 and < 65) return n;
        if (s.StartsWith("SIG", StringComparison.OrdinalIgnoreCase)) s = s[3..];
        if (Numbers.TryGetValue(s, out n)) return n;
        if (s.StartsWith("RTMIN+", StringComparison.OrdinalIgnoreCase) && int.TryParse(s[6..], out var off) && off is >= 0 and <= 30) return 34 + off;
        throw new InvalidArgumentException("InvalidSignal", $"invalid signal: {signal}", signal);
    }
}
