package tokenizer

import "testing"

func TestWarmLoadsTheCommonEncodingOnly(t *testing.T) {
	if err := Warm(); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	if !Loaded(WarmEncoding) {
		t.Fatalf("%s not loaded after Warm", WarmEncoding)
	}
	if Loaded("p50k_base") {
		t.Fatal("an unsupported encoding reads as loaded")
	}
	// gpt-4o counts with the warmed encoding.
	if enc, ok := EncodingForModel("gpt-4o"); !ok || enc != WarmEncoding {
		t.Fatalf("gpt-4o uses %q, want the warmed %s", enc, WarmEncoding)
	}
	if err := Warm(); err != nil { // idempotent
		t.Fatalf("second Warm: %v", err)
	}
}
