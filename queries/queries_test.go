package queries

import (
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

// Every shipped query parses, is named after its file, has a one-line
// description and a returns line, and every parameter has an example.
func TestShippedQueriesParse(t *testing.T) {
	qs, err := All()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"agreement-sources", "agreements-by-field", "agreements-over-time", "countries-by-partners",
		"country-matrix", "event-agreements", "figure-countries", "figure-coverage", "find", "foreign-multi-partner", "neighbourhood",
		"partners", "partners-rolled-up", "programme-agreements", "shortest-path", "top-by-score"}
	if got := Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("queries %v, want %v", got, want)
	}
	for _, q := range qs {
		if q.Description == "" || strings.Contains(q.Description, "\n") || q.Returns == "" {
			t.Errorf("%s: description %q, returns %q", q.Name, q.Description, q.Returns)
		}
		if !strings.HasPrefix(q.Text, "// name: "+q.Name+"\n") {
			t.Errorf("%s: the text does not start with its header: %.40q", q.Name, q.Text)
		}
		if len(q.Params) == 0 {
			t.Errorf("%s: no parameters", q.Name)
		}
		// Browser's multi-statement editor splits at semicolons: query show
		// output must hold none but those ending its :param lines.
		if strings.Contains(q.Text, ";") {
			t.Errorf("%s: the text holds a semicolon", q.Name)
		}
		for _, p := range q.Params {
			if p.Description == "" || p.Literal == "" {
				t.Errorf("%s: parameter %s without description or example", q.Name, p.Name)
			}
			back, err := ParseLiteral(FormatLiteral(p.Example))
			if err != nil || !reflect.DeepEqual(back, p.Example) {
				t.Errorf("%s: %s = %s does not round-trip: %#v, %v", q.Name, p.Name, p.Literal, back, err)
			}
		}
	}
	q, ok := Get("partners")
	if !ok || q.Params[0].Name != "org" || q.Params[0].Example != "中关村工业互联网产业园" {
		t.Errorf("Get(partners) = %+v, %v", q.Params, ok)
	}
	if _, ok := Get("nope"); ok {
		t.Error("Get(nope) found a query")
	}
}

// User text reaches Lucene only as a phrase with its backslashes and double
// quotes escaped, in every query that searches the full-text index.
func TestFulltextQueriesEscape(t *testing.T) {
	const escaped = `replace(replace($%s, '\\', '\\\\'), '"', '\\"')`
	for _, q := range List() {
		n := strings.Count(q.Text, "db.index.fulltext.queryNodes(")
		if n == 0 {
			continue
		}
		for _, p := range q.Params {
			if strings.Contains(q.Text, "'names', '\"' + replace(replace($"+p.Name) {
				n--
				if !strings.Contains(q.Text, "'\"' + "+strings.ReplaceAll(escaped, "%s", p.Name)+" + '\"'") {
					t.Errorf("%s: $%s is not escaped as %s", q.Name, p.Name, escaped)
				}
			}
		}
		if n != 0 {
			t.Errorf("%s: %d full-text searches do not quote their text", q.Name, n)
		}
	}
}

const goodHeader = `// name: q
// description: A query.
// param: org = "中关村" -- a name
//   that goes on
// param: n = 3
// returns: rows,
//   one per thing.

// free comment
MATCH (o {name: $org}) RETURN o LIMIT $n
`

func TestParseHeader(t *testing.T) {
	q, err := Parse("queries/q.cypher", goodHeader)
	if err != nil {
		t.Fatal(err)
	}
	if q.Name != "q" || q.Description != "A query." || q.Returns != "rows, one per thing." {
		t.Errorf("parsed %+v", q)
	}
	want := []Param{{"org", "中关村", `"中关村"`, "a name that goes on"}, {"n", int64(3), "3", ""}}
	if !reflect.DeepEqual(q.Params, want) {
		t.Errorf("params %+v, want %+v", q.Params, want)
	}
	if !reflect.DeepEqual(q.Uses, []string{"org", "n"}) {
		t.Errorf("uses %v", q.Uses)
	}
	if q.Text != strings.TrimSpace(goodHeader) {
		t.Errorf("text %q", q.Text)
	}
}

// A malformed header is an error naming the file and the line.
func TestParseHeaderErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		line      int
		msg       string
	}{
		{"unknown key", "// name: q\n// descripton: x\n", 2, `unknown header key "descripton"`},
		{"no colon", "// name: q\n// description x\n", 2, "malformed header line"},
		{"bad literal", "// name: q\n// description: d\n// param: org = 中关村\n// returns: r\nRETURN $org", 3, "param: org: example value"},
		{"unterminated string", "// name: q\n// description: d\n// param: org = \"中关村\n// returns: r\nRETURN $org", 3, "unterminated string"},
		{"no value", "// name: q\n// description: d\n// param: org\n// returns: r\nRETURN $org", 3, "want `NAME = VALUE"},
		{"junk after value", "// name: q\n// description: d\n// param: n = 3 x\n// returns: r\nRETURN $n", 3, `unexpected "x"`},
		{"duplicate param", "// name: q\n// description: d\n// param: n = 3\n// param: n = 4\n// returns: r\nRETURN $n", 4, "declared twice (first on line 3)"},
		{"duplicate key", "// name: q\n// name: q\n", 2, "second name line (the first is line 1)"},
		{"wrong name", "// name: other\n", 1, `differs from the file name "q"`},
		{"bad name", "// name: Q Q\n", 1, "want lower-case"},
		{"empty description", "// name: q\n// description:\n", 2, "empty description"},
		{"continuation of nothing", "// name: q\n//\n//   more\n", 3, "continuation line"},
		{"continued name", "// name: q\n//   more\n", 2, "name is one line"},
		{"continued description", "// name: q\n// description: d\n//   more\n", 3, "description is one line"},
		{"missing returns", "// name: q\n// description: d\n\nRETURN 1", 2, "no `// returns:` line"},
		{"missing description", "\n\n// name: q\n// returns: r\nRETURN 1", 4, "no `// description:` line"},
		{"undeclared param", "// name: q\n// description: d\n// returns: r\n\nMATCH (n)\nWHERE n.x = $x\nRETURN n", 6, "$x is used but not declared"},
		{"unused param", "// name: q\n// description: d\n// param: x = 1\n// returns: r\nRETURN 1", 3, "does not use $x"},
		{"unterminated quote", "// name: q\n// description: d\n// returns: r\nRETURN 'x", 4, "unterminated '"},
	} {
		_, err := Parse("queries/q.cypher", c.src)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: err = %v, want a located error", c.name, err)
			continue
		}
		if pe.File != "queries/q.cypher" || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%s: got %q, want queries/q.cypher:%d: ...%s...", c.name, err, c.line, c.msg)
		}
		if want := "queries/q.cypher:"; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %q does not start with %q", c.name, err, want)
		}
	}
}

// Parameters in strings, quoted names and comments are not parameters.
func TestScanParams(t *testing.T) {
	src := "// $a\nMATCH (n) WHERE n.x = '$b' AND n.`$c` = \"\\\"$d\" /* $e\n */ AND n.y = $f AND n.z IN $`g h` RETURN $f, $0"
	uses, err := scanParams(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []paramUse{{"f", 3}, {"g h", 3}, {"0", 3}}
	if !reflect.DeepEqual(uses, want) {
		t.Errorf("got %v, want %v", uses, want)
	}
}

func TestParseAdHoc(t *testing.T) {
	// No header: any leading comment is just a comment.
	q, err := ParseAdHoc("/tmp/mine.cypher", "// my query\nMATCH (n) WHERE n.country = $c RETURN n;\n")
	if err != nil {
		t.Fatal(err)
	}
	if q.Name != "mine" || len(q.Params) != 0 || !reflect.DeepEqual(q.Uses, []string{"c"}) || strings.HasSuffix(q.Text, ";") {
		t.Errorf("parsed %+v", q)
	}
	// A partial header is fine, a malformed one is not.
	q, err = ParseAdHoc("mine.cypher", "// param: c = \"DE\"\nMATCH (n) WHERE n.country = $c RETURN n")
	if err != nil || q.Params[0].Example != "DE" {
		t.Errorf("partial header: %+v, %v", q, err)
	}
	if _, err := ParseAdHoc("mine.cypher", "// param: c = DE\nRETURN $c"); err == nil || !strings.HasPrefix(err.Error(), "mine.cypher:1: ") {
		t.Errorf("malformed header: %v", err)
	}
	if _, err := ParseAdHoc("mine.cypher", "// name: x\n// just words\nRETURN 1"); err == nil || !strings.HasPrefix(err.Error(), "mine.cypher:2: ") {
		t.Errorf("malformed header: %v", err)
	}
	if _, err := ParseAdHoc("mine.cypher", "// only a comment\n"); err == nil || !strings.Contains(err.Error(), "no query") {
		t.Errorf("empty query: %v", err)
	}
}

func TestParseLiteral(t *testing.T) {
	for in, want := range map[string]any{
		`"中关村"`:                          "中关村",
		`'it''s'`:                        nil, // not a literal: two strings
		`'a\'b\\c\n\u4e2d'`:              "a'b\\c\n中",
		`"say \"hi\""`:                   `say "hi"`,
		`42`:                             int64(42),
		`-7`:                             int64(-7),
		`0x1F`:                           int64(31),
		`0o17`:                           int64(15),
		`3.5`:                            3.5,
		`1e3`:                            1000.0,
		`.5`:                             0.5,
		`TRUE`:                           true,
		`false`:                          false,
		`null`:                           nil,
		`[]`:                             []any{},
		`["CN", 'DE', 1, [true]]`:        []any{"CN", "DE", int64(1), []any{true}},
		`{a: 1, ` + "`b c`" + `: ["x"]}`: map[string]any{"a": int64(1), "b c": []any{"x"}},
	} {
		got, err := ParseLiteral(in)
		if in == `'it''s'` {
			if err == nil {
				t.Errorf("%s: want an error, got %#v", in, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, %v; want %#v", in, got, err, want)
		}
	}
	for _, bad := range []string{``, `CN`, `[1, 2`, `[1 2]`, `{a 1}`, `"x`, `12abc`, `99999999999999999999`, `'\q'`} {
		if v, err := ParseLiteral(bad); err == nil {
			t.Errorf("%q: want an error, got %#v", bad, v)
		}
	}
}

func TestFormatLiteral(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{"中關村", `"中關村"`},
		{`a"b\c` + "\n", `"a\"b\\c\n"`},
		{int64(3), "3"},
		{2.0, "2.0"},
		{0.25, "0.25"},
		{true, "true"},
		{nil, "null"},
		{[]any{"CN", int64(1)}, `["CN", 1]`},
		{map[string]any{"b": 1.5, "a b": "x"}, "{`a b`: \"x\", b: 1.5}"},
	} {
		if got := FormatLiteral(c.v); got != c.want {
			t.Errorf("FormatLiteral(%#v) = %s, want %s", c.v, got, c.want)
		}
		if back, err := ParseLiteral(FormatLiteral(c.v)); err != nil || (!reflect.DeepEqual(back, c.v) && c.v != nil) {
			if i, ok := c.v.(int); !ok || back != int64(i) {
				t.Errorf("%#v does not round-trip: %#v, %v", c.v, back, err)
			}
		}
	}
	if got := FormatLiteral(math.Inf(1)); got != "1.0/0.0" {
		t.Errorf("+Inf: %s", got)
	}
}

func TestParseValue(t *testing.T) {
	for _, c := range []struct {
		in       string
		example  any
		declared bool
		want     any
	}{
		// Declared: the example's type decides.
		{"中關村", "x", true, "中關村"},
		{"2025", "x", true, "2025"},
		{`"true"`, "x", true, "true"},
		{"5", int64(1), true, int64(5)},
		{"0.5", int64(1), true, 0.5},
		{"no", true, true, false},
		{"CN,DE", []any{}, true, []any{"CN", "DE"}},
		{`[CN, "DE", 3]`, []any{}, true, []any{"CN", "DE", int64(3)}},
		{"", []any{}, true, []any{}},
		// Undeclared: a literal when it looks like one, else a string.
		{"42", nil, false, int64(42)},
		{"-1.5", nil, false, -1.5},
		{"true", nil, false, true},
		{"null", nil, false, nil},
		{"[CN, DE]", nil, false, []any{"CN", "DE"}},
		{"{a: 1}", nil, false, map[string]any{"a": int64(1)}},
		{`"42"`, nil, false, "42"},
		{"LAUNCH Rhein-Main", nil, false, "LAUNCH Rhein-Main"},
		{"12abc", nil, false, "12abc"},
		{"", nil, false, ""},
	} {
		got, err := ParseValue(c.in, c.example, c.declared)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseValue(%q, %#v, %v) = %#v, %v; want %#v", c.in, c.example, c.declared, got, err, c.want)
		}
	}
	for _, c := range []struct {
		in      string
		example any
	}{{"many", int64(1)}, {"maybe", true}, {"[1, 2", []any{}}} {
		if v, err := ParseValue(c.in, c.example, true); err == nil {
			t.Errorf("ParseValue(%q, %#v): want an error, got %#v", c.in, c.example, v)
		}
	}
	if v, err := ParseValue("[1, 2", nil, false); err == nil {
		t.Errorf("a broken list: want an error, got %#v", v)
	}
}

// The README lists every query with its parameters and examples.
func TestReadmeListsQueries(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, q := range List() {
		if !strings.Contains(readme, "| `"+q.Name+"` | "+q.Description+" |") {
			t.Errorf("README.md: no row for %s with its description", q.Name)
		}
		for _, p := range q.Params {
			if !strings.Contains(readme, "`$"+p.Name+"` = `"+p.Literal+"`") {
				t.Errorf("README.md: %s: no `$%s` = `%s`", q.Name, p.Name, p.Literal)
			}
		}
	}
}

// FuzzParseLiteral: no panic, and what parses formats to a literal that
// parses to the same value (FormatLiteral is ParseLiteral's inverse).
func FuzzParseLiteral(f *testing.F) {
	for _, s := range []string{`"a\"b"`, `'x'`, `42`, `-0x1F`, `0o17`, `1.5e3`, `.5`, `true`, `null`, `[1, "a", [2]]`,
		"{a: 1, `b c`: [true, null]}", `"\u00e9\n"`, `[CN, DE]`, `{}`, `[]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseLiteral(s)
		if err != nil {
			return
		}
		out := FormatLiteral(v)
		v2, err := ParseLiteral(out)
		if err != nil {
			t.Fatalf("ParseLiteral(%q) = %#v, formatted %q, which does not parse: %v", s, v, out, err)
		}
		if out2 := FormatLiteral(v2); out2 != out {
			t.Fatalf("ParseLiteral(%q) formats as %q, which re-parses as %q", s, out, out2)
		}
	})
}
