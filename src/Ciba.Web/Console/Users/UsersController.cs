using Ciba.Application.Common.Paging;
using Ciba.Application.Console.Users.Create;
using Ciba.Application.Console.Users.Get;
using Ciba.Application.Console.Users.Lock;
using Ciba.Application.Console.Users.ResetPassword;
using Ciba.Application.Console.Users.Search;
using Ciba.Application.Console.Users.Update;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Users;

/// <summary>Users: search, create, edit, reset password, lock and unlock.</summary>
[Route("t/{org}/console/users")]
public sealed class UsersController(IMediator mediator) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? search, string? after, string? before, CancellationToken cancellationToken = default)
    {
        var users = await mediator.Send(new SearchUsersQuery(Organization.Id, search, PageRequest.From(after, before)), cancellationToken);
        var listUrl = ConsolePath("users") + (string.IsNullOrWhiteSpace(search) ? string.Empty : "?search=" + Uri.EscapeDataString(search));
        return View(new UserListViewModel { Search = search, Users = users.Items, Pager = Pager.For(users, listUrl) });
    }

    [HttpGet("new")]
    public IActionResult New() => View(new UserFormViewModel());

    [HttpPost("new")]
    public async Task<IActionResult> New([FromForm] UserFormViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(
            new CreateUserCommand(Organization.Id, form.UserName, form.DisplayName, form.Email, form.EmailVerified, form.Mobile, form.Password, form.IsAdministrator),
            cancellationToken);
        if (!result.IsSuccess)
        {
            ShowErrors(result.Error);
            form.Password = null;
            return View(form);
        }

        Flash($"{form.UserName!.Trim()} was created.");
        return Redirect(ConsolePath($"users/{result.Value}"));
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var user = await mediator.Send(new GetUserQuery(Organization.Id, id), cancellationToken);
        return user.IsSuccess ? View(UserFormViewModel.From(user.Value)) : NotFound();
    }

    [HttpPost("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, [FromForm] UserFormViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(
            new UpdateUserCommand(Organization.Id, id, Administrator.UserId, form.UserName, form.DisplayName, form.Email, form.EmailVerified, form.Mobile, form.IsAdministrator),
            cancellationToken);
        if (result.IsSuccess)
        {
            Flash("Saved.");
            return Redirect(ConsolePath($"users/{id}"));
        }

        return await ShowUserAgainAsync(id, form, result.Error, cancellationToken);
    }

    [HttpPost("{id:guid}/password")]
    public async Task<IActionResult> ResetPassword(Guid id, [FromForm] ResetPasswordViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new ResetUserPasswordCommand(Organization.Id, id, form.Password), cancellationToken);
        if (result.IsSuccess)
        {
            Flash("The password was changed.");
            return Redirect(ConsolePath($"users/{id}"));
        }

        return await ShowUserAgainAsync(id, null, result.Error, cancellationToken);
    }

    [HttpPost("{id:guid}/lock")]
    public Task<IActionResult> Lock(Guid id, CancellationToken cancellationToken) => SetLockAsync(id, locked: true, cancellationToken);

    [HttpPost("{id:guid}/unlock")]
    public Task<IActionResult> Unlock(Guid id, CancellationToken cancellationToken) => SetLockAsync(id, locked: false, cancellationToken);

    private async Task<IActionResult> SetLockAsync(Guid id, bool locked, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new SetUserLockCommand(Organization.Id, id, Administrator.UserId, locked), cancellationToken);
        if (result.IsSuccess)
        {
            Flash(locked ? "The user is locked out until unlocked." : "The user is unlocked.");
            return Redirect(ConsolePath($"users/{id}"));
        }

        return await ShowUserAgainAsync(id, null, result.Error, cancellationToken);
    }

    private async Task<IActionResult> ShowUserAgainAsync(Guid id, UserFormViewModel? form, Application.Common.Results.Error error, CancellationToken cancellationToken)
    {
        if (NotFoundIf(error) is { } notFound)
        {
            return notFound;
        }

        var user = await mediator.Send(new GetUserQuery(Organization.Id, id), cancellationToken);
        if (!user.IsSuccess)
        {
            return NotFound();
        }

        ShowErrors(error);
        if (form is null)
        {
            form = UserFormViewModel.From(user.Value);
        }
        else
        {
            form.User = user.Value;
        }

        return View(nameof(Edit), form);
    }
}
