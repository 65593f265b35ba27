namespace ContainerPS.Runtime.Linux;

/// <summary>
/// The three per-thread capability sets capget/capset exchange, as 64-bit masks (bit N is
/// capability N).
/// </summary>
public readonly record struct CapabilitySets(ulong Effective, ulong Permitted, ulong Inheritable)
{
    public override string ToString() =>
        $"effective=0x{Effective:x} permitted=0x{Permitted:x} inheritable=0x{Inheritable:x}";
}
