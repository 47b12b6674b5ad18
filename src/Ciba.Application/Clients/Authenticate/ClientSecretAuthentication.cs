using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;

namespace Ciba.Application.Clients.Authenticate;

/// <summary>A shared secret compared with the application's stored hash (RFC 6749 §2.3.1).</summary>
internal abstract class ClientSecretAuthentication : IClientAuthenticationMethod
{
    public abstract ClientAuthenticationMethod Method { get; }

    public bool IsComplete(ClientCredentials credentials) =>
        !string.IsNullOrEmpty(credentials.ClientSecret) && !ControlCharacters.Contains(credentials.ClientSecret);

    public ValueTask<bool> VerifyAsync(OrganizationSummary organization, ClientCredentials credentials, ClientApplication application, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SecretHashing.VerifyClientSecret(credentials.ClientSecret!, application.ClientSecretHash));
}

/// <summary><c>client_secret_basic</c>: the id and secret in the Authorization header.</summary>
internal sealed class ClientSecretBasicAuthentication : ClientSecretAuthentication
{
    public override ClientAuthenticationMethod Method => ClientAuthenticationMethod.ClientSecretBasic;
}

/// <summary><c>client_secret_post</c>: the id and secret in the form.</summary>
internal sealed class ClientSecretPostAuthentication : ClientSecretAuthentication
{
    public override ClientAuthenticationMethod Method => ClientAuthenticationMethod.ClientSecretPost;
}
