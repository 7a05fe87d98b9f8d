package cpu

import "github.com/gpubench/gpubench/compute"

// Alloc makes a zeroed buffer of n elements, a Go slice. It refuses
// n < 1, and sizes beyond the memory the machine has, before allocating.
func (b *Backend) Alloc(dt compute.DType, n int) (compute.Buffer, error) {
	u, err := b.bufs.Alloc(dt, n)
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Upload copies src, of dst's dtype and length, into dst, on the
// workers.
func (b *Backend) Upload(dst compute.Buffer, src compute.Host) error {
	d, err := b.bufs.Upload(dst, src)
	if err != nil {
		return err
	}
	b.copyHost(d, src)
	return nil
}

// Download copies src into dst, of src's dtype and length, on the
// workers.
func (b *Backend) Download(dst compute.Host, src compute.Buffer) error {
	s, err := b.bufs.Download(dst, src)
	if err != nil {
		return err
	}
	b.copyHost(dst, s)
	return nil
}

// copyHost copies src into dst, of the same dtype and length, with the
// copy kernel.
func (b *Backend) copyHost(dst, src compute.Host) {
	if dst.DType() == compute.Float32 {
		b.f32.copy(compute.Data[float32](dst), compute.Data[float32](src))
		return
	}
	b.f64.copy(compute.Data[float64](dst), compute.Data[float64](src))
}
