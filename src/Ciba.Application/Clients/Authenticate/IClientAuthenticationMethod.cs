using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Applications;

namespace Ciba.Application.Clients.Authenticate;

/// <summary>One client authentication method (OpenID Connect Core §9): how its proof is checked.</summary>
internal interface IClientAuthenticationMethod
{
    ClientAuthenticationMethod Method { get; }

    /// <summary>Whether the presented proof is complete and well-formed enough to look the client up.</summary>
    bool IsComplete(ClientCredentials credentials);

    /// <summary>Whether the proof authenticates <paramref name="application"/>.</summary>
    ValueTask<bool> VerifyAsync(OrganizationSummary organization, ClientCredentials credentials, ClientApplication application, CancellationToken cancellationToken);
}
