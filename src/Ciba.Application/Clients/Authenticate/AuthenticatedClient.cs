using Ciba.Domain.Applications;

namespace Ciba.Application.Clients.Authenticate;

/// <summary>A client whose credentials have been verified, with what the protocol needs to know about it.</summary>
public sealed record AuthenticatedClient(
    Guid Id,
    Guid OrganizationId,
    string ClientId,
    string Name,
    bool AllowsCiba,
    CibaSettings CibaSettings,
    bool RequireSignedRequests = false)
{
    /// <summary>The algorithm of the client's ID tokens (product.md §10, ADR 0023).</summary>
    public string IdTokenSigningAlgorithm { get; init; } = SigningAlgorithms.Default;

    public static AuthenticatedClient Of(ClientApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return new AuthenticatedClient(
            application.Id, application.OrganizationId, application.ClientId, application.Name, application.AllowsCiba, application.CibaSettings, application.RequireSignedRequests)
        {
            IdTokenSigningAlgorithm = application.IdTokenSigningAlgorithm,
        };
    }
}
