using Ciba.Application.Console.Users;

namespace Ciba.Web.Console.Users;

public sealed class UserListViewModel
{
    public string? Search { get; init; }

    public required IReadOnlyList<UserListItem> Users { get; init; }

    public required Pager Pager { get; init; }
}

/// <summary>The create and edit forms (Password only on create).</summary>
public sealed class UserFormViewModel
{
    public UserDetails? User { get; set; }

    public string? UserName { get; set; }

    public string? DisplayName { get; set; }

    public string? Email { get; set; }

    public bool EmailVerified { get; set; }

    public string? Mobile { get; set; }

    public string? Password { get; set; }

    public bool IsAdministrator { get; set; }

    public static UserFormViewModel From(UserDetails user) => new()
    {
        User = user,
        UserName = user.UserName,
        DisplayName = user.DisplayName,
        Email = user.Email,
        EmailVerified = user.EmailVerified,
        Mobile = user.Mobile,
        IsAdministrator = user.IsAdministrator,
    };
}

public sealed class ResetPasswordViewModel
{
    public string? Password { get; set; }
}
