package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles writes a CPU profile of the whole run to
// $COLLABNET_CPUPROFILE and, at the end, a heap profile to
// $COLLABNET_MEMPROFILE (go tool pprof reads both), when they are set.
// They are environment variables rather than flags because they are for
// the benchmarks and the developers, not for users. The returned function
// stops the profiles.
func startProfiles() (stop func(), err error) {
	var cpu *os.File
	if p := os.Getenv("COLLABNET_CPUPROFILE"); p != "" {
		if cpu, err = os.Create(p); err != nil {
			return nil, fmt.Errorf("CPU profile: %w", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("CPU profile %s: %w", p, err)
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if p := os.Getenv("COLLABNET_MEMPROFILE"); p != "" {
			f, err := os.Create(p)
			if err != nil {
				fmt.Fprintln(os.Stderr, "collabnet: heap profile:", err)
				return
			}
			defer f.Close()
			runtime.GC() // up-to-date live-heap figures
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				fmt.Fprintln(os.Stderr, "collabnet: heap profile:", err)
			}
		}
	}, nil
}
