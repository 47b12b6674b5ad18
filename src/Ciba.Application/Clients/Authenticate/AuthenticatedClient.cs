using Ciba.Domain.Applications;

namespace Ciba.Application.Clients.Authenticate;

/// <summary>A client whose credentials have been verified, with what the protocol needs to know about it.</summary>
public sealed record AuthenticatedClient(
    Guid Id,
    Guid OrganizationId,
    string ClientId,
    string Name,
    bool AllowsCiba,
    CibaSettings CibaSettings)
{
    public static AuthenticatedClient Of(ClientApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return new AuthenticatedClient(
            application.Id, application.OrganizationId, application.ClientId, application.Name, application.AllowsCiba, application.CibaSettings);
    }
}
