package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A failed write leaves the old file as it was and no temporary file; a
// successful one replaces it.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(p, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), p) {
		t.Errorf("err = %v, want boom naming %s", err, p)
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("after a failed write: %q, want old", b)
	}
	if err := Write(p, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("after a write: %q, want new", b)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("directory holds %d entries, want the file alone", len(es))
	}
}

// A symbolic link and a device are refused unless forced: the link and the
// device stay as they were, and no file appears. Forced, the link's target
// is replaced (the link stays a link) and the device is written into.
func TestWriteRefusesLinksAndDevices(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.txt")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink("target.txt", link); err != nil {
		t.Fatal(err)
	}
	put := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	if err := Write(link, put); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "symbolic link to target.txt") {
		t.Errorf("write through a link: %v, want ErrNotRegular naming the link's target", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Errorf("target after a refused write: %q", b)
	}
	if err := Write("/dev/null", put); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "character device") {
		t.Errorf("write onto /dev/null: %v, want ErrNotRegular (a character device)", err)
	}
	if st, err := os.Lstat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device: %v %v", st.Mode(), err)
	}
	if err := Write(dir, put); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("write onto a directory: %v", err)
	}
	if err := WriteWith(link, Options{Force: true}, put); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target after a forced write through the link: %q", b)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is no longer a link after a forced write: %v", err)
	}
	if err := WriteWith("/dev/null", Options{Force: true}, put); err != nil {
		t.Errorf("forced write into /dev/null: %v", err)
	}
	if st, err := os.Lstat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device: %v %v", st.Mode(), err)
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 2 {
		t.Errorf("files left in the directory: %v, want the target and the link", es)
	}
}
