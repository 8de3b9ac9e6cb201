package chat

import (
	"errors"
	"fmt"

	"meterdesk/backend/providers"
)

// ModelSettings are a conversation's generation parameters, sent with each
// of its requests (the window's "Model settings", `meterdesk conversations
// set`). Nil or 0 leaves the choice to the provider or the model.
type ModelSettings struct {
	Temperature *float64 `json:"temperature"` // 0 to 2; nil = the provider's default
	TopP        *float64 `json:"topP"`        // 0 to 1; nil = the provider's default
	// MaxOutput is the output tokens asked for, and held for, per reply:
	// a smaller budget makes a smaller hold, so a send fits a low balance.
	// 0 = DefaultMaxOutput(model).
	MaxOutput int `json:"maxOutput"`
}

// checkSettings checks the ranges documented on ModelSettings (the sampling
// ranges are providers.CheckSampling's).
func checkSettings(s ModelSettings) error {
	if err := checkMaxOutput(s.MaxOutput, "max output"); err != nil {
		return err
	}
	var se *providers.SamplingError
	if err := providers.CheckSampling(s.sampling()); errors.As(err, &se) {
		return fmt.Errorf("%w: %s", ErrInvalid, se.Msg)
	} else if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return nil
}

// checkMaxOutput checks an output budget (0 = the model's default): a
// conversation's max output and a request's max tokens alike.
func checkMaxOutput(n int, what string) error {
	if n < 0 || n > MaxRequestTokens {
		return fmt.Errorf("%w: %s must be from 0 (the model's default) to %d tokens", ErrInvalid, what, MaxRequestTokens)
	}
	return nil
}

// sampling is the part of s sent as sampling parameters.
func (s ModelSettings) sampling() providers.Sampling {
	return providers.Sampling{Temperature: s.Temperature, TopP: s.TopP}
}

// withOverrides is s with a send's own temperature, top_p and output budget
// in place of the conversation's where the send sets them.
func (s ModelSettings) withOverrides(req *SendRequest) ModelSettings {
	if req.Temperature != nil {
		s.Temperature = req.Temperature
	}
	if req.TopP != nil {
		s.TopP = req.TopP
	}
	if req.MaxTokens != 0 { // a negative one is refused by checkMeterRequest
		s.MaxOutput = req.MaxTokens
	}
	return s
}
