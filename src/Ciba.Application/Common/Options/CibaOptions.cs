using System.ComponentModel.DataAnnotations;

namespace Ciba.Application.Common.Options;

/// <summary>Service-wide settings, bound from the <c>Ciba</c> configuration section.</summary>
public sealed class CibaOptions
{
    public const string SectionName = "Ciba";

    /// <summary>
    /// The public base URL (scheme, host, optional port, no path), e.g. <c>https://id.example.com</c>.
    /// Issuers and links are built from it, never from the request's Host header.
    /// </summary>
    [Required]
    public string PublicOrigin { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Seeds the demo organization at start (Development only by default).</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>Applies pending migrations at start.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public Uri PublicOriginUri => new(PublicOrigin.TrimEnd('/'), UriKind.Absolute);

    public string OrganizationBaseUrl(string organizationHandle) => $"{PublicOrigin.TrimEnd('/')}/t/{organizationHandle}";
}
