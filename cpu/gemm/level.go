package gemm

// levels names the kernel levels this CPU can run, best first.
func levels() []string { return []string{"generic"} }

// setLevel forces a level for tests and returns a function that restores
// the previous one.
func setLevel(string) (restore func()) { return func() {} }
