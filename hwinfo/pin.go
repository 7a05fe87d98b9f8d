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

// The clock a run measures follows its host's load: on the 2-vCPU Zen 5
// VM, thirty 30 ms measurements in one process ranged over 2.92–3.51 GHz
// within a second, and six processes' medians over 3.31–3.42 GHz, so a
// peak computed from each run's own measurement moved by up to 7 %
// between runs. No longer measurement removes that: the clock itself
// moves. What does not move is the highest clock the machine reaches,
// and a dependent-add chain cannot run faster than that (interruptions
// only slow it). So the peak uses the highest clock measured on this
// machine so far, kept in the user's cache folder (clock.json beside
// the last run), and each run's own measurement raises it only when it
// is higher: after a few runs the figure stops moving, and the PEAK
// column of two runs divides by the same number. Deleting the file
// measures afresh.

// pinned is one machine's entry in clock.json.
type pinned struct {
	GHz   float64   `json:"ghz"`
	Since time.Time `json:"since"`
}

// pinnedClockFile is the path of clock.json; tests replace it.
var pinnedClockFile = func() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "gpubench", "clock.json"), nil
}

// machineKey names this machine in clock.json: the host and its CPU,
// so that a home folder shared between machines keeps one entry each.
func machineKey(c *CPU) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s|%s|%s|%d.%d.%d", host, c.Vendor, c.Brand, c.Family, c.Model, c.Stepping)
}

// pinClock returns the clock the peak uses, given this run's measurement
// hz (0: unknown): the highest of hz and the machine's pinned clock,
// with its method's description. It records hz when it is the new
// highest. Where clock.json cannot be read or written, hz stands alone.
func pinClock(c *CPU, hz float64, method string) (float64, string) {
	if hz <= 0 {
		return hz, method
	}
	path, err := pinnedClockFile()
	if err != nil {
		return hz, method
	}
	all := map[string]pinned{}
	if b, err := os.ReadFile(path); err == nil {
		if json.Unmarshal(b, &all) != nil {
			all = map[string]pinned{} // a damaged file starts afresh
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return hz, method
	}
	key := machineKey(c)
	p, ok := all[key]
	if ok && p.GHz*1e9 >= hz {
		return p.GHz * 1e9, fmt.Sprintf("%s; pinned: the highest measured on this machine since %s (this run %.2f GHz)",
			method, p.Since.Format(time.DateOnly), hz/1e9)
	}
	if !ok {
		p.Since = time.Now()
	}
	p.GHz = hz / 1e9
	all[key] = p
	if writePinned(path, all) != nil {
		return hz, method
	}
	return hz, fmt.Sprintf("%s; pinned: the highest measured on this machine since %s (this run)", method, p.Since.Format(time.DateOnly))
}

// writePinned writes clock.json whole (beside itself, then renamed into
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
