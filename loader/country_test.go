package loader

import (
	"strings"
	"testing"
)

func TestCountryResolve(t *testing.T) {
	c, err := NewCountries(map[string]string{"Madagaskar": "mg"})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"DE": "DE", "de": "DE", "DEU": "DE", "Germany": "DE", "德国": "DE", "德國": "DE",
		"EL": "GR", "UK": "GB", "United Kingdom": "GB", "England": "GB",
		"England, United Kingdom": "GB", "Algarve, Portugal": "PT",
		"South Korea": "KR", "韩国": "KR", "韓國": "KR", "Korea, Republic of": "KR",
		"Czechia": "CZ", "Czech Republic": "CZ", "Turkey": "TR",
		"São Tomé and Príncipe": "ST", "Sao Tome & Principe": "ST",
		"Myanmar": "MM", "Côte d’Ivoire": "CI", "Ivory Coast": "CI",
		"Hong Kong SAR China": "HK", "香港": "HK", "Taiwan": "TW",
		"Madagaskar": "MG", " Japan ": "JP", "ＪＰ": "JP",
		"Saint Lucia": "LC", "St. Lucia": "LC", "Saint Vincent and the Grenadines": "VC",
		"North Macedonia": "MK", "Eswatini": "SZ",
		"": "",
	}
	for in, want := range cases {
		got, err := c.Resolve(in)
		if err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestCountryUnknownSuggests(t *testing.T) {
	c, _ := NewCountries(nil)
	for in, sug := range map[string]string{"Grece": "GR", "Kazakhstah": "KZ", "Germny": "DE"} {
		_, err := c.Resolve(in)
		if err == nil {
			t.Errorf("Resolve(%q) succeeded; an unknown name must be an error", in)
			continue
		}
		if !strings.Contains(err.Error(), "did you mean") || !strings.Contains(err.Error(), "= "+sug) {
			t.Errorf("Resolve(%q) error %q does not suggest %s", in, err, sug)
		}
	}
	if _, err := c.Resolve("Atlantis"); err == nil {
		t.Error("Atlantis resolved")
	}
}

func TestCountryAliasMustBeISO(t *testing.T) {
	if _, err := NewCountries(map[string]string{"Narnia": "NA1"}); err == nil {
		t.Error("alias to a non-ISO code accepted")
	}
}

func TestCountryNames(t *testing.T) {
	c, _ := NewCountries(nil)
	if got := c.Country("CN"); got == nil || got.NameEN != "China" || got.NameZH != "中国" {
		t.Errorf("Country(CN) = %+v", got)
	}
}
