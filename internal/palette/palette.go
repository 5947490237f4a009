// Package palette is collabnet's one qualitative colour palette: Tableau 10
// (Tableau's default categorical palette since 2016), used for communities
// in the report's drawings and in GEXF's viz:color.
package palette

import (
	"fmt"
	"image/color"
)

// Tableau10 in order: #4E79A7 blue, #F28E2B orange, #E15759 red, #76B7B2
// teal, #59A14F green, #EDC948 yellow, #B07AA1 purple, #FF9DA7 pink,
// #9C755F brown, #BAB0AC grey.
var Tableau10 = [...]color.RGBA{
	{0x4E, 0x79, 0xA7, 0xFF},
	{0xF2, 0x8E, 0x2B, 0xFF},
	{0xE1, 0x57, 0x59, 0xFF},
	{0x76, 0xB7, 0xB2, 0xFF},
	{0x59, 0xA1, 0x4F, 0xFF},
	{0xED, 0xC9, 0x48, 0xFF},
	{0xB0, 0x7A, 0xA1, 0xFF},
	{0xFF, 0x9D, 0xA7, 0xFF},
	{0x9C, 0x75, 0x5F, 0xFF},
	{0xBA, 0xB0, 0xAC, 0xFF},
}

// Hex writes a colour as CSS does: "#4e79a7".
func Hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }
