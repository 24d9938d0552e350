package meltysynth

import (
	"errors"
	"fmt"
	"io"
)

type soundFontParameters struct {
	sampleHeaders []*SampleHeader
	presets       []*Preset
	instruments   []*Instrument
}

func newSoundFontParameters(r io.Reader) (*soundFontParameters, error) {
	list, err := readList(r, "pdta")
	if err != nil {
		return nil, err
	}

	var presetInfos []*presetInfo
	var presetBag []*zoneInfo
	var presetGenerators []generator
	var instrumentInfos []*instrumentInfo
	var instrumentBag []*zoneInfo
	var instrumentGenerators []generator
	var sampleHeaders []*SampleHeader

	for {
		id, size, ok, err := list.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}

		switch id {
		case "phdr":
			presetInfos, err = readPresetsFromChunk(r, size)
		case "pbag":
			presetBag, err = readZonesFromChunk(r, size)
		case "pmod":
			err = discardModulatorData(r, size)
		case "pgen":
			presetGenerators, err = readGeneratorsFromChunk(r, size)
		case "inst":
			instrumentInfos, err = readInstrumentsFromChunk(r, size)
		case "ibag":
			instrumentBag, err = readZonesFromChunk(r, size)
		case "imod":
			err = discardModulatorData(r, size)
		case "igen":
			instrumentGenerators, err = readGeneratorsFromChunk(r, size)
		case "shdr":
			sampleHeaders, err = readSampleHeadersFromChunk(r, size)
		default:
			return nil, fmt.Errorf("the pdta list contains an unknown sub-chunk %q", id)
		}

		if err != nil {
			return nil, fmt.Errorf("pdta %s: %w", id, err)
		}
	}

	if presetInfos == nil {
		return nil, errors.New("the phdr sub-chunk was not found")
	}
	if presetBag == nil {
		return nil, errors.New("the pbag sub-chunk was not found")
	}
	if presetGenerators == nil {
		return nil, errors.New("the pgen sub-chunk was not found")
	}
	if instrumentInfos == nil {
		return nil, errors.New("the inst sub-chunk was not found")
	}
	if instrumentBag == nil {
		return nil, errors.New("the ibag sub-chunk was not found")
	}
	if instrumentGenerators == nil {
		return nil, errors.New("the igen sub-chunk was not found")
	}
	if sampleHeaders == nil {
		return nil, errors.New("the shdr sub-chunk was not found")
	}

	// sideman: the indices are checked before they are followed.
	names, starts := make([]string, len(presetInfos)), make([]int32, len(presetInfos))
	for i, p := range presetInfos {
		names[i], starts[i] = p.name, p.zoneStartIndex
	}
	if err := checkBags("preset", "pbag", "pgen", names, starts, presetBag, presetGenerators); err != nil {
		return nil, err
	}
	names, starts = make([]string, len(instrumentInfos)), make([]int32, len(instrumentInfos))
	for i, p := range instrumentInfos {
		names[i], starts[i] = p.name, p.zoneStartIndex
	}
	if err := checkBags("instrument", "ibag", "igen", names, starts, instrumentBag, instrumentGenerators); err != nil {
		return nil, err
	}

	parameters := new(soundFontParameters)

	parameters.sampleHeaders = sampleHeaders

	instrumentZones, err := createZones(instrumentBag, instrumentGenerators)
	if err != nil {
		return nil, err
	}

	parameters.instruments, err = createInstruments(instrumentInfos, instrumentZones, sampleHeaders)
	if err != nil {
		return nil, err
	}

	presetZones, err := createZones(presetBag, presetGenerators)
	if err != nil {
		return nil, err
	}

	parameters.presets, err = createPresets(presetInfos, presetZones, parameters.instruments)
	if err != nil {
		return nil, err
	}

	return parameters, nil
}
