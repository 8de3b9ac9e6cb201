package tokenizer

import (
	"strings"
	"testing"
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
