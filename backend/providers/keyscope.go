package providers

import (
	"errors"
	"net/url"
	"strings"
)

// ErrKeyForOtherServer is returned when an edit or a connection test would
// send a saved API key to another server than the one it was saved for.
var ErrKeyForOtherServer = errors.New("the saved API key is only sent to the server it was saved for; enter the key again for the new server (or clear it)")

// keyFollows reports whether the saved key of old may be used with kind and
// baseURL (both cleaned): the same kind and the same server (scheme, host
// and port; the path may change, e.g. /v1 to /v1beta). Pointing a provider
// elsewhere takes the key again, so editing a URL cannot send a saved key to
// a server of someone's choosing.
func keyFollows(old Provider, kind Kind, baseURL string) bool {
	if kind != old.Kind {
		return false
	}
	a, errA := url.Parse(old.BaseURL)
	b, errB := url.Parse(baseURL)
	return errA == nil && errB == nil && a.Scheme == b.Scheme && strings.EqualFold(a.Host, b.Host)
}
