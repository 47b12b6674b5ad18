namespace Ciba.Application.Console.Organizations;

/// <summary>
/// Who may create organizations from the console, bound from <c>Ciba:SystemAdministrators</c>:
/// an entry is a user id (a GUID, shown on the user's page in the console), which nobody can
/// rename; <c>org/*</c> names every administrator of that organization (for development: any of
/// its administrators can make more). Nobody, unless configured. User names are not accepted,
/// since an organization's own administrators can change them (issue 9 item 7).
/// </summary>
public sealed class SystemAdministratorOptions
{
    public const string SectionName = "Ciba";

    public IList<string> SystemAdministrators { get; } = [];

    public bool Includes(string organizationHandle, Guid userId) =>
        SystemAdministrators.Any(entry =>
            string.Equals(entry, $"{organizationHandle}/*", StringComparison.Ordinal)
            || (Guid.TryParse(entry, out var id) && id == userId));

    /// <summary>Entries that are neither a user id nor <c>org/*</c>, with what to write instead.</summary>
    public IEnumerable<string> Validate() =>
        SystemAdministrators
            .Where(entry => !Guid.TryParse(entry, out _) && !(entry.EndsWith("/*", StringComparison.Ordinal) && entry.Length > 2 && !entry[..^2].Contains('/', StringComparison.Ordinal)))
            .Select(entry => $"Ciba:SystemAdministrators entry '{entry}' is neither a user id (a GUID, shown on the user's page in the console) nor 'org/*'; user names are not accepted.");
}
