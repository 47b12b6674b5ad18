using System.Security.Cryptography;
using Ciba.Application.Common.Security;

namespace Ciba.Application.Console.Applications;

/// <summary>Generates client ids (readable, unique enough to be public) and client secrets (32 random bytes).</summary>
internal static class ClientCredentials
{
    public const int ClientIdLength = 24;

    private const string ClientIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewClientId() => RandomNumberGenerator.GetString(ClientIdAlphabet, ClientIdLength);

    public static (string Secret, string Hash) NewClientSecret()
    {
        var secret = RandomTokens.Create();
        return (secret, SecretHashing.HashClientSecret(secret));
    }
}
