// Package project is sideman's application layer: the operations a
// musician asks for — open or inspect a chart or a file, play it with a
// band, humanize a MIDI file, render it to audio, convert it, analyze a
// band's playing, list its notes, learn a feel and evaluate the feels,
// play a bundled demo — each a method of Project with an options struct
// and a context, returning values and one kind of error (Error, whose
// Kind says bad input, not found, unsupported or internal). Soloing,
// trading fours, varying and recording come here next.
//
// Commands and the studio are thin edges over it: they parse flags or
// requests into options, call it, and print or send what it returns,
// mapping error kinds to exit codes or HTTP statuses (KindOf). Long work
// reports its progress, and what the musician should know while it goes
// on (a tune skipped, a form cut short), to a Reporter the caller gives.
//
// Every note keeps its id and its Origin through every operation (see
// Project.IDs); the design notes are in ../shared/DESIGN.md.
package project
