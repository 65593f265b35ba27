namespace ContainerPS.Runtime.Spec.Users;

/// <summary>One line of /etc/passwd: name:password:UID:GID:GECOS:directory:shell.</summary>
public sealed record PasswdEntry(string Name, string Password, int Uid, int Gid, string Gecos, string Home, string Shell);
