package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gpubench/gpubench/compute"
)

// The last run and the last roofline are kept in gpubench's cache
// folder, which the command chooses and passes in as cache: a folder,
// "" where the user has none (then nothing is kept, and nothing found).

// errNoCache says why nothing is kept where cache is "".
var errNoCache = errors.New("no user cache folder (set $XDG_CACHE_HOME or $HOME)")

// cached is the path of the file name in the cache folder cache.
func cached(cache, name string) (string, error) {
	if cache == "" {
		return "", errNoCache
	}
	return filepath.Join(cache, name), nil
}

// LastRunPath is where 'gpubench run' keeps its latest report for
// 'gpubench roofline': last.json in the cache folder cache.
func LastRunPath(cache string) (string, error) { return cached(cache, "last.json") }

// LastRunHelp says where the last run is kept, for a flag's help.
func LastRunHelp(cache string) string {
	if p, err := LastRunPath(cache); err == nil {
		return p
	}
	return "in the user cache directory"
}

// SaveLastRun keeps rep as the last run in the cache folder cache,
// atomically, so that a roofline drawn while a run writes never reads
// half a file.
func SaveLastRun(cache string, rep *Report) error {
	path, err := LastRunPath(cache)
	if err != nil {
		return err
	}
	return saveCached(path, rep)
}

// LastRooflinePath is where 'gpubench roofline' keeps its latest
// measurement, whose memory bandwidths later runs take the PEAK of
// kernels bound by memory from: roofline.json in the cache folder
// cache.
func LastRooflinePath(cache string) (string, error) { return cached(cache, "roofline.json") }

// SaveLastRoofline keeps rep, a roofline's report, as the last one in
// the cache folder cache.
func SaveLastRoofline(cache string, rep *Report) error {
	path, err := LastRooflinePath(cache)
	if err != nil {
		return err
	}
	return saveCached(path, rep)
}

// LastBandwidths are the memory bandwidths of the last roofline kept in
// the cache folder cache (SaveLastRoofline), one per backend measured,
// each saying when it was measured; none where no roofline was kept or
// it cannot be read: PEAK of a kernel bound by memory is then left
// blank, not wrong.
func LastBandwidths(cache string) []Bandwidth {
	path, err := LastRooflinePath(cache)
	if err != nil {
		return nil
	}
	rep, err := LoadReport(path)
	if err != nil {
		return nil
	}
	return BandwidthsOf(rep)
}

// BandwidthsOf lists the memory bandwidth of each roofline in rep,
// leaving out one outside MinBandwidthGBps–MaxGBps (a damaged file).
func BandwidthsOf(rep *Report) []Bandwidth {
	var out []Bandwidth
	for _, r := range rep.Rooflines {
		if plausibleBandwidth(r.BandwidthGBps) {
			out = append(out, Bandwidth{Backend: r.Backend, Device: r.Device, GBps: r.BandwidthGBps,
				From: "roofline of " + rep.Time.Local().Format(time.DateTime)})
		}
	}
	return out
}

// saveCached writes rep to path, a file of the cache folder, making the
// folder.
func saveCached(path string, rep *Report) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
}

// ReadLastRun reads the report at path (where empty, the last run's in
// the cache folder cache). No report is not an error: the roofline then
// has no kernel points, and note says why.
func ReadLastRun(path, cache string) (*Report, string) {
	explicit := path != ""
	if !explicit {
		p, err := LastRunPath(cache)
		if err != nil {
			return nil, "no last run to place: " + err.Error()
		}
		path = p
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return nil, "no 'gpubench run' yet: run one to place its kernels on the roofline"
		}
		return nil, fmt.Sprintf("kernels not placed: %v", err)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Sprintf("kernels not placed: %s is not a results file: %v", path, err)
	}
	return &rep, fmt.Sprintf("kernels from %s (%s)", path, rep.Time.Local().Format(time.DateTime))
}

// DoubtReadBack marks each result of rep, read back from the file at
// path, whose figures cannot be true (readBackDoubt, against its
// device's peak in rep) as not verified, saying why in its Mismatch: a
// damaged or edited last run must not give info a measured peak that no
// device reaches. (roofline --last has its own test of what a log scale
// can place, and counts what it leaves out.)
func (rep *Report) DoubtReadBack(path string) {
	peaks := map[string]map[compute.DType]float64{}
	for _, d := range rep.Devices {
		peaks[d.Backend] = d.PeakGFLOPS
	}
	for i := range rep.Results {
		r := &rep.Results[i]
		if why := r.readBackDoubt(peaks[r.Backend][r.DType]); why != "" {
			r.Verified = false
			r.Mismatch = fmt.Sprintf("read back from %s: %s", path, why)
		}
	}
}
