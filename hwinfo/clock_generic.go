//go:build !amd64

package hwinfo

// addsPerIter is the number of dependent adds in one iteration of
// addChain's loop.
const addsPerIter = 20

const clockMethod = "dependent integer adds (pure Go, less certain), best of several runs"

// addStep and subStep are variables, so that the compiler cannot fold
// the chain. Adds alternate with subtracts because the 386 compiler
// merges x += y; x += y into one LEA. They are ints, the machine word:
// int64 arithmetic on 386 takes two dependent instructions.
var addStep, subStep = 1, -1

// addChain does n×addsPerIter dependent adds and subtracts, x += 1 and
// x -= -1, each waiting for the last, and returns x = n×addsPerIter.
// Compiled Go: the loop's own instructions run beside the chain on an
// out-of-order core, but may not on others, so the clock it gives is
// less certain than the amd64 assembly's.
//
//go:noinline
func addChain(n int64) int64 {
	x, y, z := 0, addStep, subStep
	for i := int(n); i > 0; i-- {
		x += y
		x -= z
		x += y
		x -= z
		x += y
		x -= z
		x += y
		x -= z
		x += y
		x -= z
		x += y
		x -= z
		x += y
		x -= z
		x += y
		x -= z
		x += y
		x -= z
		x += y
		x -= z
	}
	return int64(x)
}
