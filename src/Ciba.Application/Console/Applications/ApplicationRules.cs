using Ciba.Domain.Applications;
using FluentValidation;

namespace Ciba.Application.Console.Applications;

/// <summary>Rules shared by the application forms.</summary>
internal static class ApplicationRules
{
    public static IRuleBuilderOptions<T, string?> ApplicationName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter a name.")
            .Must(name => name is null || name.Trim().Length <= ClientApplication.MaxNameLength)
            .WithMessage($"The name is at most {ClientApplication.MaxNameLength} characters.");

    public static IRuleBuilderOptions<T, string?> ApplicationDescription<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(description => description is null || description.Trim().Length <= ClientApplication.MaxDescriptionLength)
            .WithMessage($"The description is at most {ClientApplication.MaxDescriptionLength} characters.");
}
