package results

// Kernel names of the cases a transfer measurement adds to a report's
// Results beside the catalogue's kernels: a copy from host to device
// memory, one back, and the start of an empty kernel.
const (
	UploadKernel   = "upload"
	DownloadKernel = "download"
	LatencyKernel  = "latency"
)

// Transfer is what one backend's copies between host and device memory
// and the start of a kernel cost: host→device (upload) and device→host
// (download) bandwidth over a sweep of sizes, and the dispatch latency.
// Its points are among the report's Results, as cases of UploadKernel,
// DownloadKernel and LatencyKernel; each copy is verified: what came back
// matched what went up, bit for bit.
type Transfer struct {
	Backend  string `json:"backend"`
	Device   string `json:"device"`
	Software bool   `json:"software,omitempty"`
	// HostMemory marks a backend whose buffers are in host memory (the
	// CPU): its transfers are copies within that memory (memcpy), not
	// over a bus.
	HostMemory bool `json:"host_memory,omitempty"`
	Upload     Link `json:"upload"`
	Download   Link `json:"download"`
	// LatencyNs is the median time to start a kernel and wait for it;
	// LatencyOf says of what: the empty kernel of a GPU backend, or the
	// smallest case of the copy kernel where a backend has no empty one.
	LatencyNs float64  `json:"latency_ns"`
	LatencyOf string   `json:"latency_of,omitempty"`
	Notes     []string `json:"notes,omitempty"`
}

// Link is one direction's sweep, summed up: the best rate measured, and
// the smallest size that reached half of it (Hockney's n½: below it a
// copy's fixed cost outweighs its bytes).
type Link struct {
	PeakGBps      float64 `json:"peak_gbps"`
	PeakBytes     float64 `json:"peak_bytes"`
	HalfPeakBytes float64 `json:"half_peak_bytes"`
}

// LinkOf sums up the verified cases of one direction, rs, in order of
// size.
func LinkOf(rs []Result) Link {
	var l Link
	for _, r := range rs {
		if r.Verified && r.GBps > l.PeakGBps {
			l.PeakGBps, l.PeakBytes = r.GBps, r.Bytes
		}
	}
	for _, r := range rs {
		if r.Verified && l.PeakGBps > 0 && r.GBps >= l.PeakGBps/2 {
			l.HalfPeakBytes = r.Bytes
			break
		}
	}
	return l
}
