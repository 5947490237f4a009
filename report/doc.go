// Package report renders a dataset and its analysis (analysis.Analysis)
// into the report files: report.html and report.md (English or Chinese),
// report.json (schemas/report.schema.json) and graph.graphml, and keeps
// the history of snapshots from which it says what changed since the
// previous run. BuildWith assembles the Report, WriteFiles writes it; the measures it ranks by are the analysis registry's Ranked ones.
package report
