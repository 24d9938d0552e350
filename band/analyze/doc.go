// Package analyze measures a band performance the way a teacher would
// listen to it: bass chord tones and steps, comping guide tones and voice
// leading, register and low-interval limits, repeated cells.
package analyze
