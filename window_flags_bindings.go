//go:build bindings && !dev

package main

// The bindings build (scripts/bindings.sh) writes the TypeScript bindings
// and exits inside wails.Run without opening a window: no display needed.
const (
	windowTakesFlags   = false
	windowNeedsDisplay = false
)
