using Ciba.Domain.Users;
using FluentValidation;

namespace Ciba.Application.Console.Users;

/// <summary>Rules shared by the user forms.</summary>
internal static class UserRules
{
    public const int MaxUserNameLength = 64;
    public const int MaxEmailLength = 256;
    public const int MaxDisplayNameLength = 100;
    public const int MaxPasswordLength = 256;

    public static IRuleBuilderOptions<T, string?> UserName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter a username.")
            .Must(name => name is null || name.Trim().Length <= MaxUserNameLength).WithMessage($"The username is at most {MaxUserNameLength} characters.")
            .Must(name => name is null || !name.Trim().Any(char.IsWhiteSpace)).WithMessage("A username has no spaces.");

    public static IRuleBuilderOptions<T, string?> OptionalEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(email => email is null || email.Trim().Length <= MaxEmailLength).WithMessage("The email address is too long.")
            .Must(email => string.IsNullOrWhiteSpace(email) || LooksLikeEmail(email.Trim())).WithMessage("Enter a valid email address, or leave it blank.");

    public static IRuleBuilderOptions<T, string?> OptionalMobile<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(mobile => string.IsNullOrWhiteSpace(mobile) || PhoneNumber.NormalizeToE164(mobile) is not null)
            .WithMessage("Enter a mobile number in international format, such as +15550100001, or leave it blank.");

    public static IRuleBuilderOptions<T, string?> OptionalDisplayName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(name => name is null || name.Trim().Length <= MaxDisplayNameLength).WithMessage($"The display name is at most {MaxDisplayNameLength} characters.");

    public static IRuleBuilderOptions<T, string?> NewPassword<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(password => !string.IsNullOrEmpty(password)).WithMessage("Enter a password.")
            .Must(password => password is null || password.Length <= MaxPasswordLength).WithMessage("The password is too long.")
            .Must(password => string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength || PasswordPolicy.IsStrongEnough(password))
            .WithMessage(PasswordPolicy.Description);

    public static UserProfile ToProfile(string userName, string? displayName, string? email, bool emailVerified, string? mobile, bool isAdministrator) =>
        new(
            userName.Trim(),
            string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(),
            string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
            !string.IsNullOrWhiteSpace(email) && emailVerified,
            PhoneNumber.NormalizeToE164(mobile),
            isAdministrator);

    private static bool LooksLikeEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1 && !email.Any(char.IsWhiteSpace);
    }
}
