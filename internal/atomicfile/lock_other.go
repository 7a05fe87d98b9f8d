//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package atomicfile

import "os"

// createLocked makes a temporary file in dir; without flock it is not
// locked.
func createLocked(dir, pattern string) (*os.File, error) { return os.CreateTemp(dir, pattern) }

// removeIfUnlocked removes nothing where a writer's lock cannot be seen:
// a temporary file may be another run's, still being written.
func removeIfUnlocked(string) {}

// processAlive takes every process as alive where none can be asked
// about: nothing is removed.
func processAlive(int) bool { return true }
