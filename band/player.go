package band

import (
	"fmt"
	"sort"
	"strings"

	"sideman/music"
)

// A Player is one musician in the band. The band asks it for the next few
// bars of the gig, in order and without gaps, and tells it what everyone
// has played before them, the human's notes included: so one player
// serves a whole file (asked for every bar in turn), a trade of fours and
// a live session alike.
type Player interface {
	// Play returns the notes the player starts in the played bars
	// [from, to) of its gig (Gig.Bars), with pitch, velocity, start and
	// duration set; the band gives them ids, channel, part and Origin.
	// heard holds what has been played so far, by the band and by
	// whoever plays with it, in the order it was heard, call after call
	// (Band.Next): the count-in, then for each call the notes the human
	// gave with it (played since the call before), by start, then the
	// band's notes of the bars that call played, by start. So a human's
	// note follows the band's notes of the bars before it was given, even
	// those that start later. heard only grows at its end: a player may
	// remember how much of it it has read. A player may keep state
	// between calls: the next call continues at bar to.
	Play(from, to int, heard []music.Note) []music.Note
}

// PlayerFunc makes a Player of a function.
type PlayerFunc func(from, to int, heard []music.Note) []music.Note

// Play calls f.
func (f PlayerFunc) Play(from, to int, heard []music.Note) []music.Note { return f(from, to, heard) }

// NewPlayer hires a player for one gig: the band calls it once a
// performance, before asking for the first bar. The player draws its
// randomness from g.Rand(role) only, so the same seed plays the same.
type NewPlayer func(g *Gig) Player

// Lineup is the players a band can call on, by role and by the name
// styles give them ("walking", "bossa"), with the checker of each role's
// style parameters. The rhythm section's packages add theirs (bass.Hire,
// comp.Hire, drums.Hire); band/lineup.Standard gives all of them.
type Lineup struct {
	players map[string]map[string]NewPlayer
	checks  map[string]func(*Style) error
}

// Add puts a player in the lineup for a role under the name styles use.
func (l *Lineup) Add(role, name string, p NewPlayer) {
	if l.players == nil {
		l.players = map[string]map[string]NewPlayer{}
	}
	if l.players[role] == nil {
		l.players[role] = map[string]NewPlayer{}
	}
	l.players[role][name] = p
}

// AddCheck sets the checker of a role's style parameters: Check runs it,
// so a user's style file with a parameter its player cannot read fails
// loudly instead of being half ignored.
func (l *Lineup) AddCheck(role string, check func(*Style) error) {
	if l.checks == nil {
		l.checks = map[string]func(*Style) error{}
	}
	l.checks[role] = check
}

// Player returns the player of a role with that name, or nil.
func (l *Lineup) Player(role, name string) NewPlayer {
	if l == nil {
		return nil
	}
	return l.players[role][name]
}

// Names lists the players of a role in the lineup, sorted.
func (l *Lineup) Names(role string) []string {
	var out []string
	if l != nil {
		for n := range l.players[role] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Check reports the first parameter of the style that its players cannot
// read, and a player the style names that the lineup does not have.
func (l *Lineup) Check(s *Style) error {
	for _, role := range Roles {
		if name := s.Players[role]; name != "" && name != "none" && l.Player(role, name) == nil {
			return fmt.Errorf("no %s player %q (have %s)", role, name, strings.Join(l.Names(role), ", "))
		}
		if l == nil {
			continue
		}
		if c := l.checks[role]; c != nil {
			if err := c(s); err != nil {
				return err
			}
		}
	}
	return nil
}
