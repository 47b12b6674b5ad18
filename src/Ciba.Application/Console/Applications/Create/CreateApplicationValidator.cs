using FluentValidation;

namespace Ciba.Application.Console.Applications.Create;

internal sealed class CreateApplicationValidator : AbstractValidator<CreateApplicationCommand>
{
    public CreateApplicationValidator()
    {
        RuleFor(c => c.Name).ApplicationName();
        RuleFor(c => c.Description).ApplicationDescription();
    }
}
