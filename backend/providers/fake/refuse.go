package fake

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The 400s each provider answers a request its model does not take with,
// by the providers' documentation and their own error messages, so that a
// test against a fake proves Meterdesk never sends such a request. These
// lists are the fakes' own, kept apart from the rule in
// backend/providers/reasoning.go that they check.

// openaiRefuse: gpt-5-pro "defaults to (and only supports) high reasoning
// effort"; any other value is OpenAI's unsupported_value 400.
func openaiRefuse(req chatRequest) string {
	m := strings.ToLower(req.Model)
	if (m == "gpt-5-pro" || strings.HasPrefix(m, "gpt-5-pro-")) && req.ReasoningEffort != "" && req.ReasoningEffort != "high" {
		return fmt.Sprintf("Unsupported value: '%s' is not supported with the '%s' model. Supported values are: 'high'.", req.ReasoningEffort, req.Model)
	}
	return ""
}

// anthropicCeilings are the output ceilings of Anthropic's models overview.
var anthropicCeilings = map[string]int{
	"claude-opus-4-1": 32000, "claude-opus-4-0": 32000, "claude-opus-4-2": 32000, "claude-sonnet-4-5": 64000,
	"claude-sonnet-4-2": 64000, "claude-haiku-4-5": 64000, "claude-opus-4-5": 64000, "claude-3-7-sonnet": 64000,
	"claude-opus-4-6": 128000, "claude-sonnet-4-6": 128000, "claude-opus-4-7": 128000, "claude-opus-4-8": 128000,
	"claude-opus-5": 128000, "claude-sonnet-5": 128000, "claude-haiku-5-5": 128000, "claude-fable-5-1": 128000,
}

// anthropicRefuse: Opus 4.7 and later refuse a temperature or top_p of
// their own ("temperature is deprecated for this model"), and every
// thinking form but adaptive, and "disabled" on Opus 5 and Sonnet 5; a
// max_tokens above the model's ceiling is refused with the limit in the
// message.
func anthropicRefuse(req chatRequest) string {
	m := strings.ToLower(req.Model)
	samplingGone := strings.HasPrefix(m, "claude-opus-4-7") || strings.HasPrefix(m, "claude-opus-4-8") ||
		strings.HasPrefix(m, "claude-opus-5") || strings.HasPrefix(m, "claude-sonnet-5")
	if samplingGone {
		if req.Temperature != nil {
			return "`temperature` is deprecated for this model."
		}
		if req.TopP != nil {
			return "`top_p` is deprecated for this model."
		}
		var th struct {
			Type    string `json:"type"`
			Display string `json:"display"`
		}
		if len(req.Thinking) > 0 {
			_ = json.Unmarshal(req.Thinking, &th)
			// Opus 5 and Sonnet 5 take "disabled" (Opus 5 at effort high
			// or below); Claude 5.5 refuses it, and 4.7 and 4.8 take only
			// adaptive thinking.
			takesDisabled := m == "claude-opus-5" || m == "claude-sonnet-5"
			switch {
			case th.Type == "adaptive", th.Type == "disabled" && takesDisabled:
			case th.Type == "disabled":
				return `"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`
			default:
				return "thinking.type.enabled is not supported for this model. Use thinking.type.adaptive and output_config.effort to control thinking behavior."
			}
		}
	}
	for prefix, ceiling := range anthropicCeilings {
		if strings.HasPrefix(m, prefix) && req.MaxTokens > ceiling {
			return fmt.Sprintf("max_tokens: %d > %d, which is the maximum allowed number of output tokens for %s", req.MaxTokens, ceiling, req.Model)
		}
	}
	return ""
}

// geminiRefuse: Gemini 3 takes thinkingLevel or thinkingBudget, not both
// (a 400), and Gemini 3 Pro takes only the levels "low" and "high".
func geminiRefuse(req chatRequest) string {
	if req.GenerationConfig == nil || req.GenerationConfig.ThinkingConfig == nil {
		return ""
	}
	tc := req.GenerationConfig.ThinkingConfig
	if tc.ThinkingBudget != nil && tc.ThinkingLevel != "" {
		return "You can only set only one of thinking budget and thinking level."
	}
	m := strings.ToLower(req.Model)
	level := strings.ToLower(tc.ThinkingLevel)
	// Gemini 3 Pro takes low and high; 3.1 Pro added medium.
	if strings.HasPrefix(m, "gemini-3") && !strings.HasPrefix(m, "gemini-3.1-pro") && strings.Contains(m, "-pro") && level != "" && !slices.Contains([]string{"low", "high"}, level) {
		return fmt.Sprintf("Thinking level %s is not supported for this model. Supported levels are LOW and HIGH.", strings.ToUpper(level))
	}
	if strings.HasPrefix(m, "gemini-2") && level != "" {
		return "Thinking level is not supported for this model."
	}
	return ""
}
