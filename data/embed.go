// Package data is the curated dataset that collabnet ships: the cooperation
// agreements, organisations, events, programmes and reported figures stated
// in the source articles, each citing its source. README.md documents the
// format; SOURCES.md lists the sources and what was taken from each.
package data

import "embed"

// FS holds the dataset's YAML files.
//
//go:embed *.yaml
var FS embed.FS
