namespace Ciba.Domain.Apis;

/// <summary>
/// An API of the organization (product.md §13): the identifier an access token names as its
/// audience (RFC 9068 §3, RFC 8707 resource indicator) and the scopes clients may ask for it.
/// </summary>
public sealed class ApiResource
{
    public const int MaxNameLength = 100;
    public const int MaxIdentifierLength = 200;
    public const int MaxScopes = 50;

    private readonly List<ApiScope> _scopes = [];

    private ApiResource()
    {
        Name = string.Empty;
        Identifier = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public string Name { get; private set; }

    /// <summary>An absolute URI without fragment: the access token's <c>aud</c>.</summary>
    public string Identifier { get; private set; }

    public IReadOnlyList<ApiScope> Scopes => _scopes;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static ApiResource Create(Guid organizationId, string name, string identifier, DateTimeOffset now)
    {
        var api = new ApiResource { Id = Guid.NewGuid(), OrganizationId = organizationId, CreatedAt = now };
        api.Update(name, identifier, now);
        return api;
    }

    /// <summary>RFC 8707 §2: an absolute URI without a fragment.</summary>
    public static bool IsValidIdentifier(string? identifier) =>
        !string.IsNullOrWhiteSpace(identifier)
        && identifier.Length <= MaxIdentifierLength
        && identifier.Trim() == identifier
        && !identifier.Contains('#', StringComparison.Ordinal)
        && identifier.All(c => c is > ' ' and <= '~')
        && Uri.TryCreate(identifier, UriKind.Absolute, out _);

    public void Update(string name, string identifier, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Trim().Length > MaxNameLength)
        {
            throw new ArgumentOutOfRangeException(nameof(name), "Name too long.");
        }

        if (!IsValidIdentifier(identifier))
        {
            throw new ArgumentException("The identifier is an absolute URI without a fragment.", nameof(identifier));
        }

        Name = name.Trim();
        Identifier = identifier;
        UpdatedAt = now;
    }

    public ApiScope AddScope(string value, string description, DateTimeOffset now)
    {
        if (_scopes.Count >= MaxScopes)
        {
            throw new InvalidOperationException($"An API has at most {MaxScopes} scopes.");
        }

        if (_scopes.Any(s => s.Value == value))
        {
            throw new InvalidOperationException("The API already has this scope.");
        }

        var scope = ApiScope.Create(this, value, description);
        _scopes.Add(scope);
        UpdatedAt = now;
        return scope;
    }

    public bool RemoveScope(string value, DateTimeOffset now)
    {
        var removed = _scopes.RemoveAll(s => s.Value == value) > 0;
        if (removed)
        {
            UpdatedAt = now;
        }

        return removed;
    }
}
