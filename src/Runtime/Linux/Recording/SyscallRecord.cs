namespace ContainerPS.Runtime.Linux.Recording;

/// <summary>
/// One call recorded by <see cref="RecordingSyscalls"/>. Each kind of call is a record of its
/// own; <see cref="object.ToString"/> renders it the way tests compare it ("mount proc /r/proc proc MS_NOSUID").
/// </summary>
public abstract record SyscallRecord;
