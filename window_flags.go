//go:build !dev

package main

// windowTakesFlags says whether the window accepts flags besides the
// global ones: not in a production build (see run).
const windowTakesFlags = false
