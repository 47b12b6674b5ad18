using Ciba.Application.Common.Interfaces;
using MediatR;

namespace Ciba.Application.Common.Behaviours;

/// <summary>A query that only reads, so running it twice is harmless.</summary>
public interface IIdempotentRead;

/// <summary>Retries an <see cref="IIdempotentRead"/> once after a transient database failure (issue 10 item 4).</summary>
public sealed class IdempotentReadBehaviour<TRequest, TResponse>(IDatabaseFailures failures) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return request is IIdempotentRead ? failures.RetryReadOnceAsync(() => next()) : next();
    }
}
