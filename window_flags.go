//go:build !dev && !bindings

package main

// windowTakesFlags says whether the window accepts flags besides the
// global ones (not in a production build), and windowNeedsDisplay whether
// it checks for a display before starting GTK (see run).
const (
	windowTakesFlags   = false
	windowNeedsDisplay = true
)
