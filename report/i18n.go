package report

import (
	"fmt"
	"strings"

	"github.com/collabnet/collabnet/analysis"
	kelly "github.com/collabnet/collabnet/internal/palette"
)

// Langs are the report languages.
var Langs = []string{"en", "zh"}

// ValidLang reports whether lang is one of Langs.
func ValidLang(lang string) bool { return lang == "en" || lang == "zh" }

// messages are the report's words, by key, in each language. A zh message
// may reorder its arguments with %[n]s.
var messages = map[string][2]string{ // en, zh
	"title":              {"collabnet report", "collabnet 国际合作网络报告"},
	"generated":          {"Generated %s by collabnet %s", "生成时间 %s · collabnet %s"},
	"inputs":             {"Inputs", "输入"},
	"shipped":            {"the shipped curated dataset", "内置整理数据集"},
	"contents":           {"Contents", "目录"},
	"sec.headline":       {"Headline figures", "主要数字"},
	"sec.changes":        {"What changed", "变化"},
	"sec.coverage":       {"Coverage of the reported figures", "报道数字的覆盖情况"},
	"sec.countries":      {"Country network", "国家网络"},
	"sec.matrix":         {"Country-to-country ties", "国家间联系矩阵"},
	"sec.countrytable":   {"Countries", "各国数据"},
	"sec.orgnet":         {"Organisation network", "机构网络"},
	"sec.top":            {"Top organisations", "核心机构"},
	"sec.timeline":       {"Agreements over time", "协议的时间分布"},
	"sec.method":         {"Method", "方法说明"},
	"sec.sources":        {"Sources", "资料来源"},
	"card.organizations": {"organisations", "机构"},
	"card.agreements":    {"agreements", "协议"},
	"card.countries":     {"countries", "国家和地区"},
	"card.agreement":     {"agreement", "协议"},
	"card.country":       {"country", "国家或地区"},
	"card.events":        {"events", "活动"},
	"card.programmes":    {"programmes", "计划"},
	"card.figures":       {"reported figures", "报道数字"},
	"card.covered":       {"%[1]s: named agreements cover %[2]d of the %[3]s %[4]s reported", "%[1]s：报道的 %[3]s %[4]s中，已具名协议覆盖 %[2]d %[4]s"},
	"net.org": {"Organisation network: %d organisations, %d ties, %d components (the largest has %d organisations, %d have no tie), density %s, %d communities, modularity Q = %s.",
		"机构网络：%d 家机构，%d 条联系，%d 个连通分量（最大分量 %d 家机构，%d 家无联系），密度 %s，%d 个社区，模块度 Q = %s。"},
	"net.country": {"Country network: %d countries, %d ties between countries, %d communities, modularity Q = %s.",
		"国家网络：%d 个国家和地区，%d 条国家间联系，%d 个社区，模块度 Q = %s。"},
	"net.unlocated": {"%d organisations without a country are left out of the country network.", "%d 家未注明国家的机构未计入国家网络。"},

	"changes.first":      {"No previous report: this is the first snapshot, later reports will be compared with it.", "没有以前的报告：这是第一个快照，之后的报告将与之比较。"},
	"changes.none_kept":  {"No previous report.", "没有以前的报告。"},
	"changes.unreadable": {"The previous snapshot could not be read (%s); changes are not shown.", "无法读取上一个快照（%s），因此不显示变化。"},
	"changes.since":      {"Compared with the previous report of %s.", "与 %s 的上一份报告相比。"},
	"changes.nothing":    {"Nothing changed.", "没有变化。"},
	"changes.options":    {"The analysis options differ from the previous report's, so ranks may have moved for that reason alone.", "分析参数与上一份报告不同，排名变化可能仅由此引起。"},
	"changes.kind":       {"Elements", "要素"},
	"changes.before":     {"Before", "之前"},
	"changes.after":      {"Now", "现在"},
	"changes.delta":      {"Change", "变化"},
	"changes.new_ag":     {"New agreements", "新增协议"},
	"changes.rm_ag":      {"Removed agreements", "移除的协议"},
	"changes.ch_ag":      {"Agreements with other parties", "签约方变化的协议"},
	"changes.new_org":    {"New organisations", "新增机构"},
	"changes.rm_org":     {"Removed organisations", "移除的机构"},
	"changes.new_c":      {"New countries", "新增国家和地区"},
	"changes.rm_c":       {"Removed countries", "移除的国家和地区"},
	"changes.coverage":   {"Coverage of the reported figures", "报道数字的覆盖变化"},
	"changes.ranks":      {"Rank changes among the top organisations", "核心机构的排名变化"},
	"changes.was":        {"was: %s", "原为：%s"},
	"changes.more":       {"… and %d more (report.json lists them all)", "……另有 %d 项（report.json 中有完整列表）"},
	"changes.andmore":    {"and %d more", "等另外 %d 家"},
	"changes.newfig":     {"new figure", "新数字"},
	"changes.gonefig":    {"figure removed", "数字已移除"},
	"changes.measure":    {"Measure", "指标"},
	"changes.org":        {"Organisation", "机构"},
	"changes.rank":       {"Rank", "排名"},
	"changes.entered":    {"entered the top %d at %d", "以第 %[2]d 名进入前 %[1]d"},
	"changes.left":       {"left the top %d (was %d)", "跌出前 %d（原为第 %d 名）"},

	"kind.organizations": {"organisations", "机构"},
	"kind.agreements":    {"agreements", "协议"},
	"kind.countries":     {"countries", "国家和地区"},
	"kind.events":        {"events", "活动"},
	"kind.programmes":    {"programmes", "计划"},
	"kind.figures":       {"reported figures", "报道数字"},
	"kind.sources":       {"sources", "资料来源"},

	"coverage.intro":   {"How many of the agreements the sources report are named, with both parties, in the data.", "报道中提到的协议，有多少在数据中列出了双方名称。"},
	"coverage.figure":  {"Figure", "数字"},
	"coverage.about":   {"About", "所属"},
	"coverage.value":   {"Reported", "报道数"},
	"coverage.named":   {"Named", "已具名"},
	"coverage.share":   {"Coverage", "覆盖率"},
	"coverage.sources": {"Sources", "来源"},
	"coverage.chart":   {"Named agreements against the reported figures", "已具名协议与报道数字"},
	"coverage.legend1": {"named", "已具名"},
	"coverage.legend2": {"not named", "未具名"},
	"coverage.legend":  {"Dark: named; light: not named.", "深色：已具名；浅色：未具名。"},
	"coverage.none":    {"The data hold no reported figure that counts agreements.", "数据中没有统计协议数量的报道数字。"},

	"net.title":         {"Explore the network", "交互式网络"},
	"net.intro":         {"Drag to pan, scroll to zoom; search an organisation by name (simplified or traditional Chinese, English, or ID); hover over a circle for its measures, click it for its agreements and their sources. Colours are the Louvain communities (Kelly's 20 colours; grey: the smaller communities past them).", "拖动平移、滚轮缩放；可按名称（简体或繁体中文、英文或 ID）搜索机构；将鼠标悬停在圆上可查看指标，点击可查看其协议及资料来源。颜色表示 Louvain 社区（Kelly 的 20 种颜色；灰色：其余较小的社区）。"},
	"net.search":        {"Search an organisation", "搜索机构"},
	"net.nomatch":       {"No organisation matches.", "没有匹配的机构。"},
	"net.nomatch.left":  {"No organisation of the view matches: it holds the %d with the strongest ties, and %d more are left out (report.json and the exports have all).", "视图中没有匹配的机构：视图只包含联系最强的 %d 家，另有 %d 家未列入（report.json 与导出文件中有全部机构）。"},
	"net.agreements":    {"Agreements", "协议"},
	"net.none":          {"No agreement.", "没有协议。"},
	"net.undated":       {"undated", "日期不详"},
	"net.sources":       {"Sources", "来源"},
	"net.parties":       {"Parties", "签约方"},
	"net.more":          {"more", "更多"},
	"net.reset":         {"Whole network", "显示全部"},
	"net.hint":          {"Click a circle to see its agreements.", "点击圆圈查看其协议。"},
	"net.left":          {"The %d organisations with the strongest ties are in the view; %d more with ties are left out (report.json and the exports have all).", "视图中包含联系最强的 %d 家机构；另有 %d 家有联系的机构未列入（report.json 与导出文件中有全部机构）。"},
	"net.static":        {"The same layout, for print.", "同一布局的静态图（供打印）。"},
	"map.alt":           {"World map of the countries by strength, with the strongest ties between them", "各国强度世界地图及最强的国家间联系"},
	"map.title":         {"The world map", "世界地图"},
	"map.caption":       {"Countries are shaded by strength, the weight of their ties to organisations of other countries, in classes (ColorBrewer YlGnBu): one per value when there are at most 6 values, else Jenks' natural breaks, which give outliers a class of their own; orange arcs are the %d strongest of %d ties between countries, along great circles from each country's centre, their width proportional to the weight. Equal Earth projection; boundaries: Natural Earth 1:50m (public domain). Hover over a country or an arc for its value.", "各国按强度（与其他国家机构联系的权重之和）着色，分级（ColorBrewer YlGnBu）：不同数值不超过 6 个时每个数值一级，否则按 Jenks 自然断点分级，使离群值自成一级；橙色弧线为国家间最强的 %d 条联系（共 %d 条），沿大圆连接两国中心，粗细与权重成正比。等面积地球投影（Equal Earth）；边界：Natural Earth 1:50m（公有领域）。将鼠标悬停在国家或弧线上可查看数值。"},
	"map.arcs":          {"ties between countries", "国家间联系"},
	"map.zero":          {"no ties abroad", "无国际联系"},
	"map.nodata":        {"not in the data", "数据中没有"},
	"map.points":        {"Drawn as points, too small to see as shapes: %s.", "面积太小、以圆点表示：%s。"},
	"map.notdrawn":      {"Not drawn (no boundary in Natural Earth): %s.", "未绘出（Natural Earth 中无边界）：%s。"},
	"map.omitted":       {"Not drawn: Antarctica; ties within a country (see the tie matrix); ties beyond the %d strongest (all are in the tables and report.json).", "未绘出：南极洲；国内联系（见联系矩阵）；最强的 %d 条以外的联系（全部见表格与 report.json）。"},
	"country.drawing":   {"The country network", "国家网络图"},
	"country.caption":   {"Each circle is a country, its area proportional to its strength (the weight of its ties to other countries); a line is a tie, its width proportional to the weight. Colours are the Louvain communities.", "每个圆代表一个国家或地区，面积与其强度（与其他国家联系的权重之和）成正比；连线表示联系，粗细与权重成正比。颜色表示 Louvain 社区。"},
	"country.notdrawn":  {"Not drawn, without ties to other countries: %s.", "未绘出（与其他国家无联系）：%s。"},
	"country.empty":     {"No two countries are tied: there is no country network to draw.", "没有任何两个国家之间有联系，无国家网络可绘。"},
	"legend.community":  {"Community %d", "社区 %d"},
	"legend.other":      {"other communities (past the 20 colours)", "其他社区（超出 20 种颜色）"},
	"legend.members":    {"%d members", "%d 个成员"},
	"ties.thinned":      {"Only the %d strongest of %d ties are drawn; all of them shape the layout.", "仅绘出 %d 条最强的联系（共 %d 条）；全部联系都参与布局。"},
	"country.more":      {"The %d countries with the most ties to other countries are listed; report.json has all %d.", "列出与其他国家联系最多的 %d 个国家；report.json 中有全部 %d 个。"},
	"labels.hidden":     {"%d labels are left out where they would overlap; hover over a circle for its name.", "为避免重叠，省略了 %d 个标签；将鼠标悬停在圆上可看到名称。"},
	"matrix.caption":    {"Cell (row, column): the weight of the ties between the two countries; the diagonal (orange, its own scale): the weight of the ties within the country. Countries are grouped by community.", "单元格（行，列）：两国之间联系的权重；对角线（橙色，单独刻度）：国内联系的权重。国家按社区分组排列。"},
	"matrix.top":        {"The %d countries with the most tie weight of %d are shown.", "显示联系权重最大的 %d 个国家（共 %d 个）。"},
	"matrix.intl":       {"between countries", "国家之间"},
	"matrix.dom":        {"within a country", "国内"},
	"matrix.alt":        {"Heat map of the ties between countries", "国家间联系热图"},
	"matrix.empty":      {"No country has ties.", "没有国家有联系。"},
	"country.chart":     {"Countries by strength (weight of ties to other countries)", "各国强度（与其他国家联系的权重之和）"},
	"country.code":      {"Country", "国家或地区"},
	"country.partners":  {"Partner countries", "合作国家数"},
	"country.link":      {"Link strength", "联系强度"},
	"country.domestic":  {"Domestic", "国内联系"},
	"country.intlshare": {"International share", "国际联系占比"},
	"country.community": {"Community", "社区"},

	"org.drawing":  {"The organisation network", "机构网络图"},
	"org.caption":  {"Each circle is an organisation, its area proportional to its strength (the weight of its ties); a line is a tie (agreements shared), its width proportional to the weight. Colours are the Louvain communities.", "每个圆代表一家机构，面积与其强度（联系权重之和）成正比；连线表示联系（共同签署的协议），粗细与权重成正比。颜色表示 Louvain 社区。"},
	"org.isolated": {"%d organisations without ties are not drawn.", "%d 家没有联系的机构未绘出。"},
	"org.toolarge": {"The organisation network has %d organisations with ties, too many to draw legibly here (the limit is %d). Open graph.graphml in Gephi, yEd or Cytoscape, or export it with collabnet export --level org --out org.gexf.", "机构网络中有 %d 家有联系的机构，过多而无法在此清晰绘出（上限 %d）。请用 Gephi、yEd 或 Cytoscape 打开 graph.graphml，或用 collabnet export --level org --out org.gexf 导出。"},
	"org.empty":    {"No two organisations are tied: there is no network to draw.", "没有任何两家机构之间有联系，无网络可绘。"},

	"top.intro":         {"The %d organisations with the highest value of each measure (ties share a rank).", "各项指标得分最高的 %d 家机构（得分相同者并列）。"},
	"top.by":            {"By %s", "按%s"},
	"top.rank":          {"#", "名次"},
	"top.org":           {"Organisation", "机构"},
	"top.country":       {"Country", "国家"},
	"top.value":         {"Value", "得分"},
	"top.tied":          {"%d more organisations tie with the last one shown.", "另有 %d 家机构与最后一名并列。"},
	"top.tied1":         {"One more organisation ties with the last one shown.", "另有 1 家机构与最后一名并列。"},
	"top.alltied":       {"%d organisations tie for first place, at %s: no chart.", "%d 家机构并列第一（得分 %s），不作图。"},
	"top.alltied.every": {"No measure tells the organisations apart: %d organisations tie for first place in every one (%s), so there is one table instead of one per measure.", "各项指标均无法区分这些机构：%d 家机构在每项指标（%s）上并列第一，因此只列一张表，而非每项指标各列一张。"},
	"top.allsame.every": {"No measure tells the organisations apart: every organisation scores the same in each of %s.", "各项指标均无法区分这些机构：所有机构在%s上的得分各自相同。"},
	"top.allzero":       {"Every organisation scores 0.", "所有机构得分均为 0。"},
	"top.allsame":       {"Every organisation scores %s.", "所有机构得分均为 %s。"},
	"top.none":          {"No organisation has a value.", "没有机构有得分。"},
	"top.chart":         {"Top organisations by %s", "%s最高的机构"},
	"top.zero.betw":     {"No organisation lies on a shortest path between two others.", "没有机构位于其他两家机构之间的最短路径上。"},

	"timeline.intro":    {"Agreements by the year they were signed, and by month where the date gives it.", "按签署年份统计的协议数量；日期精确到月份的，另按月份统计。"},
	"timeline.years":    {"Agreements by year", "各年协议数"},
	"timeline.months":   {"Agreements by month (dates that give the month)", "各月协议数（日期含月份者）"},
	"timeline.yearonly": {"%d agreements are dated to the year only and are not in the monthly chart.", "%d 项协议的日期仅到年份，未计入月度图。"},
	"timeline.undated":  {"%d agreements have no date (or one that is not YYYY, YYYY-MM or YYYY-MM-DD) and are in neither chart.", "%d 项协议没有日期（或日期不是 YYYY、YYYY-MM、YYYY-MM-DD 格式），未计入图表。"},
	"timeline.sparse":   {"The months span more than %d months: only months with agreements are shown.", "月份跨度超过 %d 个月：仅显示有协议的月份。"},
	"timeline.none":     {"No agreement has a date.", "没有协议注明日期。"},

	"sec.evolution":        {"How the network changed over time", "网络随时间的变化"},
	"evolution.intro":      {"The country network of the agreements dated in each period (%s), drawn small, with the countries that entered or left it and the largest moves in rank by strength between consecutive periods. Colours are the communities of the whole network, so a country keeps its colour.", "各时期（%s）内有日期的协议构成的国家网络小图，以及相邻时期之间新进入或退出的国家和按强度排名变化最大的国家。颜色为整个网络的社区，同一国家颜色不变。"},
	"evolution.none":       {"No agreement has a date, so there is no period to show.", "没有协议注明日期，无法按时期展示。"},
	"evolution.undated":    {"%d agreements have no date and are in no period (they are in the whole network above).", "%d 项协议没有日期，不属于任何时期（已计入上文的整体网络）。"},
	"evolution.drawing":    {"Country network, %s", "国家网络，%s"},
	"evolution.avgyear":    {"average year of its agreements", "其协议的平均年份"},
	"evolution.overlay":    {"Country network coloured by the average year of each country's agreements", "按各国协议平均年份着色的国家网络"},
	"evolution.overlaycap": {"Overlay: each country coloured by the mean year of its dated agreements, from %s to %s (viridis scale, as VOSviewer's overlay); size by strength.", "叠加视图：各国按其有日期协议的平均年份着色，从 %s 到 %s（viridis 色阶，同 VOSviewer 叠加视图）；大小表示强度。"},
	"evolution.period":     {"Period", "时期"},
	"evolution.agreements": {"Agreements", "协议"},
	"evolution.countries":  {"Countries", "国家"},
	"evolution.ties":       {"Ties", "联系"},
	"evolution.weight":     {"Total weight", "总权重"},
	"evolution.entered":    {"entered", "新进入"},
	"evolution.left":       {"left", "退出"},
	"evolution.rose":       {"rose", "上升"},
	"evolution.fell":       {"fell", "下降"},
	"evolution.nochange":   {"no country entered or left", "没有国家进入或退出"},
	"filter.title":         {"Filters", "筛选"},
	"filter.built":         {"built from %d agreements", "基于 %d 项协议"},
	"filter.undated":       {"%d undated agreements left out", "%d 项无日期协议未计入"},

	"sources.noheadline": {"(no headline)", "（无标题）"},
	"sources.intro":      {"The articles the data cite, by the ID their citations use (s000#3: paragraph 3 of s000). File: the article's text as collected.", "数据所引用的文章，按引用所用的编号列出（s000#3：s000 的第 3 段）。文件：所收集的文章文本。"},
	"sources.id":         {"ID", "编号"},
	"sources.title":      {"Headline", "标题"},
	"sources.outlet":     {"Outlet", "媒体"},
	"sources.author":     {"Author", "作者"},
	"sources.date":       {"Date", "日期"},
	"sources.file":       {"File", "文件"},
	"sources.url":        {"Address", "网址"},
	"sources.nourl":      {"no URL recorded", "未记录网址"},
	"sources.none":       {"not recorded", "未记录"},

	"sec.evidence":         {"Evidence", "证据等级"},
	"evidence.intro":       {"Every fact carries a grade of how firmly its source holds it. collabnet verify re-checks each against the cited paragraph.", "每条事实都标注了其来源支持它的程度。collabnet verify 会对照所引段落逐条复核。"},
	"grade.stated":         {"stated", "明确陈述"},
	"grade.reported":       {"reported", "转述"},
	"grade.inferred":       {"inferred", "推断"},
	"grade.stated.def":     {"the cited paragraph says it", "所引段落明确说明"},
	"grade.reported.def":   {"the cited paragraph relays it as an announcement, a plan or someone's claim", "所引段落以公告、计划或他人说法转述"},
	"grade.inferred.def":   {"the curators' reading of the text, with the reason given", "整理者对原文的解读，并注明理由"},
	"evidence.kind":        {"Facts", "事实"},
	"evidence.agreements":  {"agreements", "协议"},
	"evidence.relations":   {"relations (visits, tenancy, memberships)", "关系（参访、入驻、成员）"},
	"evidence.links":       {"links of agreements to reported figures", "协议与报道数字的关联"},
	"evidence.figures":     {"reported figures", "报道数字"},
	"evidence.ids":         {"identifications of organisations", "机构的识别"},
	"sec.agreements":       {"Agreements and their sources", "协议及其来源"},
	"agreements.intro":     {"Each agreement with the article and paragraph that state it, and the locator that finds the place (see Sources).", "每项协议附有陈述它的文章和段落，以及用于定位原文的定位词（见“资料来源”）。"},
	"agreements.parties":   {"Parties", "签约方"},
	"agreements.type":      {"Type", "类型"},
	"agreements.date":      {"Date", "日期"},
	"agreements.evidence":  {"Evidence", "证据"},
	"agreements.cites":     {"Cited at", "出处"},
	"agreements.more":      {"%d more agreements are not listed.", "另有 %d 项协议未在此列出。"},
	"coverage.unconfirmed": {"Linked by an inferred or reported link, not counted as named: %s.", "以推断或转述方式关联、未计为已具名：%s。"},
	"coverage.countries":   {"Countries the figure names: each with the named agreements counted in it, and the possible range of its share of the figure's ties (at least one tie, since the source names the country; at most its named ties plus every unnamed one).", "该数字所列国家：各自已具名的协议，以及其在全部合作中所占比例的可能范围（至少一项，因为来源列出了该国；至多为其已具名的加上全部未具名的）。"},
	"coverage.country":     {"Country", "国家"},
	"coverage.cnamed":      {"Named agreements", "已具名协议"},
	"coverage.range":       {"Share of ties", "所占比例"},
	"coverage.nonenamed":   {"none", "无"},
	"footer":               {"Self-contained: nothing in this page is fetched from the network. The same figures are in report.json.", "本页完全自包含，不从网络获取任何内容。相同的数据见 report.json。"},

	"unit.pairs":         {"pairs", "对"},
	"unit.agreements":    {"agreements", "项协议"},
	"unit.projects":      {"projects", "个项目"},
	"unit.countries":     {"countries", "个国家和地区"},
	"unit.organizations": {"organisations", "家机构"},
	"unit.people":        {"people", "人"},
	"unit.events":        {"events", "场活动"},
}

// tr is the message key in lang, formatted with args.
func tr(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m[0]
	if lang == "zh" && m[1] != "" {
		s = m[1]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// unitName is a figure's unit in lang (units without a translation as given).
func unitName(lang, unit string) string {
	if _, ok := messages["unit."+unit]; ok {
		return tr(lang, "unit."+unit)
	}
	return unit
}

// methodNotes name every parameter and formula the report uses, in lang.
func methodNotes(an *analysis.Analysis, lang string) []MethodNote {
	o := an.Options
	zh := lang == "zh"
	pick := func(en, cn string) string {
		if zh {
			return cn
		}
		return en
	}
	counting := pick("full counting: a tie's weight is the number of agreements (projects) the two organisations share",
		"整数计数：联系的权重为两家机构共同参与的协议（项目）数")
	if o.Fractional {
		counting = pick("fractional counting: an agreement of k parties gives each pair 1/(k−1), so each party receives 1 per agreement",
			"分数计数：k 方协议中每对机构得 1/(k−1)，每一方每项协议共得 1")
	}
	paths := pick("hops (every tie has length 1)", "跳数（每条联系长度为 1）")
	if o.WeightedPaths {
		paths = pick("weighted: a tie of weight w has length 1/w (Dijkstra)", "加权：权重为 w 的联系长度为 1/w（Dijkstra 算法）")
	}
	filter := pick("all countries", "全部国家")
	if len(o.Countries) > 0 {
		filter = pick("only ties between organisations of ", "仅统计以下国家机构之间的联系：") + strings.Join(o.Countries, ", ")
	}
	sample := pick("exact (every node is a source)", "精确计算（每个节点都作为起点）")
	if an.Org != nil && an.Org.Sampled[analysis.Betweenness] > 0 {
		sample = fmt.Sprintf(pick("estimated from %d sources drawn with seed %d",
			"由随机种子 %[2]d 抽取的 %[1]d 个起点估计"), an.Org.Sampled[analysis.Betweenness], o.Seed)
	}
	if an.Org != nil && an.Org.Sampled[analysis.Closeness] > 0 {
		sample += pick("; closeness and harmonic known for the sampled sources only", "；接近中心性与调和中心性仅对起点可知")
	}
	n := func(key, en, cn string) MethodNote {
		return MethodNote{Key: key, Name: pick(key, cn2name(key)), Text: pick(en, cn)}
	}
	notes := []MethodNote{
		n("organisation network", "organisations are nodes; two organisations are tied when they are parties to the same agreement; "+counting,
			"机构为节点；两家机构同为一项协议的签约方即有联系；"+counting),
		n("country network", "the organisation network aggregated by country: the weight between two countries is the sum of the weights of the organisation ties between them; domestic ties are counted per country (the diagonal of the tie matrix), not as self-loops; organisations without a country are left out",
			"按国家汇总机构网络：两国之间的权重为两国机构之间联系权重之和；国内联系按国家单独统计（即联系矩阵的对角线），不作为自环；未注明国家的机构不计入"),
		n("filter", filter, filter),
		n("degree", "number of ties; strength: the sum of the tie weights", "联系数；强度：联系权重之和"),
		n("betweenness", "Brandes; the fraction of shortest paths through the node, normalised by (n−1)(n−2)/2 unordered pairs (NetworkX default); "+sample,
			"Brandes 算法；经过该节点的最短路径比例，以 (n−1)(n−2)/2 个无序节点对归一化（NetworkX 默认）；"+sample),
		n("closeness", "Wasserman–Faust: (r/(n−1)) · (r/Σd), r = the number of nodes reachable (NetworkX wf_improved)",
			"Wasserman–Faust 公式：(r/(n−1)) · (r/Σd)，r 为可达节点数（NetworkX wf_improved）"),
		n("harmonic", "Σ 1/d(v,u) over the other nodes (NetworkX, not normalised)", "对其他节点求 Σ 1/d(v,u)（NetworkX，不归一化）"),
		n("pagerank", "damping 0.85, transition probabilities proportional to tie weight, dangling nodes spread uniformly",
			"阻尼系数 0.85，转移概率与联系权重成正比，无出边节点均匀分配"),
		n("eigenvector", "power iteration on A+I with tie weights, from a vector of ones, Euclidean norm 1 (NetworkX)",
			"以联系权重在 A+I 上做幂迭代，初始向量全为 1，欧几里得范数为 1（NetworkX）"),
		n("clustering", "weighted clustering coefficient (Onnela), weights normalised by the largest weight",
			"加权聚类系数（Onnela），权重以最大权重归一化"),
		n("communities", fmt.Sprintf("Louvain modularity (collabnet's implementation on the sparse adjacency; Gonum's community.Modularize is optional), resolution %g, seed %d; Q is the modularity of the partition", o.Resolution, o.Seed),
			fmt.Sprintf("Louvain 模块度优化（collabnet 基于稀疏邻接表的实现；可选 Gonum community.Modularize），分辨率 %g，随机种子 %d；Q 为划分的模块度", o.Resolution, o.Seed)),
		n("path length", paths, paths),
		n("coverage", "named agreements counted in a reported figure (counted_in), against the figure: coverage = named / reported",
			"计入某报道数字（counted_in）的已具名协议数与该数字之比：覆盖率 = 已具名数 / 报道数"),
		n("ranks", fmt.Sprintf("the top %d per measure; standard competition ranking (1224): tied organisations (values within a relative %g) share a rank, and the list breaks ties by ID", TopK, analysis.TieTolerance),
			fmt.Sprintf("每项指标取前 %d 名；标准竞争排名（1224）：得分相同（相对差小于 %g）者并列，列表中并列者按 ID 排序", TopK, analysis.TieTolerance)),
		n("drawings", fmt.Sprintf("Fruchterman–Reingold force-directed layout, each connected component on its own (attraction d²·(0.6+0.4·w/w_max), repulsion 1/d, gravity 0.05 towards the centre, %d iterations with linear cooling, start on a circle ordered by community, jitter seeded %d), turned so that its longest extent is horizontal, components packed in rows, the scale reduced until the widest fits the page; node area ∝ strength: radius r_min + (r_max−r_min)·√(s/s_max), countries 5–24 px, organisations 4–16 px; tie width 0.8 + 5·w/w_max px; at most %d ties drawn, the strongest (all of them shape the layout); colours: the Louvain communities, numbered by decreasing size, in Kelly's %d colours of maximum contrast (Kelly 1965), pale grey (“other”) past them; labels placed strongest node first, right, left, above or below, at most %d, left out where they would overlap another label, a circle or a tie (the %d strongest may cover circles), a label left out passing its turn to the next node; organisations without ties and countries without ties to other countries are not drawn; the organisation network is drawn up to %d organisations with ties",
			LayoutIterations, LayoutSeed, MaxDrawnTies, kelly.Size, MaxLabels, SureLabels, MaxDrawnOrgs),
			fmt.Sprintf("Fruchterman–Reingold 力导向布局，每个连通分量单独布局（引力 d²·(0.6+0.4·w/w_max)，斥力 1/d，向中心的引力 0.05，%d 次迭代、线性降温，初始位置为按社区排列的圆周，随机扰动种子 %d），旋转至最长方向水平，各分量按行排列，并缩小比例直至最宽者适合页面；节点面积 ∝ 强度：半径 r_min + (r_max−r_min)·√(s/s_max)，国家 5–24 像素，机构 4–16 像素；连线粗细 0.8 + 5·w/w_max 像素；最多绘出 %d 条最强的联系（全部联系都参与布局）；颜色：Louvain 社区，按规模从大到小编号，使用 Kelly 的 %d 种最大对比色（Kelly 1965），其余社区为浅灰色（“其他”）；标签按强度从高到低放置于节点右、左、上或下方，最多 %d 个，与其他标签、圆或连线重叠时省略（最强的 %d 个可覆盖圆），省略的名额顺延给下一个节点；无联系的机构和与其他国家无联系的国家不绘出；机构网络在有联系的机构不超过 %d 家时绘出",
				LayoutIterations, LayoutSeed, MaxDrawnTies, kelly.Size, MaxLabels, SureLabels, MaxDrawnOrgs)),
		n("tie matrix", fmt.Sprintf("the %d countries with the largest total tie weight (international + domestic), grouped by community; colour on √(w/w_max), off-diagonal and diagonal on separate scales", MaxMatrixCountries),
			fmt.Sprintf("联系权重总和（国际 + 国内）最大的 %d 个国家，按社区分组；颜色按 √(w/w_max) 取值，非对角线与对角线分别使用不同刻度", MaxMatrixCountries)),
		n("timeline", "agreements counted by the year of their date; by month when the date is YYYY-MM or YYYY-MM-DD; other dates count as undated",
			"按日期中的年份统计协议；日期为 YYYY-MM 或 YYYY-MM-DD 时另按月份统计；其他格式的日期视为无日期"),
		n("periods", "with --period, the agreements dated in each period (year, or N calendar years from the first dated one) make that period's network, filtered like the whole one; undated agreements are in no period and counted; a country enters a period when one of its organisations is party to one of the period's agreements; ranks by strength, standard competition ranking",
			"使用 --period 时，各时期（年，或自最早有日期的协议起每 N 个日历年）内有日期的协议构成该时期的网络，筛选方式与整体网络相同；无日期的协议不属于任何时期并单独计数；某国机构参与该时期的协议即视为该国进入该时期；按强度排名，采用标准竞争排名"),
		n("changes", "each run saves a snapshot (agreements with their parties, organisations, countries, coverage, top ranks) in snapshots/; the report compares it with the previous snapshot: agreements, organisations and countries by ID, agreements whose set of parties changed, and organisations whose rank in a top list changed or that entered or left it",
			"每次运行在 snapshots/ 中保存一个快照（协议及签约方、机构、国家、覆盖情况、排名）；报告将其与上一个快照比较：按 ID 比较协议、机构和国家，签约方集合变化的协议，以及在排名表中名次变化、进入或跌出前列的机构"),
	}
	if o.Normalize != "" {
		notes = append(notes, n("normalisation", fmt.Sprintf("%s (van Eck & Waltman 2009): from c_ij, the agreements both ends are party to, and s_i, the agreements of each (for countries, agreements with a party of the country); association c/(s_i·s_j), cosine c/√(s_i·s_j), Jaccard c/(s_i+s_j−c), inclusion c/min(s_i,s_j), equivalence c²/(s_i·s_j); written beside the raw weight", o.Normalize),
			fmt.Sprintf("%s（van Eck & Waltman 2009）：c_ij 为两端共同参与的协议数，s_i 为各自参与的协议数（国家：有该国机构参与的协议数）；关联强度 c/(s_i·s_j)，余弦 c/√(s_i·s_j)，Jaccard c/(s_i+s_j−c)，包含 c/min(s_i,s_j)，等价 c²/(s_i·s_j)；与原始权重并列给出", o.Normalize)))
	}
	for _, l := range []*analysis.Level{an.Country, an.Org} {
		if l != nil && l.Filtered != nil {
			text := filterStatement(l.Filtered, lang)
			notes = append(notes, n(l.Level+" filters", "in this order: since/until, countries/ego, network, min-agreements, min-weight, backbone, max-links, top, drop-isolates — "+text,
				"依次为：时间范围、国家/自我网络、构建网络、最少协议数、最小权重、骨干网络、最多联系数、前 N 名、去除孤立节点——"+text))
		}
	}
	return notes
}

// cn2name is the Chinese name of a method note.
func cn2name(key string) string {
	return map[string]string{
		"organisation network": "机构网络", "country network": "国家网络", "filter": "筛选",
		"degree": "度", "betweenness": "介数中心性", "closeness": "接近中心性", "harmonic": "调和中心性",
		"pagerank": "PageRank", "eigenvector": "特征向量中心性", "clustering": "聚类系数", "communities": "社区",
		"path length": "路径长度", "coverage": "覆盖率", "ranks": "排名", "drawings": "网络图",
		"tie matrix": "联系矩阵", "timeline": "时间分布", "changes": "变化",
		"periods": "时期", "normalisation": "归一化", "country filters": "国家网络筛选", "org filters": "机构网络筛选",
	}[key]
}
