// Package render turns a Piece into audio through a SoundFont.
package render
