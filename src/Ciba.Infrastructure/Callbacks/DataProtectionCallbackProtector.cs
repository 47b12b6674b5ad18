using System.Text.Json;
using Ciba.Application.Callbacks;
using Microsoft.AspNetCore.DataProtection;

namespace Ciba.Infrastructure.Callbacks;

/// <summary>Protects callback details (the notification token, the <c>auth_req_id</c>, pushed tokens) with Data Protection, like outbox content.</summary>
public sealed class DataProtectionCallbackProtector(IDataProtectionProvider provider) : ICallbackProtector
{
    private readonly IDataProtector _registrations = provider.CreateProtector("Ciba.Callbacks.Registration.v1");
    private readonly IDataProtector _contents = provider.CreateProtector("Ciba.Callbacks.Content.v1");

    public string Protect(CallbackRegistration registration) => _registrations.Protect(JsonSerializer.Serialize(registration));

    public CallbackRegistration UnprotectRegistration(string protectedRegistration) =>
        JsonSerializer.Deserialize<CallbackRegistration>(_registrations.Unprotect(protectedRegistration))
        ?? throw new InvalidOperationException("Empty callback registration.");

    public string Protect(CallbackContent content) => _contents.Protect(JsonSerializer.Serialize(content));

    public CallbackContent UnprotectContent(string protectedContent) =>
        JsonSerializer.Deserialize<CallbackContent>(_contents.Unprotect(protectedContent))
        ?? throw new InvalidOperationException("Empty callback content.");
}
