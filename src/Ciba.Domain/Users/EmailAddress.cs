namespace Ciba.Domain.Users;

/// <summary>Email addresses as shown in logs and on screens.</summary>
public static class EmailAddress
{
    /// <summary>Keeps the first character of the local part and the domain: <c>a•••@demo.test</c>.</summary>
    public static string Mask(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return string.Empty;
        }

        var at = address.LastIndexOf('@');
        if (at <= 0)
        {
            return "•••";
        }

        return string.Concat(address.AsSpan(0, 1), "•••", address.AsSpan(at));
    }
}
