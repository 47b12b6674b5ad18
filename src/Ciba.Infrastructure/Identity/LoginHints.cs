using Ciba.Application.Common.Interfaces;

namespace Ciba.Infrastructure.Identity;

/// <summary>How a <c>login_hint</c> is matched against usernames, emails and mobile numbers.</summary>
internal static class LoginHints
{
    public static string Normalize(string loginHint) => loginHint.Trim().ToUpperInvariant();

    public static string? Phone(string loginHint) => Domain.Users.PhoneNumber.NormalizeToE164(loginHint);

    /// <summary>From at most two matches ordered by id: a hint that names two different people identifies nobody, unless one of them has it as username.</summary>
    public static UserContact? Pick(IReadOnlyList<UserContact> matches, string loginHint) =>
        matches.Count == 1 ? matches[0] : matches.FirstOrDefault(m => string.Equals(m.UserName, loginHint.Trim(), StringComparison.OrdinalIgnoreCase));
}
