package tokenizer

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// BenchmarkCountO200k measures tokenizer throughput on English prose; the
// tokens/s metric is what docs/benchmarks.md records.
func BenchmarkCountO200k(b *testing.B) { benchCount(b, O200kBase) }

// BenchmarkCountCl100k is BenchmarkCountO200k for cl100k_base.
func BenchmarkCountCl100k(b *testing.B) { benchCount(b, Cl100kBase) }

func benchCount(b *testing.B, enc string) {
	text := strings.Repeat("Meterdesk meters every message: the estimate counts the prompt with the model's own tokenizer before sending, 42 times. ", 80)
	n, err := CountText(enc, text)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := CountText(enc, text); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkCountLong counts long pastes (longInput: one run of "a", base64
// of random bytes, English prose, minified JavaScript) of 10 kB, 100 kB and
// 1 MB in o200k_base, with the package's encoder ("new") and with
// tiktoken-go's own ("old", what the package used before: quadratic in the
// length of a pre-tokenizer piece). Old on 1 MB of "a" would take ~10
// minutes and is skipped unless METERDESK_BENCH_SLOW=1. Figures and command
// in docs/benchmarks.md.
func BenchmarkCountLong(b *testing.B) {
	e, err := Get(O200kBase)
	if err != nil {
		b.Fatal(err)
	}
	ref := reference(b, O200kBase)
	for _, kind := range []string{"a", "base64", "prose", "js"} {
		for _, size := range []int{10_000, 100_000, 1_000_000} {
			text := longInput(kind, size)
			for _, impl := range []string{"old", "new"} {
				b.Run(fmt.Sprintf("%s/%dkB/%s", kind, size/1000, impl), func(b *testing.B) {
					count := e.Count
					if impl == "old" {
						if kind == "a" && size >= 1_000_000 && os.Getenv("METERDESK_BENCH_SLOW") != "1" {
							b.Skip("~10 minutes; METERDESK_BENCH_SLOW=1 runs it")
						}
						count = func(s string) int { return len(ref.EncodeOrdinary(s)) }
					}
					b.SetBytes(int64(len(text)))
					for i := 0; i < b.N; i++ {
						count(text)
					}
				})
			}
		}
	}
}

// BenchmarkWarm measures what Warm (the first Get of an encoding) costs:
// the embedded ranks decoded into a map and the split pattern compiled. "new"
// is the package's encoder (newEncoder, bypassing Get's map); "old" is what
// the package built before, tiktoken-go's encoder, which also builds a
// reverse map and a sorted copy of every token (tiktoken.NewCoreBPE on ranks
// read the same way: tiktoken.GetEncoding would keep the ranks after the
// first iteration). The figure is quoted in warm.go, core.RunJobs and
// docs/chat.md; command and figures in docs/benchmarks.md.
func BenchmarkWarm(b *testing.B) {
	for _, c := range []struct{ name, pattern string }{{O200kBase, o200kPattern}, {Cl100kBase, cl100kPattern}} {
		b.Run(c.name+"/new", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := newEncoder(c.name); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/old", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				ranks, err := tiktoken_loader.NewOfflineLoader().LoadTiktokenBpe(c.name + ".tiktoken")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := tiktoken.NewCoreBPE(ranks, map[string]int{"<|endoftext|>": len(ranks)}, c.pattern); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
