//go:build unix

package cpu

import (
	"fmt"
	"syscall"
	"unsafe"
)

// probeArrays maps two arrays of n float32s for a start-up measurement,
// outside the Go heap: release unmaps them, so that the memory is the
// system's again at once, where the heap would keep it mapped.
func probeArrays(n int) (x, out []float32, release func(), err error) {
	b, err := syscall.Mmap(-1, 0, 2*4*n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("mapping %d bytes for it failed: %v", 2*4*n, err)
	}
	all := unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), 2*n)
	return all[:n:n], all[n:], func() { syscall.Munmap(b) }, nil
}
