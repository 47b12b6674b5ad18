namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// Reads a <c>login_hint_token</c> (product.md §12): a JWT signed (RS256, PS256 or ES256) by an issuer
/// the organization trusts, whose <c>sub_id</c> (RFC 9493) names the person.
/// </summary>
public interface ILoginHintTokenReader
{
    Task<LoginHintTokenReading> ReadAsync(Guid organizationId, string token, CancellationToken cancellationToken);
}

public enum LoginHintTokenStatus
{
    /// <summary>Signed by a trusted issuer's key, in date, with a <c>sub_id</c> of a known format.</summary>
    Valid,

    /// <summary>Signed by a trusted issuer's key, but its <c>exp</c> has passed (beyond the skew).</summary>
    Expired,

    /// <summary>Not a JWT, not signed by a trusted issuer's key, no <c>exp</c>, or no usable <c>sub_id</c>.</summary>
    Invalid,
}

/// <summary>An RFC 9493 subject identifier: <c>format</c> and the members that format has.</summary>
public sealed record SubjectIdentifier(string Format, string? Email = null, string? PhoneNumber = null, string? Issuer = null, string? Subject = null, string? Id = null)
{
    public const string EmailFormat = "email";
    public const string PhoneNumberFormat = "phone_number";
    public const string IssuerSubjectFormat = "iss_sub";
    public const string OpaqueFormat = "opaque";
}

public sealed record LoginHintTokenReading(LoginHintTokenStatus Status, SubjectIdentifier? SubjectId = null);
