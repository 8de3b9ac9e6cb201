package tokenizer

// WarmEncoding is the encoding Warm loads: the one every current OpenAI
// model uses and every other family's approximation counts with.
const WarmEncoding = O200kBase

// Warm builds WarmEncoding's BPE now (~0.1 s of CPU, once per process:
// BenchmarkWarm, `go test -run '^$' -bench Warm ./backend/tokenizer`, figures
// in docs/benchmarks.md; ~0.4 s with tiktoken-go's encoder), so that the
// first send's estimate does not pay for it. The app and `serve`
// call it in the background at start-up (core.RunJobs). Safe to call
// concurrently and repeatedly; later calls cost a map lookup.
func Warm() error {
	_, err := Get(WarmEncoding)
	return err
}

// Loaded reports whether the named encoding has been built in this process.
func Loaded(name string) bool {
	encMu.Lock()
	defer encMu.Unlock()
	_, ok := encs[name]
	return ok
}
