package main

import (
	"context"
	"os"

	"github.com/collabnet/collabnet/export"
	"github.com/collabnet/collabnet/export/internal/synth"
)

func main() {
	g := synth.Graph{N: 3, M: 4}
	if err := export.WriteGraphML(context.Background(), os.Stdout, g, export.GraphMLOptions{}); err != nil {
		panic(err)
	}
	if err := export.WriteGEXF(context.Background(), os.Stdout, g, export.GEXFOptions{ColorBy: "community", SizeBy: "score", WeightBy: "weight"}); err != nil {
		panic(err)
	}
	export.WriteCSV(context.Background(), os.Stdout, os.Stdout, g)
}
