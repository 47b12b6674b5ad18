using System.Net;
using Ciba.Application.Notifications;

namespace Ciba.Infrastructure.Notifications.Templates;

public sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>Every email Ciba sends (product.md §4): application name, binding message, link as a button and as text, expiry.</summary>
public static class EmailTemplate
{
    public static RenderedEmail Render(NotificationDelivery delivery, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Content.Notice is not null)
        {
            return RenderNotice(delivery.Content);
        }

        return delivery.IsTest ? RenderTest(delivery.Content) : RenderSignIn(delivery.Content, now);
    }

    /// <summary>A notice to the organization's administrators (product.md §14 "this wasn't me"): what happened and a link to the console's Reports page.</summary>
    private static RenderedEmail RenderNotice(NotificationContent content)
    {
        var app = SingleLine(content.ApplicationName);
        var notice = content.Notice!;
        var subject = $"Reported: a sign-in request from {app}";
        var text = $"{notice}\n\nReview the report and, if needed, end the cooldown:\n{content.Link}";
        var href = Encode(content.Link);
        var html = string.Join('\n',
            "<!DOCTYPE html>",
            "<html><body style=\"font-family:sans-serif;line-height:1.5;color:#1a1a1a\">",
            $"<p>{Encode(notice)}</p>",
            $"<p><a href=\"{href}\">Review the report</a></p>",
            "</body></html>");
        return new RenderedEmail(subject, html, text);
    }

    private static RenderedEmail RenderSignIn(NotificationContent content, DateTimeOffset now)
    {
        var app = SingleLine(content.ApplicationName);
        var expiry = ExpiryWording.ExpiresIn(content.ExpiresAt, now);
        var subject = $"Sign-in request from {app}";

        var text = new List<string> { $"{app} is asking you to sign in.", string.Empty };
        if (!string.IsNullOrEmpty(content.BindingMessage))
        {
            text.Add($"Code: {content.BindingMessage}");
            text.Add("Check that it matches the code on your other device.");
            text.Add(string.Empty);
        }

        text.Add("Open this link to approve or deny the request:");
        text.Add(content.Link);
        text.Add(string.Empty);
        text.Add($"The request {expiry}. If you did not try to sign in, deny it or ignore this message.");

        var html = new List<string>
        {
            "<!DOCTYPE html>",
            "<html><body style=\"font-family:sans-serif;line-height:1.5;color:#1a1a1a\">",
            $"<p><strong>{Encode(app)}</strong> is asking you to sign in.</p>",
        };
        if (!string.IsNullOrEmpty(content.BindingMessage))
        {
            html.Add($"<p style=\"font-size:1.5em;font-weight:bold\">{Encode(content.BindingMessage)}</p>");
            html.Add("<p>Check that it matches the code on your other device.</p>");
        }

        var href = Encode(content.Link);
        html.Add($"<p><a href=\"{href}\" style=\"display:inline-block;padding:12px 20px;background:#1f5fbf;color:#ffffff;text-decoration:none;border-radius:4px\">Review the request</a></p>");
        html.Add($"<p>Or open this link: <a href=\"{href}\">{href}</a></p>");
        html.Add($"<p>The request {Encode(expiry)}. If you did not try to sign in, deny it or ignore this message.</p>");
        html.Add("</body></html>");

        return new RenderedEmail(subject, string.Join('\n', html), string.Join('\n', text));
    }

    private static RenderedEmail RenderTest(NotificationContent content)
    {
        var organization = SingleLine(content.ApplicationName);
        var subject = $"Test message from {organization}";
        var text = $"This is a test message from the Ciba console of {organization}. Email delivery works.\n\n{content.Link}";
        var href = Encode(content.Link);
        var html = string.Join('\n',
            "<!DOCTYPE html>",
            "<html><body style=\"font-family:sans-serif;line-height:1.5;color:#1a1a1a\">",
            $"<p>This is a test message from the Ciba console of <strong>{Encode(organization)}</strong>. Email delivery works.</p>",
            $"<p><a href=\"{href}\">{href}</a></p>",
            "</body></html>");
        return new RenderedEmail(subject, html, text);
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    // Names come from admins; a subject line must stay one line.
    private static string SingleLine(string value) => value.ReplaceLineEndings(" ").Trim();
}
