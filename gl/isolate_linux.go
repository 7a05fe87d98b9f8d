//go:build linux

package gl

import "syscall"

// childAttr makes the probe's child die with the process that started
// it: a command that stops waiting for a hung driver (gpubench list) and
// exits, or is killed, leaves no child behind.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
