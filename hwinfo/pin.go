package hwinfo

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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

// maxPinRatio is how far above this run's measured clock a pinned clock
// is still believed. A dependent-add chain runs at the clock the core
// reaches; load only slows it, by up to 11 % on the machines measured
// (docs/methodology.md#why-these-constants), so a pinned clock half as
// fast again as this run's is not this machine's: an edited or copied
// file. A pinned clock below this run's is allowed (this run raises it).
const maxPinRatio = 1.5

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
// clock and the file is written again, whole. Peak.ClockMethod says
// which clock the peak uses, and Peak.ClockRunGHz keeps this run's own.
// Where the file cannot be read or written, info keeps its own
// measurement, described as it was, and PinClock returns why. An info
// without a measured clock (one read back from JSON, or whose
// measurement was implausible) is left as it is. Pinning an info twice
// gives what pinning it once did.
//
// A file that is not one PinClock wrote, or that holds a clock outside
// MinClockGHz–MaxClockGHz (a damaged or edited file), is set aside as
// path+".bad", not deleted, and this run's measurement is pinned in a
// new one; note says so in one line, naming the file, for the user. So
// is a file whose clock for this machine is more than maxPinRatio times
// this run's measurement; the new file keeps the other machines' clocks.
//
// PinClock changes *info: cmd pins the Info that Probe returns before it
// opens a backend, so that the backends, which read Probe, see the
// pinned clock. It must not run beside readers of info.
func PinClock(path string, info *Info) (note string, err error) {
	if info.runHz <= 0 {
		return "", nil
	}
	hz, method, note, err := pin(path, machineKey(&info.CPU), info.runHz, info.runMethod)
	info.Peak = newPeak(info.Peak.Cores, hz, method, info.dp)
	info.Peak.ClockRunGHz = info.runHz / 1e9
	return note, err
}

// pin returns the clock the peak uses, given this run's measurement
// hz > 0 on the machine key: the highest of hz and the machine's clock
// pinned in the file at path, with its method's description. It records
// hz when it is the new highest. Where the file cannot be read or
// written, hz stands alone, with method, and the error says why. A file
// readPinned finds unusable is set aside first, and note says so.
func pin(path, key string, hz float64, method string) (float64, string, string, error) {
	if path == "" {
		return hz, method, "", errNoPinFile
	}
	all, why, err := readPinned(path)
	if err != nil {
		return hz, method, "", err
	}
	if p, ok := all[key]; ok && why == "" && p.GHz*1e9 > maxPinRatio*hz {
		why = fmt.Sprintf("a clock of %s GHz, more than %g× the %.2f GHz measured now",
			strconv.FormatFloat(p.GHz, 'g', -1, 64), maxPinRatio, hz/1e9)
		delete(all, key) // the other machines' clocks are kept
	}
	note := ""
	if why != "" {
		bad := path + ".bad"
		// A run started beside this one may have set it aside first.
		if err := os.Rename(path, bad); err != nil && !errors.Is(err, os.ErrNotExist) {
			return hz, method, fmt.Sprintf("%s: %s; it could not be set aside (%v), so this run's clock stands", path, why, err), err
		}
		note = fmt.Sprintf("%s: %s; set aside as %s, and this run's clock pinned afresh", path, why, filepath.Base(bad))
	}
	p, ok := all[key]
	switch {
	case ok && p.GHz*1e9 > hz:
		return p.GHz * 1e9, fmt.Sprintf("%s; pinned: the highest measured on this machine since %s (this run %.2f GHz)",
			method, p.Since.Format(time.DateOnly), hz/1e9), note, nil
	case !ok:
		p.Since = time.Now()
		fallthrough
	case p.GHz != hz/1e9:
		p.GHz = hz / 1e9
		all[key] = p
		if err := writePinned(path, all); err != nil {
			return hz, method, note, err
		}
	}
	return hz, fmt.Sprintf("%s; pinned: the highest measured on this machine since %s (this run)", method, p.Since.Format(time.DateOnly)), note, nil
}

// readPinned reads the pinned clocks' file at path: none where there is
// no file yet. why, where not "", says why the file cannot be used: it
// is not a JSON object of machines to clocks, or a clock in it lies
// outside MinClockGHz–MaxClockGHz; err is an error reading it.
func readPinned(path string) (all map[string]pinned, why string, err error) {
	all = map[string]pinned{}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return all, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if err := json.Unmarshal(b, &all); err != nil {
		return map[string]pinned{}, fmt.Sprintf("not a pinned clock's file (%v)", err), nil
	}
	if all == nil { // the file held null
		return map[string]pinned{}, "not a pinned clock's file (null)", nil
	}
	for _, p := range all {
		if !plausibleClock(p.GHz * 1e9) {
			return map[string]pinned{}, fmt.Sprintf("a clock of %s GHz, outside the %g–%g GHz a CPU runs at",
				strconv.FormatFloat(p.GHz, 'g', -1, 64), MinClockGHz, MaxClockGHz), nil
		}
	}
	return all, "", nil
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
