// Package regions holds named groups of countries that --countries accepts
// beside country codes: EU27, ASEAN and OECD, as their own bodies list their
// members. Configuration (regions: NAME: "CODE,CODE,...") adds more, or
// replaces one of these; a group nobody publishes an authoritative list of
// (such as the Belt and Road partners) belongs there, with its source.
package regions

import (
	"slices"
	"strings"
)

// Builtin maps a region's name (upper case) to its members' ISO 3166-1
// alpha-2 codes, sorted.
var Builtin = map[string][]string{
	// The 27 member states since 1 February 2020: European Union, "EU
	// countries", https://european-union.europa.eu/principles-countries-history/eu-countries_en
	"EU27": {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
		"LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"},
	// The ten member states of the ASEAN Charter and Timor-Leste, admitted
	// as the eleventh at the 47th ASEAN Summit (26 October 2025): ASEAN,
	// "ASEAN Member States", https://asean.org/member-states/
	"ASEAN": {"BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN"},
	// The 38 members: OECD, "Members and partners",
	// https://www.oecd.org/en/about/members-partners.html (Costa Rica the
	// latest, 25 May 2021).
	"OECD": {"AT", "AU", "BE", "CA", "CH", "CL", "CO", "CR", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB",
		"GR", "HU", "IE", "IL", "IS", "IT", "JP", "KR", "LT", "LU", "LV", "MX", "NL", "NO", "NZ", "PL",
		"PT", "SE", "SI", "SK", "TR", "US"},
}

// Lookup returns the members of the region called name (case-insensitive),
// from extra (configuration: name → comma-separated codes) before Builtin,
// and whether there is one.
func Lookup(name string, extra map[string]string) ([]string, bool) {
	key := strings.ToUpper(strings.TrimSpace(name))
	for k, v := range extra {
		if strings.ToUpper(k) == key {
			var out []string
			for _, c := range strings.Split(v, ",") {
				if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
					out = append(out, c)
				}
			}
			slices.Sort(out)
			return slices.Compact(out), true
		}
	}
	m, ok := Builtin[key]
	return slices.Clone(m), ok
}
