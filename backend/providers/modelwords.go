package providers

import (
	"fmt"
	"time"

	"meterdesk/backend/workzone"
)

// NoModelsChosen is why a live list that is empty is no working
// provider: `meterdesk providers models` fails with it ("provider
// \"NAME\": it lists no models, …"), `providers test` says it after
// "connected, but its test is incomplete: ", and Settings → Providers →
// Models shows it (ModelList.Why, filled by ListWords).
const NoModelsChosen = "it lists no models, so no model can be chosen for it"

// ListWords says which list ml is, and, for a listing that failed
// (ml.Stale) or a live list that is empty, why: the one wording of
// `meterdesk providers models` ("provider \"NAME\": WHY; SHOWN" when it
// fails, SHOWN on stderr when it does not) and of the window's Settings →
// Providers → Models, which shows why and shown as they are
// (core.Backend.ProviderModels puts them in ml.Why and ml.Shown), so that
// neither words the rule, nor formats a time, itself.
//
// Every time is in loc, the workspace's zone, as every time is printed
// (workzone.LocalTime, then the zone's name; nil: UTC). A live list's
// shown is when it was fetched ("fetched from the provider 2026-11-24
// 15:00:05 Europe/Berlin"); its why is NoModelsChosen when it is empty,
// "" otherwise (an Incomplete one's words are its Error).
//
// For a stale list, why is ml.Error as the backend worded it when the
// provider could not be reached ("offline: the provider cannot be
// reached: …"), or "listing the models failed: …" when it answered with
// an error. shown is the last known list from its date, or that there is
// none ("no last known list (it never listed its models)") or that it was
// empty; then, when the list was completed with the rate catalogue's
// models (ml.FromCatalogue), how many: "…; 1 model of the rate catalogue
// the chat offers for it (not fetched from the provider)".
func ListWords(ml ModelList, loc *time.Location) (why, shown string) {
	if loc == nil {
		loc = time.UTC
	}
	from := ml.CheckedAt
	if at, err := time.Parse(time.RFC3339Nano, ml.CheckedAt); err == nil {
		from = workzone.LocalTime(at, loc, workzone.Seconds) + " " + loc.String()
	}
	if !ml.Stale {
		if len(ml.Models) == 0 {
			why = NoModelsChosen
		}
		return why, "fetched from the provider " + from
	}
	why = "listing the models failed: " + ml.Error
	if ml.Offline {
		why = ml.Error
	}
	shown = "no last known list (it never listed its models)"
	known := len(ml.Models) - len(ml.FromCatalogue)
	switch {
	case ml.CheckedAt != "" && known == 0:
		shown = "the last known list, from " + from + ", was empty"
	case ml.CheckedAt != "":
		shown = "the last known list, from " + from
	}
	if n := len(ml.FromCatalogue); n > 0 {
		models := fmt.Sprintf("%d models", n)
		if n == 1 {
			models = "1 model"
		}
		shown += "; " + models + " of the rate catalogue the chat offers for it (not fetched from the provider)"
	}
	return why, shown
}
