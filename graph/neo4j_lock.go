package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The load lock lets one load at a time write to a database. Within a load
// the ties of an organisation are written by one writer only; between loads
// nothing in the statements themselves would stop two of them from
// creating the same ties (see countPartnersQuery).
//
// It is a lease: a LabelLoadLock node holding the owner's token and an
// expiry in server time, which the owner renews while it writes and deletes
// when done. A load that dies without deleting it (killed, or its machine
// gone) holds it until the lease runs out, lockLease at most.
const (
	lockName    = "load"
	lockLease   = 30 * time.Second
	lockRenew   = lockLease / 3
	lockRetry   = time.Second
	lockTimeout = 10 * time.Second // of each lock statement
)

// errLockLost is the cause a load stops with when its lease was taken over.
var errLockLost = errors.New("lost the load lock: the lease ran out and another load took it")

// acquireLockQuery takes the lock if it is free or its lease has run out.
// SET id takes the node's write lock before expires is read, so two
// loads taking a free lock at once cannot both see it free.
var acquireLockQuery = fmt.Sprintf(`MERGE (l:%s {id: $name})
ON CREATE SET l.expires = 0
SET l.id = $name
WITH l, l.expires < timestamp() AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l.token = $token, l.holder = $holder, l.since = datetime(), l.expires = timestamp() + $lease)
RETURN l.token = $token AS mine, l.holder AS holder, toString(l.since) AS since`, LabelLoadLock)

var renewLockQuery = fmt.Sprintf(`MATCH (l:%s {id: $name}) WHERE l.token = $token
SET l.expires = timestamp() + $lease
RETURN count(l) AS held`, LabelLoadLock)

var releaseLockQuery = fmt.Sprintf(`MATCH (l:%s {id: $name}) WHERE l.token = $token DELETE l`, LabelLoadLock)

// loadLock is a held lease.
type loadLock struct {
	s     *Neo4jStore
	token string
	stop  context.CancelFunc
	done  chan struct{}
}

// lockLoad waits until it holds the load lock, telling s.Waiting who holds
// it meanwhile. The returned context is ctx, cancelled with errLockLost if
// the lease is lost; release the lock with unlock.
func (s *Neo4jStore) lockLoad(ctx context.Context) (context.Context, *loadLock, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, nil, fmt.Errorf("making a load lock token: %w", err)
	}
	host, _ := os.Hostname()
	params := map[string]any{"name": lockName, "token": hex.EncodeToString(b),
		"holder": fmt.Sprintf("collabnet load, host %s, pid %d", host, os.Getpid()), "lease": lockLease.Milliseconds()}
	told, failures := "", 0
	for {
		rec, err := s.lockStatement(ctx, acquireLockQuery, params)
		if err != nil && ctx.Err() == nil && failures < 3 {
			// The holder may have deleted the lock while this statement
			// waited for it.
			failures++
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("taking the load lock: %w", err)
		}
		if mine, _ := rec.Get("mine"); mine == true {
			break
		}
		holder, _ := rec.Get("holder")
		if holder == nil {
			continue // the holder deleted the lock while this waited for it
		}
		since, _ := rec.Get("since")
		if who := fmt.Sprintf("%v since %v", holder, since); who != told && s.Waiting != nil {
			s.Waiting(who)
			told = who
		}
		select {
		case <-time.After(lockRetry):
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("waiting for the load lock: %w", ctx.Err())
		}
	}
	lctx, cancel := context.WithCancelCause(ctx)
	rctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	l := &loadLock{s: s, token: params["token"].(string), stop: stop, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		t := time.NewTicker(lockRenew)
		defer t.Stop()
		for {
			select {
			case <-rctx.Done():
				return
			case <-t.C:
			}
			// A failed renewal is tried again at the next tick; only a
			// lease another load holds now stops this one.
			rec, err := s.lockStatement(rctx, renewLockQuery, params)
			if err != nil {
				continue
			}
			if held, _ := rec.Get("held"); held == int64(0) {
				cancel(errLockLost)
				return
			}
		}
	}()
	return lctx, l, nil
}

// unlock stops renewing the lease and deletes the lock, even when the load
// was cancelled.
func (l *loadLock) unlock(ctx context.Context) error {
	l.stop()
	<-l.done
	ctx = context.WithoutCancel(ctx)
	_, err := l.s.lockStatement(ctx, releaseLockQuery, map[string]any{"name": lockName, "token": l.token})
	if err != nil {
		return fmt.Errorf("releasing the load lock (it expires within %s): %w", lockLease, err)
	}
	return nil
}

// lockStatement runs one lock statement in a managed write transaction of
// its own, and returns its record, if any.
func (s *Neo4jStore) lockStatement(ctx context.Context, q string, params map[string]any) (*neo4j.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, lockTimeout)
	defer cancel()
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	return neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (*neo4j.Record, error) {
		res, err := tx.Run(ctx, q, params)
		if err != nil {
			return nil, err
		}
		recs, err := res.Collect(ctx)
		if err != nil || len(recs) == 0 {
			return nil, err
		}
		return recs[0], nil
	})
}
