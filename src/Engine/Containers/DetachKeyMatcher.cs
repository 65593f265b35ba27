using System.Buffers;

namespace ContainerPS.Engine.Containers;

/// <summary>
/// Finds the detach sequence in what the user types. Keys that could begin the sequence are
/// held back until the next key shows whether they do (as the docker CLI does), so a lone
/// ctrl-p reaches the container only once it is clearly not half of ctrl-p ctrl-q — and the
/// detach keys themselves never reach it.
/// </summary>
public sealed class DetachKeyMatcher
{
    private readonly byte[] _keys;
    private int _matched;

    public DetachKeyMatcher(byte[] keys)
    {
        if (keys.Length == 0) throw new ArgumentException("No detach keys.", nameof(keys));
        _keys = keys;
    }

    /// <summary>
    /// Appends to <paramref name="forward"/> what of <paramref name="input"/> goes to the
    /// container; true when the sequence is complete (what follows it in the input is dropped).
    /// </summary>
    public bool Feed(ReadOnlySpan<byte> input, IBufferWriter<byte> forward)
    {
        foreach (var b in input)
        {
            if (b == _keys[_matched])
            {
                if (++_matched == _keys.Length) return true;
                continue;
            }
            if (_matched > 0)
            {
                // Not the sequence after all: what was held back goes through, and this key
                // may itself begin the sequence.
                forward.Write(_keys.AsSpan(0, _matched));
                _matched = 0;
                if (b == _keys[0])
                {
                    _matched = 1;
                    continue;
                }
            }
            forward.Write(new ReadOnlySpan<byte>(in b));
        }
        return false;
    }
}
