package reports

// SourceLabel turns a ledger source code into what statements and the UI
// show: "ui" → "App", "cli" → "CLI", "api" → "API" (the local OpenAI-
// compatible gateway), "system" → "System". Unknown codes are shown as they are.
func SourceLabel(code string) string {
	switch code {
	case "ui":
		return "App"
	case "cli":
		return "CLI"
	case "api":
		return "API"
	case "system":
		return "System"
	}
	return code
}
