// Package hostile writes the hostile inputs of the input-limits tests
// (issue 21): small files that inflate to gigabytes, or hold one endless
// line or cell. They are generated, not committed: a gzip of gigabytes is
// built by compressing one chunk and repeating its compressed bytes, so it
// takes milliseconds and no disk beyond its own size.
package hostile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// Gzip writes a gzip stream whose content is head, then chunk n times, then
// tail. chunk must be at least 32 KiB (the deflate window), so that after
// any copy of it the decoder's window is the same and the compressed bytes
// of one copy decode to the next. The trailer's CRC-32 and size are those
// of the whole content, so the stream is valid to its end.
func Gzip(w io.Writer, head, chunk []byte, n int64, tail []byte) error {
	if len(chunk) < 32<<10 || n < 1 {
		return fmt.Errorf("hostile.Gzip: a chunk of %d bytes, %d times: want at least 32 KiB, once", len(chunk), n)
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	part := func(b []byte) ([]byte, error) {
		if _, err := zw.Write(b); err != nil {
			return nil, err
		}
		if err := zw.Flush(); err != nil { // ends on a byte boundary
			return nil, err
		}
		out := bytes.Clone(buf.Bytes())
		buf.Reset()
		return out, nil
	}
	first, err := part(head) // the gzip header and head
	if err != nil {
		return err
	}
	one, err := part(chunk) // the first copy, after head
	if err != nil {
		return err
	}
	again, err := part(chunk) // a copy after a copy: repeatable
	if err != nil {
		return err
	}
	if _, err := zw.Write(tail); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	end := buf.Bytes()
	end = end[:len(end)-8] // the trailer is written below, for the real content
	bw := bufio.NewWriterSize(w, 1<<20)
	for _, b := range [][]byte{first, one} {
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	for i := int64(1); i < n; i++ {
		if _, err := bw.Write(again); err != nil {
			return err
		}
	}
	if _, err := bw.Write(end); err != nil {
		return err
	}
	crc := crc32.Update(0, crc32.IEEETable, head)
	crc = crcRepeat(crc, chunk, n)
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	size := int64(len(head)) + int64(len(chunk))*n + int64(len(tail))
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc)
	binary.LittleEndian.PutUint32(trailer[4:], uint32(size))
	if _, err := bw.Write(trailer[:]); err != nil {
		return err
	}
	return bw.Flush()
}

// crcRepeat continues crc over chunk repeated n times.
func crcRepeat(crc uint32, chunk []byte, n int64) uint32 {
	for i := int64(0); i < n; i++ {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	return crc
}

// Header is the header of the participations tables below.
const Header = "project,org,name,country\n"

// FieldBomb writes a participations table in gzip whose third row field
// (name, quoted) is size bytes of "A": 4 GiB in about 4 MB.
func FieldBomb(w io.Writer, size int64) error {
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	return Gzip(w, []byte(Header+"1,2,\""), chunk, size>>20, []byte("\",DE\n"))
}

// NULBomb writes a gzip of size NUL bytes (a multiple of 1 MiB): 2 GiB in
// about 2 MB.
func NULBomb(w io.Writer, size int64) error {
	return Gzip(w, nil, make([]byte, 1<<20), size>>20, nil)
}

// Row is the row RowsBomb repeats.
const Row = "1,99999999,Example Org,DE\n"

// RowsBomb writes a participations table in gzip of at least rows copies
// of Row: 134 M rows in about 10 MB.
func RowsBomb(w io.Writer, rows int64) error {
	per := int64((1 << 20) / len(Row))
	chunk := []byte(strings.Repeat(Row, int(per)))
	return Gzip(w, []byte(Header), chunk, (rows+per-1)/per, nil)
}

// LongLine writes one line of size bytes of "A" (no line end): a plain
// text file, streamed.
func LongLine(w io.Writer, size int64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	for size > 0 {
		n := min(size, int64(len(chunk)))
		if _, err := bw.Write(chunk[:n]); err != nil {
			return err
		}
		size -= n
	}
	return bw.Flush()
}

// WideXLSX writes a workbook whose one worksheet has a participations
// header and rows data rows, each with a cell in the last column, XFD,
// which a spreadsheet library holding rows as wide as their last cell
// inflates to 16,384 cells a row. dimension is the worksheet's declared
// dimension ("" for none; the truthful one is A1:XFD<rows+1>).
func WideXLSX(w io.Writer, rows int, dimension string) error {
	zw := zip.NewWriter(w)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	for _, f := range files {
		fw, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return err
		}
	}
	fw, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(fw)
	fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	if dimension != "" {
		fmt.Fprintf(bw, `<dimension ref="%s"/>`, dimension)
	}
	fmt.Fprint(bw, `<sheetData><row r="1">`)
	for i, h := range strings.Split(strings.TrimSpace(Header), ",") {
		fmt.Fprintf(bw, `<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, h)
	}
	fmt.Fprint(bw, `</row>`)
	for r := 2; r <= rows+1; r++ {
		fmt.Fprintf(bw, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="XFD%d"><v>1</v></c></row>`, r, r, r, r)
	}
	fmt.Fprint(bw, `</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}
