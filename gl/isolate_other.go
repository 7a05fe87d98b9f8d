//go:build !unix

package gl

import "os"

// signalName is empty where the OS has no signals to name.
func signalName(*os.ProcessState) string { return "" }
