using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// product.md §12 <c>login_hint_token</c>: expired → <c>expired_login_hint_token</c>; unverifiable,
/// malformed or from an untrusted issuer → <c>invalid_request</c>; a <c>sub_id</c> naming nobody →
/// <c>unknown_user_id</c>. How each RFC 9493 format names a person is in
/// docs/decisions/0028-user-code-and-login-hint-token.md.
/// </summary>
internal sealed class LoginHintTokenCheck(ILoginHintTokenReader reader, IUserDirectory users, IOptions<CibaOptions> options)
{
    private static readonly Error Expired = new(OAuthErrorCodes.ExpiredLoginHintToken, "The login_hint_token has expired.");
    private static readonly Error Invalid = new(OAuthErrorCodes.InvalidRequest, "The login_hint_token is not a JWT signed by a trusted hint issuer with exp and a sub_id.");

    /// <summary>The person the token names, or null when it names nobody (<c>unknown_user_id</c>).</summary>
    public async Task<Result<UserContact?>> FindUserAsync(OrganizationSummary organization, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        var reading = await reader.ReadAsync(organization.Id, token, cancellationToken);
        if (reading.Status == LoginHintTokenStatus.Expired)
        {
            return Expired;
        }

        if (reading.Status != LoginHintTokenStatus.Valid || reading.SubjectId is not { } subject)
        {
            return Invalid;
        }

        return subject.Format switch
        {
            SubjectIdentifier.EmailFormat => Matching(await users.FindByLoginHintAsync(organization.Id, subject.Email!, cancellationToken),
                u => string.Equals(u.Email, subject.Email, StringComparison.OrdinalIgnoreCase)),
            SubjectIdentifier.PhoneNumberFormat => Matching(await users.FindByLoginHintAsync(organization.Id, subject.PhoneNumber!, cancellationToken),
                u => string.Equals(u.MobileNumber, subject.PhoneNumber, StringComparison.Ordinal)),
            SubjectIdentifier.IssuerSubjectFormat => subject.Issuer == options.Value.Issuer(organization.Handle) && Guid.TryParse(subject.Subject, out var userId)
                ? await users.FindByIdAsync(organization.Id, userId, cancellationToken)
                : null,
            SubjectIdentifier.OpaqueFormat => Matching(await users.FindByLoginHintAsync(organization.Id, subject.Id!, cancellationToken),
                u => string.Equals(u.UserName, subject.Id, StringComparison.OrdinalIgnoreCase)),
            _ => Invalid,
        };
    }

    private static Result<UserContact?> Matching(UserContact? user, Func<UserContact, bool> matches) =>
        user is not null && matches(user) ? user : null;
}
