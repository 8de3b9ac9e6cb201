package providers

import "fmt"

// SamplingError is CheckSampling's error: Param names the OpenAI request
// field (temperature, top_p, stop, presence_penalty or frequency_penalty).
// It matches ErrBadRequest.
type SamplingError struct{ Param, Msg string }

func (e *SamplingError) Error() string        { return fmt.Sprintf("%v: %s", ErrBadRequest, e.Msg) }
func (e *SamplingError) Is(target error) bool { return target == ErrBadRequest }

// Reason is the refusal's words without its kind, which the window shows
// (app.FormatError).
func (e *SamplingError) Reason() string { return e.Msg }

// CheckSampling checks the ranges documented on Sampling.
func CheckSampling(s Sampling) error {
	if t := s.Temperature; t != nil && !(*t >= 0 && *t <= 2) {
		return &SamplingError{"temperature", "temperature must be a number from 0 to 2"}
	}
	if p := s.TopP; p != nil && !(*p >= 0 && *p <= 1) {
		return &SamplingError{"top_p", "top_p must be a number from 0 to 1"}
	}
	for _, pen := range []struct {
		param string
		v     *float64
	}{{"presence_penalty", s.PresencePenalty}, {"frequency_penalty", s.FrequencyPenalty}} {
		if pen.v != nil && !(*pen.v >= -2 && *pen.v <= 2) {
			return &SamplingError{pen.param, pen.param + " must be a number from -2 to 2"}
		}
	}
	if len(s.Stop) > MaxStop {
		return &SamplingError{"stop", fmt.Sprintf("stop may hold at most %d sequences", MaxStop)}
	}
	for _, seq := range s.Stop {
		if seq == "" {
			return &SamplingError{"stop", "stop sequences must not be empty"}
		}
	}
	return nil
}
