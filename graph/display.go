package graph

import "strings"

// Languages of display names: LangZH puts the name as the data give it
// (Chinese for Chinese parties) first, LangEN the English name.
const (
	LangZH = "zh"
	LangEN = "en"
)

// DisplayName is the one rule every output (exports, report, Neo4j Browser
// captions) labels a node by, so that no label is ever empty: in LangEN the
// English name, else the name, else the short name; in LangZH (and any other
// value) the name, else the English name, else the short name; without any
// name, the ID with its kind (IDKind): "PIC 999640007", "Organization acme".
// Names are trimmed of spaces; an empty id gives kind alone.
func DisplayName(lang, name, nameEN, short, kind, id string) string {
	name, nameEN, short = strings.TrimSpace(name), strings.TrimSpace(nameEN), strings.TrimSpace(short)
	first, second := name, nameEN
	if lang == LangEN {
		first, second = nameEN, name
	}
	for _, s := range []string{first, second, short} {
		if s != "" {
			return s
		}
	}
	if id == "" {
		return kind
	}
	if kind == "" {
		return id
	}
	return kind + " " + id
}

// IDKind is the kind of ID a node of label carries, for DisplayName: "PIC"
// for an organisation whose ID is nine digits (the EU's Participant
// Identification Code, which CORDIS participation data name organisations
// by), else the label ("Organization", "Agreement", ...).
func IDKind(label, id string) string {
	if label == LabelOrganization && isPIC(id) {
		return "PIC"
	}
	return label
}

func isPIC(id string) bool {
	if len(id) != 9 {
		return false
	}
	for i := range len(id) {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// agreementTypeNames are the agreement types (AgreementTypes) in English and Chinese.
var agreementTypeNames = map[string][2]string{
	"mou":                   {"MoU", "谅解备忘录"},
	"cooperation_agreement": {"cooperation agreement", "合作协议"},
	"strategic_cooperation": {"strategic cooperation", "战略合作"},
	"pairing":               {"pairing", "结对"},
	"twinning":              {"twinning", "友好城市"},
	"project":               {"project", "项目"},
	"other":                 {"agreement", "协议"},
}

// AgreementTypeName is an agreement type in lang ("MoU", "谅解备忘录"); a
// type outside AgreementTypes as given.
func AgreementTypeName(lang, typ string) string {
	n, ok := agreementTypeNames[typ]
	switch {
	case !ok:
		return typ
	case lang == LangEN:
		return n[0]
	}
	return n[1]
}

// AgreementCaption is how an agreement is labelled: its type and date
// ("MoU 2019-06-12", "谅解备忘录 2019-06-12"), with its ID instead of the
// date when it has none; never empty.
func AgreementCaption(lang, typ, date, id string) string {
	t := AgreementTypeName(lang, typ)
	if t == "" {
		t = AgreementTypeName(lang, "other")
	}
	if date != "" {
		return t + " " + date
	}
	if id != "" {
		return t + " " + id
	}
	return t
}

// Caption is the display name of a property-graph node in lang, from the
// properties the View writes: agreements by AgreementCaption (type, date,
// id), countries by name_zh (LangZH) or name, other nodes with a name_zh
// (reported figures) by it in LangZH, the rest by DisplayName over
// name, name_en and short_name with the node's IDKind. label is the node's
// first label; key its own key (the "id" property, or the node ID).
func Caption(lang, label, key string, props []Prop) string {
	str := func(k string) string {
		s, _ := Get(props, k).(string)
		return s
	}
	switch label {
	case LabelAgreement:
		return AgreementCaption(lang, str("type"), str("date"), key)
	case LabelCountry:
		return DisplayName(lang, str("name_zh"), str("name"), "", label, key)
	}
	if zh := str("name_zh"); zh != "" && lang != LangEN {
		return zh // a reported figure's description in Chinese
	}
	return DisplayName(lang, str("name"), str("name_en"), str("short_name"), IDKind(label, key), key)
}
