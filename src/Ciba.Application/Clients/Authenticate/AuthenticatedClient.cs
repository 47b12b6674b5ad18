using Ciba.Domain.Applications;

namespace Ciba.Application.Clients.Authenticate;

/// <summary>A client whose secret has been verified, with what the protocol needs to know about it.</summary>
public sealed record AuthenticatedClient(
    Guid Id,
    Guid OrganizationId,
    string ClientId,
    string Name,
    bool AllowsCiba,
    CibaSettings CibaSettings);
