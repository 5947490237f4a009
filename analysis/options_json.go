package analysis

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// OptionsSchemaVersion is the version of Options' JSON (in report.json,
// snapshots and the AnalyticsRun node's parameters), its schema_version
// field; schemas/analysis-options.schema.json describes it. Version 1,
// without the field, named keys as Go fields ("Countries", "WeightedPaths")
// and gave the budget in nanoseconds ("budget"); it is still read.
const OptionsSchemaVersion = 2

// optionsFields is Options with its own JSON tags, without the methods
// below (which would recurse).
type optionsFields Options

// MarshalJSON writes the options with snake_case keys, schema_version
// first and the budget in seconds (budget_seconds).
func (o Options) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		SchemaVersion int `json:"schema_version"`
		optionsFields
		BudgetSeconds float64 `json:"budget_seconds,omitempty"`
	}{OptionsSchemaVersion, optionsFields(o), o.Budget.Seconds()})
}

// UnmarshalJSON reads the options of any schema version up to
// OptionsSchemaVersion: version 1's keys are renamed to snake_case and its
// budget converted from nanoseconds. A later version is an error naming
// it.
func (o *Options) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("analysis options: %w", err)
	}
	version := 1
	if v, ok := raw["schema_version"]; ok {
		if err := json.Unmarshal(v, &version); err != nil {
			return fmt.Errorf("analysis options: schema_version: %w", err)
		}
	}
	if version > OptionsSchemaVersion {
		return fmt.Errorf("analysis options of schema version %d: this collabnet reads up to %d; update it", version, OptionsSchemaVersion)
	}
	if version == 1 {
		migrated := make(map[string]json.RawMessage, len(raw))
		for k, v := range raw {
			if k == "budget" {
				var ns int64
				if err := json.Unmarshal(v, &ns); err != nil {
					return fmt.Errorf("analysis options (version 1): budget: %w", err)
				}
				v, _ = json.Marshal(time.Duration(ns).Seconds())
				k = "budget_seconds"
			}
			migrated[snakeCase(k)] = v
		}
		raw = migrated
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	var in struct {
		optionsFields
		BudgetSeconds float64 `json:"budget_seconds"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("analysis options: %w", err)
	}
	*o = Options(in.optionsFields)
	o.Budget = time.Duration(in.BudgetSeconds * float64(time.Second))
	return nil
}

// snakeCase turns a Go field name into its snake_case key:
// WeightedPaths → weighted_paths; a key already in snake_case is kept.
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
