package rates

// builtin is the catalogue of models every installation knows, per provider,
// in display order. Configured providers add the models they report
// (MergeReported) and admins add custom ones (AddModel).
var builtin = map[string][]string{
	OpenAI: {
		"gpt-5", "gpt-5-mini", "gpt-5-nano",
		"gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano",
		"gpt-4o", "gpt-4o-mini",
		"o1", "o3", "o3-mini", "o4-mini",
		"gpt-4-turbo", "gpt-4",
		"gpt-3.5-turbo", "gpt-3.5-turbo-instruct",
	},
	DeepSeek: {"deepseek-chat", "deepseek-reasoner"},
	Gemini: {
		"gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite",
		"gemini-2.0-flash", "gemini-2.0-flash-lite",
		"gemini-1.5-pro", "gemini-1.5-flash", "gemini-1.5-flash-8b",
	},
	Anthropic: {
		"claude-opus-4-1-20250805", "claude-opus-4-20250514",
		"claude-sonnet-4-20250514", "claude-3-7-sonnet-20250219",
		"claude-3-5-haiku-20241022", "claude-3-haiku-20240307",
	},
}

// Model sources in the catalogue.
const (
	SourceBuiltin  = "builtin"
	SourceReported = "reported"
	SourceCustom   = "custom"
)

// isBuiltin reports whether model is in the built-in catalogue of provider.
func isBuiltin(provider, model string) bool {
	for _, m := range builtin[provider] {
		if m == model {
			return true
		}
	}
	return false
}
