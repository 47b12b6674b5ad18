using Ciba.Application.Common.Results;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace Ciba.Application.Common.Behaviours;

/// <summary>
/// Runs every FluentValidation validator of a console request before its handler. Failures become a
/// failed <see cref="Result"/> / <see cref="Result{T}"/> with field errors (never an exception).
/// Protocol requests have no FluentValidation validators: their handlers validate after
/// authenticating the client (docs/decisions/0004-results-not-exceptions.md).
/// </summary>
public sealed class ValidationBehaviour<TRequest, TResponse> : IPipelineBehavior<TRequest, TResponse>
{
    private readonly IValidator<TRequest>[] _validators;

    public ValidationBehaviour(IEnumerable<IValidator<TRequest>> validators)
    {
        _validators = validators.ToArray();
    }

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (_validators.Length == 0)
        {
            return await next();
        }

        var context = new ValidationContext<TRequest>(request);
        List<ValidationFailure>? failures = null;
        foreach (var validator in _validators)
        {
            var result = await validator.ValidateAsync(context, cancellationToken);
            if (!result.IsValid)
            {
                (failures ??= []).AddRange(result.Errors);
            }
        }

        if (failures is null)
        {
            return await next();
        }

        var error = Error.Validation(failures.Select(f => new FieldError(f.PropertyName, f.ErrorMessage)).ToList());
        return FailureOf<TResponse>.Create(error, failures);
    }
}

internal static class FailureOf<TResponse>
{
    private static readonly Func<Error, TResponse>? Factory = BuildFactory();

    public static TResponse Create(Error error, IReadOnlyList<ValidationFailure> failures) =>
        Factory is not null ? Factory(error) : throw new ValidationException(failures);

    private static Func<Error, TResponse>? BuildFactory()
    {
        var factoryInterface = typeof(IFailureFactory<>).MakeGenericType(typeof(TResponse));
        if (!factoryInterface.IsAssignableFrom(typeof(TResponse)))
        {
            return null;
        }

        var method = typeof(FailureBuilder<>).MakeGenericType(typeof(TResponse)).GetMethod(nameof(FailureBuilder<Result>.Build))!;
        return method.CreateDelegate<Func<Error, TResponse>>();
    }
}

internal static class FailureBuilder<T>
    where T : IFailureFactory<T>
{
    public static T Build(Error error) => T.Failure(error);
}
