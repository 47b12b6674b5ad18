using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.UpdateProtocol;

/// <summary>
/// The Protocol tab: allowed grant types and, when CIBA is among them, the CIBA settings. The
/// numbers arrive as typed, so that anything a form can send is answered with a field error.
/// Without the CIBA grant the stored CIBA settings are kept as they are.
/// </summary>
/// <param name="Channels">Names of <see cref="NotificationChannels"/> (Email, Sms, External).</param>
public sealed record UpdateApplicationProtocolCommand(
    Guid OrganizationId,
    Guid ApplicationId,
    IReadOnlyList<string> GrantTypes,
    string? ExpirySeconds,
    IReadOnlyList<string> Channels,
    string? PollingIntervalSeconds) : IRequest<Result>
{
    public bool AllowsCiba => GrantTypes.Contains(Domain.Applications.GrantTypes.Ciba, StringComparer.Ordinal);
}

internal sealed class UpdateApplicationProtocolHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<UpdateApplicationProtocolCommand, Result>
{
    public async Task<Result> Handle(UpdateApplicationProtocolCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        var settings = request.AllowsCiba
            ? CibaSettings.Create(
                ProtocolValues.ParseSeconds(request.ExpirySeconds)!.Value,
                ProtocolValues.ParseChannels(request.Channels)!.Value,
                ProtocolValues.ParseSeconds(request.PollingIntervalSeconds)!.Value)
            : application.CibaSettings;
        application.UpdateProtocol(request.GrantTypes, settings, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
