package main

import (
	"bytes"
	"io"
	"strings"

	"github.com/collabnet/collabnet/neo4jstore"
)

// secrets are the configured values never to print: the Neo4j password,
// whether given as neo4j.password or inside neo4j.uri.
func secrets(s settings) []string {
	var out []string
	if p := s.GetString("neo4j.password"); p != "" {
		out = append(out, p)
	}
	out = append(out, neo4jstore.URIPasswords(s.GetString("neo4j.uri"))...)
	return out
}

// redact replaces every secret in text by xxxxx.
func (a *app) redact(text string) string {
	for _, s := range a.secrets {
		text = strings.ReplaceAll(text, s, "xxxxx")
	}
	return text
}

// redactWriter returns w, replacing the secrets in each write: a safety net
// under the messages, which already name URIs redacted. Writes are whole
// lines or blocks, so a secret is not split between two.
func (a *app) redactWriter(w io.Writer) io.Writer {
	if len(a.secrets) == 0 {
		return w
	}
	if r, ok := w.(*redacting); ok {
		w = r.w
	}
	return &redacting{w: w, secrets: a.secrets}
}

type redacting struct {
	w       io.Writer
	secrets []string
}

func (r *redacting) Write(p []byte) (int, error) {
	q := p
	for _, s := range r.secrets {
		if bytes.Contains(q, []byte(s)) {
			q = bytes.ReplaceAll(q, []byte(s), []byte("xxxxx"))
		}
	}
	if _, err := r.w.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}
