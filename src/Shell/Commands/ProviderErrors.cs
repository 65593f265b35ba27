using System.Management.Automation;

namespace ContainerPS.Shell.Commands;

/// <summary>Turns exceptions from provider calls into non-terminating error records.</summary>
internal static class ProviderErrors
{
    /// <summary>True for the exceptions a provider operation may legitimately throw for one path.</summary>
    public static bool IsPathError(Exception e) =>
        e is RuntimeException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    public static ErrorRecord ToRecord(Exception e, string errorId, object? target)
    {
        if (e is IContainsErrorRecord withRecord && withRecord.ErrorRecord is { } inner)
        {
            return new ErrorRecord(inner, e);
        }

        ErrorCategory category = e switch
        {
            UnauthorizedAccessException => ErrorCategory.PermissionDenied,
            FileNotFoundException or DirectoryNotFoundException => ErrorCategory.ObjectNotFound,
            ArgumentException => ErrorCategory.InvalidArgument,
            NotSupportedException => ErrorCategory.NotImplemented,
            _ => ErrorCategory.WriteError,
        };
        return new ErrorRecord(e, errorId, category, target);
    }
}
