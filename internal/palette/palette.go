// Package palette holds collabnet's colours: Kelly's 20 colours of maximum
// contrast for communities (the report's drawings and map, GEXF viz:color,
// GraphML's colour keys, the Neo4j Browser style) and Tableau 10 for the
// report's fixed series.
package palette

import (
	"fmt"
	"image/color"
)

// Kelly is K. L. Kelly's sequence of colours of maximum contrast ("Twenty-two
// colors of maximum contrast", Color Engineering 3(6), 1965), without its
// first two (white and black, which are the page and the ink), in Kelly's
// order, so that any prefix is as distinct as he could make it. The sRGB
// values are those of the ISCC–NBS colour-name centroids Kelly named:
// vivid yellow, strong purple, vivid orange, very light blue, vivid red,
// greyish yellow, medium grey, vivid green, strong purplish pink, strong
// blue, strong yellowish pink, strong violet, vivid orange yellow, strong
// purplish red, vivid greenish yellow, strong reddish brown, vivid yellow
// green, deep yellowish brown, vivid reddish orange, dark olive green.
var Kelly = [...]color.RGBA{
	{0xF3, 0xC3, 0x00, 0xFF},
	{0x87, 0x56, 0x92, 0xFF},
	{0xF3, 0x84, 0x00, 0xFF},
	{0xA1, 0xCA, 0xF1, 0xFF},
	{0xBE, 0x00, 0x32, 0xFF},
	{0xC2, 0xB2, 0x80, 0xFF},
	{0x84, 0x84, 0x82, 0xFF},
	{0x00, 0x88, 0x56, 0xFF},
	{0xE6, 0x8F, 0xAC, 0xFF},
	{0x00, 0x67, 0xA5, 0xFF},
	{0xF9, 0x93, 0x79, 0xFF},
	{0x60, 0x4E, 0x97, 0xFF},
	{0xF6, 0xA6, 0x00, 0xFF},
	{0xB3, 0x44, 0x6C, 0xFF},
	{0xDC, 0xD3, 0x00, 0xFF},
	{0x88, 0x2D, 0x17, 0xFF},
	{0x8D, 0xB6, 0x00, 0xFF},
	{0x65, 0x45, 0x22, 0xFF},
	{0xE2, 0x58, 0x22, 0xFF},
	{0x2B, 0x3D, 0x26, 0xFF},
}

// Other is the colour of every community past the palette (and of nodes
// without one): a pale grey, lighter than Kelly's medium grey, which legends
// name "other".
var Other = color.RGBA{0xDD, 0xDD, 0xDD, 0xFF}

// Size is the number of community colours.
const Size = len(Kelly)

// Community is the colour of community k (communities are numbered from 0
// by decreasing size): Kelly[k] for 0 <= k < Size, else Other.
func Community(k int64) color.RGBA {
	if k < 0 || k >= int64(Size) {
		return Other
	}
	return Kelly[k]
}

// CommunityHex is Community(k) as Hex writes it.
func CommunityHex(k int64) string { return Hex(Community(k)) }

// Tableau10 in order: #4E79A7 blue, #F28E2B orange, #E15759 red, #76B7B2
// teal, #59A14F green, #EDC948 yellow, #B07AA1 purple, #FF9DA7 pink,
// #9C755F brown, #BAB0AC grey (Tableau's default categorical palette since
// 2016): the report's fixed series, such as coverage bars.
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
