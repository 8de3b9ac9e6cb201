//go:build dev

package main

// Wails' dev build parses its own flags from os.Args.
const (
	windowTakesFlags   = true
	windowNeedsDisplay = true
)
