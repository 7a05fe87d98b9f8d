//go:build !linux

package gl

import "syscall"

// childAttr is nil where the OS cannot tie a child's life to its
// parent's: there a hung probe's child outlives a command that stops
// waiting for it.
func childAttr() *syscall.SysProcAttr { return nil }
