module sideman

go 1.26

require gitlab.com/gomidi/midi/v2 v2.3.24

require github.com/samhocevar/go-meltysynth v0.0.0-20230403180939-aca4a036cb16

require github.com/gowebpki/jcs v1.0.2
