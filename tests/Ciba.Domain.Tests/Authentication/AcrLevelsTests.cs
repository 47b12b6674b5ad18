using Ciba.Domain.Applications;
using Ciba.Domain.Authentication;
using Ciba.Domain.Backchannel;

namespace Ciba.Domain.Tests.Authentication;

public class AcrLevelsTests
{
    private static readonly AvailableFactors PasswordOnly = new(Password: true, AuthenticatorApp: false, Passkey: false);
    private static readonly AvailableFactors WithApp = new(Password: true, AuthenticatorApp: true, Passkey: false);
    private static readonly AvailableFactors WithPasskey = new(Password: true, AuthenticatorApp: false, Passkey: true);

    [Theory]
    [InlineData("pwd", AcrLevels.Password)]
    [InlineData("pwd otp", AcrLevels.MultiFactor)]
    [InlineData("otp pwd", AcrLevels.MultiFactor)]
    [InlineData("hwk", AcrLevels.PhishingResistant)]
    [InlineData("swk", AcrLevels.PhishingResistant)]
    [InlineData("pwd otp hwk", AcrLevels.PhishingResistant)]
    [InlineData("otp", null)]
    [InlineData("", null)]
    public void Achieved_FromTheMethodsUsed_IsTheStrongestLevelTheyReach(string amr, string? expected) =>
        Assert.Equal(expected, AcrLevels.Achieved(amr.Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    [Theory]
    [InlineData(AcrLevels.Password, AcrLevels.Password, true)]
    [InlineData(AcrLevels.Password, AcrLevels.MultiFactor, false)]
    [InlineData(AcrLevels.MultiFactor, AcrLevels.Password, true)]
    [InlineData(AcrLevels.MultiFactor, AcrLevels.PhishingResistant, false)]
    [InlineData(AcrLevels.PhishingResistant, AcrLevels.MultiFactor, true)]
    [InlineData(null, AcrLevels.Password, false)]
    [InlineData(null, null, true)]
    [InlineData(AcrLevels.Password, "urn:unknown", true)]
    public void Meets_ALevel_IsMetByItselfAndEveryStrongerOne(string? achieved, string? required, bool meets) =>
        Assert.Equal(meets, AcrLevels.Meets(achieved, required));

    [Theory]
    [InlineData(null, "")]
    [InlineData("   ", "")]
    [InlineData("urn:other garbage%% 0", "")]
    [InlineData("urn:ciba:acr:phr urn:ciba:acr:mfa", "urn:ciba:acr:phr urn:ciba:acr:mfa")]
    [InlineData("x  urn:ciba:acr:mfa urn:ciba:acr:mfa URN:CIBA:ACR:PWD", "urn:ciba:acr:mfa")]
    public void ParseRequested_KeepsSupportedValuesInOrderOnceEach(string? acrValues, string expected) =>
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), AcrLevels.ParseRequested(acrValues));

    [Fact]
    public void StepUp_PasswordSessionAskedForMfa_WithAnApp_AsksForTheCode()
    {
        var decision = StepUp.Decide(["pwd"], null, [AcrLevels.MultiFactor], WithApp);

        Assert.Equal(new StepUpDecision(StepUpOutcome.AskForFactor, AcrLevels.MultiFactor), decision);
    }

    [Fact]
    public void StepUp_RequestAsksForMfa_WithoutAnySecondFactor_ProceedsAtTheLevelAchieved()
    {
        var decision = StepUp.Decide(["pwd"], null, [AcrLevels.MultiFactor], PasswordOnly);

        Assert.Equal(StepUpOutcome.Proceed, decision.Outcome);
    }

    [Fact]
    public void StepUp_FirstPreferenceOutOfReach_TakesTheNextOneThePersonCanReach()
    {
        var decision = StepUp.Decide(["pwd"], null, [AcrLevels.PhishingResistant, AcrLevels.MultiFactor], WithApp);

        Assert.Equal(new StepUpDecision(StepUpOutcome.AskForFactor, AcrLevels.MultiFactor), decision);
    }

    [Fact]
    public void StepUp_ApplicationMinimumOutOfReach_CannotApprove()
    {
        var decision = StepUp.Decide(["pwd"], AcrLevels.MultiFactor, [], PasswordOnly);

        Assert.Equal(StepUpOutcome.CannotApprove, decision.Outcome);
    }

    [Fact]
    public void StepUp_ApplicationMinimumAlreadyMet_Proceeds()
    {
        Assert.Equal(StepUpOutcome.Proceed, StepUp.Decide(["pwd", "otp"], AcrLevels.MultiFactor, [], WithApp).Outcome);
        Assert.Equal(StepUpOutcome.Proceed, StepUp.Decide(["hwk"], AcrLevels.MultiFactor, [AcrLevels.PhishingResistant], WithPasskey).Outcome);
    }

    [Fact]
    public void StepUp_MinimumAndPreference_RequiresTheStrongerOfBoth()
    {
        var decision = StepUp.Decide(["pwd", "otp"], AcrLevels.MultiFactor, [AcrLevels.PhishingResistant], WithPasskey);

        Assert.Equal(new StepUpDecision(StepUpOutcome.AskForFactor, AcrLevels.PhishingResistant), decision);
    }

    [Fact]
    public void Approve_BelowTheApplicationMinimum_IsRefusedAndStaysPending()
    {
        var now = DateTimeOffset.UtcNow;
        var userId = Guid.NewGuid();
        var request = NewRequest(userId, now);
        request.RequireAcr(AcrLevels.MultiFactor, []);

        Assert.Equal(DecisionOutcome.NotStrongEnough, request.Approve(userId, now, ["pwd"], now));
        Assert.Equal(BackchannelRequestStatus.Pending, request.Status);

        Assert.Equal(DecisionOutcome.Recorded, request.Approve(userId, now, ["otp", "pwd"], now));
        Assert.Equal(AcrLevels.MultiFactor, request.Acr);
        Assert.Equal(["pwd", "otp"], request.AmrList);
    }

    [Fact]
    public void Approve_WhenOnlyTheRequestAskedForMore_RecordsTheLevelAchieved()
    {
        var now = DateTimeOffset.UtcNow;
        var userId = Guid.NewGuid();
        var request = NewRequest(userId, now);
        request.RequireAcr(null, [AcrLevels.MultiFactor, "urn:unknown"]);

        Assert.Equal(DecisionOutcome.Recorded, request.Approve(userId, now, ["pwd"], now));
        Assert.Equal(AcrLevels.MultiFactor, request.RequestedAcrValues);
        Assert.Equal(AcrLevels.Password, request.Acr);
    }

    private static BackchannelAuthenticationRequest NewRequest(Guid userId, DateTimeOffset now) =>
        BackchannelAuthenticationRequest.Create(
            Guid.NewGuid(), Guid.NewGuid(), userId, new byte[32], new byte[32], "openid", null, NotificationChannels.External, 120, 2, now);
}
