package opencc

import (
	"os/exec"
	"strings"
	"testing"
)

// Expected values are what OpenCC itself prints for t2s; the seed articles
// use both scripts for the same names.
func TestToSimplified(t *testing.T) {
	cases := map[string]string{
		"中關村工業互聯網產業園":        "中关村工业互联网产业园",
		"韓國首爾經濟振興院":          "韩国首尔经济振兴院",
		"國際科技園及創新區域協會":       "国际科技园及创新区域协会",
		"中关村软件园":             "中关村软件园", // already simplified
		"Zhongguancun (ZGC)": "Zhongguancun (ZGC)",
		"":                   "",
	}
	for in, want := range cases {
		if got := ToSimplified(in); got != want {
			t.Errorf("ToSimplified(%q) = %q, want %q", in, got, want)
		}
	}
}

// When OpenCC's own command is installed, agree with it on a real mixed text.
func TestAgreesWithOpenCCCommand(t *testing.T) {
	if _, err := exec.LookPath("opencc"); err != nil {
		t.Skip("opencc command not installed (apt-get install opencc); the fixed cases above still run")
	}
	in := "全球科技園區領域的年度盛會，國際科技園及創新區域協會在北京盛大舉辦，簽署合作諒解備忘錄並接待參訪。"
	cmd := exec.Command("opencc", "-c", "t2s.json")
	cmd.Stdin = strings.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("opencc: %v", err)
	}
	want := strings.TrimRight(string(out), "\n")
	if got := ToSimplified(in); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestToTraditional(t *testing.T) {
	for in, want := range map[string]string{
		"中关村发展集团":           "中關村發展集團",
		"首尔经济振兴院":           "首爾經濟振興院",
		"LAUNCH Rhein-Main": "LAUNCH Rhein-Main",
	} {
		if got := ToTraditional(in); got != want {
			t.Errorf("ToTraditional(%q) = %q, want %q", in, got, want)
		}
	}
}
