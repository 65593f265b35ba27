using ContainerPS.Engine.Containers.Stats;

namespace ContainerPS.Tests.Unit.Containers;

/// <summary>The /proc parsers behind docker top and docker stats, on fixed texts.</summary>
public sealed class ProcFilesTests
{
    [Fact]
    public void A_stat_line_with_spaces_and_parentheses_in_the_name_parses()
    {
        var line = "4242 (my (odd) prog) S 4100 4242 4242 34816 4242 4194560 155 0 0 0 250 130 0 0 20 0 1 0 987654 1884160 214 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        var s = ProcFiles.ParseStat(line);
        Assert.Equal(4242, s.Pid);
        Assert.Equal("my (odd) prog", s.Comm);
        Assert.Equal('S', s.State);
        Assert.Equal(4100, s.ParentPid);
        Assert.Equal(34816, s.TtyNr);
        Assert.Equal(250, s.UserTicks);
        Assert.Equal(130, s.SystemTicks);
        Assert.Equal(987654, s.StartTicks);
    }

    [Fact]
    public void A_short_stat_line_is_refused()
    {
        Assert.Throws<FormatException>(() => ProcFiles.ParseStat("12 (x) S 1 2"));
        Assert.Throws<FormatException>(() => ProcFiles.ParseStat("garbage"));
    }

    [Fact]
    public void The_stat_of_this_process_parses()
    {
        var s = ProcFiles.ParseStat(File.ReadAllText("/proc/self/stat"));
        Assert.Equal(Environment.ProcessId, s.Pid);
        Assert.True(s.StartTicks > 0);
    }

    [Fact]
    public void The_effective_uid_is_the_second_uid_field()
    {
        Assert.Equal(1000u, ProcFiles.EffectiveUid("Name:\tsh\nUid:\t0\t1000\t1000\t1000\nGid:\t0\t0\t0\t0\n"));
        Assert.Null(ProcFiles.EffectiveUid("Name:\tsh\n"));
    }

    [Theory]
    [InlineData(0, "?")]
    [InlineData((136 << 8) | 0, "pts/0")]
    [InlineData((136 << 8) | 5, "pts/5")]
    [InlineData((137 << 8) | 2, "pts/258")]
    [InlineData((4 << 8) | 1, "tty1")]
    [InlineData((4 << 8) | 65, "ttyS1")]
    [InlineData((5 << 8) | 1, "console")]
    public void Terminal_numbers_are_named_as_ps_names_them(int ttyNr, string name) => Assert.Equal(name, ProcFiles.TtyName(ttyNr));

    [Fact]
    public void A_pts_minor_above_255_uses_the_extended_minor_bits()
    {
        // minor 300 = 0x12c: low byte 0x2c, high bits (0x100) shifted to bits 20+.
        var ttyNr = (136 << 8) | 0x2c | (0x1 << 20);
        Assert.Equal("pts/300", ProcFiles.TtyName(ttyNr));
    }

    [Fact]
    public void The_command_line_is_joined_and_a_zombie_shows_its_name()
    {
        Assert.Equal("sh -c sleep 5", ProcFiles.Command("sh\0-c\0sleep 5\0"u8, "sh"));
        Assert.Equal("[sleep]", ProcFiles.Command(ReadOnlySpan<byte>.Empty, "sleep"));
    }

    [Theory]
    [InlineData(0, "00:00:00")]
    [InlineData(61.9, "00:01:01")]
    [InlineData(3 * 3600 + 2 * 60 + 1, "03:02:01")]
    [InlineData(2 * 86400 + 5, "2-00:00:05")]
    public void Cpu_time_is_formatted_like_ps(double seconds, string text) =>
        Assert.Equal(text, ProcFiles.FormatCpuTime(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Start_time_is_a_clock_today_a_date_this_year_else_a_year()
    {
        var utc = TimeZoneInfo.Utc;
        var now = new DateTimeOffset(2025, 6, 15, 18, 30, 0, TimeSpan.Zero);
        Assert.Equal("09:05", ProcFiles.FormatStartTime(new DateTimeOffset(2025, 6, 15, 9, 5, 0, TimeSpan.Zero), now, utc));
        Assert.Equal("Jun14", ProcFiles.FormatStartTime(new DateTimeOffset(2025, 6, 14, 23, 0, 0, TimeSpan.Zero), now, utc));
        Assert.Equal("2024", ProcFiles.FormatStartTime(new DateTimeOffset(2024, 12, 31, 23, 0, 0, TimeSpan.Zero), now, utc));
    }

    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(500, 10, 50)]   // 5 s of CPU in 10 s
    [InlineData(5000, 10, 99)]  // capped
    [InlineData(100, 0, 0)]
    public void The_c_column_is_lifetime_cpu_percent(long ticks, double seconds, int expected) =>
        Assert.Equal(expected, ProcFiles.LifetimeCpuPercent(ticks, seconds));

    [Fact]
    public void Passwd_maps_uids_to_the_first_name()
    {
        var users = ProcFiles.ParsePasswd("root:x:0:0:root:/root:/bin/sh\n# comment\napp:x:1000:1000::/home:/bin/sh\nalias:x:1000:1000::/:/bin/sh\nbroken\n");
        Assert.Equal("root", users[0]);
        Assert.Equal("app", users[1000]);
        Assert.Equal(2, users.Count);
    }

    [Fact]
    public void Network_bytes_add_up_every_interface_but_loopback()
    {
        const string netDev =
            "Inter-|   Receive                                                |  Transmit\n" +
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
            "    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0\n" +
            "  eth0:    2048      20    0    0    0     0          0         0      512       5    0    0    0     0       0          0\n" +
            "  eth1:100   1 0 0 0 0 0 0 50 1 0 0 0 0 0 0\n";
        Assert.Equal((2148L, 562L), ProcFiles.NetworkBytes(netDev));
        Assert.Equal((0L, 0L), ProcFiles.NetworkBytes("Inter-|\n face |\n    lo: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n"));
    }

    [Fact]
    public void System_cpu_is_the_sum_of_the_cpu_line_in_nanoseconds_and_cpus_are_counted()
    {
        const string stat = "cpu  100 1 50 1000 10 0 5 2 7 0\ncpu0 50 0 25 500 5 0 2 1 0 0\ncpu1 50 1 25 500 5 0 3 1 0 0\nintr 1 2 3\nbtime 1700000000\n";
        var (ns, cpus) = ProcFiles.SystemCpu(stat);
        Assert.Equal((100 + 1 + 50 + 1000 + 10 + 0 + 5 + 2) * 10_000_000L, ns); // guest (7) is inside user already
        Assert.Equal(2, cpus);
        Assert.Equal(1700000000, ProcFiles.BootTime(stat));
    }

    [Fact]
    public void Mem_total_is_in_bytes()
    {
        Assert.Equal(2048L * 1024, ProcFiles.MemTotal("MemTotal:        2048 kB\nMemFree: 1 kB\n"));
        Assert.True(ProcFiles.MemTotal(File.ReadAllText("/proc/meminfo")) > 0);
    }
}
