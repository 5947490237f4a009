package loader_test

import (
	"context"
	"fmt"

	"github.com/collabnet/collabnet/data"
	"github.com/collabnet/collabnet/loader"
)

// Load reads inputs (here the shipped dataset, embedded in package data)
// into one Dataset; a file with errors loads nothing and the error names
// file, line and field.
func ExampleLoader_Load() {
	ins, err := loader.FSInputs(data.FS, "data/")
	if err != nil {
		fmt.Println(err)
		return
	}
	l, err := loader.New(loader.Options{FoldAccents: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	ds, _, err := l.Load(context.Background(), ins)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(ds.Agreements) > 0, len(ds.Organizations) > 0)
	// Output: true true
}
