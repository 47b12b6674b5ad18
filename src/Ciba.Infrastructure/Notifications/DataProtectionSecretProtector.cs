using Ciba.Application.Common.Interfaces;
using Microsoft.AspNetCore.DataProtection;

namespace Ciba.Infrastructure.Notifications;

/// <summary>Protects provider secrets with ASP.NET Core Data Protection (keys in PostgreSQL).</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Ciba.Notifications.ProviderSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
