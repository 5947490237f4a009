package regions

import (
	"slices"
	"testing"
)

// The member counts the bodies publish, sorted and without repeats; the
// configuration's regions come first and fold case.
func TestRegions(t *testing.T) {
	for name, n := range map[string]int{"EU27": 27, "ASEAN": 11, "OECD": 38} {
		m := Builtin[name]
		if len(m) != n || !slices.IsSorted(m) || len(slices.Compact(slices.Clone(m))) != n {
			t.Errorf("%s: %d members (sorted %v), want %d distinct", name, len(m), slices.IsSorted(m), n)
		}
	}
	if m, ok := Lookup("eu27", nil); !ok || len(m) != 27 {
		t.Errorf("eu27: %v %v", m, ok)
	}
	if m, ok := Lookup("Nordic", map[string]string{"NORDIC": "se, dk,FI,NO,IS,SE"}); !ok || !slices.Equal(m, []string{"DK", "FI", "IS", "NO", "SE"}) {
		t.Errorf("configured region: %v %v", m, ok)
	}
	if _, ok := Lookup("Atlantis", nil); ok {
		t.Error("an unknown region was found")
	}
}
