package providers

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/metering"
)

// anthropicClient speaks Anthropic's native Messages API through the official
// SDK. Usage: message_start carries input/cache counts, every message_delta
// carries cumulative counts (the larger of the earlier and the latest wins:
// a count a delta leaves out, or sends as 0, keeps the last one known).
type anthropicClient struct {
	h   *httpLayer
	api anthropic.Client
}

func newAnthropic(cfg Config, h *httpLayer) *anthropicClient {
	return &anthropicClient{h: h, api: anthropic.NewClient(
		option.WithoutEnvironmentDefaults(), // never pick up ANTHROPIC_API_KEY / _BASE_URL
		option.WithBaseURL(cfg.BaseURL+"/"),
		option.WithAPIKey(cfg.APIKey),
		option.WithHTTPClient(h.client),
		option.WithMaxRetries(0), // chat decides about retries
	)}
}

// anthropicFinish maps stop_reason to the OpenAI vocabulary used in Result.
var anthropicFinish = map[string]string{
	"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls", "refusal": "content_filter",
}

func (c *anthropicClient) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	var res Result
	if err := checkRequest(req); err != nil {
		return res, err
	}
	params := anthropic.MessageNewParams{
		Model:     anthropic.Model(req.Model),
		MaxTokens: int64(req.MaxTokens),
	}
	if params.MaxTokens == 0 {
		params.MaxTokens = DefaultAnthropicMaxTokens
	}
	// Thinking (anthropicReasoning). Extended thinking: budget_tokens must
	// be below max_tokens, which counts the thinking too. A request with no
	// max tokens of its own gets the default answer's room above the
	// thinking; one whose budget leaves no room is refused before anything
	// is sent. Adaptive thinking (the models that refuse a budget): an
	// effort, the thinking within max_tokens as it is. Either way Claude
	// refuses its own sampling while it thinks: such a request is refused
	// here, before sending, rather than by the API's 400.
	// Opus 4.7 and later take no sampling of their own at all: a value
	// other than the default is refused here, and the default (1) is not
	// sent either (NoSampling). A max_tokens above the model's documented
	// output ceiling (OutputCeiling) is refused here, not by the API's 400.
	plan := ReasoningFor(KindAnthropic, c.h.selfHosted(), req.Model, req.Reasoning)
	if err := CheckPlan(plan, req.Reasoning, req.Sampling); err != nil {
		return res, err
	}
	if b := int64(plan.Budget); b > 0 {
		if req.MaxTokens == 0 {
			params.MaxTokens = b + DefaultAnthropicMaxTokens
		} else if params.MaxTokens <= b {
			return res, inputerr.New(ErrBadRequest, "max tokens %d leave no room for the answer above a thinking budget of %d tokens", params.MaxTokens, b)
		}
		params.Thinking = anthropic.ThinkingConfigParamOfEnabled(b)
	}
	if ceiling := int64(OutputCeiling(KindAnthropic, req.Model)); ceiling > 0 && params.MaxTokens > ceiling {
		return res, inputerr.New(ErrBadRequest, "max tokens %d are above the %d output tokens %s takes at most", params.MaxTokens, ceiling, req.Model)
	}
	if plan.Disable { // Off on Opus 5 and Sonnet 5, which think unless told not to
		params.Thinking = anthropic.ThinkingConfigParamUnion{OfDisabled: &anthropic.ThinkingConfigDisabledParam{}}
	}
	if plan.Adaptive {
		params.Thinking = anthropic.ThinkingConfigParamUnion{OfAdaptive: &anthropic.ThinkingConfigAdaptiveParam{
			Display: anthropic.ThinkingConfigAdaptiveDisplay(plan.Display)}}
		params.OutputConfig = anthropic.OutputConfigParam{Effort: anthropic.OutputConfigEffort(plan.Effort)}
	}
	if t := req.Sampling.Temperature; t != nil && !plan.NoSampling {
		params.Temperature = anthropic.Float(*t)
	}
	if p := req.Sampling.TopP; p != nil && !plan.NoSampling {
		params.TopP = anthropic.Float(*p)
	}
	params.StopSequences = req.Sampling.Stop
	for _, m := range req.Messages {
		switch m.Role {
		case "system":
			params.System = append(params.System, anthropic.TextBlockParam{Text: m.Content})
		case "assistant":
			params.Messages = append(params.Messages, anthropic.NewAssistantMessage(anthropic.NewTextBlock(m.Content)))
		default:
			params.Messages = append(params.Messages, anthropic.NewUserMessage(anthropic.NewTextBlock(m.Content)))
		}
	}
	wctx, w := c.h.begin(ctx)
	defer w.end()
	w.unstreamed = anthropicUnstreamed // a server that ignored "stream"
	stream := c.api.Messages.NewStreaming(wctx, params)
	defer stream.Close()

	var text, thinking, toolText strings.Builder
	var in, cacheRead, cacheWrite, out int64
	// gotFinal: a message_delta has reported output_tokens; grewAfter:
	// text, thinking or a tool call came after the last that did, so
	// that count is stale (the usage is then partial, the output
	// estimated from what was delivered).
	started, gotFinal, grewAfter, stopped := false, false, false, false
	tools := 0
	done := func(err error) (Result, error) {
		res.Text, res.Reasoning, res.ToolText = text.String(), thinking.String(), toolText.String()
		res.ReasoningInOutput = true // output_tokens include thinking
		// Claude 4's thinking streams as a summary: the rest is billed, not shown.
		res.ReasoningHidden = reasoningHidden(KindAnthropic, c.h.selfHosted(), req.Model, req.Reasoning)
		res.ToolCalls = tools
		if gotFinal || started {
			u := metering.FromAnthropic(in, cacheRead, cacheWrite, out)
			u.ToolCalls = int64(tools)
			if gotFinal && !grewAfter {
				res.Usage = usable(&u, &res)
			} else {
				// Cut before message_delta, or content came after the
				// last output_tokens: the input and cache counts are
				// exact, the output count provisional.
				res.Partial = usable(&u, &res)
			}
		}
		return res, err
	}
	for stream.Next() {
		ev := stream.Current()
		switch ev.Type {
		case "message_start":
			u := ev.Message.Usage
			in, cacheRead, cacheWrite, out = u.InputTokens, u.CacheReadInputTokens, u.CacheCreationInputTokens, u.OutputTokens
			started = ev.Message.JSON.Usage.Valid()
		case "content_block_start":
			if ev.ContentBlock.Type == "tool_use" || ev.ContentBlock.Type == "server_tool_use" {
				grewAfter = true
				tools++
				toolText.WriteString(ev.ContentBlock.Name) // its input comes as input_json_delta
			}
		case "content_block_delta":
			grewAfter = grewAfter || ev.Delta.Text != "" || ev.Delta.Thinking != "" || ev.Delta.PartialJSON != ""
			if ev.Delta.Type == "thinking_delta" {
				thinking.WriteString(ev.Delta.Thinking)
				if err := req.reasoned(ev.Delta.Thinking); err != nil {
					return done(err)
				}
			}
			if ev.Delta.Type == "input_json_delta" {
				toolText.WriteString(ev.Delta.PartialJSON) // a tool call's input, generated as output
			}
			if ev.Delta.Type == "text_delta" && ev.Delta.Text != "" {
				text.WriteString(ev.Delta.Text)
				if err := onDelta(ev.Delta.Text); err != nil {
					return done(err)
				}
			}
		case "message_delta":
			// Cumulative counts, which never go down: the larger of the
			// earlier and the latest value counts. Anthropic-compatible
			// servers (SGLang, some gateways) send "input_tokens":0 here,
			// which must not erase message_start's input count.
			u := ev.Usage
			out = max(out, u.OutputTokens)
			if u.JSON.InputTokens.Valid() {
				in = max(in, u.InputTokens)
			}
			if u.JSON.CacheReadInputTokens.Valid() {
				cacheRead = max(cacheRead, u.CacheReadInputTokens)
			}
			if u.JSON.CacheCreationInputTokens.Valid() {
				cacheWrite = max(cacheWrite, u.CacheCreationInputTokens)
			}
			// Final once a delta has reported output_tokens; a later
			// delta without it (a server tool's turns, an
			// Anthropic-compatible server) keeps the counts final,
			// unless text, thinking or a tool call came after the last
			// delta that had it (grewAfter): that count is stale.
			if u.JSON.OutputTokens.Valid() {
				gotFinal, grewAfter = true, false
			}
			if r := string(ev.Delta.StopReason); r != "" {
				res.FinishReason = anthropicFinish[r]
				if res.FinishReason == "" {
					res.FinishReason = r
				}
			}
		case "message_stop":
			stopped = true
		}
	}
	if err := stream.Err(); err != nil {
		return done(c.h.classify(ctx, w, err, "chat stream"))
	}
	if !stopped {
		return done(c.h.step("chat stream", fmt.Errorf("%w (no message_stop)", ErrInterrupted)))
	}
	return done(nil)
}

func (c *anthropicClient) Models(ctx context.Context) ([]string, error) {
	wctx, w := c.h.beginList(ctx)
	defer w.end()
	pager := c.api.Models.ListAutoPaging(wctx, anthropic.ModelListParams{})
	var ids []string
	for pager.Next() {
		ids = append(ids, pager.Current().ID)
	}
	if err := pager.Err(); err != nil {
		return nil, c.h.classify(ctx, w, err, "list models")
	}
	sort.Strings(ids)
	return ids, nil
}

func (c *anthropicClient) Test(ctx context.Context) error {
	_, err := c.Models(ctx)
	return err
}
