package gateway

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"meterdesk/backend/access"
)

// Status says whether the in-process server runs and where.
type Status struct {
	Running bool   `json:"running"`
	Addr    string `json:"addr"`    // the address actually bound (port 0 resolved)
	BaseURL string `json:"baseUrl"` // "http://<addr>/v1", what SDKs take as base URL
	Remote  bool   `json:"remote"`  // listening beyond loopback
	Warning string `json:"warning"` // RemoteWarning when Remote
	Error   string `json:"error"`   // why the server stopped on its own, if it did
}

// runner is the one in-process server.
type runner struct {
	mu       sync.Mutex
	srv      *http.Server
	status   Status
	done     chan struct{}
	handlers *sync.WaitGroup         // the server's requests in flight
	halt     context.CancelCauseFunc // cancels the requests still running, with errServerStopped
}

// shutdownGrace is how long Stop waits for requests in flight (streams are
// then cut; their holds are settled by the handlers before they return, and
// Stop waits for that).
var shutdownGrace = 10 * time.Second

// stopAnswerGrace is how long Stop, once the grace is over and the requests
// still running are cancelled, lets their handlers tell their clients
// (server_stopped) before it closes the connections.
const stopAnswerGrace = 5 * time.Second

// errServerStopped: the server was stopped while the request ran (Stop,
// past its grace): the client is told so (503, or a stream's error event,
// code server_stopped) and charged for what the provider had generated,
// as when a client goes away.
var errServerStopped = errors.New("the Meterdesk API server was stopped while this request was running")

// stoppedBy returns errServerStopped for err when err is ctx's cancellation
// by Stop (its cause), else err: the request is not the client's doing
// (clientGone) but the server's.
func stoppedBy(ctx context.Context, err error) error {
	if err != nil && errors.Is(err, context.Canceled) && errors.Is(context.Cause(ctx), errServerStopped) {
		return errServerStopped
	}
	return err
}

// Start listens on cfg.Addr and serves the API in the background (admins
// only). A non-loopback address needs cfg.AllowRemote; the Status then
// carries RemoteWarning.
func (s *Service) Start(ctx context.Context, cfg Config) (Status, error) {
	if _, err := access.RequireAdmin(ctx, "start the API gateway"); err != nil {
		return Status{}, err
	}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	loopback, err := CheckAddr(cfg.Addr, cfg.AllowRemote)
	if err != nil {
		return Status{}, fmt.Errorf("start the API gateway: %w", err)
	}
	r := &s.runner
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv != nil {
		return r.status, ErrRunning
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return Status{}, fmt.Errorf("start the API gateway: listen on %s: %w", cfg.Addr, err)
	}
	addr := ln.Addr().String()
	handlers := &sync.WaitGroup{}
	h := s.Handler()
	stopping, halt := context.WithCancelCause(context.Background())
	counted := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		handlers.Add(1)
		defer handlers.Done()
		// Stop past its grace cancels the request with errServerStopped
		// as the cause (stoppedBy), its connection still open to say so.
		ctx, cancel := context.WithCancelCause(req.Context())
		defer cancel(nil)
		defer context.AfterFunc(stopping, func() { cancel(errServerStopped) })()
		h.ServeHTTP(w, req.WithContext(ctx))
	})
	srv := &http.Server{Handler: counted, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	r.srv, r.done, r.handlers, r.halt = srv, make(chan struct{}), handlers, halt
	r.status = Status{Running: true, Addr: addr, BaseURL: "http://" + addr + "/v1", Remote: !loopback}
	if !loopback {
		r.status.Warning = RemoteWarning
	}
	done := r.done
	go func() {
		defer close(done)
		err := srv.Serve(ln)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.srv == srv {
			r.srv = nil
			r.status = Status{Addr: addr}
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				r.status.Error = err.Error()
			}
		}
	}()
	return r.status, nil
}

// Stop shuts the in-process server down (admins only), letting requests in
// flight finish for a few seconds.
func (s *Service) Stop(ctx context.Context) error {
	if _, err := access.RequireAdmin(ctx, "stop the API gateway"); err != nil {
		return err
	}
	return s.stop(ctx)
}

func (s *Service) stop(ctx context.Context) error {
	r := &s.runner
	r.mu.Lock()
	srv, done, handlers, halt := r.srv, r.done, r.handlers, r.halt
	r.srv = nil
	if srv != nil {
		r.status = Status{Addr: r.status.Addr}
	}
	r.mu.Unlock()
	if srv == nil {
		return ErrNotRunning
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		// The grace is over: the requests still running are cancelled
		// (errServerStopped), and each handler charges what its provider
		// generated, resolves its hold and tells its client
		// (server_stopped) on the connection still open. Shutdown again
		// waits for those answers to be sent, not only for the handlers
		// to return (what a handler wrote may still be in its
		// connection's buffer, and a stream's end and trailers unsent);
		// then Close cuts what is left (a client that does not read).
		halt(errServerStopped)
		actx, acancel := context.WithTimeout(context.WithoutCancel(ctx), stopAnswerGrace)
		if srv.Shutdown(actx) != nil {
			_ = srv.Close()
		}
		acancel()
	}
	halt(nil)
	<-done
	// A handler still running after Close goes on: it charges what its
	// stream delivered and resolves its hold before it returns. Stop
	// returns only then, so the caller may close the ledger.
	handlers.Wait()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("stop the API gateway: %w", err)
	}
	return nil
}

// Status reports the in-process server's state.
func (s *Service) Status() Status {
	s.runner.mu.Lock()
	defer s.runner.mu.Unlock()
	return s.runner.status
}

// Serve runs the gateway until ctx is done (meterdesk serve), then stops it.
// ready, if not nil, is called once the server listens.
func (s *Service) Serve(ctx context.Context, cfg Config, ready func(Status)) error {
	st, err := s.Start(ctx, cfg)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(st)
	}
	s.runner.mu.Lock()
	done := s.runner.done
	s.runner.mu.Unlock()
	select {
	case <-ctx.Done():
		if err := s.stop(ctx); err != nil && !errors.Is(err, ErrNotRunning) {
			return err
		}
		return nil
	case <-done:
		if e := s.Status().Error; e != "" {
			return fmt.Errorf("API gateway stopped: %s", e)
		}
		return nil
	}
}

// AutoStart starts the server when the Enabled setting is on (the window
// calls it when it opens). It returns the status (not running when disabled).
func (s *Service) AutoStart(ctx context.Context) (Status, error) {
	cfg, err := s.Config(ctx)
	if err != nil || !cfg.Enabled {
		return s.Status(), err
	}
	st, err := s.Start(ctx, cfg)
	if errors.Is(err, ErrRunning) {
		return st, nil
	}
	return st, err
}

// Close stops the server if it runs (backend shutdown; no role check).
func (s *Service) Close() error {
	if err := s.stop(context.Background()); err != nil && !errors.Is(err, ErrNotRunning) {
		return err
	}
	return nil
}

// Apply stores c (admins only) and makes the in-process server match it:
// stopped when c.Enabled is off, otherwise (re)started on c's address. It
// is what the window's Settings → API toggle and form call.
func (s *Service) Apply(ctx context.Context, c Config) (Status, error) {
	c, err := s.SetConfig(ctx, c)
	if err != nil {
		return s.Status(), err
	}
	if err := s.stop(ctx); err != nil && !errors.Is(err, ErrNotRunning) {
		return s.Status(), err
	}
	if !c.Enabled {
		return s.Status(), nil
	}
	return s.Start(ctx, c)
}
