using System.Globalization;
using System.Security.Claims;
using System.Text;
using ContactCenter.Application.Audit;
using ContactCenter.Domain.Common;
using ContactCenter.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace ContactCenter.Web.Security;

public sealed record TwoFactorStatus(bool Enabled, int RecoveryCodesLeft);

public sealed record TwoFactorSetup(string SharedKey, string AuthenticatorUri, string QrCodeSvg);

public sealed record TwoFactorCode(string Code);

public sealed record RecoveryCodes(IReadOnlyList<string> Codes);

/// <summary>
/// TOTP enrolment of the signed-in staff user (ASP.NET Core Identity's authenticator key, RFC 6238 codes): a fresh key shown
/// as text and QR code, confirmed by one current code; recovery codes; switching off. Every change is audited. Used by the
/// account security page and by /api/v1/account/2fa.
/// </summary>
public sealed class TwoFactorEnrolment(UserManager<ApplicationUser> users, AuditLog audit)
{
    public const string Issuer = "ContactCenter";

    public async Task<Result<TwoFactorStatus>> StatusAsync(ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return NotSignedIn;
        }

        return new TwoFactorStatus(await users.GetTwoFactorEnabledAsync(user), await users.CountRecoveryCodesAsync(user));
    }

    public async Task<Result<TwoFactorSetup>> SetupAsync(ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return NotSignedIn;
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return Error.Conflict("2fa.on", "Two-factor sign-in is already on; switch it off first to enrol another device.");
        }

        // A fresh key each time: enrolment is complete only once a code from it is verified.
        await users.ResetAuthenticatorKeyAsync(user);
        var key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        var uri = AuthenticatorUri(user.Email ?? user.UserName ?? user.Id, key);
        return new TwoFactorSetup(FormatKey(key), uri, QrSvg(uri));
    }

    public async Task<Result<RecoveryCodes>> EnableAsync(ClaimsPrincipal principal, string? code, string? ip)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return NotSignedIn;
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Clean(code)))
        {
            return Error.Validation("2fa.code", "That code is not valid for the key; check the device's clock and try again.");
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? [];
        await audit.WriteAsync(AuditActors.From(principal, ip), AuditActions.TwoFactorEnabled, user.Id, null, CancellationToken.None);
        return new RecoveryCodes(codes.ToList());
    }

    public async Task<Result<RecoveryCodes>> NewRecoveryCodesAsync(ClaimsPrincipal principal, string? ip)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return NotSignedIn;
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return Error.Conflict("2fa.off", "Two-factor sign-in is not on.");
        }

        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? [];
        await audit.WriteAsync(AuditActors.From(principal, ip), AuditActions.RecoveryCodesGenerated, user.Id, null, CancellationToken.None);
        return new RecoveryCodes(codes.ToList());
    }

    public async Task<Result> DisableAsync(ClaimsPrincipal principal, string? ip)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return NotSignedIn;
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await audit.WriteAsync(AuditActors.From(principal, ip), AuditActions.TwoFactorDisabled, user.Id, null, CancellationToken.None);
        return Result.Success();
    }

    /// <summary>Codes as people type them: spaces and dashes ignored.</summary>
    public static string Clean(string? code) => (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    public static string AuthenticatorUri(string account, string key) =>
        string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Issuer}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Issuer}&digits=6");

    private static readonly Error NotSignedIn = new("unauthorized", "Sign in first.");

    private static string FormatKey(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }

    private static string QrSvg(string text)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCoder.QRCodeGenerator.ECCLevel.M);
        return new QRCoder.SvgQRCode(data).GetGraphic(4);
    }
}
