// Package render turns a Piece into audio through a SoundFont: 16-bit
// stereo PCM in a RIFF/WAVE file, rendered by the pure-Go synthesizer
// github.com/samhocevar/go-meltysynth (MIT; a copy with faster inner loops
// in internal/meltysynth, see its README) with its reverb and chorus.
//
// The SoundFont format is the SoundFont 2.04 specification (E-mu/Creative,
// 2006); the synthesizer implements its generator and modulator model. The
// WAV file is the RIFF WAVE layout of the Microsoft/IBM "Multimedia
// Programming Interface and Data Specifications 1.0" (1991): a RIFF chunk
// of form WAVE holding a 16-byte "fmt " chunk (WAVE_FORMAT_PCM) and a
// "data" chunk of interleaved little-endian samples.
//
// Render and WAV play a music.Piece: its parts' programs, volumes and pans
// (controllers 7 and 10) and its notes.
// RenderMIDI and MIDIWAV play a Standard MIDI File as it is, controllers
// and all, for files sideman did not make. WAV and MIDIWAV stream to
// their writer, so memory stays flat in the length; Render and RenderMIDI
// hold the audio, for measuring it. Every render takes a context and
// stops within a Block of synthesis when it is cancelled.
//
// A SoundFont is loaded from a reader (LoadSoundFont) and kept by the
// caller for as many renders as it likes; where one lies on a system
// (Debian's fluid-soundfont-gm and timgm6mb-soundfont, an environment
// variable) is for the program to know: see cmd/sideman.
//
// Debian's FluidSynth (fluidsynth -ni -F out.wav) is the reference the
// tests compare against.
package render
