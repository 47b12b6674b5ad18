namespace Ciba.Domain.Applications;

/// <summary>
/// A client registered in an organization: its credentials, the grant types it may use and, when
/// CIBA is among them, its CIBA settings.
/// </summary>
public sealed partial class ClientApplication
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 500;

    private List<string> _grantTypes = [];

    private ClientApplication()
    {
        Name = string.Empty;
        ClientId = string.Empty;
        ClientSecretHash = string.Empty;
        CibaSettings = CibaSettings.Default;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    public string ClientId { get; private set; }

    /// <summary>A one-way hash of the client secret; the secret itself is never stored.</summary>
    public string ClientSecretHash { get; private set; }

    public IReadOnlyList<string> GrantTypes => _grantTypes;

    public CibaSettings CibaSettings { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool AllowsCiba => _grantTypes.Contains(Applications.GrantTypes.Ciba, StringComparer.Ordinal);

    public static ClientApplication Create(
        Guid organizationId,
        string name,
        string clientId,
        string clientSecretHash,
        IEnumerable<string> grantTypes,
        CibaSettings cibaSettings,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecretHash);
        var application = new ClientApplication
        {
            Id = Guid.NewGuid(),
            OrganizationId = organizationId,
            ClientId = clientId,
            ClientSecretHash = clientSecretHash,
            CreatedAt = now,
        };
        application.UpdateGeneral(name, null, now);
        application.UpdateProtocol(grantTypes, cibaSettings, now);
        return application;
    }

    public void UpdateGeneral(string name, string? description, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxNameLength || description?.Length > MaxDescriptionLength)
        {
            throw new ArgumentOutOfRangeException(nameof(name), "Name or description too long.");
        }

        Name = name.Trim();
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        UpdatedAt = now;
    }

    public void UpdateProtocol(IEnumerable<string> grantTypes, CibaSettings cibaSettings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cibaSettings);
        var distinct = grantTypes.Distinct(StringComparer.Ordinal).ToList();
        var unserved = distinct.FirstOrDefault(g => !Applications.GrantTypes.IsServed(g));
        if (unserved is not null)
        {
            throw new ArgumentException($"The grant type '{unserved}' is not served.", nameof(grantTypes));
        }

        _grantTypes = distinct;
        CibaSettings = cibaSettings;
        UpdatedAt = now;
    }

    public void ReplaceSecret(string clientSecretHash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecretHash);
        ClientSecretHash = clientSecretHash;
        UpdatedAt = now;
    }
}
