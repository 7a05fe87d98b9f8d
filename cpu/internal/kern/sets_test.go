package kern

import "testing"

// sets makes the set of every level this CPU runs, generic first and
// the best last, as the cpu backend's engines have them.
func sets(t testing.TB) []*Set {
	t.Helper()
	var out []*Set
	for _, l := range Available() {
		s, err := NewSet(l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// best is the set of the best level this CPU runs.
func best(t testing.TB) *Set {
	ss := sets(t)
	return ss[len(ss)-1]
}
