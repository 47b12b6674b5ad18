namespace Ciba.Application.Console.Organizations;

/// <summary>
/// Who may create organizations from the console, bound from <c>Ciba:SystemAdministrators</c>:
/// entries <c>org/username</c> name one administrator; <c>org/*</c> names every administrator of
/// that organization. Nobody, unless configured.
/// </summary>
public sealed class SystemAdministratorOptions
{
    public const string SectionName = "Ciba";

    public IList<string> SystemAdministrators { get; } = [];

    public bool Includes(string organizationHandle, string userName) =>
        SystemAdministrators.Any(entry =>
            string.Equals(entry, $"{organizationHandle}/*", StringComparison.Ordinal)
            || string.Equals(entry, $"{organizationHandle}/{userName}", StringComparison.OrdinalIgnoreCase));
}
