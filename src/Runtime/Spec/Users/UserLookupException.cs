namespace ContainerPS.Runtime.Spec.Users;

/// <summary>
/// A user or group in a "user[:group]" specification does not exist in the container's
/// /etc/passwd or /etc/group, or an ID is out of range. Messages are Docker's/runc's wording
/// ("unable to find user app: no matching entries in passwd file").
/// </summary>
public sealed class UserLookupException : Exception
{
    public UserLookupException(string message, string userSpec) : base(message)
    {
        UserSpec = userSpec;
    }

    /// <summary>The specification that failed ("app:staff").</summary>
    public string UserSpec { get; }
}
