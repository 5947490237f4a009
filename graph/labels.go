package graph

// Node labels. Cypher and exporters take labels only from these constants.
const (
	LabelOrganization   = "Organization"
	LabelCountry        = "Country"
	LabelEvent          = "Event"
	LabelProgramme      = "Programme"
	LabelAgreement      = "Agreement"
	LabelSource         = "Source"
	LabelReportedFigure = "ReportedFigure"
	// LabelAnalyticsRun records one analyze --write: its parameters, time
	// and version. It is not part of the collaboration graph.
	LabelAnalyticsRun = "AnalyticsRun"
	// LabelLoadLock is the lease a load holds while it writes (see
	// neo4jstore/lock.go). A load deletes it when done; one that was killed
	// leaves it to the next load, which takes it over.
	LabelLoadLock = "LoadLock"
	// LabelLoadState is the one node (id "state") that says whether the
	// graph is a complete load: status "loading" from the moment a load
	// starts writing until it has written everything, then "complete";
	// generation counts the loads. Readers refuse a graph whose state is
	// not complete (neo4jstore/state.go, ARCHITECTURE.md "Loads").
	LabelLoadState = "LoadState"
	// LabelLoadSource records one input of the loaded graph: its name
	// (id), content hash, size, reading options and when it was loaded.
	LabelLoadSource = "LoadSource"
	// LabelScoreBand2 and LabelScoreBand1 mark, after analyze --write, the
	// tenth of the scored nodes with the highest PageRank and the next fifth
	// (by value: equal scores share a band).
	// Neo4j Browser's style sheet (queries/collabnet.grass) can size nodes
	// only by label, so these carry the score into the picture.
	LabelScoreBand2 = "ScoreBand2"
	LabelScoreBand1 = "ScoreBand1"
)

// NodeLabels are the primary labels of the collaboration graph's nodes, in
// the order the view yields them. Stores and exporters take the list from
// here.
var NodeLabels = []string{LabelOrganization, LabelCountry, LabelEvent, LabelProgramme,
	LabelAgreement, LabelSource, LabelReportedFigure}

// GenerationProp is the property every node and relationship of the
// collaboration graph carries in Neo4j: the generation of the load that
// last wrote it. A replacing load removes what it did not write.
const GenerationProp = "load_generation"

// KeyProp is the property that identifies a node of a label: "code" for a
// country, "id" for the others.
func KeyProp(label string) string {
	if label == LabelCountry {
		return "code"
	}
	return "id"
}

// Relationship types.
const (
	RelLocatedIn   = "LOCATED_IN"   // Organization -> Country
	RelPartOf      = "PART_OF"      // Organization -> Organization (unit of a group); Event -> Event (session of a forum)
	RelPartyTo     = "PARTY_TO"     // Organization -> Agreement {role}
	RelPartnerOf   = "PARTNER_OF"   // Organization -> Organization, undirected, From < To {agreements, weight}
	RelSignedAt    = "SIGNED_AT"    // Agreement -> Event
	RelUnder       = "UNDER"        // Agreement -> Programme
	RelCountedIn   = "COUNTED_IN"   // Agreement -> ReportedFigure
	RelAbout       = "ABOUT"        // ReportedFigure -> Event | Programme
	RelHeldIn      = "HELD_IN"      // Event -> Country
	RelOrganized   = "ORGANIZED"    // Organization -> Event | Programme
	RelVisited     = "VISITED"      // Organization -> Organization {date}
	RelTenantOf    = "TENANT_OF"    // Organization -> Organization (a company in a park)
	RelMemberOf    = "MEMBER_OF"    // Organization -> Organization (member of an association)
	RelSourcedFrom = "SOURCED_FROM" // any fact node -> Source {paragraphs}
)
