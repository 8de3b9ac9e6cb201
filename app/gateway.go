package app

import (
	"context"
	"log"

	"meterdesk/backend/access"
	"meterdesk/backend/gateway"
)

func init() {
	register(func(a *App) any {
		// The window runs the API in-process when Settings → API has it on.
		// An admin turned it on; starting it is an internal job.
		if a.Backend != nil && a.Backend.Gateway != nil {
			sys := access.WithActor(context.Background(), access.System)
			if _, err := a.Backend.Gateway.AutoStart(sys); err != nil {
				log.Printf("meterdesk: API gateway not started: %v", err)
			}
		}
		return &Gateway{app: a}
	})
}

// Gateway is the bound struct for Settings → API: the in-process server and
// the API keys. Role checks happen in backend/gateway.
type Gateway struct{ app *App }

// Overview is what Settings → API shows.
type Overview struct {
	Config gateway.Config `json:"config"`
	Status gateway.Status `json:"status"`
}

// Overview returns the settings and whether the server runs.
func (g *Gateway) Overview() (Overview, error) {
	c, err := g.app.Backend.Gateway.Config(g.app.Ctx())
	if err != nil {
		return Overview{}, err
	}
	return Overview{Config: c, Status: g.app.Backend.Gateway.Status()}, nil
}

// Apply saves the settings and starts, restarts or stops the server to
// match (admins only).
func (g *Gateway) Apply(c gateway.Config) (gateway.Status, error) {
	return g.app.Backend.Gateway.Apply(g.app.Ctx(), c)
}

// Keys lists API keys: userID's, or everyone's for 0 (admins).
func (g *Gateway) Keys(userID int64) ([]gateway.Key, error) {
	return g.app.Backend.Gateway.ListKeys(g.app.Ctx(), userID)
}

// CreateKey creates a key for userID (0 = the signed-in member); the
// secret in the result is shown once.
func (g *Gateway) CreateKey(userID int64, name string) (gateway.NewKey, error) {
	ctx, a, ok := g.app.CtxActor()
	if userID == 0 && ok {
		userID = a.UserID
	}
	return g.app.Backend.Gateway.CreateKey(ctx, userID, name)
}

// RevokeKey revokes key id; it returns the id.
func (g *Gateway) RevokeKey(id int64) (int64, error) {
	if err := g.app.Backend.Gateway.RevokeKey(g.app.Ctx(), id); err != nil {
		return 0, err
	}
	return id, nil
}
