package loader

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with an input, located as precisely as the
// input allows: file, line, column (or field) and the offending value. In a
// workbook, Sheet names the worksheet, Line is the row and Column the
// column number, shown as file.xlsx:Sheet1!C7.
type Problem struct {
	File   string `json:"file"`
	Sheet  string `json:"sheet,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Field  string `json:"field,omitempty"`
	Value  string `json:"value,omitempty"`
	Msg    string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Sheet != "" {
		fmt.Fprintf(&b, ":%s", p.Sheet)
		if p.Line > 0 {
			b.WriteByte('!')
			if p.Column > 0 {
				b.WriteString(columnLetters(p.Column))
			}
			fmt.Fprintf(&b, "%d", p.Line)
		}
	} else if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ":%d", p.Column)
		}
	}
	b.WriteString(": ")
	if p.Field != "" {
		fmt.Fprintf(&b, "%s", p.Field)
		if p.Value != "" {
			fmt.Fprintf(&b, " %q", p.Value)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in a load; as an error, it means nothing
// was loaded.
type Problems []Problem

func (ps Problems) Error() string {
	const show = 50
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the input; nothing was loaded:", len(ps))
	for i, p := range ps {
		if i == show {
			fmt.Fprintf(&b, "\n  ... and %d more", len(ps)-show)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// columnLetters is a spreadsheet's name of column n (1 is A, 27 is AA).
func columnLetters(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}
