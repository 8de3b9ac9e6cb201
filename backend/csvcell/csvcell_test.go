package csvcell

import "testing"

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"hello", "hello"},
		{"=SUM(A1:A2)", "'=SUM(A1:A2)"},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"@cmd", "'@cmd"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"-12.500000001", "-12.500000001"}, // a negative amount stays numeric
		{"-0", "-0"},
		{"-1e5", "'-1e5"},
		{"-.5", "'-.5"},
		{"+5", "'+5"},
		{"12", "12"},
		{"a=b", "a=b"},
		// Leading blanks some spreadsheets skip before a formula.
		{" =1+1", "' =1+1"},
		{"  @SUM(A1)", "'  @SUM(A1)"},
		{"\n=HYPERLINK(\"x\")", "'\n=HYPERLINK(\"x\")"},
		{"\u00a0-1+2", "'\u00a0-1+2"},
		{"\u3000+1", "'\u3000+1"},
		{" 12", " 12"},
		{"   ", "   "},
		{" a=b", " a=b"},
		// Full-width triggers that East Asian locales read as ASCII.
		{"＝SUM(A1:A2)", "'＝SUM(A1:A2)"},
		{"＋1", "'＋1"},
		{"－1", "'－1"},
		{"＠cmd", "'＠cmd"},
		{"\u3000＝1", "'\u3000＝1"},
		{"研究＝1", "研究＝1"},
	}
	for _, tc := range tests {
		if got := Neutralise(tc.in); got != tc.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Restore(Neutralise(tc.in)); got != tc.in {
			t.Errorf("Restore(Neutralise(%q)) = %q", tc.in, got)
		}
	}
	// A quote the export did not add stays.
	for _, s := range []string{"'", "'quoted'", "'12", "'a=b"} {
		if got := Restore(s); got != s {
			t.Errorf("Restore(%q) = %q, want it unchanged", s, got)
		}
	}
}
