using System.Text.Json.Serialization;

namespace ContainerPS.Runtime.Spec;

/// <summary>A hugetlb limit in bytes for one page size ("2MB", "1GB").</summary>
public sealed class LinuxHugepageLimit
{
    [JsonPropertyName("pageSize")] public string PageSize { get; set; } = "";
    [JsonPropertyName("limit")] public ulong Limit { get; set; }
}
