package gateway_test

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/gateway"
	"meterdesk/backend/providers/fake"
)

func TestCheckAddr(t *testing.T) {
	cases := []struct {
		addr     string
		remote   bool
		loopback bool
		err      error
	}{
		{"127.0.0.1:8787", false, true, nil},
		{"localhost:0", false, true, nil},
		{"[::1]:9000", false, true, nil},
		{"127.0.0.2:9000", false, true, nil},
		{"0.0.0.0:8787", false, false, gateway.ErrRemoteNotAllowed},
		{":8787", false, false, gateway.ErrRemoteNotAllowed},
		{"192.168.1.10:8787", false, false, gateway.ErrRemoteNotAllowed},
		{"0.0.0.0:8787", true, false, nil},
		{"127.0.0.1", false, false, gateway.ErrInvalid},
		{"127.0.0.1:http", false, false, gateway.ErrInvalid},
		{"127.0.0.1:70000", false, false, gateway.ErrInvalid},
		{"", false, false, gateway.ErrInvalid},
	}
	for _, tc := range cases {
		lb, err := gateway.CheckAddr(tc.addr, tc.remote)
		if !errors.Is(err, tc.err) || (err == nil && lb != tc.loopback) {
			t.Errorf("CheckAddr(%q, %v) = %v, %v; want %v, %v", tc.addr, tc.remote, lb, err, tc.loopback, tc.err)
		}
	}
}

// TestConfigAndRunner: settings are admin-only and validated; Start serves
// the API on the address, Stop stops it; a non-loopback address needs the
// opt-in and reports the warning.
func TestConfigAndRunner(t *testing.T) {
	e := newEnv(t, "1")
	def, err := e.gw.Config(e.as(e.bob))
	if err != nil || def.Addr != gateway.DefaultAddr || def.AllowRemote || def.Enabled {
		t.Fatalf("default config %+v %v", def, err)
	}
	if _, err := e.gw.SetConfig(e.as(e.bob), gateway.Config{Addr: "127.0.0.1:9999"}); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("member set config: %v", err)
	}
	if _, err := e.gw.SetConfig(e.admin, gateway.Config{Addr: "0.0.0.0:9999"}); !errors.Is(err, gateway.ErrRemoteNotAllowed) {
		t.Fatalf("remote without opt-in: %v", err)
	}
	if c, _ := e.gw.Config(e.admin); c != def {
		t.Fatalf("a refused config was stored: %+v", c)
	}
	if _, err := e.gw.SetConfig(e.admin, gateway.Config{Addr: "127.0.0.1:0", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.gw.Start(e.as(e.bob), gateway.Config{Addr: "127.0.0.1:0"}); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("member start: %v", err)
	}
	st, err := e.gw.AutoStart(e.admin)
	if err != nil || !st.Running || st.Remote || st.Warning != "" {
		t.Fatalf("autostart %+v %v", st, err)
	}
	if _, err := e.gw.Start(e.admin, gateway.Config{Addr: "127.0.0.1:0"}); !errors.Is(err, gateway.ErrRunning) {
		t.Fatalf("second start: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, st.BaseURL+"/credits", nil)
	req.Header.Set("Authorization", "Bearer "+e.bobKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("request to the running gateway: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := e.gw.Stop(e.as(e.bob)); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("member stop: %v", err)
	}
	if err := e.gw.Stop(e.admin); err != nil {
		t.Fatal(err)
	}
	if e.gw.Status().Running {
		t.Fatal("still running")
	}
	if _, err := http.Get(st.BaseURL + "/models"); err == nil {
		t.Fatal("still answering after Stop")
	}
	if err := e.gw.Stop(e.admin); !errors.Is(err, gateway.ErrNotRunning) {
		t.Fatalf("second stop: %v", err)
	}
	if _, err := e.gw.Start(e.admin, gateway.Config{Addr: "0.0.0.0:0"}); !errors.Is(err, gateway.ErrRemoteNotAllowed) {
		t.Fatalf("remote start: %v", err)
	}
	st, err = e.gw.Start(e.admin, gateway.Config{Addr: "0.0.0.0:0", AllowRemote: true})
	if err != nil || !st.Remote || st.Warning != gateway.RemoteWarning {
		t.Fatalf("remote start %+v %v", st, err)
	}
	// Apply (the window's toggle) saves the settings and matches the server to them.
	if _, err := e.gw.Apply(e.as(e.bob), gateway.Config{Addr: "127.0.0.1:0", Enabled: true}); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("member apply: %v", err)
	}
	st, err = e.gw.Apply(e.admin, gateway.Config{Addr: "127.0.0.1:0", Enabled: true})
	if err != nil || !st.Running || st.Remote {
		t.Fatalf("apply on: %+v %v", st, err)
	}
	if st, err = e.gw.Apply(e.admin, gateway.Config{Addr: "127.0.0.1:0", Enabled: false}); err != nil || st.Running {
		t.Fatalf("apply off: %+v %v", st, err)
	}
	if c, _ := e.gw.Config(e.admin); c.Enabled || c.Addr != "127.0.0.1:0" {
		t.Fatalf("applied config %+v", c)
	}
	// Serve (meterdesk serve) stops when its context ends.
	if err := e.gw.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(e.admin)
	done := make(chan error, 1)
	go func() {
		done <- e.gw.Serve(ctx, gateway.Config{Addr: "127.0.0.1:0"}, func(s gateway.Status) { cancel() })
	}()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if e.gw.Status().Running {
		t.Fatal("running after Serve returned")
	}
}

// TestStopWaitsForStreamsToBeCharged: stopping the server (Ctrl-C on
// `meterdesk serve`, the window closing) while a stream runs past the grace
// cuts the stream, and returns only once its handler has charged what was
// delivered and resolved the hold, so the ledger can be closed after it.
func TestStopWaitsForStreamsToBeCharged(t *testing.T) {
	defer gateway.SetShutdownGrace(50 * time.Millisecond)()
	e := newEnv(t, "100")
	e.fake.SetScript(fake.Script{Chunks: []string{"Hello", " world"}, FailAfter: 1, Fault: fake.Hang})
	st, err := e.gw.Start(e.admin, gateway.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, st.BaseURL+"/chat/completions",
		strings.NewReader(`{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`))
	req.Header.Set("Authorization", "Bearer "+e.bobKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := bufio.NewReader(resp.Body)
	for {
		line, err := got.ReadString('\n')
		if err != nil {
			t.Fatalf("the stream ended before any text: %v", err)
		}
		if strings.Contains(line, "Hello") {
			break
		}
	}
	if err := e.gw.Stop(e.admin); err != nil {
		t.Fatal(err)
	}
	e.checkLedger() // no hold pending the moment Stop returns
	if e.charged() == "0" {
		t.Fatal("the text delivered was not charged")
	}
}
