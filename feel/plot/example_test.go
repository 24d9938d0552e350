package plot_test

import (
	"bufio"
	"bytes"
	"fmt"
	"log"

	"sideman/feel"
	"sideman/feel/plot"
)

// A soloist's feel at medium tempo, drawn as a picture. Save the output as
// a .svg file and open it in a browser.
func ExampleSVG() {
	p := &feel.Profile{
		Name:        "medium swing",
		Description: "A soloist, late on the beat and later on the swung upbeat.",
		Roles: map[string]*feel.Role{
			feel.Soloist: {Bands: []feel.TempoBand{{
				Lo: 140, Hi: 190,
				Timing: map[string]feel.Timing{
					"beat": {Ms: feel.Stat{N: 500, Mean: 25, SD: 20}},
					"and":  {Ms: feel.Stat{N: 480, Mean: 35, SD: 22}},
				},
				Swing: feel.Stat{N: 300, Mean: 1.4, SD: 0.3},
			}}},
		},
	}
	var buf bytes.Buffer
	if err := plot.SVG(&buf, p); err != nil {
		log.Fatal(err)
	}
	lines := bufio.NewScanner(&buf)
	for i := 0; i < 3 && lines.Scan(); i++ {
		fmt.Println(lines.Text())
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <svg xmlns="http://www.w3.org/2000/svg" width="1130" height="476" viewBox="0 0 1130 476" font-family="sans-serif" font-size="12">
	// <title>Feel profile: medium swing</title>
}
