// Package queries is collabnet's Cypher query library: one query per
// .cypher file, for Neo4j Browser and for `collabnet query`.
//
// Each file opens with a header of `//` comment lines, one key each:
//
//	// name: partners
//	// description: The partners of an organisation, found by any of its names.
//	// param: org = "中关村工业互联网产业园" -- any of its names; traditional script works too
//	// returns: one row per partner: ...
//	//   (a line with two or more spaces after // continues returns or the last param)
//
// name (the file's base name), description (one line) and returns are
// required; there is one param line per parameter, giving its name, an
// example value as a Cypher literal (string, number, boolean, null, list or
// map) and, after " -- ", an optional description. Blank `//` lines are
// allowed; the first line that is not a `//` comment ends the header, so free
// comments may follow after a blank line. The query must use every declared
// parameter and no other, so the example values alone make it runnable.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
)

//go:embed *.cypher
var files embed.FS

// Param is a query parameter with its example value.
type Param struct {
	Name        string
	Example     any    // the example as a Go value: string, int64, float64, bool, nil, []any, map[string]any
	Literal     string // the example as written in the header
	Description string
}

// Query is one query of the library, or an ad-hoc query file.
type Query struct {
	Name        string
	Description string
	Params      []Param
	Returns     string
	Text        string   // the whole file, header included: it runs as is
	File        string   // where it was read from
	Uses        []string // the parameters the text refers to, in order of first use
}

// Param returns the declared parameter name.
func (q Query) Param(name string) (Param, bool) {
	for _, p := range q.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Error is a problem in a query file, located by file and line.
type Error struct {
	File string
	Line int // 1-based; 0 when the problem is the file as a whole
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var library = sync.OnceValues(func() ([]Query, error) { return load(files) })

func load(fsys fs.FS) ([]Query, error) {
	names, err := fs.Glob(fsys, "*.cypher")
	if err != nil {
		return nil, err
	}
	var out []Query
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		q, err := Parse("queries/"+n, string(b))
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	slices.SortFunc(out, func(a, b Query) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// List returns the queries of the library, sorted by name. The files are
// embedded and checked by the package's tests, so a problem is a bug: List
// panics on it.
func List() []Query {
	qs, err := library()
	if err != nil {
		panic("collabnet query library: " + err.Error())
	}
	return qs
}

// Get returns the library's query name.
func Get(name string) (Query, bool) {
	for _, q := range List() {
		if q.Name == name {
			return q, true
		}
	}
	return Query{}, false
}

// Names returns the names of the library's queries.
func Names() []string {
	var out []string
	for _, q := range List() {
		out = append(out, q.Name)
	}
	return out
}

var (
	headerKey = regexp.MustCompile(`^ ?([a-z_]+):(.*)$`)
	paramHead = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*`)
	queryName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

// Parse reads a library query: the header must be complete, name must be
// the file's base name, and the text must use exactly the declared
// parameters.
func Parse(file, src string) (Query, error) { return parse(file, src, true) }

// ParseAdHoc reads a query file given on the command line. A header is
// optional: a file whose leading comments hold no `// key:` line has none,
// and then the query is named after the file. A header that is there must be
// well-formed, but may leave out name, description, returns and parameters.
func ParseAdHoc(file, src string) (Query, error) { return parse(file, src, false) }

func parse(file, src string, strict bool) (Query, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	q := Query{File: file}
	lines := strings.Split(src, "\n")
	fail := func(line int, format string, args ...any) (Query, error) {
		return Query{}, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	// The header: the leading run of // lines, after any blank lines.
	begin := 0
	for begin < len(lines) && strings.TrimSpace(lines[begin]) == "" {
		begin++
	}
	end := begin
	for end < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[end]), "//") {
		end++
	}
	hasHeader := strict
	if !strict {
		for _, l := range lines[begin:end] {
			if m := headerKey.FindStringSubmatch(strings.TrimPrefix(strings.TrimSpace(l), "//")); m != nil && isKey(m[1]) {
				hasHeader = true
				break
			}
		}
	}
	seen := map[string]int{}
	last := "" // the key a continuation line continues
	paramLine := map[string]int{}
	if hasHeader {
		for i, l := range lines[begin:end] {
			n := begin + i + 1
			body := strings.TrimPrefix(strings.TrimSpace(l), "//")
			if strings.TrimSpace(body) == "" {
				last = ""
				continue
			}
			if strings.HasPrefix(body, "  ") || strings.HasPrefix(body, "\t") || strings.HasPrefix(body, " \t") {
				more := strings.TrimSpace(body)
				switch last {
				case "returns":
					q.Returns += " " + more
				case "param":
					p := &q.Params[len(q.Params)-1]
					p.Description = strings.TrimSpace(p.Description + " " + more)
				case "":
					return fail(n, "continuation line %q follows no returns or param line", more)
				default:
					return fail(n, "%s is one line: %q cannot continue it", last, more)
				}
				continue
			}
			m := headerKey.FindStringSubmatch(body)
			if m == nil {
				return fail(n, "malformed header line %q: want `// key: value` (keys: name, description, param, returns); a blank line ends the header", strings.TrimSpace(l))
			}
			key, val := m[1], strings.TrimSpace(m[2])
			if !isKey(key) {
				return fail(n, "unknown header key %q (keys: name, description, param, returns)", key)
			}
			if key != "param" {
				if prev, dup := seen[key]; dup {
					return fail(n, "second %s line (the first is line %d)", key, prev)
				}
				seen[key] = n
				if val == "" {
					return fail(n, "empty %s", key)
				}
			}
			last = key
			switch key {
			case "name":
				if !queryName.MatchString(val) {
					return fail(n, "name %q: want lower-case letters, digits and dashes", val)
				}
				if want := strings.TrimSuffix(path.Base(file), ".cypher"); strict && val != want {
					return fail(n, "name %q differs from the file name %q", val, want)
				}
				q.Name = val
			case "description":
				q.Description = val
			case "returns":
				q.Returns = val
			case "param":
				p, err := parseParam(val)
				if err != nil {
					return fail(n, "param: %v", err)
				}
				if prev, dup := paramLine[p.Name]; dup {
					return fail(n, "parameter %s declared twice (first on line %d)", p.Name, prev)
				}
				paramLine[p.Name] = n
				q.Params = append(q.Params, p)
			}
		}
		if strict {
			for _, k := range []string{"name", "description", "returns"} {
				if _, ok := seen[k]; !ok {
					return fail(max(end, 1), "the header has no `// %s:` line", k)
				}
			}
		}
	}
	if q.Name == "" {
		q.Name = strings.TrimSuffix(path.Base(file), path.Ext(file))
	}
	// The query text: the whole file, without a trailing semicolon, which
	// drivers refuse.
	text := strings.TrimRight(src, " \t\n")
	text = strings.TrimRight(strings.TrimSuffix(text, ";"), " \t\n")
	uses, err := scanParams(text)
	if err != nil {
		return fail(err.line, "%s", err.msg)
	}
	if !hasCode(text) {
		return fail(0, "no query after the header")
	}
	q.Text = text
	for _, u := range uses {
		q.Uses = append(q.Uses, u.name)
	}
	if hasHeader && (strict || len(q.Params) > 0) {
		used := map[string]bool{}
		for _, u := range uses {
			used[u.name] = true
			if _, ok := paramLine[u.name]; !ok {
				return fail(u.line, "$%s is used but not declared: add `// param: %s = <example>` to the header", u.name, u.name)
			}
		}
		for _, p := range q.Params {
			if !used[p.Name] {
				return fail(paramLine[p.Name], "parameter %s is declared but the query does not use $%s", p.Name, p.Name)
			}
		}
	}
	return q, nil
}

func isKey(k string) bool {
	switch k {
	case "name", "description", "param", "returns":
		return true
	}
	return false
}

// parseParam reads `NAME = LITERAL [-- description]`.
func parseParam(s string) (Param, error) {
	m := paramHead.FindStringSubmatchIndex(s)
	if m == nil {
		return Param{}, fmt.Errorf("want `NAME = VALUE [-- description]`, got %q", s)
	}
	p := Param{Name: s[m[2]:m[3]]}
	rest := s[m[1]:]
	v, n, err := parseLiteralPrefix(rest, false)
	if err != nil {
		return Param{}, fmt.Errorf("%s: example value %q: %v", p.Name, rest, err)
	}
	p.Example, p.Literal = v, strings.TrimSpace(rest[:n])
	tail := strings.TrimSpace(rest[n:])
	switch {
	case tail == "":
	case strings.HasPrefix(tail, "--"):
		p.Description = strings.TrimSpace(tail[2:])
	default:
		return Param{}, fmt.Errorf("%s: unexpected %q after the example value (a description follows \" -- \")", p.Name, tail)
	}
	return p, nil
}

type paramUse struct {
	name string
	line int
}

type scanError struct {
	line int
	msg  string
}

// scanParams finds the $parameters of a Cypher text, skipping strings,
// quoted identifiers and comments.
func scanParams(s string) ([]paramUse, *scanError) {
	var out []paramUse
	seen := map[string]bool{}
	line := 1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n':
			line++
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			i-- // the newline is counted by the loop
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			start := line
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return nil, &scanError{start, "unterminated /* comment"}
			}
			line += strings.Count(s[i:i+2+j+2], "\n")
			i += 2 + j + 1
		case c == '\'' || c == '"' || c == '`':
			start := line
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' && c != '`' {
					j++
				}
				if j < len(s) && s[j] == '\n' {
					line++
				}
			}
			if j >= len(s) {
				return nil, &scanError{start, fmt.Sprintf("unterminated %c", c)}
			}
			i = j
		case c == '$':
			j := i + 1
			var name string
			if j < len(s) && s[j] == '`' {
				k := strings.IndexByte(s[j+1:], '`')
				if k < 0 {
					return nil, &scanError{line, "unterminated `"}
				}
				name = s[j+1 : j+1+k]
				j += k + 2
			} else {
				for j < len(s) && (isIdent(s[j]) || s[j] >= 0x80) {
					j++
				}
				name = s[i+1 : j]
			}
			if name == "" {
				return nil, &scanError{line, "$ without a parameter name"}
			}
			if !seen[name] {
				seen[name] = true
				out = append(out, paramUse{name, line})
			}
			i = j - 1
		}
	}
	return out, nil
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// hasCode reports whether s holds anything but comments and space.
func hasCode(s string) bool {
	for _, l := range strings.Split(s, "\n") {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "//") {
			return true
		}
	}
	return false
}
