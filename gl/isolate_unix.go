//go:build unix

package gl

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// signalName names the signal that ended the process ps describes
// ("SIGSEGV"), or is empty where it exited.
func signalName(ps *os.ProcessState) string {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return ""
	}
	return unix.SignalName(ws.Signal())
}
