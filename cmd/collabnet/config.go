package main

import (
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// A configuration key's kind: what its values must be.
type keyKind string

const (
	kindString   keyKind = "text"
	kindBool     keyKind = "true or false"
	kindInt      keyKind = "a whole number"
	kindFloat    keyKind = "a number"
	kindDuration keyKind = "a duration such as 30s, 5m or 1h"
	kindList     keyKind = "a list (or text, comma-separated)"
	kindMap      keyKind = "a mapping of names to values"
)

// configOnlyKeys are the keys that no flag sets: the configuration file's
// and the environment's alone.
var configOnlyKeys = map[string]keyKind{
	"neo4j.uri": kindString, "neo4j.user": kindString, "neo4j.password": kindString, "neo4j.database": kindString,
	"neo4j.timeout":        kindDuration,
	"resolve.fold_accents": kindBool,
	"load.skip_invalid":    kindBool, "load.encoding": kindString, "load.delimiter": kindString,
	"load.date_formats": kindList, "load.sheet": kindString, "load.default_country": kindString,
	"pairs.type":        kindString,
	"columns":           kindMap,
	"countries.aliases": kindMap, "regions": kindMap, "agreement_types": kindMap,
}

// notConfigEnv are COLLABNET_ variables that are not configuration: the
// profiles (profile.go) and the tests' and scripts' own.
var notConfigEnv = []string{"COLLABNET_CPUPROFILE", "COLLABNET_MEMPROFILE", "COLLABNET_FUZZTIME", "COLLABNET_TEST_",
	"COLLABNET_BROWSER_SHOTS", "COLLABNET_REPORT_SHOTS", "COLLABNET_RENDER_OUT", "COLLABNET_MANGLE_", "COLLABNET_UPDATE_SCHEMA"}

// configKeys returns every configuration key with its kind: the keys the
// flags of every command bind (a file is shared by all commands) and the
// configuration-only ones.
func configKeys(root *cobra.Command) map[string]keyKind {
	keys := map[string]keyKind{}
	for k, v := range configOnlyKeys {
		keys[k] = v
	}
	var walk func(c *cobra.Command)
	visit := func(f *pflag.Flag) {
		key := strings.ReplaceAll(f.Name, "-", "_")
		if k, ok := f.Annotations["key"]; ok {
			key = k[0]
		}
		if _, ok := keys[key]; ok {
			return
		}
		switch f.Value.Type() {
		case "bool":
			keys[key] = kindBool
		case "int", "int64", "uint", "uint64":
			keys[key] = kindInt
		case "float64":
			keys[key] = kindFloat
		case "duration":
			keys[key] = kindDuration
		case "stringSlice", "stringArray":
			keys[key] = kindList
		default:
			keys[key] = kindString
		}
	}
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(visit)
		c.PersistentFlags().VisitAll(visit)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return keys
}

// checkConfig checks the configuration file (when there is one) and the
// COLLABNET_ environment variables against the known keys: an unknown key
// or a value of the wrong kind is an error naming the key and where it was
// set, rather than a setting silently ignored.
func checkConfig(root *cobra.Command, file string, environ []string) error {
	keys := configKeys(root)
	var problems []string
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("reading configuration %s: %w", file, err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("reading configuration %s: %w", file, err)
		}
		var walk func(prefix string, m map[string]any)
		walk = func(prefix string, m map[string]any) {
			for _, k := range sortedKeys(m) {
				key, v := prefix+strings.ToLower(k), m[k]
				kind, known := keys[key]
				sub, isMap := v.(map[string]any)
				switch {
				case v == nil: // an empty section or key: nothing set
				case isMap && kind != kindMap && hasPrefix(keys, key+"."):
					walk(key+".", sub)
				case known:
					if err := checkValue(kind, v); err != nil {
						problems = append(problems, fmt.Sprintf("%s: %s: %v", file, key, err))
					}
				default:
					problems = append(problems, fmt.Sprintf("%s: unknown key %s%s", file, key, suggest(keys, key)))
				}
			}
		}
		walk("", doc)
	}
	envKeys := map[string]string{}
	for k := range keys {
		envKeys["COLLABNET_"+strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(k))] = k
	}
	slices.Sort(environ)
	for _, kv := range environ {
		name, val, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "COLLABNET_") || slices.ContainsFunc(notConfigEnv, func(p string) bool { return strings.HasPrefix(name, p) }) {
			continue
		}
		key, ok := envKeys[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("environment variable %s: no configuration key %s%s", name,
				strings.ToLower(strings.TrimPrefix(name, "COLLABNET_")), suggest(keys, strings.ToLower(strings.TrimPrefix(name, "COLLABNET_")))))
			continue
		}
		if keys[key] == kindMap {
			problems = append(problems, fmt.Sprintf("environment variable %s: %s is %s: set it in the configuration file", name, key, kindMap))
			continue
		}
		if err := checkValue(keys[key], val); err != nil {
			problems = append(problems, fmt.Sprintf("environment variable %s (%s): %v", name, key, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return nil
}

// checkValue says whether v (from YAML, or an environment variable's
// text) is of the kind.
func checkValue(kind keyKind, v any) error {
	bad := func() error { return fmt.Errorf("%s: want %s", show(v), kind) }
	s, isString := v.(string)
	switch kind {
	case kindString:
		switch v.(type) {
		case string, int, float64, bool:
			return nil
		}
		return bad()
	case kindBool:
		if _, ok := v.(bool); ok {
			return nil
		}
		if _, err := strconv.ParseBool(s); isString && err == nil {
			return nil
		}
		return bad()
	case kindInt:
		switch x := v.(type) {
		case int:
			return nil
		case float64: // YAML's 1e3: whole and within range, else refused
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return nil
			}
		case string:
			if _, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
				return nil
			}
		}
		return bad()
	case kindFloat:
		switch x := v.(type) {
		case int:
			return nil
		case float64:
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				return nil
			}
		case string:
			if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
				return nil
			}
		}
		return bad()
	case kindDuration:
		if x, ok := v.(int); ok && x == 0 {
			return nil
		}
		if _, err := time.ParseDuration(strings.TrimSpace(s)); isString && err == nil {
			return nil
		}
		return bad()
	case kindList:
		switch x := v.(type) {
		case string:
			return nil
		case []any:
			for _, e := range x {
				switch e.(type) {
				case string, int, float64, bool:
				default:
					return bad()
				}
			}
			return nil
		}
		return bad()
	case kindMap:
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		for k, e := range m {
			switch e.(type) {
			case string, int, float64, bool, []any:
			default:
				return fmt.Errorf("%s: %s: want text", k, show(e))
			}
		}
		return nil
	}
	return nil
}

func show(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case nil:
		return "nothing"
	}
	return fmt.Sprint(v)
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

func hasPrefix(keys map[string]keyKind, prefix string) bool {
	for k := range keys {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// suggest names the known key nearest to key (by edit distance, at most
// a third of its length), as " (did you mean K?)", or "".
func suggest(keys map[string]keyKind, key string) string {
	best, bestD := "", len(key)/3+1
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if d := editDistance(k, key); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// editDistance is Levenshtein's distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
