using Bunit;
using ContactCenter.Application.Automation;
using ContactCenter.Domain.Automation;
using ContactCenter.Web.Components.Admin;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

public sealed class AutomationComponentsTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public AutomationComponentsTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void AutomationEditor_Rule_ShowsConditionsAndSaveSendsTheEditedForm()
    {
        var rule = new AutomationRuleDto(Guid.NewGuid(), "Refunds", AutomationTrigger.MessageReceived, 1, true,
            [new AutomationCondition(ConditionField.MessageContains, "refund")], [new AutomationAction(AutomationActionKind.AddTag, "refund")], DateTimeOffset.UtcNow);
        var form = RuleForm.From(rule);
        var saved = 0;
        var cut = _context.Render<AutomationEditor>(p => p.Add(x => x.Form, form).Add(x => x.IsRule, true).Add(x => x.OnSave, () => saved++));

        cut.Find("[data-testid=add-condition]").Click();
        cut.Find("[data-testid=automation-save]").Click();

        Assert.Equal(1, saved);
        Assert.Equal(2, form.Conditions.Count);
        var input = form.ToRule();
        Assert.Equal(("Refunds", AutomationTrigger.MessageReceived), (input.Name, input.Trigger));
        Assert.Equal(new AutomationAction(AutomationActionKind.AddTag, "refund"), Assert.Single(input.Actions));
    }

    [Fact]
    public void AutomationEditor_Macro_HasNoEventOrConditions()
    {
        var cut = _context.Render<AutomationEditor>(p => p.Add(x => x.Form, new RuleForm()).Add(x => x.IsRule, false));

        Assert.Empty(cut.FindAll("[data-testid=add-condition]"));
        Assert.Empty(cut.FindAll("[data-testid=automation-trigger]"));
        Assert.Single(cut.FindAll("[data-testid=automation-save]"));
    }
}
