package gateway

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"strconv"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/store"
)

// Settings keys (backend/store settings table).
const (
	SettingAddr        = "gateway.addr"
	SettingAllowRemote = "gateway.allow_remote"
	SettingEnabled     = "gateway.enabled" // the window runs the gateway in-process
)

// DefaultAddr is where the gateway listens unless configured otherwise.
const DefaultAddr = "127.0.0.1:8787"

// Config is how the gateway listens.
type Config struct {
	Addr        string `json:"addr"`        // host:port; "" = DefaultAddr
	AllowRemote bool   `json:"allowRemote"` // explicit opt-in to listen on a non-loopback address
	Enabled     bool   `json:"enabled"`     // the window starts the gateway when it opens
}

// RemoteWarning is shown whenever the gateway listens beyond loopback.
const RemoteWarning = "The API gateway listens on a non-loopback address: anyone who can reach this machine " +
	"on the network and holds an API key can spend the workspace's credits. Traffic is plain HTTP " +
	"(not encrypted): use it only on a trusted network or behind a TLS proxy."

// CheckAddr validates addr (host:port) and reports whether it is a loopback
// address. A non-loopback address fails with ErrRemoteNotAllowed unless
// allowRemote is set. An empty host means every interface (not loopback).
func CheckAddr(addr string, allowRemote bool) (loopback bool, err error) {
	host, port, err := net.SplitHostPort(strings.TrimSpace(addr))
	if err != nil {
		return false, inputerr.New(ErrInvalid, "address %q: want host:port (e.g. %s)", addr, DefaultAddr)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return false, inputerr.New(ErrInvalid, "address %q: port must be 0-65535", addr)
	}
	loopback = isLoopback(host)
	if !loopback && !allowRemote {
		return false, fmt.Errorf("address %q: %w", addr, ErrRemoteNotAllowed)
	}
	return loopback, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Config returns the stored gateway settings (anyone signed in).
func (s *Service) Config(ctx context.Context) (Config, error) {
	if _, err := access.Current(ctx); err != nil {
		return Config{}, fmt.Errorf("read gateway settings: %w", err)
	}
	addr, err := s.db.GetSetting(ctx, SettingAddr, DefaultAddr)
	if err != nil {
		return Config{}, err
	}
	remote, err := s.db.GetSetting(ctx, SettingAllowRemote, "false")
	if err != nil {
		return Config{}, err
	}
	enabled, err := s.db.GetSetting(ctx, SettingEnabled, "false")
	if err != nil {
		return Config{}, err
	}
	return Config{Addr: addr, AllowRemote: remote == "true", Enabled: enabled == "true"}, nil
}

// SetConfig validates and stores the gateway settings (admins only). It
// does not start or stop the server.
func (s *Service) SetConfig(ctx context.Context, c Config) (Config, error) {
	actor, err := access.RequireAdmin(ctx, "change the API gateway settings")
	if err != nil {
		return Config{}, err
	}
	c.Addr = strings.TrimSpace(c.Addr)
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if _, err := CheckAddr(c.Addr, c.AllowRemote); err != nil {
		return Config{}, fmt.Errorf("gateway settings: %w", err)
	}
	before, err := s.Config(ctx)
	if err != nil {
		return Config{}, fmt.Errorf("gateway settings: %w", err)
	}
	if before == c {
		return c, nil // nothing changes: nothing to write or log
	}
	// The three keys and the audit entry land together or not at all.
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]string{SettingAddr: c.Addr, SettingAllowRemote: strconv.FormatBool(c.AllowRemote),
			SettingEnabled: strconv.FormatBool(c.Enabled)} {
			if err := store.SetSettingTx(ctx, tx, k, v); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, s.clock(), actor, "api.settings", "api", before, c)
	})
	if err != nil {
		return Config{}, fmt.Errorf("gateway settings: %w", err)
	}
	return c, nil
}
