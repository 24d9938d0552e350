package music

// LoadCorpusChords lets the external tests (package music_test, which may
// import the format packages) share the corpus chord census.
var LoadCorpusChords = loadCorpusChords
