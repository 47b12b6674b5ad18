using System.Security.Cryptography;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Results;
using Ciba.Application.Console.Organizations.Bootstrap;
using Ciba.Application.Console.Organizations.Create;
using MediatR;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Hosting;

/// <summary>
/// The operator's commands of <c>Ciba.Web.dll</c> (product.md §15); without one, the web server runs.
/// <list type="bullet">
/// <item><c>migrate</c>: applies pending migrations and exits.</item>
/// <item><c>bootstrap --org acme [--org-name "Acme"] --admin-user alice --admin-email alice@acme.example</c>:
/// migrates, then creates the first organization and its administrator. The password comes from
/// <c>CIBA_BOOTSTRAP_ADMIN_PASSWORD</c>, or is generated and printed once. Running it again changes
/// nothing; an existing organization without that administrator is refused.</item>
/// </list>
/// Exit codes: 0 done (or already in place), 1 refused (the organization exists), 2 bad arguments or values.
/// </summary>
public static class OperatorCommands
{
    public const string PasswordVariable = "CIBA_BOOTSTRAP_ADMIN_PASSWORD";
    public const int Done = 0;
    public const int Refused = 1;
    public const int Invalid = 2;

    private const string Usage =
        "Usage: Ciba.Web.dll bootstrap --org <handle> --admin-user <username> --admin-email <email> [--org-name <name>]\n" +
        $"       (the password is read from {PasswordVariable}, or generated and printed once)\n" +
        "       Ciba.Web.dll migrate";

    private static readonly string[] BootstrapOptions = ["--org", "--org-name", "--admin-user", "--admin-email"];

    public static bool IsCommand(string[] args) =>
        args is { Length: > 0 } && args[0] is "bootstrap" or "migrate";

    /// <param name="migrate">Applies the migrations (composition supplies it: the web layer knows no EF Core).</param>
    public static async Task<int> RunAsync(
        string[] args, IServiceProvider services, Func<CancellationToken, Task> migrate, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(migrate);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args[0] == "migrate")
        {
            if (args.Length > 1)
            {
                await error.WriteLineAsync(Usage);
                return Invalid;
            }

            await migrate(cancellationToken);
            await output.WriteLineAsync("The database is migrated.");
            return Done;
        }

        var (options, problem) = ReadOptions(args.AsSpan(1));
        if (options is null)
        {
            await error.WriteLineAsync(problem);
            await error.WriteLineAsync(Usage);
            return Invalid;
        }

        var given = Environment.GetEnvironmentVariable(PasswordVariable);
        if (given is { Length: 0 })
        {
            await error.WriteLineAsync($"{PasswordVariable} is set but empty.");
            return Invalid;
        }

        var password = given ?? GeneratePassword();
        var organization = new CreateOrganizationCommand(
            options["--org"], options.GetValueOrDefault("--org-name") ?? options["--org"], options["--admin-user"], options["--admin-email"], password);

        await migrate(cancellationToken);
        Result<BootstrapOutcome> result;
        await using (var scope = services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new BootstrapOrganizationCommand(organization), cancellationToken);
        }

        var handle = organization.Handle!.Trim();
        var userName = organization.AdminUserName!.Trim();
        var console = services.GetRequiredService<IOptions<CibaOptions>>().Value.OrganizationBaseUrl(handle) + "/console";
        if (!result.IsSuccess)
        {
            return await ReportFailureAsync(result.Error, error);
        }

        if (result.Value == BootstrapOutcome.AlreadyInPlace)
        {
            await output.WriteLineAsync($"The organization '{handle}' and its administrator '{userName}' are already in place; nothing was changed.");
            await output.WriteLineAsync($"Console: {console}");
            return Done;
        }

        await output.WriteLineAsync($"Created the organization '{handle}' and its administrator '{userName}'.");
        if (given is null)
        {
            await output.WriteLineAsync($"One-time password for '{userName}' (shown only now; set your own under Users after signing in): {password}");
        }

        await output.WriteLineAsync($"Console: {console}");
        return Done;
    }

    private static async Task<int> ReportFailureAsync(Error failure, TextWriter error)
    {
        if (failure.Code == ErrorCodes.Conflict)
        {
            await error.WriteLineAsync(failure.Description);
            return Refused;
        }

        foreach (var field in failure.Fields)
        {
            await error.WriteLineAsync($"{OptionOf(field.Field)}: {field.Message}");
        }

        if (failure.Fields.Count == 0)
        {
            await error.WriteLineAsync(failure.Description);
        }

        // A handle taken between the check and the insert (another bootstrap at the same moment) is a refusal too.
        return failure.Fields.Any(f => OptionOf(f.Field) == "--org" && f.Message.Contains("taken", StringComparison.Ordinal)) ? Refused : Invalid;
    }

    private static (Dictionary<string, string>? Options, string Problem) ReadOptions(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i];
            if (!BootstrapOptions.Contains(name, StringComparer.Ordinal))
            {
                return (null, $"Unknown option '{Printable(name)}'.");
            }

            if (i + 1 >= args.Length)
            {
                return (null, $"{name} needs a value.");
            }

            if (!options.TryAdd(name, args[i + 1]))
            {
                return (null, $"{name} is given twice.");
            }
        }

        foreach (var required in new[] { "--org", "--admin-user", "--admin-email" })
        {
            if (!options.ContainsKey(required))
            {
                return (null, $"{required} is required.");
            }
        }

        return (options, string.Empty);
    }

    private static string OptionOf(string field) => field[(field.LastIndexOf('.') + 1)..] switch
    {
        nameof(CreateOrganizationCommand.Handle) => "--org",
        nameof(CreateOrganizationCommand.Name) => "--org-name",
        nameof(CreateOrganizationCommand.AdminUserName) => "--admin-user",
        nameof(CreateOrganizationCommand.AdminEmail) => "--admin-email",
        nameof(CreateOrganizationCommand.AdminPassword) => PasswordVariable,
        var other => other,
    };

    /// <summary>24 random letters and digits in four groups: about 140 bits, and every character class Identity asks for.</summary>
    private static string GeneratePassword()
    {
        const string letters = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        while (true)
        {
            var groups = Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(letters, 6));
            var password = string.Join('-', groups);
            if (password.Any(char.IsAsciiLetterLower) && password.Any(char.IsAsciiLetterUpper) && password.Any(char.IsAsciiDigit))
            {
                return password;
            }
        }
    }

    private static string Printable(string value) => new(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
