using Ciba.Application.Common.Results;
using MediatR;

namespace Ciba.Application.Console.Users.Get;

/// <summary>One user of the organization; another organization's user is not found.</summary>
public sealed record GetUserQuery(Guid OrganizationId, Guid UserId) : IRequest<Result<UserDetails>>;

internal sealed class GetUserHandler(IUserAdministration users) : IRequestHandler<GetUserQuery, Result<UserDetails>>
{
    public async Task<Result<UserDetails>> Handle(GetUserQuery request, CancellationToken cancellationToken) =>
        await users.FindAsync(request.OrganizationId, request.UserId, cancellationToken) is { } user
            ? user
            : Error.NotFound("The user");
}
