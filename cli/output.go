package cli

// toStdout reports whether an --out value means standard output: none
// given, or "-".
func toStdout(out string) bool { return out == "" || out == "-" }
