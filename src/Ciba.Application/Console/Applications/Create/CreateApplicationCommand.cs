using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;
using MediatR;

namespace Ciba.Application.Console.Applications.Create;

/// <summary>
/// Registers an application with a generated client id and secret. It starts with the CIBA grant
/// and the default CIBA settings, so it can make a backchannel request at once.
/// </summary>
public sealed record CreateApplicationCommand(Guid OrganizationId, string? Name, string? Description) : IRequest<Result<IssuedClientSecret>>;

internal sealed class CreateApplicationHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<CreateApplicationCommand, Result<IssuedClientSecret>>
{
    public async Task<Result<IssuedClientSecret>> Handle(CreateApplicationCommand request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (secret, hash) = ClientCredentials.NewClientSecret();
        var application = ClientApplication.Create(
            request.OrganizationId, request.Name!, ClientCredentials.NewClientId(), hash, [GrantTypes.Ciba], CibaSettings.Default, now);
        application.UpdateGeneral(request.Name!, request.Description, now);
        db.Applications.Add(application);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedClientSecret(application.Id, application.Name, application.ClientId, secret);
    }
}
