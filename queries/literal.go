package queries

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseLiteral reads a Cypher literal: a string ('...' or "..." with
// Cypher's backslash escapes), an integer (decimal, 0x hex, 0o octal), a
// float, true, false, null, a list [..] or a map {key: value, ...}. Strings
// become string, integers int64, floats float64, lists []any and maps
// map[string]any, the types the Neo4j driver sends.
func ParseLiteral(s string) (any, error) {
	v, n, err := parseLiteralPrefix(s, false)
	if err != nil {
		return nil, err
	}
	if rest := strings.TrimSpace(s[n:]); rest != "" {
		return nil, fmt.Errorf("unexpected %q after the value", rest)
	}
	return v, nil
}

// parseLiteralPrefix reads one literal at the start of s (after spaces) and
// returns it with the number of bytes read. With bare, a list element or map
// value that is not a literal is taken as a string up to the next , ] or }.
func parseLiteralPrefix(s string, bare bool) (any, int, error) {
	p := &litParser{s: s, bare: bare}
	v, err := p.value(0)
	if err != nil {
		return nil, 0, err
	}
	return v, p.i, nil
}

type litParser struct {
	s    string
	i    int
	bare bool
}

func (p *litParser) space() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) {
		p.i++
	}
}

var (
	numberRE  = regexp.MustCompile(`^-?(?:0x[0-9A-Fa-f]+|0o[0-7]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)`)
	wordRE    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*`)
	mapKeyRE  = regexp.MustCompile("^(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)")
	intOnlyRE = regexp.MustCompile(`^-?(?:0x[0-9A-Fa-f]+|0o[0-7]+|[0-9]+)$`)
)

func (p *litParser) value(depth int) (any, error) {
	if depth > 32 {
		return nil, fmt.Errorf("too deeply nested")
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("missing value")
	}
	rest := p.s[p.i:]
	switch c := rest[0]; {
	case c == '\'' || c == '"':
		return p.str(c)
	case c == '[':
		p.i++
		list := []any{}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return list, nil
		}
		for {
			v, err := p.element(depth, "]")
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			p.space()
			if p.i >= len(p.s) {
				return nil, fmt.Errorf("unterminated list: missing ]")
			}
			switch p.s[p.i] {
			case ',':
				p.i++
			case ']':
				p.i++
				return list, nil
			default:
				return nil, fmt.Errorf("in a list, want , or ] at %q", p.s[p.i:])
			}
		}
	case c == '{':
		p.i++
		m := map[string]any{}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return m, nil
		}
		for {
			p.space()
			k := mapKeyRE.FindString(p.s[p.i:])
			if k == "" {
				return nil, fmt.Errorf("in a map, want a key at %q", p.s[p.i:])
			}
			p.i += len(k)
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, fmt.Errorf("in a map, want : after key %s", k)
			}
			p.i++
			v, err := p.element(depth, "}")
			if err != nil {
				return nil, err
			}
			m[strings.Trim(k, "`")] = v
			p.space()
			if p.i >= len(p.s) {
				return nil, fmt.Errorf("unterminated map: missing }")
			}
			switch p.s[p.i] {
			case ',':
				p.i++
			case '}':
				p.i++
				return m, nil
			default:
				return nil, fmt.Errorf("in a map, want , or } at %q", p.s[p.i:])
			}
		}
	case c == '-' || c == '.' || c >= '0' && c <= '9':
		num := numberRE.FindString(rest)
		if num == "" || num == "-" {
			return nil, fmt.Errorf("not a number: %q", rest)
		}
		if w := wordRE.FindString(rest[len(num):]); w != "" && !strings.ContainsAny(num, "eE") {
			return nil, fmt.Errorf("not a number: %q", num+w)
		}
		p.i += len(num)
		return parseNumber(num)
	default:
		w := wordRE.FindString(rest)
		switch strings.ToLower(w) {
		case "true":
			p.i += len(w)
			return true, nil
		case "false":
			p.i += len(w)
			return false, nil
		case "null":
			p.i += len(w)
			return nil, nil
		}
		return nil, fmt.Errorf("not a Cypher literal: %q (quote strings)", rest)
	}
}

// element reads a list element or map value; with bare, text that is no
// literal is a string up to the next , or the closing bracket.
func (p *litParser) element(depth int, closing string) (any, error) {
	start := p.i
	v, err := p.value(depth + 1)
	if err == nil || !p.bare {
		if err == nil && p.bare {
			// "[CN-2, x]": a literal must end at a separator to count.
			save := p.i
			p.space()
			if p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != closing[0] {
				p.i = start
				return p.bareString(closing)
			}
			p.i = save
		}
		return v, err
	}
	p.i = start
	return p.bareString(closing)
}

func (p *litParser) bareString(closing string) (any, error) {
	p.space()
	j := strings.IndexAny(p.s[p.i:], ","+closing)
	if j < 0 {
		return nil, fmt.Errorf("missing %s", closing)
	}
	w := strings.TrimSpace(p.s[p.i : p.i+j])
	if w == "" {
		return nil, fmt.Errorf("empty element")
	}
	p.i += j
	return w, nil
}

func parseNumber(num string) (any, error) {
	if intOnlyRE.MatchString(num) {
		neg := strings.HasPrefix(num, "-")
		digits := strings.TrimPrefix(num, "-")
		base := 10
		switch {
		case strings.HasPrefix(digits, "0x"):
			base, digits = 16, digits[2:]
		case strings.HasPrefix(digits, "0o"):
			base, digits = 8, digits[2:]
		}
		if neg {
			digits = "-" + digits
		}
		n, err := strconv.ParseInt(digits, base, 64)
		if err != nil {
			return nil, fmt.Errorf("integer %s: out of range", num)
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return nil, fmt.Errorf("float %s: %v", num, err)
	}
	return f, nil
}

func (p *litParser) str(q byte) (any, error) {
	var b strings.Builder
	i := p.i + 1
	for i < len(p.s) {
		c := p.s[i]
		switch {
		case c == q:
			p.i = i + 1
			return b.String(), nil
		case c == '\\':
			if i+1 >= len(p.s) {
				return nil, fmt.Errorf("unterminated string")
			}
			e := p.s[i+1]
			i += 2
			switch e {
			case '\\', '\'', '"':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u', 'U':
				n := 4
				if e == 'U' {
					n = 8
				}
				if i+n > len(p.s) {
					return nil, fmt.Errorf("short \\%c escape", e)
				}
				r, err := strconv.ParseUint(p.s[i:i+n], 16, 32)
				if err != nil || !utf8.ValidRune(rune(r)) {
					return nil, fmt.Errorf("bad \\%c escape %q", e, p.s[i:i+n])
				}
				b.WriteRune(rune(r))
				i += n
			default:
				return nil, fmt.Errorf("unknown escape \\%c in a string", e)
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return nil, fmt.Errorf("unterminated string: missing %c", q)
}

// FormatLiteral writes v as a Cypher literal, the form Neo4j Browser's
// `:param name => value` takes. It is the inverse of ParseLiteral.
func FormatLiteral(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		var b strings.Builder
		b.WriteByte('"')
		for _, r := range x {
			switch r {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			case '\n':
				b.WriteString(`\n`)
			case '\t':
				b.WriteString(`\t`)
			case '\r':
				b.WriteString(`\r`)
			default:
				if r < 0x20 {
					fmt.Fprintf(&b, `\u%04x`, r)
				} else {
					b.WriteRune(r)
				}
			}
		}
		b.WriteByte('"')
		return b.String()
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		switch {
		case math.IsNaN(x):
			return "0.0/0.0"
		case math.IsInf(x, 1):
			return "1.0/0.0"
		case math.IsInf(x, -1):
			return "-1.0/0.0"
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0" // stays a float
		}
		return s
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = FormatLiteral(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = FormatLiteral(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			key := k
			if !wordRE.MatchString(k) || len(wordRE.FindString(k)) != len(k) {
				key = "`" + strings.ReplaceAll(k, "`", "``") + "`"
			}
			parts[i] = key + ": " + FormatLiteral(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return FormatLiteral(fmt.Sprint(v))
}

// ParseValue reads a parameter value given on the command line
// (--param name=value).
//
// When the query declares the parameter, the value takes the type of its
// example: for a string parameter the value is the text as given (quotes
// around it are removed, so '"42"' and 42 both give the string "42"); for a
// number, boolean or list parameter it must be a number, true/false, or a
// list ([a, b] or a,b). Otherwise (like the example null, or an ad-hoc query
// without a header) the value is read as a Cypher-ish literal when it looks
// like one — a number, true, false, null, a quoted string, a [list] or a
// {map} — and else taken as a string. In lists and maps, elements that are
// not literals are strings: [CN, DE] is ["CN", "DE"].
func ParseValue(s string, example any, declared bool) (any, error) {
	t := strings.TrimSpace(s)
	if declared {
		switch example.(type) {
		case string:
			if len(t) >= 2 && (t[0] == '"' || t[0] == '\'') && t[len(t)-1] == t[0] {
				if v, err := ParseLiteral(t); err == nil {
					return v, nil
				}
			}
			return s, nil
		case int64, float64:
			v, err := ParseLiteral(t)
			switch v.(type) {
			case int64, float64:
				return v, nil
			}
			if err == nil {
				err = fmt.Errorf("got %s", FormatLiteral(v))
			}
			return nil, fmt.Errorf("want a number: %v", err)
		case bool:
			switch strings.ToLower(t) {
			case "true", "yes", "1":
				return true, nil
			case "false", "no", "0":
				return false, nil
			}
			return nil, fmt.Errorf("want true or false, got %q", s)
		case []any:
			if t == "" {
				return []any{}, nil
			}
			if !strings.HasPrefix(t, "[") {
				t = "[" + t + "]"
			}
			v, n, err := parseLiteralPrefix(t, true)
			if err == nil && strings.TrimSpace(t[n:]) != "" {
				err = fmt.Errorf("unexpected %q after the list", t[n:])
			}
			if err != nil {
				return nil, fmt.Errorf("want a list such as [\"CN\", \"DE\"] or CN,DE: %v", err)
			}
			return v, nil
		case map[string]any:
			v, n, err := parseLiteralPrefix(t, true)
			if _, ok := v.(map[string]any); !ok || err != nil || strings.TrimSpace(t[n:]) != "" {
				return nil, fmt.Errorf("want a map such as {key: \"value\"}")
			}
			return v, nil
		}
	}
	if t == "" {
		return s, nil
	}
	switch c := t[0]; {
	case c == '[' || c == '{':
		v, n, err := parseLiteralPrefix(t, true)
		if err == nil && strings.TrimSpace(t[n:]) != "" {
			err = fmt.Errorf("unexpected %q after the value", t[n:])
		}
		if err != nil {
			return nil, fmt.Errorf("%q looks like a list or map but is not one: %v (quote it to pass a string)", s, err)
		}
		return v, nil
	case c == '"' || c == '\'':
		if v, err := ParseLiteral(t); err == nil {
			return v, nil
		}
		return s, nil
	}
	if v, err := ParseLiteral(t); err == nil {
		switch v.(type) {
		case int64, float64, bool, nil:
			return v, nil
		}
	}
	return s, nil
}
