namespace Ciba.Domain.Apis;

/// <summary>A scope of an API, unique in its organization, with the words the consent page shows for it.</summary>
public sealed class ApiScope
{
    public const int MaxValueLength = 100;
    public const int MaxDescriptionLength = 200;

    /// <summary>Scope values the service defines itself (OpenID Connect Core §5.4, §11); an API cannot reuse them.</summary>
    public static readonly IReadOnlyList<string> Reserved = ["openid", "profile", "email", "phone", "address", "offline_access"];

    private ApiScope()
    {
        Value = string.Empty;
        Description = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid ApiResourceId { get; private set; }

    public Guid OrganizationId { get; private set; }

    public string Value { get; private set; }

    public string Description { get; private set; }

    /// <summary>RFC 6749 §3.3: <c>scope-token = 1*( %x21 / %x23-5B / %x5D-7E )</c>, and not a reserved value.</summary>
    public static bool IsValidValue(string? value) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= MaxValueLength
        && value.All(c => c is '!' or (>= '#' and <= '[') or (>= ']' and <= '~'))
        && !Reserved.Contains(value, StringComparer.Ordinal);

    public static bool IsValidDescription(string? description) =>
        !string.IsNullOrWhiteSpace(description) && description.Trim().Length <= MaxDescriptionLength;

    internal static ApiScope Create(ApiResource api, string value, string description)
    {
        if (!IsValidValue(value))
        {
            throw new ArgumentException("Not a valid scope value.", nameof(value));
        }

        if (!IsValidDescription(description))
        {
            throw new ArgumentException("A description is 1 to 200 characters.", nameof(description));
        }

        return new ApiScope
        {
            Id = Guid.NewGuid(),
            ApiResourceId = api.Id,
            OrganizationId = api.OrganizationId,
            Value = value,
            Description = description.Trim(),
        };
    }
}
