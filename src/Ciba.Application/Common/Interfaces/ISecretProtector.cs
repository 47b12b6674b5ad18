namespace Ciba.Application.Common.Interfaces;

/// <summary>Encrypts secrets admins enter (provider API keys) for storage, and decrypts them only to use them.</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}
