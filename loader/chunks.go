package loader

// chunkBits sets the size of a chunk: 4096 elements.
const chunkBits = 12

// chunks is a growing list of T held in fixed-size chunks: appending never
// copies what is there, and at most one chunk is allocated but unused. A
// table's mentions and participations (a row each, over a hundred bytes)
// are held this way: a doubling slice would hold up to twice the rows,
// and while it grows, the old copy beside the new one.
type chunks[T any] struct {
	cs [][]T
	n  int
}

// add appends v and returns its index.
func (c *chunks[T]) add(v T) int {
	if c.n>>chunkBits == len(c.cs) {
		c.cs = append(c.cs, make([]T, 0, 1<<chunkBits))
	}
	last := &c.cs[len(c.cs)-1]
	*last = append(*last, v)
	c.n++
	return c.n - 1
}

// at is element i (valid until the list is dropped).
func (c *chunks[T]) at(i int) *T { return &c.cs[i>>chunkBits][i&(1<<chunkBits-1)] }

// len is the number of elements.
func (c *chunks[T]) len() int { return c.n }

// drain yields the elements in order and lets go of each chunk once
// yielded: the list is empty afterwards, and what was read can be
// collected while the rest is.
func (c *chunks[T]) drain(yield func(int, *T) bool) {
	i := 0
	for k, ch := range c.cs {
		c.cs[k] = nil
		for j := range ch {
			if !yield(i, &ch[j]) {
				c.cs, c.n = nil, 0
				return
			}
			i++
		}
	}
	c.cs, c.n = nil, 0
}

// all yields the elements in order.
func (c *chunks[T]) all(yield func(int, *T) bool) {
	i := 0
	for _, ch := range c.cs {
		for k := range ch {
			if !yield(i, &ch[k]) {
				return
			}
			i++
		}
	}
}
