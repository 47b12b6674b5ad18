namespace Ciba.Application.Console.Users;

/// <summary>
/// The password rules (ASP.NET Core Identity's defaults, with a longer minimum), checked in the
/// forms' one validation pass so that every error shows at once; Identity enforces the same.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;

    public const string Description = "A password needs at least 10 characters, with upper and lower case letters, a digit and a symbol.";

    public static bool IsStrongEnough(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return password.Length >= MinLength
            && password.Any(char.IsUpper)
            && password.Any(char.IsLower)
            && password.Any(char.IsDigit)
            && password.Any(c => !char.IsLetterOrDigit(c));
    }
}
