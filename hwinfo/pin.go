package hwinfo

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gpubench/gpubench/internal/atomicfile"
)

// The clock a run measures follows its host's load, so a peak computed
// from each run's own measurement moves between runs, and no longer
// measurement removes that: the clock itself moves (measurements:
// docs/methodology.md#why-these-constants). What does not move is the highest clock the machine reaches,
// and a dependent-add chain cannot run faster than that (interruptions
// only slow it). So the peak uses the highest clock measured on this
// machine so far, kept in a file of the user's cache folder (cmd keeps
// clock.json beside the last run and calls PinClock), and each run's
// own measurement raises it only when it is higher: after a few runs the
// figure stops moving, and the PEAK column of two runs divides by the
// same number. Deleting the file measures afresh.

// pinned is one machine's entry in the pinned clock's file.
type pinned struct {
	GHz   float64   `json:"ghz"`
	Since time.Time `json:"since"`
}

// errNoPinFile is PinClock's error for an empty path.
var errNoPinFile = errors.New("hwinfo: no file to pin the clock in")

// machineKey names this machine in the pinned clock's file: the host
// and its CPU, so that a home folder shared between machines keeps one
// entry each.
func machineKey(c *CPU) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s|%s|%s|%d.%d.%d", host, c.Vendor, c.Brand, c.Family, c.Model, c.Stepping)
}

// PinClock makes info's peak that of the pinned clock: the highest clock
// measured on this machine, kept in the JSON file at path, one entry per
// machine (host and CPU). Where info's own measurement is higher, or
// the machine has no entry yet, that measurement becomes the pinned
// clock and the file is written again, whole; a damaged file starts
// afresh. Peak.ClockMethod says which clock the peak uses, and
// Peak.ClockRunGHz keeps this run's own. Where the file cannot be read
// or written, info keeps its own measurement, described as it was, and
// PinClock returns why. An info without a measured clock (one read back
// from JSON) is left as it is. Pinning an info twice gives what pinning
// it once did.
//
// PinClock changes *info: cmd pins the Info that Probe returns before it
// opens a backend, so that the backends, which read Probe, see the
// pinned clock. It must not run beside readers of info.
func PinClock(path string, info *Info) error {
	if info.runHz <= 0 {
		return nil
	}
	hz, method, err := pin(path, machineKey(&info.CPU), info.runHz, info.runMethod)
	info.Peak = newPeak(info.Peak.Cores, hz, method, info.dp)
	info.Peak.ClockRunGHz = info.runHz / 1e9
	return err
}

// pin returns the clock the peak uses, given this run's measurement
// hz > 0 on the machine key: the highest of hz and the machine's clock
// pinned in the file at path, with its method's description. It records
// hz when it is the new highest. Where the file cannot be read or
// written, hz stands alone, with method, and the error says why.
func pin(path, key string, hz float64, method string) (float64, string, error) {
	if path == "" {
		return hz, method, errNoPinFile
	}
	all := map[string]pinned{}
	if b, err := os.ReadFile(path); err == nil {
		if json.Unmarshal(b, &all) != nil {
			all = map[string]pinned{} // a damaged file starts afresh
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return hz, method, err
	}
	p, ok := all[key]
	switch {
	case ok && p.GHz*1e9 > hz:
		return p.GHz * 1e9, fmt.Sprintf("%s; pinned: the highest measured on this machine since %s (this run %.2f GHz)",
			method, p.Since.Format(time.DateOnly), hz/1e9), nil
	case !ok:
		p.Since = time.Now()
		fallthrough
	case p.GHz != hz/1e9:
		p.GHz = hz / 1e9
		all[key] = p
		if err := writePinned(path, all); err != nil {
			return hz, method, err
		}
	}
	return hz, fmt.Sprintf("%s; pinned: the highest measured on this machine since %s (this run)", method, p.Since.Format(time.DateOnly)), nil
}

// writePinned writes the pinned clock's file whole (beside itself, then renamed into
// place), so that runs started at once never read half a file.
func writePinned(path string, all map[string]pinned) error {
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'))
}
