package neo4jstore

import "time"

// SetLockLease sets the load lock's lease for a test; restore puts it back.
func SetLockLease(d time.Duration) (restore func()) {
	old := lockLease
	lockLease = d
	return func() { lockLease = old }
}

// SetPartnersFault makes the PARTNER_OF step's concurrent batches fail as
// a deadlock would, each batch for which fail says so, and tells deferred
// how many organisations it then counted again alone; restore undoes it.
func SetPartnersFault(fail func(ids []string) bool, deferred func(n int)) (restore func()) {
	partnersFault, partnersDeferred = fail, deferred
	return func() { partnersFault, partnersDeferred = nil, nil }
}
