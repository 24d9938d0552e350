package drums

// The kit's keys for other players of the General MIDI kit (the drummer
// who trades fours, improv/trade): the same map the band's drummers
// play, on channel 10 (Channel, counted from 0).
const (
	Channel   = 9
	Kick      = kick
	SideStick = sideStick
	Snare     = snare
	FloorTom  = floorTom
	LowTom    = lowTom
	MidTom    = midTom
	HighTom   = highTom
	ClosedHat = closedHat
	PedalHat  = pedalHat
	OpenHat   = openHat
	Crash     = crash
	Ride      = ride
	RideBell  = rideBell

	// HitTicks is a drum stroke's length, CymbalTicks a cymbal's (let
	// ring).
	HitTicks    = hitTicks
	CymbalTicks = cymbalTicks
)
