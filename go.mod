module sideman

go 1.26

require gitlab.com/gomidi/midi/v2 v2.3.24

require github.com/samhocevar/go-meltysynth v0.0.0-20230403180939-aca4a036cb16

require github.com/gowebpki/jcs v1.0.2

require (
	github.com/fxamacker/cbor/v2 v2.10.0
	github.com/veraison/go-cose v1.3.0
)

require github.com/x448/float16 v0.8.4 // indirect
