package analysis

import (
	"encoding/json"
	"iter"
	"math"
)

// Ties are a level's weighted ties, held by column: the two ends as
// indices into a list of node IDs, the weight and, when normalised, the
// normalised weight and the agreements it counts. A tie takes 16 bytes
// (28 normalised) instead of the 56 of a Tie with its two ID strings, which
// on a network of millions of ties is most of the memory of an analysis
// after the network itself. The zero value is empty; Append adds a tie,
// At and All read them as Tie values. In JSON it is the array of Tie
// objects, as before.
type Ties struct {
	ids   []string         // the node IDs the ends index
	index map[string]int32 // ID → position in ids, built by Append only
	u, v  []int32
	w     []float64
	norm  []float64 // nil: no tie normalised; NaN: this one not
	agr   []int32
}

// tiesOf are the ties of a CSR network whose nodes have the IDs ids:
// every tie once, u < v, in (u, v) order, with ids shared, not copied.
func tiesOf(ids []string, m int) Ties {
	return Ties{ids: ids, u: make([]int32, 0, m), v: make([]int32, 0, m), w: make([]float64, 0, m)}
}

// add appends a tie between node indices (of ids).
func (t *Ties) add(u, v int32, w float64) {
	t.u, t.v, t.w = append(t.u, u), append(t.v, v), append(t.w, w)
}

// Len is the number of ties.
func (t *Ties) Len() int { return len(t.w) }

// At is tie i. Its Normalized points into the Ties: do not modify.
func (t *Ties) At(i int) Tie {
	e := Tie{Source: t.ids[t.u[i]], Target: t.ids[t.v[i]], Weight: t.w[i]}
	if t.norm != nil && !math.IsNaN(t.norm[i]) {
		e.Normalized = &t.norm[i]
	}
	if t.agr != nil {
		e.Agreements = int(t.agr[i])
	}
	return e
}

// All yields every tie with its position, in order.
func (t *Ties) All() iter.Seq2[int, Tie] {
	return func(yield func(int, Tie) bool) {
		for i := range t.w {
			if !yield(i, t.At(i)) {
				return
			}
		}
	}
}

// Slice is the ties as a slice of Tie (for small networks: the report's
// drawings sort and filter them).
func (t *Ties) Slice() []Tie {
	out := make([]Tie, t.Len())
	for i := range out {
		out[i] = t.At(i)
	}
	return out
}

// Append adds a tie.
func (t *Ties) Append(e Tie) {
	if t.index == nil {
		t.index = make(map[string]int32, len(t.ids))
		for i, id := range t.ids {
			t.index[id] = int32(i)
		}
	}
	end := func(id string) int32 {
		i, ok := t.index[id]
		if !ok {
			i = int32(len(t.ids))
			t.ids = append(t.ids, id)
			t.index[id] = i
		}
		return i
	}
	u, v := end(e.Source), end(e.Target)
	n := t.Len()
	t.add(u, v, e.Weight)
	if e.Normalized != nil && t.norm == nil {
		t.norm = make([]float64, n, cap(t.w))
		for i := range t.norm {
			t.norm[i] = math.NaN()
		}
	}
	if t.norm != nil {
		x := math.NaN()
		if e.Normalized != nil {
			x = *e.Normalized
		}
		t.norm = append(t.norm, x)
	}
	if e.Agreements != 0 && t.agr == nil {
		t.agr = make([]int32, n, cap(t.w))
	}
	if t.agr != nil {
		t.agr = append(t.agr, int32(e.Agreements))
	}
}

// setNormalized gives every tie its normalised weight and the agreements
// it counts (both in tie order).
func (t *Ties) setNormalized(norm, counts []float64) {
	t.norm = norm
	t.agr = make([]int32, len(counts))
	for i, c := range counts {
		t.agr[i] = int32(c)
	}
}

// MarshalJSON writes the ties as an array of Tie objects.
func (t Ties) MarshalJSON() ([]byte, error) { return json.Marshal(t.Slice()) }

// UnmarshalJSON reads an array of Tie objects.
func (t *Ties) UnmarshalJSON(b []byte) error {
	var ts []Tie
	if err := json.Unmarshal(b, &ts); err != nil {
		return err
	}
	*t = Ties{}
	for _, e := range ts {
		t.Append(e)
	}
	return nil
}

// TiesOf are the ties of a list (tests and small networks).
func TiesOf(ts ...Tie) Ties {
	var t Ties
	for _, e := range ts {
		t.Append(e)
	}
	return t
}
