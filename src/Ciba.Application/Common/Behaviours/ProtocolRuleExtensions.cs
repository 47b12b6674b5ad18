using Ciba.Application.Common.Results;
using FluentValidation;

namespace Ciba.Application.Common.Behaviours;

/// <summary>Marks a validation rule as a protocol rule answered with an OAuth error code (see <see cref="ProtocolError"/>).</summary>
public static class ProtocolRuleExtensions
{
    public static IRuleBuilderOptions<T, TProperty> WithProtocolError<T, TProperty>(
        this IRuleBuilderOptions<T, TProperty> rule, string oauthErrorCode, string description) =>
        rule.WithState(_ => ProtocolError.Instance).WithErrorCode(oauthErrorCode).WithMessage(description);
}
