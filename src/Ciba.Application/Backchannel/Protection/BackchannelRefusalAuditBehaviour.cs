using Ciba.Application.Audit;
using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Common.Results;
using Ciba.Domain.Audit;
using MediatR;

namespace Ciba.Application.Backchannel.Protection;

/// <summary>product.md §14: every refused backchannel request is audited with its error (the accepted ones are audited by the handler, in its transaction).</summary>
internal sealed class BackchannelRefusalAuditBehaviour(IAuditTrail audit)
    : IPipelineBehavior<InitiateBackchannelAuthenticationCommand, Result<BackchannelAuthenticationResponse>>
{
    public async Task<Result<BackchannelAuthenticationResponse>> Handle(
        InitiateBackchannelAuthenticationCommand request,
        CancellationToken cancellationToken,
        RequestHandlerDelegate<Result<BackchannelAuthenticationResponse>> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var result = await next();
        if (!result.IsSuccess)
        {
            await audit.RecordNowAsync(
                new AuditRecord(
                    request.Organization.Id,
                    AuditActions.BackchannelRefused,
                    AuditOutcome.Refused,
                    AuditActorKind.Client,
                    request.Credentials.ClientId,
                    Detail: result.Error.Code + ": " + result.Error.Description),
                CancellationToken.None);
        }

        return result;
    }
}
