package chat

import (
	"context"
	"fmt"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
)

// ReasoningNote says, of a send at reasoning level (as asked on the
// command line: `meterdesk chat --reasoning LEVEL`), what the window's hint
// under its Reasoning picker says when the level sends nothing for the
// send's model (providers.ReasoningPlan.Honours): Off on a model that
// always reasons ("gpt-5 always reasons: Reasoning off sends nothing"), or
// any level but Default on a model that takes no reasoning setting
// ("Reasoning high does not apply to gpt-4o: nothing is sent for it"). The
// send goes all the same, as the window's does. "" when the level does
// what it asks (Default, or a level the model honours) and when it is
// refused before the send anyway (a level the model does not take:
// ReasoningLevelError says so). The model is model through provider, or,
// when model is "", conversation conversationID's, as SendNote finds it;
// a conversation of another member's is refused (ownConversation).
func (s *Service) ReasoningNote(ctx context.Context, conversationID int64, provider, model string, level providers.Reasoning) (string, error) {
	if _, err := access.Current(ctx); err != nil {
		return "", fmt.Errorf("reasoning note: %w", err)
	}
	level, err := checkReasoning(level)
	if err != nil {
		return "", fmt.Errorf("reasoning note: %w", err)
	}
	if level.IsDefault() {
		return "", nil
	}
	if conversationID != 0 && model == "" {
		conv, err := s.ownConversation(ctx, conversationID, selectConversationForSend, "send in")
		if err != nil {
			return "", fmt.Errorf("reasoning note: %w", err)
		}
		provider, model = conv.sendTarget(provider)
	}
	if model == "" {
		return "", fmt.Errorf("reasoning note: %w", inputerr.New(ErrInvalid, "choose a model"))
	}
	if provider, model, err = s.meter.rateRowModel(ctx, provider, model); err != nil {
		return "", fmt.Errorf("reasoning note for %s: %w", model, err)
	}
	target, err := s.meter.resolver.Resolve(ctx, provider, model)
	if err != nil {
		return "", fmt.Errorf("reasoning note for %s: %w", model, err)
	}
	return reasoningNote(providers.ReasoningFor(target.Kind, target.SelfHosted, model, level), model, level), nil
}

// reasoningNote is ReasoningNote's text for plan, model's at level.
func reasoningNote(plan providers.ReasoningPlan, model string, level providers.Reasoning) string {
	switch {
	case plan.Honours(level) || plan.Refused:
		return ""
	case !plan.Applies:
		return fmt.Sprintf("Reasoning %s does not apply to %s: nothing is sent for it", level, model)
	case level == providers.ReasoningOff:
		return fmt.Sprintf("%s always reasons: Reasoning off sends nothing", model)
	}
	return ""
}
