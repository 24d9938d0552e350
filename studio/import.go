package studio

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"sideman/project"
)

// maxNameLen is the most of an imported file's name kept: it names the
// file in messages and picks its format, nothing more.
const maxNameLen = 120

// importedFile reads a file handed over in a request, {"name", "data"}:
// its name, as the page gives it (the base name alone: a path in it is
// no path on the server), and its bytes, base64 in the JSON. Nothing is
// read from the server's disk.
func importedFile(name, data string) (string, []byte, error) {
	name = fileName(name)
	if data == "" {
		return name, nil, &project.Error{Kind: project.BadInput, Name: name, Err: errors.New("an empty file (data holds no bytes)")}
	}
	// A data: URL (FileReader.readAsDataURL) is its base64 after the comma.
	if strings.HasPrefix(data, "data:") {
		if _, b64, ok := strings.Cut(data, ";base64,"); ok {
			data = b64
		}
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return name, nil, &project.Error{Kind: project.BadInput, Name: name, Err: fmt.Errorf("data is not base64: %v", err)}
	}
	if len(b) == 0 {
		return name, nil, &project.Error{Kind: project.BadInput, Name: name, Err: errors.New("an empty file (data holds no bytes)")}
	}
	return name, b, nil
}

// fileName keeps the last element of a file name as a browser or a
// client gives it, without control characters, "imported" when none is
// left.
func fileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > maxNameLen {
		name = string(r[len(r)-maxNameLen:])
	}
	if name == "" || name == "." || name == ".." {
		return "imported"
	}
	return name
}

// maxImport is the largest file a request body of limit bytes carries:
// base64 takes four bytes for three, and the JSON around it a few more.
func maxImport(limit int64) int64 { return (limit - 1024) / 4 * 3 }
