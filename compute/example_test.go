package compute_test

import (
	"fmt"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu"
)

// Example runs saxpy, y ← α·x + y, on the CPU backend: a Problem
// describes the work, buffers on the backend hold the operands, and a
// Launch runs the one on the others. saxpy updates y in place, so its
// Out is y's buffer.
func Example() {
	backends := compute.NewRegistry(cpu.Factories()...)
	b, err := backends.Open("cpu", compute.Options{Workers: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()

	p := compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(4), DType: compute.Float32, Alpha: 2}
	x := []float32{1, 2, 3, 4}
	y := []float32{10, 20, 30, 40}
	var in []compute.Buffer
	for _, v := range [][]float32{x, y} {
		buf, err := b.Alloc(p.DType, len(v))
		if err != nil {
			fmt.Println(err)
			return
		}
		defer buf.Release()
		if err := b.Upload(buf, compute.HostOf(v)); err != nil {
			fmt.Println(err)
			return
		}
		in = append(in, buf)
	}
	out := in[p.Kernel.InPlaceIndex()]
	if err := b.Run(compute.Launch{Problem: p, In: in, Out: out}); err != nil {
		fmt.Println(err)
		return
	}
	got := compute.NewHost(p.DType, p.OutLen())
	if err := b.Download(got, out); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p, compute.Data[float32](got))
	fmt.Printf("%.0f FLOP, %.0f bytes\n", p.Flops(), p.Bytes())
	// Output:
	// saxpy/4/float32 [12 24 36 48]
	// 8 FLOP, 48 bytes
}
