using System.ComponentModel.DataAnnotations;

namespace Ciba.Web.Accounts;

public sealed class SignInViewModel
{
    public string OrganizationName { get; set; } = string.Empty;

    [Display(Name = "Username or email")]
    public string? Login { get; set; }

    [DataType(DataType.Password)]
    public string? Password { get; set; }

    public string? ReturnUrl { get; set; }
}
