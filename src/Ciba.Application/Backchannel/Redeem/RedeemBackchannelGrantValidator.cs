using Ciba.Application.Common.Behaviours;
using Ciba.Application.Common.Results;
using FluentValidation;

namespace Ciba.Application.Backchannel.Redeem;

internal sealed class RedeemBackchannelGrantValidator : AbstractValidator<RedeemBackchannelGrantCommand>
{
    public RedeemBackchannelGrantValidator()
    {
        ClassLevelCascadeMode = CascadeMode.Stop;

        // RFC 6749 §5.2: the client may not use this grant type.
        RuleFor(c => c.Client.AllowsCiba)
            .Equal(true).WithProtocolError(OAuthErrorCodes.UnauthorizedClient, "The client is not allowed to use the CIBA grant.");

        RuleFor(c => c.AuthReqId)
            .NotEmpty().WithProtocolError(OAuthErrorCodes.InvalidRequest, "The auth_req_id parameter is required.");
    }
}
