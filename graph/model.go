// Package graph holds the collaboration model (organisations, agreements,
// their events, programmes, sources and reported figures), its property-graph
// view. It imports no database driver: the Neo4j store is package neo4jstore.
package graph

import (
	"strconv"
	"strings"
)

// OrgKind is what an organisation is. The set is closed so that reports and
// Browser styling can rely on it; "other" is the escape hatch.
type OrgKind string

const (
	KindSciencePark       OrgKind = "science_park"
	KindIncubator         OrgKind = "incubator"
	KindCompany           OrgKind = "company"
	KindUniversity        OrgKind = "university"
	KindResearchInstitute OrgKind = "research_institute"
	KindGovernmentAgency  OrgKind = "government_agency"
	KindInvestmentFund    OrgKind = "investment_fund"
	KindAssociation       OrgKind = "association"
	KindCity              OrgKind = "city"
	KindOther             OrgKind = "other"
)

// OrgKinds lists every kind, in documentation order.
var OrgKinds = []OrgKind{KindSciencePark, KindIncubator, KindCompany, KindUniversity,
	KindResearchInstitute, KindGovernmentAgency, KindInvestmentFund, KindAssociation,
	KindCity, KindOther}

// Label is the extra Neo4j label an organisation of this kind carries
// (":Organization:SciencePark"), so Browser users can style by kind.
func (k OrgKind) Label() string {
	switch k {
	case KindSciencePark:
		return "SciencePark"
	case KindIncubator:
		return "Incubator"
	case KindCompany:
		return "Company"
	case KindUniversity:
		return "University"
	case KindResearchInstitute:
		return "ResearchInstitute"
	case KindGovernmentAgency:
		return "GovernmentAgency"
	case KindInvestmentFund:
		return "InvestmentFund"
	case KindAssociation:
		return "Association"
	case KindCity:
		return "City"
	}
	return ""
}

// Valid reports whether k is one of OrgKinds.
func (k OrgKind) Valid() bool {
	for _, x := range OrgKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Agreement types. Free-form values are rejected so that "agreements by type"
// stays meaningful across datasets.
var AgreementTypes = []string{"mou", "cooperation_agreement", "strategic_cooperation",
	"pairing", "twinning", "project", "other"}

// Citation points at the paragraphs of a source that state a fact.
// Paragraphs are the non-blank lines of the source text, numbered from 1.
type Citation struct {
	Source     string `json:"source" pg:"-,end"`
	Paragraphs []int  `json:"paragraphs,omitempty" pg:"paragraphs"`
	// Locators are a few characters of the cited paragraphs, enough to find
	// the place (never the article's prose): "首批推动". collabnet verify
	// looks for each in the paragraphs.
	Locators []string `json:"locators,omitempty" pg:"locators"`
}

// Grade is how firmly the sources hold a fact: every agreement, membership,
// identification and figure link carries one.
type Grade string

const (
	// GradeStated: the cited paragraph says it.
	GradeStated Grade = "stated"
	// GradeReported: the cited paragraph relays it as an announcement, a plan
	// or someone's claim (将…, 据悉…), not as something that happened.
	GradeReported Grade = "reported"
	// GradeInferred: the curators' reading of the text, with a reason.
	GradeInferred Grade = "inferred"
)

// Grades lists every grade, firmest first.
var Grades = []Grade{GradeStated, GradeReported, GradeInferred}

// Valid reports whether g is one of Grades.
func (g Grade) Valid() bool {
	for _, x := range Grades {
		if x == g {
			return true
		}
	}
	return false
}

// Graded is a fact's evidence grade and, for an inferred one, why. An empty
// grade (inputs that do not grade their facts, such as tables) counts as
// stated: the input states it.
type Graded struct {
	Evidence Grade  `json:"evidence,omitempty" pg:"evidence"`
	Reason   string `json:"reason,omitempty" pg:"reason"`
}

// Grade is the effective grade: Evidence, or stated when it is empty.
func (g Graded) Grade() Grade {
	if g.Evidence == "" {
		return GradeStated
	}
	return g.Evidence
}

// String writes the citation as data files do: "s003#11" or "s001#3,5".
func (c Citation) String() string {
	if len(c.Paragraphs) == 0 {
		return c.Source
	}
	ps := make([]string, len(c.Paragraphs))
	for i, p := range c.Paragraphs {
		ps[i] = strconv.Itoa(p)
	}
	return c.Source + "#" + strings.Join(ps, ",")
}

// Organization is a party to agreements: a park, firm, university, city...
type Organization struct {
	ID      string     `json:"id" pg:"id,key"`
	Name    string     `json:"name" pg:"name"`
	NameEN  string     `json:"name_en,omitempty" pg:"name_en"`
	Aliases []string   `json:"aliases,omitempty" pg:"aliases"`
	Kind    OrgKind    `json:"kind" pg:"kind"`
	Country string     `json:"country,omitempty" pg:"country" edge:"LOCATED_IN Country"` // ISO 3166-1 alpha-2; empty when the input does not say
	City    string     `json:"city,omitempty" pg:"city"`
	PartOf  string     `json:"part_of,omitempty" pg:"-" edge:"PART_OF Organization"` // parent organisation ID
	Sources []Citation `json:"sources,omitempty" pg:"-" edge:"SOURCED_FROM Source"`
	// Graded grades the identification: that this record is the body the
	// sources name, with its kind and country.
	Graded
}

// Country is an ISO 3166-1 alpha-2 country with its CLDR names.
type Country struct {
	Code   string `json:"code" pg:"code,key"`
	NameEN string `json:"name_en" pg:"name"`
	NameZH string `json:"name_zh" pg:"name_zh"`
}

// Event is a conference, forum or session where agreements are signed.
type Event struct {
	ID         string     `json:"id" pg:"id,key"`
	Name       string     `json:"name" pg:"name"`
	NameEN     string     `json:"name_en,omitempty" pg:"name_en"`
	Start      string     `json:"start,omitempty" pg:"start"` // YYYY, YYYY-MM or YYYY-MM-DD
	End        string     `json:"end,omitempty" pg:"end"`
	City       string     `json:"city,omitempty" pg:"city"`
	Country    string     `json:"country,omitempty" pg:"country" edge:"HELD_IN Country"`
	Venue      string     `json:"venue,omitempty" pg:"venue"`
	PartOf     string     `json:"part_of,omitempty" pg:"-" edge:"PART_OF Event"`
	Organizers []string   `json:"organizers,omitempty" pg:"-" edge:"ORGANIZED Organization,in"`
	Sources    []Citation `json:"sources,omitempty" pg:"-" edge:"SOURCED_FROM Source"`
}

// Programme is a scheme under which agreements are made (牵手计划, Horizon 2020).
type Programme struct {
	ID         string     `json:"id" pg:"id,key"`
	Name       string     `json:"name" pg:"name"`
	NameEN     string     `json:"name_en,omitempty" pg:"name_en"`
	Organizers []string   `json:"organizers,omitempty" pg:"-" edge:"ORGANIZED Organization,in"`
	LaunchedAt string     `json:"launched_at,omitempty" pg:"launched_at"` // event ID
	Sources    []Citation `json:"sources,omitempty" pg:"-" edge:"SOURCED_FROM Source"`
}

// Party is one organisation's part in an agreement.
type Party struct {
	Org          string  `json:"org" pg:"-,end"`
	Role         string  `json:"role,omitempty" pg:"role"`                          // coordinator, participant, ...
	Contribution float64 `json:"contribution,omitempty" pg:"contribution,omitzero"` // e.g. EU contribution in euro
}

// Agreement is one signed cooperation. It is a node of its own because it
// carries provenance and n-ary facts; its parties are also linked pairwise
// (PARTNER_OF) so that traversals stay one hop.
type Agreement struct {
	ID        string   `json:"id" pg:"id,key"`
	Parties   []Party  `json:"parties" pg:"-" edge:"PARTY_TO Organization,in"`
	Type      string   `json:"type" pg:"type"`
	Title     string   `json:"title,omitempty" pg:"name"`
	Date      string   `json:"date,omitempty" pg:"date"`
	Event     string   `json:"event,omitempty" pg:"-" edge:"SIGNED_AT Event"`
	Programme string   `json:"programme,omitempty" pg:"-" edge:"UNDER Programme"`
	Fields    []string `json:"fields,omitempty" pg:"fields"`
	CountedIn []string `json:"counted_in,omitempty" pg:"-" edge:"COUNTED_IN ReportedFigure" edgeprops:"CountedInGrades"` // ReportedFigure IDs
	// CountedInGrades grades each link of CountedIn, keyed by figure ID; a
	// link without an entry has the agreement's own grade.
	CountedInGrades map[string]Graded `json:"counted_in_grades,omitempty" pg:"-"`
	Sources         []Citation        `json:"sources,omitempty" pg:"-" edge:"SOURCED_FROM Source"`
	Graded
}

// LinkGrade is the grade of the agreement's link to the figure.
func (a *Agreement) LinkGrade(figure string) Graded {
	if g, ok := a.CountedInGrades[figure]; ok {
		return g
	}
	return a.Graded
}

// Source is an article (or dataset) that facts are cited from.
type Source struct {
	ID        string `json:"id" pg:"id,key"`
	File      string `json:"file,omitempty" pg:"file"`
	Title     string `json:"title" pg:"name"`
	Publisher string `json:"publisher,omitempty" pg:"publisher"`
	Author    string `json:"author,omitempty" pg:"author"`
	Date      string `json:"date,omitempty" pg:"date"`
	URL       string `json:"url,omitempty" pg:"url"`
	Script    string `json:"script,omitempty" pg:"script"` // simplified | traditional
}

// ReportedFigure is a number the sources report, such as "42 pairs signed at
// IASP 2025", often without naming what it counts. Coverage compares it with
// the named agreements counted in it.
type ReportedFigure struct {
	ID       string  `json:"id" pg:"id,key"`
	Value    float64 `json:"value" pg:"value"`
	Unit     string  `json:"unit" pg:"unit"`
	Counts   string  `json:"counts" pg:"name"`
	About    string  `json:"about,omitempty" pg:"-" edge:"ABOUT Event|Programme"` // event or programme ID
	Coverage bool    `json:"coverage" pg:"coverage"`                              // named agreements can be counted against it
	// CountsZH says what it counts in Chinese (the curators' wording, not
	// the article's), for the Chinese report.
	CountsZH string `json:"counts_zh,omitempty" pg:"name_zh"`
	// Countries are the countries the sources name as involved in what the
	// figure counts (ISO 3166-1 alpha-2, sorted), e.g. the partner countries
	// of the 42 IASP 2025 pairs.
	Countries []string   `json:"countries,omitempty" pg:"countries"`
	Sources   []Citation `json:"sources,omitempty" pg:"-" edge:"SOURCED_FROM Source"`
	Graded
}

// Relation types between organisations beyond agreements.
var RelationTypes = map[string]string{
	"visited":   RelVisited,
	"tenant_of": RelTenantOf,
	"member_of": RelMemberOf,
	"part_of":   RelPartOf,
}

// Relation is a stated tie between two organisations that is not an agreement:
// a visit, tenancy, membership or hierarchy. A member_of relation may point
// at a programme (a park holding the 中关村特色产业园 title).
type Relation struct {
	Type    string     `json:"type" pg:"relation"`
	From    string     `json:"from" pg:"-"`
	To      string     `json:"to" pg:"-"`
	Date    string     `json:"date,omitempty" pg:"date"`
	Sources []Citation `json:"sources,omitempty" pg:"sources,json"`
	Graded
}

// Key identifies a relation for merging: the same tie loaded twice is one tie.
func (r Relation) Key() string { return r.Type + "|" + r.From + "|" + r.To }
