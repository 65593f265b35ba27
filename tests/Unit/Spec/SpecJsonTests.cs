using System.Text.Json;
using ContainerPS.Runtime.Spec;

namespace ContainerPS.Tests.Unit.Spec;

public sealed class SpecJsonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cps-spec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Nulls_and_false_omitempty_bools_are_omitted_and_required_members_written()
    {
        var json = SpecJson.Serialize(new RuntimeSpec { Process = new SpecProcess(), Root = new SpecRoot() });
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(new[] { "ociVersion", "process", "root" }, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "user", "cwd" }, root.GetProperty("process").EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "uid", "gid" }, root.GetProperty("process").GetProperty("user").EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "path" }, root.GetProperty("root").EnumerateObject().Select(p => p.Name));
        Assert.Equal("1.0.2-dev", root.GetProperty("ociVersion").GetString());
    }

    [Fact]
    public void Exact_json_names_for_every_member()
    {
        var spec = new RuntimeSpec
        {
            Process = new SpecProcess
            {
                Terminal = true, ConsoleSize = new SpecConsoleSize { Height = 24, Width = 80 },
                User = new SpecUser { Uid = 1, Gid = 2, Umask = 18, AdditionalGids = new() { 3 } },
                Args = new() { "sh" }, Env = new() { "A=1" }, Cwd = "/",
                Capabilities = new SpecCapabilities { Bounding = new() { "CAP_KILL" }, Effective = new(), Inheritable = new(), Permitted = new(), Ambient = new() },
                Rlimits = new() { new SpecRlimit { Type = "RLIMIT_NOFILE", Hard = 2, Soft = 1 } },
                NoNewPrivileges = true, ApparmorProfile = "p", OomScoreAdj = -500, SelinuxLabel = "l",
            },
            Root = new SpecRoot { Path = "rootfs", Readonly = true },
            Hostname = "h", Domainname = "d",
            Mounts = new() { new SpecMount { Destination = "/d", Type = "bind", Source = "/s", Options = new() { "rbind" }, UidMappings = new() { new LinuxIdMapping { ContainerId = 0, HostId = 1000, Size = 1 } } } },
            Hooks = new SpecHooks { Prestart = new(), CreateRuntime = new(), CreateContainer = new(), StartContainer = new(), Poststart = new(), Poststop = new() { new SpecHook { Path = "/bin/true", Args = new() { "true" }, Env = new(), Timeout = 5 } } },
            Annotations = new() { ["a"] = "b" },
            Linux = new SpecLinux
            {
                UidMappings = new(), GidMappings = new(), Sysctl = new() { ["net.ipv4.ip_forward"] = "1" },
                Resources = new LinuxResources
                {
                    Devices = new() { new LinuxDeviceCgroup { Allow = false, Type = "c", Major = 1, Minor = 3, Access = "rwm" } },
                    Memory = new LinuxMemory { Limit = 1, Reservation = 2, Swap = 3, Kernel = 4, KernelTcp = 5, Swappiness = 6, DisableOomKiller = true, UseHierarchy = true, CheckBeforeUpdate = true },
                    Cpu = new LinuxCpu { Shares = 1, Quota = 2, Burst = 3, Period = 4, RealtimeRuntime = 5, RealtimePeriod = 6, Cpus = "0-1", Mems = "0", Idle = 0 },
                    Pids = new LinuxPids { Limit = 10 },
                    BlockIO = new LinuxBlockIO { Weight = 10, LeafWeight = 10, WeightDevice = new() { new LinuxWeightDevice { Major = 8, Minor = 0, Weight = 1, LeafWeight = 1 } }, ThrottleReadBpsDevice = new() { new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 1 } }, ThrottleWriteBpsDevice = new(), ThrottleReadIopsDevice = new(), ThrottleWriteIopsDevice = new() },
                    HugepageLimits = new() { new LinuxHugepageLimit { PageSize = "2MB", Limit = 0 } },
                    Unified = new() { ["memory.high"] = "1G" },
                },
                CgroupsPath = "/c", Namespaces = new() { new LinuxNamespace { Type = "network", Path = "/proc/1/ns/net" } },
                Devices = new() { new LinuxDevice { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229, FileMode = 438, Uid = 0, Gid = 0 } },
                Seccomp = JsonDocument.Parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}").RootElement.Clone(),
                RootfsPropagation = "rslave", MaskedPaths = new() { "/m" }, ReadonlyPaths = new() { "/r" }, MountLabel = "ml",
            },
        };
        using var doc = JsonDocument.Parse(SpecJson.Serialize(spec));
        var paths = KeyPaths(doc.RootElement).ToHashSet();
        foreach (var expected in new[]
        {
            "ociVersion", "process.terminal", "process.consoleSize.height", "process.consoleSize.width",
            "process.user.uid", "process.user.gid", "process.user.umask", "process.user.additionalGids",
            "process.args", "process.env", "process.cwd", "process.capabilities.bounding", "process.capabilities.effective",
            "process.capabilities.inheritable", "process.capabilities.permitted", "process.capabilities.ambient",
            "process.rlimits[].type", "process.rlimits[].hard", "process.rlimits[].soft", "process.noNewPrivileges",
            "process.apparmorProfile", "process.oomScoreAdj", "process.selinuxLabel", "root.path", "root.readonly",
            "hostname", "domainname", "mounts[].destination", "mounts[].type", "mounts[].source", "mounts[].options",
            "mounts[].uidMappings[].containerID", "mounts[].uidMappings[].hostID", "mounts[].uidMappings[].size",
            "hooks.prestart", "hooks.createRuntime", "hooks.createContainer", "hooks.startContainer", "hooks.poststart",
            "hooks.poststop[].path", "hooks.poststop[].args", "hooks.poststop[].env", "hooks.poststop[].timeout", "annotations.a",
            "linux.uidMappings", "linux.gidMappings", "linux.sysctl.net.ipv4.ip_forward",
            "linux.resources.devices[].allow", "linux.resources.devices[].type", "linux.resources.devices[].major",
            "linux.resources.devices[].minor", "linux.resources.devices[].access",
            "linux.resources.memory.limit", "linux.resources.memory.reservation", "linux.resources.memory.swap",
            "linux.resources.memory.kernel", "linux.resources.memory.kernelTCP", "linux.resources.memory.swappiness",
            "linux.resources.memory.disableOOMKiller", "linux.resources.memory.useHierarchy", "linux.resources.memory.checkBeforeUpdate",
            "linux.resources.cpu.shares", "linux.resources.cpu.quota", "linux.resources.cpu.burst", "linux.resources.cpu.period",
            "linux.resources.cpu.realtimeRuntime", "linux.resources.cpu.realtimePeriod", "linux.resources.cpu.cpus",
            "linux.resources.cpu.mems", "linux.resources.cpu.idle", "linux.resources.pids.limit",
            "linux.resources.blockIO.weight", "linux.resources.blockIO.leafWeight", "linux.resources.blockIO.weightDevice[].major",
            "linux.resources.blockIO.weightDevice[].minor", "linux.resources.blockIO.weightDevice[].weight",
            "linux.resources.blockIO.weightDevice[].leafWeight", "linux.resources.blockIO.throttleReadBpsDevice[].rate",
            "linux.resources.blockIO.throttleWriteBpsDevice", "linux.resources.blockIO.throttleReadIOPSDevice",
            "linux.resources.blockIO.throttleWriteIOPSDevice", "linux.resources.hugepageLimits[].pageSize",
            "linux.resources.hugepageLimits[].limit", "linux.resources.unified.memory.high",
            "linux.cgroupsPath", "linux.namespaces[].type", "linux.namespaces[].path",
            "linux.devices[].path", "linux.devices[].type", "linux.devices[].major", "linux.devices[].minor",
            "linux.devices[].fileMode", "linux.devices[].uid", "linux.devices[].gid", "linux.seccomp.defaultAction",
            "linux.rootfsPropagation", "linux.maskedPaths", "linux.readonlyPaths", "linux.mountLabel",
        })
        {
            Assert.Contains(expected, paths);
        }
    }

    [Fact]
    public void Unknown_members_survive_a_round_trip()
    {
        const string json = """
            {"ociVersion":"1.1.0","process":{"user":{"uid":0,"gid":0},"cwd":"/","scheduler":{"policy":"SCHED_OTHER"}},
             "vm":{"hypervisor":{"path":"/x"}},"linux":{"personality":{"domain":"LINUX"},"resources":{"network":{"classID":5}}}}
            """;
        var spec = SpecJson.Deserialize(json);
        Assert.Equal("1.1.0", spec.OciVersion);
        var back = SpecJson.Serialize(spec);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(json).RootElement, JsonDocument.Parse(back).RootElement), back);
    }

    [Fact]
    public void Env_values_are_not_html_escaped()
    {
        var spec = new RuntimeSpec { Process = new SpecProcess { Env = new() { "A=<b>&'+é" } } };
        Assert.Contains("A=<b>&'+é", SpecJson.Serialize(spec));
    }

    [Fact]
    public void Save_writes_atomically_and_Load_reads_it_back()
    {
        var path = Path.Combine(_dir, SpecJson.FileName);
        var spec = new RuntimeSpec { Hostname = "one", Process = new SpecProcess { Args = new() { "sh" } }, Root = new SpecRoot() };
        SpecJson.Save(spec, path);
        spec.Hostname = "two";
        SpecJson.Save(spec, path);
        Assert.Equal("two", SpecJson.Load(path).Hostname);
        Assert.Equal(new[] { SpecJson.FileName }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Errors_name_the_file()
    {
        var path = Path.Combine(_dir, "broken.json");
        File.WriteAllText(path, "{\"ociVersion\": \"1.0.2\", \"process\": {\"user\": {\"uid\": \"zero\"}}}");
        var ex = Assert.Throws<RuntimeSpecException>(() => SpecJson.Load(path));
        Assert.StartsWith(path + ": invalid OCI runtime spec:", ex.Message);
        Assert.Equal(path, ex.Path);

        var missing = Path.Combine(_dir, "missing.json");
        Assert.StartsWith(missing + ": cannot read OCI runtime spec", Assert.Throws<RuntimeSpecException>(() => SpecJson.Load(missing)).Message);

        File.WriteAllText(path, "{\"process\": {}}");
        Assert.Contains("ociVersion", Assert.Throws<RuntimeSpecException>(() => SpecJson.Load(path)).Message);
        File.WriteAllText(path, "{\"ociVersion\": \"\"}");
        Assert.Contains("\"ociVersion\" is empty", Assert.Throws<RuntimeSpecException>(() => SpecJson.Load(path)).Message);
        Assert.StartsWith("config.json: invalid OCI runtime spec", Assert.Throws<RuntimeSpecException>(() => SpecJson.Deserialize("[1]")).Message);
        Assert.StartsWith("x.json: invalid", Assert.Throws<RuntimeSpecException>(() => SpecJson.Deserialize("null", "x.json")).Message);
    }

    /// <summary>"a.b[].c" paths of every member of a JSON document.</summary>
    internal static IEnumerable<string> KeyPaths(JsonElement element, string prefix = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    var path = prefix.Length == 0 ? p.Name : prefix + "." + p.Name;
                    yield return path;
                    foreach (var sub in KeyPaths(p.Value, path)) yield return sub;
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    foreach (var sub in KeyPaths(item, prefix + "[]")) yield return sub;
                break;
        }
    }
}
