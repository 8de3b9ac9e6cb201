// Package events carries notifications from the Go backend to the frontend
// (or to tests) through a small interface, so that domain code never calls
// Wails' runtime.EventsEmit directly (which calls log.Fatalf on a context
// Wails did not create).
package events

import "sync"

// Names of the events the backend emits. The frontend subscribes by name.
const (
	BalanceChanged = "balance:changed" // payload: none; re-read balances and spending limits: credits moved, a limit set or removed
	ChatDelta      = "chat:delta"      // payload: chat.Delta
	ChatDone       = "chat:done"       // payload: chat.Result
	ChatSent       = "chat:sent"       // payload: app.SendResult; how a window's Chat.StartSend ended
	Notification   = "notification"    // payload: a notification record
	ExportProgress = "export:progress" // payload: progress record
	RatesChanged   = "rates:changed"
	DataChanged    = "data:changed" // payload: none; another process changed the data: re-read what is shown

	// The native menu's commands, handled by the frontend shell.
	MenuNavigate = "menu:navigate" // payload: "chat" | "usage" | "statements" | "settings"
	MenuNewChat  = "menu:new-chat" // payload: none
	MenuBackup   = "menu:backup"   // payload: none; starts a database backup
	MenuRestore  = "menu:restore"  // payload: none; starts a restore from a backup (admins)
)

// Emitter sends a named event with an optional payload.
type Emitter interface {
	Emit(name string, payload any)
}

// Nop drops every event; it is the default where no frontend is attached.
type Nop struct{}

// Emit does nothing.
func (Nop) Emit(string, any) {}

// Event is one recorded emission.
type Event struct {
	Name    string
	Payload any
}

// Recorder keeps every event in memory; tests use it to assert emissions.
type Recorder struct {
	mu     sync.Mutex
	events []Event
}

// Emit records the event.
func (r *Recorder) Emit(name string, payload any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, Event{Name: name, Payload: payload})
}

// Events returns a copy of what was recorded so far.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Count returns how many events named name were recorded.
func (r *Recorder) Count(name string) int {
	n := 0
	for _, e := range r.Events() {
		if e.Name == name {
			n++
		}
	}
	return n
}

// Desktop is implemented by notification payloads that also want an OS
// desktop notification (shown once, by the window's emitter).
type Desktop interface {
	DesktopNotification() (title, body string, ok bool)
}

// Audience is implemented by payloads meant for some people only: a
// member's own or their department's balance alerts, spending anomalies for
// admins. The window delivers such an event, and its desktop notification,
// only while someone who may see it is signed in (app.MayReceive); the same
// rule as the notification centre's list.
type Audience interface {
	// Audience names whom the payload concerns: a member (userID, or an
	// account "user:N"), a department (account "dept:N"), or admins only.
	Audience() (userID int64, account string, adminsOnly bool)
}

// Addressed is implemented by payloads whose words depend on who reads
// them: a notification about a member's own wallet says "Your wallet" to
// that member and names the member to an admin, and tells a member to ask
// an admin for credits where an admin is told to top up. The window sends
// the payload as WordedFor words it for whoever is signed in (the CLI and
// the notification list decide by the signed-in actor the same way).
type Addressed interface {
	// WordedFor is the payload in the words of the signed-in reader: their
	// user id, and whether they are an admin.
	WordedFor(reader int64, admin bool) any
}

// Private is implemented by payloads for one member only: a reply
// streaming into their conversation. The window delivers such an event
// only while that member is signed in: not to an admin who signed in after
// them, nor to the lock screen. Owner 0 (the system actor, before the
// first-run setup) is whoever is signed in.
type Private interface {
	Owner() (userID int64)
}
