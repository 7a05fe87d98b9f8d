package hwinfo

// addsPerIter is the number of dependent adds in one iteration of
// addChain's loop.
const addsPerIter = 100

const clockMethod = "dependent integer adds (amd64 assembly), best of several runs"

// addChain does n×addsPerIter dependent adds of one cycle latency each
// and returns their sum, n×addsPerIter.
//
//go:noescape
func addChain(n int64) int64
