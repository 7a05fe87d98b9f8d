//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// createLocked makes a temporary file in dir (os.CreateTemp's pattern)
// and holds an exclusive lock on it until it is closed.
func createLocked(dir, pattern string) (*os.File, error) {
	for range 3 {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
		// Another run's removeStale may have taken the file between its
		// making and the lock: then its name is gone, and another is made.
		fst, ferr := f.Stat()
		nst, nerr := os.Stat(f.Name())
		if ferr == nil && nerr == nil && os.SameFile(fst, nst) {
			return f, nil
		}
		f.Close()
	}
	return nil, errors.New("cannot keep a temporary file in " + dir + ": another process removes them")
}

// removeIfUnlocked removes the file at path where no process holds it
// locked.
func removeIfUnlocked(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
		os.Remove(path)
	}
}

// processAlive reports whether a process of id pid exists: signal 0
// checks without sending anything, and a process of another user
// answers EPERM, alive all the same.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
