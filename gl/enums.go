//go:build cgo

package gl

// named is a GL or EGL enum value and its name, for messages.
type named struct {
	v    uint32
	name string
}

// nameOf is v's name among names, or other where none has v.
func nameOf(v uint32, other string, names ...named) string {
	for _, n := range names {
		if n.v == v {
			return n.name
		}
	}
	return other
}
