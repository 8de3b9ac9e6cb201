package cli

import "io"

// toStdout reports whether an --out value means standard output: none
// given, or "-".
func toStdout(out string) bool { return out == "" || out == "-" }

// writeBytes is a fileout.Write callback that writes data.
func writeBytes(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}
