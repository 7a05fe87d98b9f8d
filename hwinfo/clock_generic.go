//go:build !amd64

package hwinfo

// addsPerIter is the number of dependent adds in one iteration of
// addChain's loop.
const addsPerIter = 20

const clockMethod = "dependent integer adds (pure Go, less certain), best of several runs"

// addStep is a variable, so that the compiler cannot fold the adds.
var addStep int64 = 1

// addChain does n×addsPerIter dependent adds x += addStep, each waiting
// for the last, and returns x. Compiled Go: the loop's own instructions
// run beside the chain on an out-of-order core, but may not on others,
// so the clock it gives is less certain than the amd64 assembly's.
//
//go:noinline
func addChain(n int64) int64 {
	x, y := int64(0), addStep
	for ; n > 0; n-- {
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
		x += y
	}
	return x
}
