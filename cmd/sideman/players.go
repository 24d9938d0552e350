package main

// The band's players register themselves with the band package.
import (
	_ "sideman/band/bass"
	_ "sideman/band/comp"
	_ "sideman/band/drums"
)
