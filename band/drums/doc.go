// Package drums holds the band's drummers: swing ride, brushes, latin,
// rock, funk and waltz grooves with fills and crashes. Each registers
// itself with band.Register under the name styles use.
package drums
