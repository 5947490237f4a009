package analytics

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the process's user+system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuTimer reports CPU seconds per operation beside ns/op (wall), so
// scripts/bench-analytics can compare CPU with peers that use several
// threads, or share a busy machine.
type cpuTimer struct{ start time.Duration }

func startCPU(b *testing.B) cpuTimer { b.Helper(); return cpuTimer{processCPU()} }

func (c cpuTimer) report(b *testing.B) {
	b.ReportMetric((processCPU()-c.start).Seconds()/float64(b.N), "cpu-s/op")
}
