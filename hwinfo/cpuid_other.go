//go:build !amd64

package hwinfo

// nativeCPUID is nil where hwinfo does not execute CPUID itself: the
// caches and counts then come from the OS and klauspost/cpuid alone.
func nativeCPUID() cpuidFunc { return nil }
