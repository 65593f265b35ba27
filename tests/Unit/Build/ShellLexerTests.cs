using ContainerPS.Engine.Build.Expansion;

namespace ContainerPS.Tests.Unit.Build;

/// <summary>
/// Docker's word expansion, case by case from BuildKit's shell lexer tests (envVarTest):
/// environment PWD=/home, SHELL=bash, KOREAN=한국어, NULL="" (set, empty); "error" means the
/// word is refused.
/// </summary>
public class ShellLexerTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["PWD"] = "/home", ["SHELL"] = "bash", ["KOREAN"] = "한국어", ["NULL"] = "", ["WORDS"] = "a  b c",
    };

    private const string Cases = """
        hello                    |     hello
        he'll'o                  |     hello
        he'llo                   |     error
        he\'llo                  |     he'llo
        he\\'llo                 |     error
        abc\tdef                 |     abctdef
        "abc\tdef"               |     abc\tdef
        "abc\\tdef"              |     abc\tdef
        'abc\tdef'               |     abc\tdef
        hello\                   |     hello
        hello\\                  |     hello\
        "hello                   |     error
        "hello\"                 |     error
        "hel'lo"                 |     hel'lo
        'hello                   |     error
        'hello\'                 |     hello\
        'hello\there'            |     hello\there
        'hello\\there'           |     hello\\there
        "''"                     |     ''
        $.                       |     $.
        he$1x                    |     hex
        he$.x                    |     he$.x
        he$pwd.                  |     he.
        he$PWD                   |     he/home
        he\$PWD                  |     he$PWD
        he\\$PWD                 |     he\/home
        "he\$PWD"                |     he$PWD
        "he\\$PWD"               |     he\/home
        \${}                     |     ${}
        \${}aaa                  |     ${}aaa
        he\${}                   |     he${}
        he\${}xx                 |     he${}xx
        ${}                      |     error
        ${}aaa                   |     error
        he${}                    |     error
        he${}xx                  |     error
        he${hi}                  |     he
        he${hi}xx                |     hexx
        he${PWD}                 |     he/home
        he${.}                   |     error
        he${XXX:-000}xx          |     he000xx
        he${PWD:-000}xx          |     he/homexx
        he${XXX:-$PWD}xx         |     he/homexx
        he${XXX:-${PWD:-yyy}}xx  |     he/homexx
        he${XXX:-${YYY:-yyy}}xx  |     heyyyxx
        he${XXX:YYY}             |     error
        he${XXX?}                |     error
        he${XXX:?}               |     error
        he${PWD?}                |     he/home
        he${PWD:?}               |     he/home
        he${NULL?}               |     he
        he${NULL:?}              |     error
        he${XXX:+${PWD}}xx       |     hexx
        he${PWD:+${XXX}}xx       |     hexx
        he${PWD:+${SHELL}}xx     |     hebashxx
        he${XXX:+000}xx          |     hexx
        he${PWD:+000}xx          |     he000xx
        he${XXX-000}xx           |     he000xx
        he${NULL-000}xx          |     hexx
        he${NULL:-000}xx         |     he000xx
        he${XXX+000}xx           |     hexx
        he${NULL+000}xx          |     he000xx
        he${NULL:+000}xx         |     hexx
        'he${XX}'                |     he${XX}
        "he${PWD}"               |     he/home
        "he'$PWD'"               |     he'/home'
        "$PWD"                   |     /home
        '$PWD'                   |     $PWD
        '\$PWD'                  |     \$PWD
        '"hello"'                |     "hello"
        'he\$PWD'                |     he\$PWD
        he${PWD                  |     error
        he${PWD:=000}xx          |     error
        he${PWD:+${PWD}:}xx      |     he/home:xx
        he${XXX:-\$PWD:}xx       |     he$PWD:xx
        he${XXX:-\${PWD}z}xx     |     he${PWDz}xx
        안녕하세요                 |     안녕하세요
        안'녕'하세요               |     안녕하세요
        안'녕하세요                |     error
        안녕\'하세요               |     안녕'하세요
        "안녕'하세요"              |     안녕'하세요
        안녕$PWD                  |     안녕/home
        $KOREAN                  |     한국어
        안녕$KOREAN               |     안녕한국어
        ${{aaa}                  |     error
        ${aaa}}                  |     }
        ${aaa                    |     error
        ${{aaa                   |     error
        ${{aaa}}                 |     error
        ${aaa}}}                 |     }}
        ${aaa:-}}                |     }
        ${aaa:+}}                |     }
        ${aaa:-}}}               |     }}
        ${PWD#/h}                |     ome
        ${PWD##*/}               |     home
        ${SHELL%sh}              |     ba
        ${SHELL%%a*}             |     b
        """;

    public static TheoryData<string, string> Words()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in Cases.Split('\n'))
        {
            var bar = line.LastIndexOf('|');
            data.Add(line[..bar].Trim(), line[(bar + 1)..].Trim());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Words))]
    public void ProcessWord_matches_BuildKit(string word, string expected)
    {
        var lexer = new ShellLexer();
        if (expected == "error")
        {
            var e = Assert.Throws<ShellSyntaxException>(() => lexer.ProcessWord(word, Env));
            Assert.StartsWith($"failed to process \"{word}\": ", e.Message);
        }
        else
        {
            Assert.Equal(expected, lexer.ProcessWord(word, Env));
        }
    }

    [Theory]
    [InlineData("hello", new[] { "hello" })]
    [InlineData("hello world", new[] { "hello", "world" })]
    [InlineData("  hello   world  ", new[] { "hello", "world" })]
    [InlineData("\"hello world\"", new[] { "hello world" })]
    [InlineData("$WORDS", new[] { "a", "b", "c" })]
    [InlineData("\"$WORDS\"", new[] { "a  b c" })]
    [InlineData("x$WORDS", new[] { "xa", "b", "c" })]
    [InlineData("'a b'c \"\" d", new[] { "a bc", "d" })]
    [InlineData("he\\ llo", new[] { "he llo" })]
    public void ProcessWords_splits_on_unquoted_blanks_also_inside_values(string input, string[] expected) =>
        Assert.Equal(expected, new ShellLexer().ProcessWords(input, Env));

    [Fact]
    public void The_backtick_escape_token_replaces_the_backslash()
    {
        var lexer = new ShellLexer('`');
        Assert.Equal("c:\\dir $PWD /home", lexer.ProcessWord("c:\\dir `$PWD $PWD", Env));
        Assert.Equal("say \"hi\"", lexer.ProcessWord("\"say `\"hi`\"\"", Env));
    }

    [Fact]
    public void Unset_variables_can_be_kept_as_written()
    {
        var lexer = new ShellLexer { SkipUnsetEnv = true };
        Assert.Equal("$X ${Y} ${Z:-d} /home", lexer.ProcessWord("$X ${Y} ${Z:-d} $PWD", Env));
    }

    [Fact]
    public void Raw_quotes_are_kept_for_heredoc_content()
    {
        var expander = new WordExpander('\\', Env);
        Assert.Equal("echo \"/home\" '$PWD'\n", expander.Raw("echo \"$PWD\" '$PWD'\n"));
    }
}
