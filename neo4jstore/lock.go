package neo4jstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/graph"
)

// The load lock lets one load at a time write to a database. Within a load
// the ties of an organisation are written by one writer only; between loads
// nothing in the statements themselves would stop two of them from
// creating the same ties (see countPartnersQuery).
//
// It is a lease: a graph.LabelLoadLock node holding the owner's token and an
// expiry in server time, which the owner renews while it writes and deletes
// when done. A load that dies without deleting it (killed, or its machine
// gone) holds it until the lease runs out, lockLease at most; the next load
// takes it over. Every lock statement first takes the node's write lock
// (SET id), so that it reads the token and expiry no other statement is
// changing.
const (
	lockName    = "load"
	lockRetry   = time.Second
	lockTimeout = 10 * time.Second // of each lock statement
	// interruptedRelease bounds the release of the lock by an interrupted load.
	interruptedRelease = 700 * time.Millisecond
)

// lockLease is how long a lock holds without renewal; a var so that tests
// can shorten it. Renewals come three times a lease.
var lockLease = 30 * time.Second

// ErrLoadLockLost is the cause a load stops with when it may no longer hold the
// lock: another load took it over, or renewals failed for most of a lease.
var ErrLoadLockLost = errors.New("lost the load lock: its lease was not renewed in time, or another load took it over")

// acquireLockQuery takes the lock if it is free or its lease has run out.
var acquireLockQuery = fmt.Sprintf(`MERGE (l:%s {id: $name})
SET l.id = $name
WITH l, coalesce(l.expires, 0) < timestamp() AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l.token = $token, l.holder = $holder, l.since = datetime(), l.expires = timestamp() + $lease)
RETURN l.token = $token AS mine, l.holder AS holder, toString(l.since) AS since`, graph.LabelLoadLock)

// renewLockQuery and releaseLockQuery return 1 if the lock was still ours.
var renewLockQuery = fmt.Sprintf(`OPTIONAL MATCH (l:%s {id: $name})
SET l.id = $name
WITH l WHERE l.token = $token
SET l.expires = timestamp() + $lease
RETURN count(l) AS held`, graph.LabelLoadLock)

var releaseLockQuery = fmt.Sprintf(`OPTIONAL MATCH (l:%s {id: $name})
SET l.id = $name
WITH l WHERE l.token = $token
DELETE l
RETURN count(*) AS held`, graph.LabelLoadLock)

// loadLock is a held lease.
type loadLock struct {
	s      *Store
	params map[string]any
	stop   context.CancelFunc      // the renewals
	cancel context.CancelCauseFunc // the load's context
	done   chan struct{}
}

// lockLoad waits until it holds the load lock, telling waiting who holds
// it meanwhile. The returned context is ctx, cancelled with ErrLoadLockLost if
// the lock may have been lost; release the lock with unlock.
func (s *Store) lockLoad(ctx context.Context, waiting func(holder string)) (context.Context, *loadLock, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, nil, fmt.Errorf("making a load lock token: %w", err)
	}
	host, _ := os.Hostname()
	lease := lockLease
	params := map[string]any{"name": lockName, "token": hex.EncodeToString(b),
		"holder": fmt.Sprintf("collabnet load, host %s, pid %d", host, os.Getpid()), "lease": lease.Milliseconds()}
	l := &loadLock{s: s, params: params, done: make(chan struct{})}
	told, failures := "", 0
	for {
		rec, err := s.lockStatement(ctx, acquireLockQuery, params)
		wait := lockRetry
		switch {
		case err != nil && ctx.Err() != nil:
			// The lock may have been taken just before ctx ended.
			_, _ = l.release(ctx) // the lock was lost; releasing is best effort
			return nil, nil, fmt.Errorf("taking the load lock: %w", ctx.Err())
		case err != nil && failures < 3:
			failures++
			wait = time.Duration(failures) * 100 * time.Millisecond
		case err != nil:
			return nil, nil, fmt.Errorf("taking the load lock: %w", err)
		default:
			if mine, _ := rec.Get("mine"); mine == true {
				return l.hold(ctx, lease), l, nil
			}
			holder, _ := rec.Get("holder")
			since, _ := rec.Get("since")
			if holder == nil {
				// Its holder deleted the lock while this statement waited.
				wait = lockRetry / 10
			} else if who := fmt.Sprintf("%v since %v", holder, since); who != told && waiting != nil {
				waiting(who)
				told = who
			}
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("waiting for the load lock: %w", ctx.Err())
		}
	}
}

// hold renews the lease until unlock. The load stops with ErrLoadLockLost when
// a renewal finds the lock taken over, or when none succeeded for most of a
// lease: by then another load may have taken it.
func (l *loadLock) hold(ctx context.Context, lease time.Duration) context.Context {
	lctx, cancel := context.WithCancelCause(ctx)
	rctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	l.cancel, l.stop = cancel, stop
	go func() {
		defer close(l.done)
		t := time.NewTicker(lease / 3)
		defer t.Stop()
		renewed := time.Now()
		for {
			select {
			case <-rctx.Done():
				return
			case <-t.C:
			}
			rec, err := l.s.lockStatement(rctx, renewLockQuery, l.params)
			if err == nil {
				if held, _ := rec.Get("held"); held != int64(1) {
					cancel(ErrLoadLockLost)
					return
				}
				renewed = time.Now()
			}
			if time.Since(renewed) > lease*2/3 {
				cancel(ErrLoadLockLost)
				return
			}
		}
	}()
	return lctx
}

// unlock stops renewing the lease and deletes the lock, even when the load
// was cancelled. It returns ErrLoadLockLost if the lock was no longer ours.
func (l *loadLock) unlock(ctx context.Context) error {
	l.stop()
	<-l.done
	l.cancel(nil)
	held, err := l.release(ctx)
	switch {
	case err != nil:
		return fmt.Errorf("releasing the load lock (it expires within %s): %w", lockLease, err)
	case !held:
		return ErrLoadLockLost
	}
	return nil
}

// release deletes the lock if it is ours, and says whether it was.
// After an interrupt (ctx cancelled) it waits interruptedRelease at most,
// so that SIGINT or SIGTERM stops collabnet within a second: a lock not
// deleted then expires within lockLease.
func (l *loadLock) release(ctx context.Context) (bool, error) {
	rctx := context.WithoutCancel(ctx)
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeout(rctx, interruptedRelease)
		defer cancel()
	}
	rec, err := l.s.lockStatement(rctx, releaseLockQuery, l.params)
	if err != nil {
		return false, err
	}
	held, _ := rec.Get("held")
	return held == int64(1), nil
}

// lockStatement runs one lock statement in a managed write transaction of
// its own, and returns its record.
func (s *Store) lockStatement(ctx context.Context, q string, params map[string]any) (_ *neo4j.Record, err error) {
	ctx, cancel := context.WithTimeout(ctx, lockTimeout)
	defer cancel()
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
	return neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (*neo4j.Record, error) {
		res, err := tx.Run(ctx, q, params)
		if err != nil {
			return nil, err
		}
		return res.Single(ctx)
	})
}
