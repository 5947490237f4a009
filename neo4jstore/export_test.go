package neo4jstore

import "time"

// SetLockLease sets the load lock's lease for a test; restore puts it back.
func SetLockLease(d time.Duration) (restore func()) {
	old := lockLease
	lockLease = d
	return func() { lockLease = old }
}
