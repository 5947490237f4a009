//go:build !unix

package atomicfile

import (
	"errors"
	"os"
)

// tryLock: without flock(2), writing into a shared directory is refused
// rather than left unguarded.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("directory locks need flock(2), which this system lacks")
}

func unlockFile(*os.File) error { return nil }
