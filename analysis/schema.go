package analysis

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// schemaBase is the JSON Schema of analyze's output without the
// measures, which Schema adds from the registry.
//
//go:embed analyze.schema.base.json
var schemaBase []byte

// Schema returns the JSON Schema (draft 2020-12) of a Level's JSON, the
// output of analyze --format json (schemas/analyze.schema.json is its
// copy): the measure names, the sampled measures (those of CostPaths)
// and a node field per measure, typed by its Kind, come from the
// registry.
func Schema() (map[string]any, error) {
	var s map[string]any
	if err := json.Unmarshal(schemaBase, &s); err != nil {
		return nil, fmt.Errorf("the embedded base of the analyze schema: %w", err)
	}
	defs := s["$defs"].(map[string]any)
	props := s["properties"].(map[string]any)
	nodeProps := defs["node"].(map[string]any)["properties"].(map[string]any)
	sampled := props["sampled"].(map[string]any)["properties"].(map[string]any)
	var names []any
	for _, d := range registry {
		names = append(names, string(d.Name))
		if _, clash := nodeProps[string(d.Name)]; clash {
			return nil, fmt.Errorf("measure %q has the name of a node field", d.Name)
		}
		nodeProps[string(d.Name)] = d.JSONSchema()
		if d.Cost == CostPaths {
			sampled[string(d.Name)] = map[string]any{"type": "integer", "minimum": 1}
		}
	}
	defs["measure"].(map[string]any)["enum"] = names
	return s, nil
}

// SchemaJSON is Schema as indented JSON with sorted keys, as
// schemas/analyze.schema.json holds it.
func SchemaJSON() ([]byte, error) {
	s, err := Schema()
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
