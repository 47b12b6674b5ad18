using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.RegenerateSecret;

/// <summary>Replaces an application's client secret; the old one stops working at once.</summary>
public sealed record RegenerateClientSecretCommand(Guid OrganizationId, Guid ApplicationId) : IRequest<Result<IssuedClientSecret>>;

internal sealed class RegenerateClientSecretHandler(IApplicationDbContext db, TimeProvider time)
    : IRequestHandler<RegenerateClientSecretCommand, Result<IssuedClientSecret>>
{
    public async Task<Result<IssuedClientSecret>> Handle(RegenerateClientSecretCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        var (secret, hash) = ClientCredentials.NewClientSecret();
        application.ReplaceSecret(hash, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedClientSecret(application.Id, application.Name, application.ClientId, secret);
    }
}
