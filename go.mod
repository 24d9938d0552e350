module sideman

go 1.26

require gitlab.com/gomidi/midi/v2 v2.3.24
