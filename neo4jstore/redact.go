package neo4jstore

import (
	"net/url"
	"strings"
)

// passwordSpan returns where the password of uri's user information is
// (uri[i:j]), found by text rather than by net/url, so that a URI it
// refuses or reads otherwise is covered too: the user information is what
// comes before the last @ of the authority (after "://", or from the start
// when the URI has none: "neo4j:SECRET@host:7687", a URI missing its //),
// and the password what follows its first colon.
func passwordSpan(uri string) (i, j int, ok bool) {
	start := 0
	if k := strings.Index(uri, "://"); k >= 0 {
		start = k + 3
	}
	end := len(uri)
	if k := strings.IndexAny(uri[start:], "/?#"); k >= 0 {
		end = start + k
	}
	at := strings.LastIndex(uri[start:end], "@")
	if at < 0 {
		return 0, 0, false
	}
	colon := strings.Index(uri[start:start+at], ":")
	if colon < 0 {
		return 0, 0, false
	}
	return start + colon + 1, start + at, true
}

// RedactURI returns uri with the password of its user information, if
// any, replaced by "xxxxx" ("bolt://neo4j:xxxxx@host:7687"), for errors and
// logs. A URI net/url cannot parse, or parses without user information
// ("neo4j:SECRET@host:7687", its // missing), has its user:password@
// replaced the same way.
func RedactURI(uri string) string {
	if u, err := url.Parse(uri); err == nil && u.User != nil {
		return u.Redacted()
	}
	if i, j, ok := passwordSpan(uri); ok {
		return uri[:i] + "xxxxx" + uri[j:]
	}
	return uri
}

// URIPasswords returns the password inside uri, if any, as written and,
// when it differs, as decoded (p%40ss and p@ss): the texts never to print.
func URIPasswords(uri string) []string {
	var out []string
	if i, j, ok := passwordSpan(uri); ok && i < j {
		out = append(out, uri[i:j])
	}
	if u, err := url.Parse(uri); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" && (len(out) == 0 || out[0] != p) {
			out = append(out, p)
		}
	}
	return out
}

// splitURI returns uri without user information, and the user and password
// it held ("" when none): the driver takes credentials separately, and so
// never sees (nor echoes) a password in the URI.
func splitURI(uri string) (bare, user, password string) {
	u, err := url.Parse(uri)
	if err != nil || u.User == nil {
		return uri, "", ""
	}
	user = u.User.Username()
	password, _ = u.User.Password()
	u.User = nil
	return u.String(), user, password
}
