package neo4jstore

import (
	"net/url"
	"regexp"
)

// userinfo matches the user:password@ part of a URI that net/url cannot
// parse.
var userinfo = regexp.MustCompile(`(//[^/@:]*):[^/@]*@`)

// RedactURI returns uri with the password of its user information, if
// any, replaced by "xxxxx" ("bolt://neo4j:xxxxx@host:7687"), for errors and
// logs. A URI net/url cannot parse has any user:password@ replaced the
// same way.
func RedactURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return userinfo.ReplaceAllString(uri, "${1}:xxxxx@")
	}
	return u.Redacted()
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
