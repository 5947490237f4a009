package queries

// Test-only helpers, kept out of the product (deadcode).

// Examples returns the example values of the declared parameters.
func (q Query) Examples() map[string]any {
	m := make(map[string]any, len(q.Params))
	for _, p := range q.Params {
		m[p.Name] = p.Example
	}
	return m
}

// All returns the queries of the library, sorted by name, or the first
// problem in their files.
func All() ([]Query, error) { return library() }
