// Package atomicfile writes a file under a temporary name beside it and
// renames it into place, so that a reader never sees half a file and a
// failed write leaves the old file (or none) as it was.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotRegular is returned (wrapped) when path is something Write would
// not replace without being asked: a symbolic link (the rename would put a
// file in the link's place), or a device, FIFO or socket (the rename would
// replace /dev/null itself with a regular file).
var ErrNotRegular = errors.New("not a regular file")

// Options say what Write may write to besides a regular file or a new one.
type Options struct {
	// Force writes through a symbolic link (the file it points to is
	// replaced, the link stays) and into a device, FIFO or socket, in place
	// (there is nothing to rename onto it).
	Force bool
}

// Write calls write with a buffered writer to a temporary file in path's
// directory, then makes it path (mode 0644). When write or any step fails
// the temporary file is removed and the error names path. A path that is a
// symbolic link, a device, a FIFO or a socket is refused with ErrNotRegular
// (WriteWith with Force writes there); a directory is refused.
func Write(path string, write func(io.Writer) error) error {
	return WriteWith(path, Options{}, write)
}

// WriteWith is Write with options.
func WriteWith(path string, o Options, write func(io.Writer) error) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("writing %s: %w", path, err)
	case st.Mode()&fs.ModeSymlink != 0:
		to, _ := os.Readlink(path)
		if !o.Force {
			return fmt.Errorf("writing %s: %w: it is a symbolic link to %s; give the path it points to", path, ErrNotRegular, to)
		}
		target, err := filepath.EvalSymlinks(path)
		if errors.Is(err, fs.ErrNotExist) {
			// A dangling link: its target is created.
			if !filepath.IsAbs(to) {
				to = filepath.Join(filepath.Dir(path), to)
			}
			target, err = to, nil
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return WriteWith(target, o, write)
	case st.IsDir():
		return fmt.Errorf("writing %s: it is a directory", path)
	case !st.Mode().IsRegular():
		if !o.Force {
			return fmt.Errorf("writing %s: %w: it is a %s, which the rename would replace; give a file's path", path, ErrNotRegular, kind(st.Mode()))
		}
		return writeInPlace(path, write)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // gone after the rename; otherwise the temporary file
	bw := bufio.NewWriterSize(tmp, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// writeInPlace writes into a device, FIFO or socket as it is.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}
