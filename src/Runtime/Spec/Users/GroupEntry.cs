namespace ContainerPS.Runtime.Spec.Users;

/// <summary>One line of /etc/group: group_name:password:GID:user_list.</summary>
public sealed record GroupEntry(string Name, string Password, int Gid, IReadOnlyList<string> Members);
