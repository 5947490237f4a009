package loader

import (
	"fmt"
	"slices"
	"strings"

	"github.com/collabnet/collabnet/graph"
)

// typeAliases are the names tables give agreement types, English and
// Chinese (simplified; traditional folds to it), mapped to our types
// (graph.AgreementTypes). README.md, "Agreement types", lists them;
// collabnet.yaml adds more under agreement_types:. They are compared by
// matching key (case, spaces, punctuation and script folded).
var typeAliases = map[string]string{
	// mou
	"memorandum of understanding": "mou", "memorandum": "mou", "MoU": "mou", "MOU": "mou",
	"谅解备忘录": "mou", "合作备忘录": "mou", "备忘录": "mou", "合作谅解备忘录": "mou", "战略合作备忘录": "mou",
	// cooperation_agreement
	"cooperation agreement": "cooperation_agreement", "co-operation agreement": "cooperation_agreement",
	"collaboration agreement": "cooperation_agreement", "framework agreement": "cooperation_agreement",
	"framework cooperation agreement": "cooperation_agreement",
	"合作协议":                            "cooperation_agreement", "框架协议": "cooperation_agreement", "合作框架协议": "cooperation_agreement",
	"框架合作协议": "cooperation_agreement", "合作协定": "cooperation_agreement",
	// strategic_cooperation
	"strategic cooperation": "strategic_cooperation", "strategic cooperation agreement": "strategic_cooperation",
	"strategic partnership": "strategic_cooperation", "strategic partnership agreement": "strategic_cooperation",
	"战略合作协议": "strategic_cooperation", "战略合作": "strategic_cooperation", "战略合作框架协议": "strategic_cooperation",
	"战略伙伴关系": "strategic_cooperation",
	// twinning
	"twin towns": "twinning", "twin town": "twinning", "town twinning": "twinning", "twin cities": "twinning",
	"sister city": "twinning", "sister cities": "twinning", "partner city": "twinning",
	"友好城市": "twinning", "友城": "twinning", "姐妹城市": "twinning", "友好城市关系": "twinning",
	// pairing
	"结对": "pairing", "结对合作": "pairing", "对口合作": "pairing", "结对共建": "pairing",
	// project
	"grant agreement": "project", "research project": "project", "项目": "project", "合作项目": "project",
}

// agreementTypes resolves what a table writes for an agreement type.
type agreementTypes struct {
	byKey map[string]string // NameKey -> type
}

func newAgreementTypes(extra map[string]string) (*agreementTypes, error) {
	a := &agreementTypes{byKey: map[string]string{}}
	for _, t := range graph.AgreementTypes {
		a.byKey[NameKey(t, true)] = t
	}
	for name, t := range typeAliases {
		a.byKey[NameKey(name, true)] = t
	}
	for name, t := range extra {
		t = foldCode(t)
		if !slices.Contains(graph.AgreementTypes, t) {
			return nil, fmt.Errorf("agreement_types: %q maps to %q, which is not one of %s", name, t, strings.Join(graph.AgreementTypes, ", "))
		}
		a.byKey[NameKey(name, true)] = t
	}
	return a, nil
}

// resolve returns the type s names, or an error that lists the types.
func (a *agreementTypes) resolve(s string) (string, error) {
	if t := foldCode(s); slices.Contains(graph.AgreementTypes, t) {
		return t, nil
	}
	if t, ok := a.byKey[NameKey(s, true)]; ok {
		return t, nil
	}
	return "", fmt.Errorf("unknown agreement type %q; want one of %s, or a name of one (README.md, \"Agreement types\"); declare more under agreement_types: in collabnet.yaml", s, strings.Join(graph.AgreementTypes, ", "))
}
