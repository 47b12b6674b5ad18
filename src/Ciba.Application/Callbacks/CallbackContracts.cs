using Ciba.Domain.Applications;

namespace Ciba.Application.Callbacks;

/// <summary>
/// What a ping or push callback needs, kept encrypted on the auth request until it ends (product.md
/// §11): the raw <c>auth_req_id</c> (only its hash is stored otherwise), the client's
/// <c>client_notification_token</c> as received, and the endpoint when the request was made.
/// </summary>
public sealed record CallbackRegistration(TokenDeliveryMode Mode, string Endpoint, string NotificationToken, string AuthReqId, string ClientId);

/// <summary>One callback as the outbox keeps it (encrypted): where, the bearer token to echo, and the JSON body.</summary>
public sealed record CallbackContent(string Endpoint, string NotificationToken, string Body);

/// <summary>Encrypts callback details at rest, like the rest of the outbox content.</summary>
public interface ICallbackProtector
{
    string Protect(CallbackRegistration registration);

    CallbackRegistration UnprotectRegistration(string protectedRegistration);

    string Protect(CallbackContent content);

    CallbackContent UnprotectContent(string protectedContent);
}

/// <summary>The environment's rules for a notification endpoint (plain http only in Development or to an address the operator allowed).</summary>
public interface ICallbackEndpointPolicy
{
    /// <summary>Why <paramref name="endpoint"/> cannot be a client notification endpoint, or null when it can.</summary>
    string? RefusalFor(string? endpoint);
}
