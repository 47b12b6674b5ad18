namespace Ciba.Infrastructure.Identity;

public static class Roles
{
    public const string Administrator = "Administrator";
}
