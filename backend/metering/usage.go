// Package metering turns provider-reported token usage into exact credit
// charges. It owns the normalised Usage type (filled by provider adapters with
// each provider's own semantics), the single pricing function Price, and the
// pre-send Estimate.
package metering

// Usage is token usage normalised across providers so that no token is
// charged twice or missed. Every field is a disjoint count.
type Usage struct {
	Input      int64 // uncached input tokens (billed at the input rate)
	CacheRead  int64 // cached input tokens read (cache hit)
	CacheWrite int64 // input tokens written to the cache
	Output     int64 // visible output tokens, EXCLUDING reasoning
	Reasoning  int64 // reasoning / thinking tokens
	Requests   int64 // normally 1
	ToolCalls  int64
	// Estimated: the counts are not (all) the provider's final figures.
	// Either the provider reported nothing usable and the tokenizer counted
	// everything, or the stream ended early (InputReported) and the output
	// side was counted (EstimateDelivered).
	Estimated bool
	// InputReported (with Estimated): Input, CacheRead and CacheWrite are
	// the provider's exact counts, reported before its stream was cut; only
	// Output and Reasoning were counted.
	InputReported bool
	// ReasoningHidden (with Estimated): the model reasoned where its stream
	// showed none of it or only a summary, which the provider bills; the
	// estimate counts only the reasoning that was shown (EstimateDelivered),
	// so the charge may be less than the provider's.
	ReasoningHidden bool
}

// nonNeg clamps a (possibly inconsistent) provider count at zero.
func nonNeg(v int64) int64 {
	if v < 0 {
		return 0
	}
	return v
}

// FromOpenAI normalises OpenAI chat-completions usage: prompt_tokens includes
// prompt_tokens_details.cached_tokens, and completion_tokens includes
// completion_tokens_details.reasoning_tokens. Requests is set to 1.
//
// Some OpenAI-compatible providers (xAI's Grok, some proxies) report the
// reasoning tokens BESIDE completion_tokens instead: total_tokens is then
// prompt + completion + reasoning. The reasoning count is taken as additional
// to completion_tokens when totalTokens equals that sum (with reasoning > 0),
// or when reasoning exceeds completion_tokens and totalTokens does not say
// otherwise (it is 0, i.e. absent, or matches neither convention); otherwise
// (OpenAI's own convention, total = prompt + completion) it is part of
// completion_tokens and at most completion_tokens.
//
// Others count the reasoning in total_tokens only, with no reasoning count at
// all: Gemini's OpenAI-compatible endpoint reports completion_tokens without
// the model's thoughts and total_tokens with them ({prompt 20, completion 424,
// total 1016} is 572 thought tokens, which Google bills as output). When no
// reasoning count is given and totalTokens exceeds prompt + completion, the
// difference is taken as reasoning beside completion_tokens. OpenAI's and
// DeepSeek's totals equal prompt + completion, so nothing changes for them.
func FromOpenAI(promptTokens, cachedTokens, completionTokens, reasoningTokens, totalTokens int64) Usage {
	prompt, completion, reasoning := nonNeg(promptTokens), nonNeg(completionTokens), nonNeg(reasoningTokens)
	cached := min(nonNeg(cachedTokens), prompt)
	output := completion
	if reasoning == 0 && totalTokens > prompt+completion {
		reasoning = totalTokens - prompt - completion // counted only in total_tokens
	} else if !reasoningBeside(prompt, completion, reasoning, totalTokens) {
		reasoning = min(reasoning, completion)
		output = completion - reasoning
	}
	return Usage{
		Input:     prompt - cached,
		CacheRead: cached,
		Output:    output,
		Reasoning: reasoning,
		Requests:  1,
	}
}

// reasoningBeside reports whether an OpenAI-style usage object counts its
// reasoning tokens outside completion_tokens (see FromOpenAI).
func reasoningBeside(prompt, completion, reasoning, total int64) bool {
	if reasoning == 0 {
		return false
	}
	if total == prompt+completion+reasoning {
		return true
	}
	return reasoning > completion && total != prompt+completion
}

// FromDeepSeek normalises DeepSeek usage: prompt_cache_miss_tokens are billed
// as input and prompt_cache_hit_tokens as cache reads; completion_tokens
// includes completion_tokens_details.reasoning_tokens (deepseek-reasoner).
// Requests is set to 1.
func FromDeepSeek(cacheHitTokens, cacheMissTokens, completionTokens, reasoningTokens int64) Usage {
	reasoning := min(nonNeg(reasoningTokens), nonNeg(completionTokens))
	return Usage{
		Input:     nonNeg(cacheMissTokens),
		CacheRead: nonNeg(cacheHitTokens),
		Output:    nonNeg(completionTokens) - reasoning,
		Reasoning: reasoning,
		Requests:  1,
	}
}

// FromAnthropic normalises Anthropic Messages usage: input_tokens EXCLUDES
// cache_read_input_tokens and cache_creation_input_tokens, so the three are
// disjoint. output_tokens (cumulative in message_delta) includes any thinking
// tokens; Anthropic does not report them separately, so they are billed as
// output. Requests is set to 1.
func FromAnthropic(inputTokens, cacheReadTokens, cacheCreationTokens, outputTokens int64) Usage {
	return Usage{
		Input:      nonNeg(inputTokens),
		CacheRead:  nonNeg(cacheReadTokens),
		CacheWrite: nonNeg(cacheCreationTokens),
		Output:     nonNeg(outputTokens),
		Requests:   1,
	}
}

// FromGemini normalises Gemini usageMetadata: promptTokenCount INCLUDES
// cachedContentTokenCount, while thoughtsTokenCount is reported beside (not
// inside) candidatesTokenCount. Requests is set to 1.
func FromGemini(promptTokenCount, cachedContentTokenCount, candidatesTokenCount, thoughtsTokenCount int64) Usage {
	cached := min(nonNeg(cachedContentTokenCount), nonNeg(promptTokenCount))
	return Usage{
		Input:     nonNeg(promptTokenCount) - cached,
		CacheRead: cached,
		Output:    nonNeg(candidatesTokenCount),
		Reasoning: nonNeg(thoughtsTokenCount),
		Requests:  1,
	}
}

// Add returns the field-wise sum of u and o (Estimated if either is;
// InputReported if the sum is estimated and the input side of both is the
// provider's).
func (u Usage) Add(o Usage) Usage {
	est := u.Estimated || o.Estimated
	return Usage{
		Input:         u.Input + o.Input,
		CacheRead:     u.CacheRead + o.CacheRead,
		CacheWrite:    u.CacheWrite + o.CacheWrite,
		Output:        u.Output + o.Output,
		Reasoning:     u.Reasoning + o.Reasoning,
		Requests:      u.Requests + o.Requests,
		ToolCalls:     u.ToolCalls + o.ToolCalls,
		Estimated:     est,
		InputReported: est && u.inputExact() && o.inputExact(),
	}
}

// inputExact reports whether u's input-side counts are the provider's.
func (u Usage) inputExact() bool { return !u.Estimated || u.InputReported }
