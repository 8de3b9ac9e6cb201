package providers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"google.golang.org/genai"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/metering"
)

// geminiClient speaks the Gemini API (generativelanguage.googleapis.com,
// v1beta, streamGenerateContent?alt=sse) through google.golang.org/genai.
// Usage comes from usageMetadata, which each chunk repeats with the counts
// so far: each count is the largest reported (geminiUsage), so a chunk that
// leaves one out (Gemini omits a zero count) never lowers it; the cached
// count, a part of the prompt, is the latest reported.
type geminiClient struct {
	h   *httpLayer
	api *genai.Client
}

func newGemini(cfg Config, h *httpLayer) (*geminiClient, error) {
	if cfg.APIKey == "" {
		// genai would fall back to GOOGLE_API_KEY / GEMINI_API_KEY from the environment.
		return nil, fmt.Errorf("gemini: %w", ErrNoKey)
	}
	api, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		APIKey:     cfg.APIKey,
		Backend:    genai.BackendGeminiAPI,
		HTTPClient: h.client,
		HTTPOptions: genai.HTTPOptions{
			BaseURL:    cfg.BaseURL + "/",
			APIVersion: "v1beta",
		},
	})
	if err != nil {
		return nil, fmt.Errorf("gemini client: %s", redact(err.Error(), cfg.APIKey))
	}
	return &geminiClient{h: h, api: api}, nil
}

// geminiFinish maps finishReason to the OpenAI vocabulary used in Result.
var geminiFinish = map[string]string{
	"STOP": "stop", "MAX_TOKENS": "length", "SAFETY": "content_filter", "RECITATION": "content_filter",
	"PROHIBITED_CONTENT": "content_filter", "BLOCKLIST": "content_filter", "SPII": "content_filter",
}

func (c *geminiClient) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	var res Result
	if err := checkRequest(req); err != nil {
		return res, err
	}
	cfg := &genai.GenerateContentConfig{}
	if req.MaxTokens > 0 {
		cfg.MaxOutputTokens = int32(min(req.MaxTokens, 1<<31-1))
	}
	// thinkingBudget, or Gemini 3's thinkingLevel (geminiReasoning: never
	// both, which is a 400); maxOutputTokens counts the thoughts too, so
	// chat adds the budget to the answer's. A level the model does not
	// take (Gemini 3 Pro: no medium) is refused before sending.
	p := ReasoningFor(KindGemini, c.h.selfHosted(), req.Model, req.Reasoning)
	if err := CheckPlan(p, req.Reasoning, req.Sampling); err != nil {
		return res, err
	}
	switch {
	case p.ThinkingLevel != "":
		cfg.ThinkingConfig = &genai.ThinkingConfig{ThinkingLevel: genai.ThinkingLevel(strings.ToUpper(p.ThinkingLevel))}
	case p.Budget > 0 || p.Disable:
		cfg.ThinkingConfig = &genai.ThinkingConfig{ThinkingBudget: genai.Ptr(int32(p.Budget))}
	}
	if t := req.Sampling.Temperature; t != nil {
		cfg.Temperature = genai.Ptr(float32(*t))
	}
	if p := req.Sampling.TopP; p != nil {
		cfg.TopP = genai.Ptr(float32(*p))
	}
	cfg.StopSequences = req.Sampling.Stop
	if sd := req.Sampling.Seed; sd != nil {
		if *sd < math.MinInt32 || *sd > math.MaxInt32 {
			return res, inputerr.New(ErrBadRequest, "Gemini takes a seed from %d to %d", math.MinInt32, math.MaxInt32)
		}
		cfg.Seed = genai.Ptr(int32(*sd))
	}
	if p := req.Sampling.PresencePenalty; p != nil {
		cfg.PresencePenalty = genai.Ptr(float32(*p))
	}
	if p := req.Sampling.FrequencyPenalty; p != nil {
		cfg.FrequencyPenalty = genai.Ptr(float32(*p))
	}
	var contents []*genai.Content
	for _, m := range req.Messages {
		switch m.Role {
		case "system":
			if cfg.SystemInstruction == nil {
				cfg.SystemInstruction = &genai.Content{}
			}
			cfg.SystemInstruction.Parts = append(cfg.SystemInstruction.Parts, &genai.Part{Text: m.Content})
		case "assistant":
			contents = append(contents, genai.NewContentFromText(m.Content, genai.RoleModel))
		default:
			contents = append(contents, genai.NewContentFromText(m.Content, genai.RoleUser))
		}
	}
	wctx, w := c.h.begin(ctx)
	defer w.end()
	w.unstreamed = geminiUnstreamed // a server that ignored alt=sse
	// A tapped body keeps the line being received (watch.unfinished), so
	// that a cut inside an event still counts what it delivered
	// (geminiCutParts); the complete lines are genai's.
	w.tap = func([]byte) {}

	var text, thoughts, toolText strings.Builder
	var um *genai.GenerateContentResponseUsageMetadata
	tools := 0
	finished := false
	lastThought := false // the last part read was a thought summary
	done := func(err error) (Result, error) {
		res.Text, res.Reasoning, res.ToolText = text.String(), thoughts.String(), toolText.String()
		res.ToolCalls = tools
		if um != nil {
			u := metering.FromGemini(int64(um.PromptTokenCount), int64(um.CachedContentTokenCount),
				int64(um.CandidatesTokenCount), int64(um.ThoughtsTokenCount))
			u.ToolCalls = int64(tools)
			if finished {
				res.Usage = usable(&u, &res)
			} else {
				// Cut: an earlier chunk's prompt and cache counts are
				// final, its candidates and thoughts counts those so far.
				res.Partial = usable(&u, &res)
			}
		}
		return res, err
	}
	for resp, err := range c.api.Models.GenerateContentStream(wctx, req.Model, contents, cfg) {
		if err != nil {
			// The parts of the event the cut ended inside were generated
			// (and are billed) as far as they came: a function call's name
			// and arguments so far count, and the call; a text part's or a
			// thought summary's text so far is passed on and counted as
			// the whole parts before it were (their callbacks' errors
			// aside: the stream's error is the one to report). A part the
			// cut ended before its "thought" flag could come (Gemini
			// writes it after the text) is read as the kind of the part
			// before it, in this event or (when it is the event's first)
			// the last one before: thoughts come first, then the answer.
			line := w.unfinished()
			for _, p := range geminiCutParts(line) {
				switch {
				case p.call != "":
					tools++
					toolText.WriteString(p.call)
					lastThought = false
				case p.thought, p.unsure && lastThought:
					thoughts.WriteString(p.text)
					_ = req.reasoned(p.text)
					lastThought = true
				default:
					text.WriteString(p.text)
					_ = onDelta(p.text)
					lastThought = false
				}
			}
			err = c.h.classify(ctx, w, err, "chat stream")
			if errors.Is(err, ErrMalformed) && w.broken.Load() && len(bytes.TrimSpace(line)) > 0 {
				// genai read the line the dropped connection cut as a
				// whole one, which is no JSON: the reply was cut off, not
				// malformed (and the message does not quote the half line).
				err = c.h.step("chat stream", fmt.Errorf("%w (the connection ended inside an event)", ErrInterrupted))
			}
			return done(err)
		}
		if resp.UsageMetadata != nil {
			um = geminiUsage(um, resp.UsageMetadata)
		}
		if len(resp.Candidates) == 0 {
			continue
		}
		cand := resp.Candidates[0]
		if cand.Content != nil {
			for _, p := range cand.Content.Parts {
				if p == nil {
					continue
				}
				lastThought = p.Thought && p.FunctionCall == nil
				if p.Thought {
					thoughts.WriteString(p.Text) // thought summaries: counted, never shown
					if err := req.reasoned(p.Text); err != nil {
						return done(err)
					}
					continue
				}
				if fc := p.FunctionCall; fc != nil {
					tools++
					toolText.WriteString(fc.Name) // and its arguments, generated as output
					if len(fc.Args) > 0 {
						if b, err := json.Marshal(fc.Args); err == nil {
							toolText.Write(b)
						}
					}
				}
				if p.Text != "" {
					text.WriteString(p.Text)
					if err := onDelta(p.Text); err != nil {
						return done(err)
					}
				}
			}
		}
		if r := string(cand.FinishReason); r != "" {
			finished = true
			res.FinishReason = geminiFinish[r]
			if res.FinishReason == "" {
				res.FinishReason = strings.ToLower(r)
			}
		}
	}
	if !finished {
		return done(c.h.step("chat stream", fmt.Errorf("%w (no finishReason)", ErrInterrupted)))
	}
	return done(nil)
}

// geminiUsage is the usage so far once a chunk's usageMetadata next has
// come (prev: nil before the first). The counts that only grow (prompt,
// candidates, thoughts, tool-use prompt, total) are each the larger of the
// earlier and next's, so a count next leaves out (0) keeps the earlier
// one. The cached count is a part of the prompt, not a running count: it
// is the latest one reported, an earlier one only when next leaves it out
// (Gemini omits a zero count), so a cached count corrected downwards is
// charged as corrected; FromGemini clamps it to the prompt.
func geminiUsage(prev, next *genai.GenerateContentResponseUsageMetadata) *genai.GenerateContentResponseUsageMetadata {
	if prev == nil {
		u := *next
		return &u
	}
	u := *prev
	u.PromptTokenCount = max(u.PromptTokenCount, next.PromptTokenCount)
	if next.CachedContentTokenCount != 0 {
		u.CachedContentTokenCount = next.CachedContentTokenCount
	}
	u.CandidatesTokenCount = max(u.CandidatesTokenCount, next.CandidatesTokenCount)
	u.ThoughtsTokenCount = max(u.ThoughtsTokenCount, next.ThoughtsTokenCount)
	u.ToolUsePromptTokenCount = max(u.ToolUsePromptTokenCount, next.ToolUsePromptTokenCount)
	u.TotalTokenCount = max(u.TotalTokenCount, next.TotalTokenCount)
	return &u
}

func (c *geminiClient) Models(ctx context.Context) ([]string, error) {
	wctx, w := c.h.beginList(ctx)
	defer w.end()
	var ids []string
	for m, err := range c.api.Models.All(wctx) {
		if err != nil {
			return nil, c.h.classify(ctx, w, err, "list models")
		}
		if len(m.SupportedActions) > 0 && !slices.Contains(m.SupportedActions, "generateContent") {
			continue
		}
		ids = append(ids, strings.TrimPrefix(m.Name, "models/"))
	}
	sort.Strings(ids)
	return ids, nil
}

func (c *geminiClient) Test(ctx context.Context) error {
	_, err := c.Models(ctx)
	return err
}

// geminiCutPart is a part of the event a stream was cut inside
// (geminiCutParts), as far as it came: a function call (call: its name and
// its arguments so far, compact JSON, as Result.ToolText counts a call), or
// text, a thought summary's when thought. unsure: a text part the cut
// ended inside, before its "thought" flag (written after the text) could
// come, so whether it is a thought summary is not known.
type geminiCutPart struct {
	text    string
	thought bool
	unsure  bool
	call    string
}

// geminiOpenPart is what closeJSON appends to an event cut inside its
// last part (the part's object, the parts, the content, the candidate, the
// candidates, the event), or after a string it cut, one quote more.
const geminiOpenPart = "}]}}]}"

// geminiCutParts reads line, the event line a stream was cut inside
// (watch.unfinished: "data: {…" with no end), for the parts it was
// delivering, each as far as it came. Gemini sends a function call whole,
// in one event, and a text part or a thought summary as one string of an
// event, so a cut inside a long event's line lost all of it: the text went
// unshown and uncounted, the call uncounted, and their output tokens
// unestimated. The line is cut back to where a JSON document can end
// (closeJSON: a key without its value, or a number cut short, goes; a
// string is kept up to the cut, at a whole character) and read as the
// event. A line that is whole JSON was read by genai and counted already,
// and a line that is not an event's data (a comment, an error object) or
// has no part gives nothing; so does a part with no text yet.
func geminiCutParts(line []byte) []geminiCutPart {
	data, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("data:"))
	data = bytes.TrimSpace(data)
	if !ok || len(data) == 0 || json.Valid(data) {
		return nil
	}
	doc, ok := closeJSON(data)
	if !ok {
		return nil
	}
	var ev struct {
		Candidates []struct {
			Content struct {
				Parts []struct {
					Text         string `json:"text"`
					Thought      bool   `json:"thought"`
					FunctionCall *struct {
						Name string          `json:"name"`
						Args json.RawMessage `json:"args"`
					} `json:"functionCall"`
				} `json:"parts"`
			} `json:"content"`
		} `json:"candidates"`
	}
	if json.Unmarshal(doc, &ev) != nil || len(ev.Candidates) == 0 {
		return nil
	}
	kept := 0 // how much of data doc keeps; closeJSON appended the rest
	for kept < len(data) && kept < len(doc) && data[kept] == doc[kept] {
		kept++
	}
	closers := strings.TrimPrefix(string(doc[kept:]), `"`)
	var parts []geminiCutPart
	all := ev.Candidates[0].Content.Parts
	for i, p := range all {
		if fc := p.FunctionCall; fc != nil {
			call := fc.Name
			var args bytes.Buffer
			if len(fc.Args) > 0 && json.Compact(&args, fc.Args) == nil && args.String() != "null" {
				call += args.String()
			}
			parts = append(parts, geminiCutPart{call: call})
			continue
		}
		if p.Text != "" {
			unsure := !p.Thought && i == len(all)-1 && closers == geminiOpenPart
			parts = append(parts, geminiCutPart{text: p.Text, thought: p.Thought, unsure: unsure})
		}
	}
	return parts
}
