package providers

import "strconv"

// auditView is what the audit log keeps of a provider: its name, kind and
// address, and where its key is kept, never the key or its hint.
type auditView struct {
	Name       string `json:"name"`
	Kind       Kind   `json:"kind"`
	BaseURL    string `json:"baseUrl"`
	Key        string `json:"key"`                  // where the key is kept: keychain, sealed or none
	KeyChanged bool   `json:"keyChanged,omitempty"` // an edit that replaced or cleared the key
}

func viewOf(p Provider) auditView {
	return auditView{Name: p.Name, Kind: p.Kind, BaseURL: p.BaseURL, Key: p.KeyStore}
}

// testView is what the audit log keeps of a connection test that sent a
// saved key: the server it went to and the outcome.
type testView struct {
	Name    string `json:"name"`
	Kind    Kind   `json:"kind"`
	BaseURL string `json:"baseUrl"`
	OK      bool   `json:"ok"`
	Status  int    `json:"status,omitempty"` // the server's HTTP status when it refused
}

// auditTarget names a provider in the audit log.
func auditTarget(id int64) string { return "provider:" + strconv.FormatInt(id, 10) }
