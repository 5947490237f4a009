package export

import (
	"bufio"
	"encoding/xml"
	"io"
)

// xmlWriter wraps an xml.Encoder with a sticky error and a reusable text
// buffer. encoding/xml does all escaping; text is cleaned of XML-illegal
// characters before it gets there (see appendXMLSafe).
type xmlWriter struct {
	bw    *bufio.Writer
	enc   *xml.Encoder
	err   error
	buf   []byte
	attrs []xml.Attr
}

// newXMLWriter returns an indenting writer on w. xml.NewEncoder adopts the
// 64 KiB bufio.Writer as is, so there is a single buffer between the encoder
// and w.
func newXMLWriter(w io.Writer) *xmlWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	return &xmlWriter{bw: bw, enc: enc, buf: make([]byte, 0, 256), attrs: make([]xml.Attr, 0, 8)}
}

func name(local string) xml.Name { return xml.Name{Local: local} }

func attr(n, v string) xml.Attr { return xml.Attr{Name: name(n), Value: v} }

func (x *xmlWriter) tok(t xml.Token) {
	if x.err == nil {
		x.err = x.enc.EncodeToken(t)
	}
}

// text writes x.buf as character data. The encoder copies it immediately, so
// the buffer can be reused.
func (x *xmlWriter) text() {
	if len(x.buf) > 0 {
		x.tok(xml.CharData(x.buf))
	}
}

// textElement writes <start>x.buf</end>.
func (x *xmlWriter) textElement(start, end xml.Token) {
	x.tok(start)
	x.text()
	x.tok(end)
}

// declaration writes the XML declaration and a line break. It must come
// before the first token; nothing is buffered in the encoder yet.
func (x *xmlWriter) declaration() {
	if x.err == nil {
		_, x.err = x.bw.WriteString(xml.Header)
	}
}

// close checks that every element was closed, flushes, and ends the document
// with a line break.
func (x *xmlWriter) close() error {
	if x.err != nil {
		return x.err
	}
	if err := x.enc.Close(); err != nil {
		return err
	}
	if err := x.bw.WriteByte('\n'); err != nil {
		return err
	}
	return x.bw.Flush()
}
