using Ciba.Application.Common.Results;
using Ciba.Domain.Users;
using MediatR;

namespace Ciba.Application.Accounts.UserCodes;

/// <summary>The signed-in person sets or changes their user code (product.md §12) on their account page.</summary>
public sealed record SetUserCodeCommand(Guid OrganizationId, Guid UserId, string? Code, string? ConfirmCode) : IRequest<Result>;

/// <summary>Whether the person has a user code (never the code itself).</summary>
public sealed record HasUserCodeQuery(Guid OrganizationId, Guid UserId) : IRequest<bool>;

/// <summary>An administrator clears a person's user code (product.md §12); audited as a console change.</summary>
public sealed record ClearUserCodeCommand(Guid OrganizationId, Guid UserId) : IRequest<Result>;

internal sealed class SetUserCodeHandler(IUserCodes codes, TimeProvider time) : IRequestHandler<SetUserCodeCommand, Result>
{
    public async Task<Result> Handle(SetUserCodeCommand request, CancellationToken cancellationToken)
    {
        // GOV.UK pattern: every problem at once.
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(request.Code))
        {
            errors.Add(new FieldError("Code", "Enter a user code"));
        }
        else if (!UserCode.IsValidFormat(request.Code))
        {
            errors.Add(new FieldError("Code", $"User code must be {UserCode.MinLength} to {UserCode.MaxLength} digits, 0 to 9 only"));
        }

        if (string.IsNullOrEmpty(request.ConfirmCode))
        {
            errors.Add(new FieldError("ConfirmCode", "Enter your user code again"));
        }
        else if (!string.IsNullOrEmpty(request.Code) && !string.Equals(request.Code, request.ConfirmCode, StringComparison.Ordinal))
        {
            errors.Add(new FieldError("ConfirmCode", "The two user codes do not match"));
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        await codes.SetAsync(request.OrganizationId, request.UserId, request.Code!, time.GetUtcNow(), cancellationToken);
        return Result.Success;
    }
}

internal sealed class HasUserCodeHandler(IUserCodes codes) : IRequestHandler<HasUserCodeQuery, bool>
{
    public Task<bool> Handle(HasUserCodeQuery request, CancellationToken cancellationToken) =>
        codes.HasCodeAsync(request.OrganizationId, request.UserId, cancellationToken);
}

internal sealed class ClearUserCodeHandler(IUserCodes codes) : IRequestHandler<ClearUserCodeCommand, Result>
{
    public async Task<Result> Handle(ClearUserCodeCommand request, CancellationToken cancellationToken) =>
        await codes.ClearAsync(request.OrganizationId, request.UserId, cancellationToken)
            ? Result.Success
            : Error.NotFound("The user code");
}
