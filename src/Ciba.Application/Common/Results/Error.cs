namespace Ciba.Application.Common.Results;

/// <summary>A failure a caller is expected to handle: an OAuth error code or a form's field errors.</summary>
/// <param name="Code">An <see cref="OAuthErrorCodes"/> value for protocol errors, or <see cref="ErrorCodes"/> for console errors.</param>
/// <param name="Description">Human-readable text; for OAuth errors printable ASCII without quotes or backslashes.</param>
/// <param name="Fields">Per-field messages for forms (property name → message); empty for protocol errors.</param>
public sealed record Error(string Code, string Description, IReadOnlyList<FieldError> Fields)
{
    public Error(string code, string description)
        : this(code, description, [])
    {
    }

    public static Error Validation(IReadOnlyList<FieldError> fields) =>
        new(ErrorCodes.Validation, "The submitted values are not valid.", fields);

    public static Error NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found.");

    public static Error Forbidden(string description) => new(ErrorCodes.Forbidden, description);
}

public sealed record FieldError(string Field, string Message);
