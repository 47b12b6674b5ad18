using Ciba.Application.Accounts.UserCodes;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// CIBA Core §7.1 <c>user_code</c> and product.md §12, once the person is known
/// (docs/decisions/0028-user-code-and-login-hint-token.md): an application that requires it gets
/// <c>missing_user_code</c> without one; a wrong code, a locked code, or (when required) a person
/// without a code is <c>invalid_user_code</c>. A code sent by an application that does not require
/// one is still checked when the person has one.
/// </summary>
internal sealed class UserCodeCheck(IUserCodes codes, TimeProvider time)
{
    private static readonly Error Missing = new(OAuthErrorCodes.MissingUserCode, "This client must send the user_code of the person.");
    private static readonly Error Invalid = new(OAuthErrorCodes.InvalidUserCode, "The user_code is wrong, or locked after too many wrong codes.");

    public async ValueTask<Error?> CheckAsync(ClientApplication application, Guid userId, string? userCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (string.IsNullOrEmpty(userCode))
        {
            return application.RequireUserCode ? Missing : null;
        }

        var verification = await codes.VerifyAsync(userId, userCode, time.GetUtcNow(), cancellationToken);
        return verification switch
        {
            UserCodeVerification.Correct => null,
            UserCodeVerification.NotSet => application.RequireUserCode ? Invalid : null,
            _ => Invalid,
        };
    }
}
