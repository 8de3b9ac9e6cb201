//go:build dev

package main

// windowTakesFlags: Wails' dev build parses its own flags from os.Args.
const windowTakesFlags = true
