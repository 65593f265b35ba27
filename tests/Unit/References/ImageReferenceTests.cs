using System.Diagnostics;
using ContainerPS.Engine.Errors;
using ContainerPS.Engine.References;
using ContainerPS.Engine.Store;
using Xunit;

namespace ContainerPS.Tests.Unit.References;

/// <summary>
/// Ported from github.com/distribution/reference reference_test.go and normalize_test.go.
/// Cases from TestReferenceParse (which tests the non-normalising Parse) are given here with
/// the result ParseNormalizedNamed produces for the same input.
/// </summary>
public class ImageReferenceTests
{
    private static readonly string F64 = new('f', 64);
    private static readonly string F128 = new('f', 128);
    private const string Dbcc = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
    private const string E669 = "e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582";
    private const string H86e0 = "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
    private const string Hex64 = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";
    private const string Hub = "docker.io";

    // input, domain, path, tag, digest
    public static TheoryData<string, string, string, string?, string?> ValidReferences => new()
    {
        // normalize_test.go TestParseDockerRef / TestValidateReferenceName / TestNormalizedSplitHostname
        { "busybox", Hub, "library/busybox", null, null },
        { "busybox:latest", Hub, "library/busybox", "latest", null },
        { "library/busybox", Hub, "library/busybox", null, null },
        { "docker.io/busybox", Hub, "library/busybox", null, null },
        { "index.docker.io/busybox", Hub, "library/busybox", null, null },
        { "index.docker.io/docker/docker", Hub, "docker/docker", null, null },
        { "docker.io/library/busybox:latest", Hub, "library/busybox", "latest", null },
        { "docker.io/library/foo/bar", Hub, "library/foo/bar", null, null },
        { "gcr.io/library/busybox", "gcr.io", "library/busybox", null, null },
        { "busybox:latest@sha256:" + H86e0, Hub, "library/busybox", "latest", "sha256:" + H86e0 },
        { "redis@sha256:" + Dbcc, Hub, "library/redis", null, "sha256:" + Dbcc },
        { "dmcgowan/myapp:latest", Hub, "dmcgowan/myapp", "latest", null },
        { "test_com/foo", Hub, "test_com/foo", null, null },
        { "test-com:8080/foo", "test-com:8080", "foo", null, null },
        { "xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", null, null },
        { "127.0.0.1:5000/library/debian", "127.0.0.1:5000", "library/debian", null, null },
        { "192.168.0.1:8/debian", "192.168.0.1:8", "debian", null, null },
        { "192.168.0.1:80", Hub, "library/192.168.0.1", "80", null },
        { "[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker", null, null },
        { "[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000", "library/debian", null, null },
        { "Docker/docker", "Docker", "docker", null, null },
        { "DOCKER/docker", "DOCKER", "docker", null, null },
        { "docker.io/" + Hex64, Hub, "library/" + Hex64, null, null },
        { "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", Hub, "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", null, null },
        { Dbcc[..63], Hub, "library/" + Dbcc[..63], null, null },
        // TestValidateRemoteName
        { "docker-rules/docker", Hub, "docker-rules/docker", null, null },
        { "docker---rules/docker", Hub, "docker---rules/docker", null, null },
        { "d/docker", Hub, "d/docker", null, null },
        { "jess/t", Hub, "jess/t", null, null },
        { "dock__er/docker", Hub, "dock__er/docker", null, null },
        // reference_test.go TestReferenceParse
        { "test_com", Hub, "library/test_com", null, null },
        { "test.com:tag", Hub, "library/test.com", "tag", null },
        { "test.com:5000", Hub, "library/test.com", "5000", null },
        { "test.com/repo:tag", "test.com", "repo", "tag", null },
        { "test:5000/repo", "test:5000", "repo", null, null },
        { "test:5000/repo:tag", "test:5000", "repo", "tag", null },
        { "test:5000/repo@sha256:" + F64, "test:5000", "repo", null, "sha256:" + F64 },
        { "test:5000/repo:tag@sha256:" + F64, "test:5000", "repo", "tag", "sha256:" + F64 },
        { "lowercase:Uppercase", Hub, "library/lowercase", "Uppercase", null },
        // A 255-character path is the maximum; the domain does not count (reference v0.6.0).
        { Repeat("a/", 127) + "a:tag-puts-this-over-max", Hub, Repeat("a/", 127) + "a", "tag-puts-this-over-max", null },
        { "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "bar/baz/quux", null, null },
        { "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag", null },
        { "b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app", "test.example.com", null },
        { "xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", null },
        { "xn--7o8h.com/myimage:xn--7o8h.com@sha512:" + F128, "xn--7o8h.com", "myimage", "xn--7o8h.com", "sha512:" + F128 },
        { "foo_bar.com:8080", Hub, "library/foo_bar.com", "8080", null },
        { "foo/foo_bar.com:8080", Hub, "foo/foo_bar.com", "8080", null },
        { "192.168.1.1", Hub, "library/192.168.1.1", null, null },
        { "192.168.1.1:tag", Hub, "library/192.168.1.1", "tag", null },
        { "192.168.1.1:5000", Hub, "library/192.168.1.1", "5000", null },
        { "192.168.1.1/repo", "192.168.1.1", "repo", null, null },
        { "192.168.1.1:5000/repo", "192.168.1.1:5000", "repo", null, null },
        { "192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", null },
        { "[2001:db8::1]/repo", "[2001:db8::1]", "repo", null, null },
        { "[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag", null },
        { "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo", null, null },
        { "[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000", "repo", "tag", null },
        { "[2001:db8::1]:5000/repo@sha256:" + F64, "[2001:db8::1]:5000", "repo", null, "sha256:" + F64 },
        { "[2001:db8::1]:5000/repo:tag@sha256:" + F64, "[2001:db8::1]:5000", "repo", "tag", "sha256:" + F64 },
        { "[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", null, null },
        { "[::1]:5000/repo", "[::1]:5000", "repo", null, null },
        // localhost is always a registry host
        { "localhost/foo", "localhost", "foo", null, null },
        { "localhost:5000/a/b:t", "localhost:5000", "a/b", "t", null },
    };

    // input, a fragment the message must contain
    public static TheoryData<string, string> InvalidReferences => new()
    {
        // reference_test.go TestReferenceParse
        { "", "repository name must have at least one component" },
        { ":justtag", "has an empty component" },
        { "@sha256:" + F64, "has an empty component" },
        { "repo@sha256:" + new string('f', 34), "invalid checksum digest length" },
        { "validname@invaliddigest:" + F64, "unsupported digest algorithm" },
        { "Uppercase:tag", "repository name (library/Uppercase) must be lowercase" },
        { "test:5000/Uppercase/lowercase:tag", "repository name (Uppercase/lowercase) must be lowercase" },
        { Repeat("a/", 128) + "a:tag", "must not be more than 255 characters" },
        { "aa/asdf$$^/aa", "is not valid" },
        { "[2001:db8::1]", "is not valid" },
        { "[2001:db8::1]:5000", "is not valid" },
        { "[2001:db8::1]:tag", "is not valid" },
        { "[fe80::1%eth0]:5000/repo", "registry host \"[fe80::1%eth0]:5000\" is not a valid host name" },
        { "[fe80::1%@invalidzone]:5000/repo", "is not valid" },
        // normalize_test.go TestValidateReferenceName
        { "https://github.com/docker/docker", "registry host \"https:\"" },
        { "docker/Docker", "must be lowercase" },
        { "-docker", "is not valid" },
        { "-docker/docker", "is not valid" },
        { "-docker.io/docker/docker", "registry host \"-docker.io\"" },
        { "docker///docker", "has an empty component" },
        { "docker.io/docker/Docker", "repository name (docker/Docker) must be lowercase" },
        { "docker.io/docker///docker", "has an empty component" },
        { "[fc00::1]", "is not valid" },
        { "[fc00::1]:5000", "is not valid" },
        { "fc00::1:5000/debian", "registry host \"fc00::1:5000\"" },
        { "[2001:db8:3:4::192.0.2.33]:5000/debian", "registry host" },
        { Hex64, "invalid repository name (" + Hex64 + "), cannot specify 64-byte hexadecimal strings" },
        // TestValidateRemoteName
        { "docker-/docker", "is not valid" },
        { "-docker-/docker", "is not valid" },
        { "____/____", "is not valid" },
        { "_docker/_docker", "is not valid" },
        { "dock..er/docker", "registry host \"dock..er\"" },   // a "." makes it a host
        { "dock_.er/docker", "registry host \"dock_.er\"" },   // a "." makes it a host
        { "dock-.er/docker", "registry host \"dock-.er\"" },   // a "." makes it a host
        { "docker/", "has an empty component" },
        { "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker", "must not be more than 255 characters" },
        // TestInvalidReferenceComponents
        { "-foo", "is not valid" },
        // Tags and digests
        { "Busybox", "repository name (library/Busybox) must be lowercase" },
        { "localhost:5000/A", "repository name (A) must be lowercase" },
        { "busybox:", "tag is empty" },
        { "busybox:" + new string('a', 129), "tag must not be more than 128 characters" },
        { "busybox:-tag", "tag \"-tag\" is not valid" },
        { "busybox:.tag", "tag \".tag\" is not valid" },
        { "busybox:t\u00e1g", "is not valid" },            // Go's \w is ASCII-only
        { "busybox:tag:tag", "is not valid" },
        { "busybox@", "digest is empty" },
        { "busybox:1@", "digest is empty" },
        { "busybox@sha256:" + new string('F', 64), "the hex must be lowercase" },
        { "busybox@SHA256:" + F64, "unsupported digest algorithm \"SHA256\"" },
        { "busybox@sha256:" + F64 + "@sha256:" + F64, "is not valid" },
        { "busybox@sha256", "is not valid" },
        { "busybox\n", "is not valid" },                      // Go's $ is end of text, not end of line
        { " busybox", "is not valid" },
        // The Store's Digest supports sha256 and sha512 only; Docker also accepts sha384.
        { "busybox@sha384:" + new string('f', 96), "unsupported digest algorithm \"sha384\"" },
        // Upstream parses this as path "foo_bar.com/app" on an empty domain; refused here.
        { "foo_bar.com/app", "registry host \"foo_bar.com\" is not a valid host name" },
    };

    [Theory]
    [MemberData(nameof(ValidReferences))]
    public void Parse_valid_reference_normalises_like_docker(string input, string domain, string path, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(domain, reference.Domain);
        Assert.Equal(path, reference.Path);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
        Assert.Equal(domain + "/" + path, reference.Repository);
        Assert.True(ImageReference.TryParse(input, out var again));
        Assert.Equal(reference, again);
    }

    [Theory]
    [MemberData(nameof(ValidReferences))]
    public void Normalised_and_familiar_strings_round_trip(string input, string domain, string path, string? tag, string? digest)
    {
        _ = domain; _ = path; _ = tag; _ = digest;
        var reference = ImageReference.Parse(input);

        var full = ImageReference.Parse(reference.ToString());
        Assert.Equal(reference, full);
        Assert.Equal(reference.ToString(), full.ToString());

        if (reference.FamiliarString == Hex64)
        {
            // As in Docker: "docker.io/<64 hex>" is valid but its familiar form is refused as
            // ambiguous with an image ID, so this one familiar string does not parse back.
            Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse(reference.FamiliarString));
            return;
        }
        var familiar = ImageReference.Parse(reference.FamiliarString);
        Assert.Equal(reference, familiar);
        Assert.Equal(reference.FamiliarString, familiar.FamiliarString);
    }

    [Theory]
    [MemberData(nameof(InvalidReferences))]
    public void Parse_invalid_reference_throws_InvalidReference(string input, string fragment)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse(input));

        Assert.Equal("InvalidReference", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(input, error.Target);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        if (input != Hex64)
            Assert.StartsWith("invalid reference format \"" + input + "\": ", error.Message, StringComparison.Ordinal);
        Assert.False(ImageReference.TryParse(input, out var reference));
        Assert.Null(reference);
    }

    [Fact]
    public void Uppercase_domain_is_allowed_but_uppercase_path_is_refused()
    {
        Assert.Equal("Example.COM", ImageReference.Parse("Example.COM/app").Domain);
        Assert.Equal("FOO:5000", ImageReference.Parse("FOO:5000/app:Tag").Domain);
        var error = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse("Example.COM/App"));
        Assert.Equal("invalid reference format \"Example.COM/App\": repository name (App) must be lowercase", error.Message);
    }

    // input, ToString(), FamiliarString, FamiliarRepository
    public static TheoryData<string, string, string, string> FamiliarForms => new()
    {
        { "busybox", "docker.io/library/busybox", "busybox", "busybox" },
        { "busybox:latest", "docker.io/library/busybox:latest", "busybox:latest", "busybox" },
        { "busybox@sha256:" + E669, "docker.io/library/busybox@sha256:" + E669, "busybox@sha256:" + E669, "busybox" },
        // TestParseReferenceWithTagAndDigest: both are kept, in this order
        { "busybox:latest@sha256:" + H86e0, "docker.io/library/busybox:latest@sha256:" + H86e0, "busybox:latest@sha256:" + H86e0, "busybox" },
        { "myuser/app", "docker.io/myuser/app", "myuser/app", "myuser/app" },
        { "docker.io/library/foo/bar", "docker.io/library/foo/bar", "library/foo/bar", "library/foo/bar" },
        { "index.docker.io/library/ubuntu-12.04-base:1", "docker.io/library/ubuntu-12.04-base:1", "ubuntu-12.04-base:1", "ubuntu-12.04-base" },
        { "localhost:5000/a/b:t", "localhost:5000/a/b:t", "localhost:5000/a/b:t", "localhost:5000/a/b" },
        { "[::1]:5000/repo:tag", "[::1]:5000/repo:tag", "[::1]:5000/repo:tag", "[::1]:5000/repo" },
        { "Foo/bar", "Foo/bar", "Foo/bar", "Foo/bar" },
        { "example.com/library/ubuntu", "example.com/library/ubuntu", "example.com/library/ubuntu", "example.com/library/ubuntu" },
    };

    [Theory]
    [MemberData(nameof(FamiliarForms))]
    public void Familiar_and_full_forms(string input, string full, string familiar, string familiarRepository)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(full, reference.ToString());
        Assert.Equal(familiar, reference.FamiliarString);
        Assert.Equal(familiarRepository, reference.FamiliarRepository);
    }

    // normalize_test.go TestParseRepositoryInfo: every spelling gives the same name.
    // spelling, path (remote name), familiar name, full name, domain
    public static TheoryData<string, string, string, string, string> RepositoryInfo
    {
        get
        {
            var cases = new (string Remote, string Familiar, string Full, string Ambiguous, string Domain)[]
            {
                ("fooo/bar", "fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar", "docker.io"),
                ("library/ubuntu", "ubuntu", "docker.io/library/ubuntu", "library/ubuntu", "docker.io"),
                ("nonlibrary/ubuntu", "nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", "", "docker.io"),
                ("other/library", "other/library", "docker.io/other/library", "", "docker.io"),
                ("private/moonbase", "127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase", "", "127.0.0.1:8000"),
                ("privatebase", "127.0.0.1:8000/privatebase", "127.0.0.1:8000/privatebase", "", "127.0.0.1:8000"),
                ("private/moonbase", "example.com/private/moonbase", "example.com/private/moonbase", "", "example.com"),
                ("privatebase", "example.com/privatebase", "example.com/privatebase", "", "example.com"),
                ("private/moonbase", "example.com:8000/private/moonbase", "example.com:8000/private/moonbase", "", "example.com:8000"),
                ("privatebasee", "example.com:8000/privatebasee", "example.com:8000/privatebasee", "", "example.com:8000"),
                ("library/ubuntu-12.04-base", "ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base", "index.docker.io/library/ubuntu-12.04-base", "docker.io"),
                ("library/foo", "foo", "docker.io/library/foo", "docker.io/foo", "docker.io"),
                ("library/foo/bar", "library/foo/bar", "docker.io/library/foo/bar", "", "docker.io"),
                ("store/foo/bar", "store/foo/bar", "docker.io/store/foo/bar", "", "docker.io"),
                ("bar", "Foo/bar", "Foo/bar", "", "Foo"),
                ("bar", "FOO/bar", "FOO/bar", "", "FOO"),
            };
            var data = new TheoryData<string, string, string, string, string>();
            foreach (var c in cases)
            {
                foreach (var spelling in new[] { c.Familiar, c.Full, c.Ambiguous }.Where(s => s.Length > 0).Distinct())
                    data.Add(spelling, c.Remote, c.Familiar, c.Full, c.Domain);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RepositoryInfo))]
    public void Every_spelling_of_a_repository_normalises_to_the_same_name(string spelling, string path, string familiar, string full, string domain)
    {
        var reference = ImageReference.Parse(spelling);

        Assert.Equal(path, reference.Path);
        Assert.Equal(familiar, reference.FamiliarRepository);
        Assert.Equal(full, reference.ToString());
        Assert.Equal(domain, reference.Domain);
    }

    // normalize_test.go TestParseDockerRef
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest")]
    [InlineData("busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("busybox@sha256:" + E669, "docker.io/library/busybox@sha256:" + E669)]
    [InlineData("library/busybox", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/busybox", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/library/busybox", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("library/busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/library/busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("gcr.io/library/busybox", "gcr.io/library/busybox:latest")]
    [InlineData("gcr.io/library/busybox:latest@sha256:" + E669, "gcr.io/library/busybox@sha256:" + E669)]
    public void ParseDockerRef_defaults_the_tag_and_prefers_the_digest(string input, string expected)
    {
        var reference = ImageReference.ParseDockerRef(input);

        Assert.Equal(expected, reference.ToString());
        Assert.Equal(reference, ImageReference.Parse(expected));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("1.0")]
    [InlineData("v1.2.3-rc_1")]
    [InlineData("_x")]
    [InlineData("UPPER")]
    [InlineData("5000")]
    [InlineData("a--b..c__d")]
    public void IsValidTag_accepts_docker_tags(string tag) => Assert.True(ImageReference.IsValidTag(tag));

    [Theory]
    [InlineData("")]
    [InlineData("-x")]
    [InlineData(".x")]
    [InlineData("a:b")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a@b")]
    [InlineData("t\u00e1g")]
    [InlineData("tag\n")]
    [InlineData(null)]
    public void IsValidTag_refuses_malformed_tags(string? tag) => Assert.False(ImageReference.IsValidTag(tag));

    [Fact]
    public void IsValidTag_limits_length_to_128()
    {
        Assert.True(ImageReference.IsValidTag(new string('a', 128)));
        Assert.False(ImageReference.IsValidTag(new string('a', 129)));
    }

    [Fact]
    public void WithDefaultTag_adds_latest_only_to_a_bare_name()
    {
        Assert.Equal("docker.io/library/busybox:latest", ImageReference.Parse("busybox").WithDefaultTag().ToString());

        var tagged = ImageReference.Parse("busybox:1");
        Assert.Same(tagged, tagged.WithDefaultTag());
        var digested = ImageReference.Parse("busybox@sha256:" + E669);
        Assert.Same(digested, digested.WithDefaultTag());
        Assert.Null(digested.WithDefaultTag().Tag);
    }

    [Fact]
    public void WithTag_replaces_the_tag_and_keeps_the_digest()
    {
        var reference = ImageReference.Parse("test.com:8000/foo@sha256:" + E669);

        var tagged = reference.WithTag("TAG5");

        Assert.Equal("test.com:8000/foo:TAG5@sha256:" + E669, tagged.ToString());
        Assert.Equal("docker.io/library/foo:tag2", ImageReference.Parse("foo:tag1").WithTag("tag2").ToString());
        Assert.Equal("test.com:8000/foo@sha256:" + E669, reference.ToString()); // unchanged
    }

    [Fact]
    public void WithTag_refuses_an_invalid_tag()
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse("busybox").WithTag("-foo"));
        Assert.Equal("InvalidTag", error.ErrorId);
        Assert.Contains("\"-foo\"", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => ImageReference.Parse("busybox").WithTag(null!));
    }

    [Fact]
    public void WithDigest_adds_the_digest_and_keeps_the_tag()
    {
        var digest = Digest.Parse("sha256:" + Dbcc);

        Assert.Equal("test.com:8000/foo:latest@sha256:" + Dbcc, ImageReference.Parse("test.com:8000/foo:latest").WithDigest(digest).ToString());
        Assert.Equal("docker.io/library/foo@sha256:" + Dbcc, ImageReference.Parse("foo").WithDigest(digest).ToString());
        Assert.Equal("foo@sha256:" + Dbcc, ImageReference.Parse("foo").WithDigest(digest).FamiliarString);
    }

    [Fact]
    public void WithDigest_refuses_a_malformed_digest()
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse("busybox").WithDigest(default));
        Assert.Equal("InvalidDigest", error.ErrorId);
        Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse("busybox").WithDigest(new Digest("sha256", "abc")));
    }

    [Fact]
    public void WithoutTagOrDigest_keeps_only_the_repository()
    {
        var reference = ImageReference.Parse("localhost:5000/a/b:t@sha256:" + E669).WithoutTagOrDigest();

        Assert.Equal("localhost:5000/a/b", reference.ToString());
        Assert.True(reference.IsNameOnly);
        Assert.Same(reference, reference.WithoutTagOrDigest());
    }

    [Fact]
    public void Equality_is_by_value_after_normalisation()
    {
        var a = ImageReference.Parse("busybox");
        var b = ImageReference.Parse("index.docker.io/library/busybox");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ImageReference.Parse("busybox:latest"));
        Assert.NotEqual(a.WithDefaultTag(), a.WithDefaultTag().WithDigest(Digest.Parse("sha256:" + E669)));
        Assert.NotEqual(ImageReference.Parse("Docker/docker"), ImageReference.Parse("docker/docker"));
        Assert.False(a.Equals(null));
        Assert.True((ImageReference?)null == null);
        Assert.Single(new HashSet<ImageReference> { a, b, ImageReference.Parse("docker.io/busybox") });
    }

    [Fact]
    public void Null_input_is_an_argument_error_for_Parse_and_false_for_TryParse()
    {
        Assert.Throws<ArgumentNullException>(() => ImageReference.Parse(null!));
        Assert.False(ImageReference.TryParse(null, out var reference));
        Assert.Null(reference);
    }

    [Theory]
    [InlineData("a", "!")]
    [InlineData("a.", "_")]
    [InlineData("a-", "!")]
    [InlineData("a_", "-")]
    [InlineData("a/", "A")]
    [InlineData("a.a/", "$")]
    [InlineData("0", ":")]
    public void Long_malformed_input_is_refused_quickly(string unit, string tail)
    {
        // The grammar is applied by a backtracking engine: make sure no input makes it go quadratic.
        var input = Repeat(unit, 50_000) + tail;
        var watch = Stopwatch.StartNew();

        Assert.False(ImageReference.TryParse(input, out _));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    private static string Repeat(string s, int count) => string.Concat(Enumerable.Repeat(s, count));
}
