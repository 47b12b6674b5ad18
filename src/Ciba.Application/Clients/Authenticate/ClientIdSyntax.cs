namespace Ciba.Application.Clients.Authenticate;

/// <summary>
/// RFC 6749 Appendix A.1: <c>client-id = *VSCHAR</c> (%x20-7E). Ciba's ids are at most 100 of them
/// (the column's length); anything else cannot name a client and is <c>invalid_client</c> without a query.
/// </summary>
public static class ClientIdSyntax
{
    public const int MaxLength = 100;

    public static bool IsValid(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId) || clientId.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in clientId)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
