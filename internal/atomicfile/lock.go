package atomicfile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// LockFile is the name of the lock file Lock takes in a directory.
const LockFile = ".collabnet.lock"

// Lock takes the exclusive lock of dir (creating dir when missing): an
// advisory lock (flock(2) on Unix) on dir/.collabnet.lock, which processes
// that write into dir take around their writing, so that two of them never
// interleave. The lock goes with the process: a process that dies releases
// it. When another process holds it, Lock calls waiting once with what the
// lock file says of the holder (pid, host, since when) and polls until the
// lock is free, wait has passed (then an error says who holds it) or ctx
// is done. unlock releases it.
func Lock(ctx context.Context, dir string, wait time.Duration, waiting func(holder string)) (unlock func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the lock %s: %w", path, err)
	}
	deadline := time.Now().Add(wait)
	told := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			_ = f.Close() // the error is what matters
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if ok {
			break
		}
		holder := holderOf(path)
		if !told && waiting != nil {
			waiting(holder)
			told = true
		}
		if !time.Now().Before(deadline) {
			_ = f.Close()
			return nil, fmt.Errorf("%s is locked by another collabnet (%s) and stayed locked for %s: wait for it to finish, or give it longer (--lock-wait)", dir, holder, wait)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("waiting for the lock on %s: %w", dir, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	// Who holds it, for the message of the next one to wait.
	host, _ := os.Hostname()
	info := fmt.Sprintf("pid %d on %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(info), 0) // only informative
	}
	return func() error {
		uerr := unlockFile(f)
		if cerr := f.Close(); uerr == nil {
			uerr = cerr
		}
		if uerr != nil {
			return fmt.Errorf("releasing the lock %s: %w", path, uerr)
		}
		return nil
	}, nil
}

// holderOf reads what the holder wrote into the lock file.
func holderOf(path string) string {
	b, err := os.ReadFile(path)
	if s := strings.TrimSpace(string(b)); err == nil && s != "" {
		return s
	}
	return "holder unknown"
}
