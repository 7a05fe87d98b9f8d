// Package atomicfile writes files whole or not at all: to a temporary
// file beside the target, renamed over it. The results files and the
// probe's pinned clock both write this way.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// WriteFile writes data to a temporary file beside path and renames
// it over path, so that a reader never sees half a file. The file gets
// the mode of the one it replaces, or 0644 (as os.WriteFile would, less
// the umask it cannot read) for a new one: CreateTemp's 0600 would hide
// results from the other users of a shared machine.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write is WriteFile for contents that write calls out to
// the file piece by piece. It writes regular files only (see Target): a
// symlink is followed and its target replaced, and anything else that is
// not a regular file, or a file that is read-only, is refused.
//
// The temporary file is named .<name>.gpubench-tmp-<pid>-<digits>
// (tempPattern), a name only this package makes, and locked while it is
// written: the first write to a target removes that target's temporary
// files whose process is gone and which no one holds locked, the ones a
// killed run left (removeStale). Files of other names, and those of
// other targets, are never touched.
func Write(path string, write func(io.Writer) error) error {
	target, st, err := Target(path)
	if err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if st != nil {
		mode = st.Mode().Perm()
	}
	dir := filepath.Dir(target)
	removeStaleOnce(target)
	f, err := createLocked(dir, tempPattern(target))
	if err != nil {
		return err
	}
	// The lock goes with the close, after the rename: until then no
	// other run takes the file for a killed one's.
	defer f.Close()
	werr := write(f)
	merr := f.Chmod(mode)
	serr := f.Sync()
	if err := errors.Join(werr, merr, serr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), target); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// maxLinks bounds the symlinks Target follows, as the kernel does
// (ELOOP after 40).
const maxLinks = 40

// Target is the file a write to path replaces: path itself, or the end
// of the chain of symlinks it starts (a link that points nowhere yet
// gives the file it would make), with the file's Stat where it exists.
// It refuses what is not a regular file (a directory, a named pipe, a
// device, a socket) and a file that is read-only or that this user
// cannot write.
func Target(path string) (string, os.FileInfo, error) {
	for range maxLinks {
		st, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil, nil
		}
		if err != nil {
			return "", nil, err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			link, err := os.Readlink(path)
			if err != nil {
				return "", nil, err
			}
			if !filepath.IsAbs(link) {
				link = filepath.Join(filepath.Dir(path), link)
			}
			path = link
			continue
		}
		if err := regularWritable(path, st); err != nil {
			return "", nil, err
		}
		return path, st, nil
	}
	return "", nil, fmt.Errorf("%s: more than %d symlinks in a row", path, maxLinks)
}

// regularWritable refuses st, the file at path, unless it is a regular
// file this user may write.
func regularWritable(path string, st os.FileInfo) error {
	m := st.Mode()
	kind := ""
	switch {
	case m.IsDir():
		kind = "a directory"
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		kind = "a device"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case !m.IsRegular():
		kind = "not a regular file"
	}
	if kind != "" {
		return fmt.Errorf("%s is %s: gpubench writes regular files only", path, kind)
	}
	// Root may write any file, and a rename replaces one whatever its
	// mode: a file no one may write is taken as meant to stay.
	if m.Perm()&0o222 == 0 {
		return fmt.Errorf("%s is read-only (mode %04o)", path, m.Perm())
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("%s is not writable: %v", path, err)
	}
	return f.Close()
}

// CheckWritable says, before any work, whether Write could write
// path: Target's checks, and a file made and removed in its folder.
func CheckWritable(path string) error {
	target, _, err := Target(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(target)
	removeStaleOnce(target)
	f, err := createLocked(dir, tempPattern(target))
	if err != nil {
		// The probe file's random name would only puzzle the reader.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("%s is not writable: cannot create a file in %s: %v", target, dir, err)
	}
	os.Remove(f.Name())
	return f.Close()
}

// tempMarker sets the temporary files of Write apart from any other
// program's: .<name>.gpubench-tmp-<pid>-<CreateTemp's digits>.
const tempMarker = ".gpubench-tmp-"

// tempPattern is os.CreateTemp's pattern for a temporary file beside
// target, carrying this process's id, so that a cleaner can tell
// whether its writer is still alive.
func tempPattern(target string) string {
	return "." + filepath.Base(target) + tempMarker + strconv.Itoa(os.Getpid()) + "-*"
}

// tempOwner is the id of the process that made name, a temporary file
// of target's (tempPattern); ok is false for any other name.
func tempOwner(target, name string) (pid int, ok bool) {
	rest, found := strings.CutPrefix(name, "."+filepath.Base(target)+tempMarker)
	if !found {
		return 0, false
	}
	p, r, found := strings.Cut(rest, "-")
	if !found || !allDigits(p) || !allDigits(r) {
		return 0, false
	}
	pid, err := strconv.Atoi(p)
	return pid, err == nil && pid > 0
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// cleaned holds the targets whose stale temporary files this process
// has removed.
var cleaned sync.Map

// removeStaleOnce removes the temporary files a killed run left beside
// target, once per process and target.
func removeStaleOnce(target string) {
	if _, done := cleaned.LoadOrStore(target, true); !done {
		removeStale(target)
	}
}

// removeStale removes target's temporary files (tempOwner) whose
// process is gone and that no process holds locked: a run that writes
// one holds its lock until the rename, and both go with a killed
// process. A process id the system has since given to another process
// keeps the file; it goes once that one ends.
func removeStale(target string) {
	dir := filepath.Dir(target)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, ours := tempOwner(target, e.Name())
		if ours && e.Type().IsRegular() && pid != os.Getpid() && !processAlive(pid) {
			removeIfUnlocked(filepath.Join(dir, e.Name()))
		}
	}
}
