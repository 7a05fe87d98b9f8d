package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gpubench/gpubench/hwinfo"
)

// cacheDir is the folder gpubench keeps its files in between runs: the
// last run and the last roofline (package results) and the pinned clock
// (clock.json). It is gpubench under the user's cache folder
// (os.UserCacheDir: $XDG_CACHE_HOME, else ~/.cache on Linux), chosen
// here and handed to the packages that keep files there; "" where the
// user has no cache folder, and then nothing is kept.
func cacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "gpubench")
}

// pinnedMachine is this machine as hwinfo.Probe describes it, its peak
// taken from the pinned clock: the highest measured on this machine,
// kept in clock.json in the cache folder (hwinfo.PinClock). It pins the
// Info that Probe returns, so it runs before any backend opens (they
// read Probe); pinning again gives the same peak. Where clock.json
// cannot be had, the peak is this run's own clock, and its method says
// so (it is not marked pinned). Where clock.json was damaged or held an
// impossible clock, PinClock's note, which names the file and where it
// was set aside, goes to notes (nil: nowhere).
func pinnedMachine(notes io.Writer) *hwinfo.Info {
	info := hwinfo.Probe()
	if dir := cacheDir(); dir != "" {
		n, _ := hwinfo.PinClock(filepath.Join(dir, "clock.json"), info)
		note(notes, n)
	}
	return info
}

// note writes s, a note about the machine, on w; nothing where either
// is empty.
func note(w io.Writer, s string) {
	if s != "" && w != nil {
		fmt.Fprintln(w, "gpubench: note:", s)
	}
}
