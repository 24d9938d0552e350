package studio

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"path"
	"strings"
)

// Loopback reports whether addr (host:port) binds only the loopback
// interface: 127.0.0.0/8 or ::1 by number. Any other address, a name
// ("localhost" included, which a resolver may map elsewhere) or an empty
// host (every interface) is not, and needs a token.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NewToken is a random token for a studio bound beyond loopback: 128
// bits, in hex.
func NewToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// guarded reports whether a request's path is the API's or the
// websocket's, cleaned as a router would clean it ("/api", "/api/…",
// "//api/x", "/x/../api" alike), so that no spelling slips past the
// token check to a route that answers.
func guarded(p string) bool {
	c := strings.ToLower(path.Clean("/" + p))
	return c == "/api" || strings.HasPrefix(c, "/api/") || c == "/ws" || strings.HasPrefix(c, "/ws/")
}

// tokenOf is the token a request carries: "Authorization: Bearer T" or
// ?token=T.
func tokenOf(r *http.Request) string {
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return r.URL.Query().Get("token")
}

// authorized checks a request's token in constant time.
func authorized(r *http.Request, token string) bool {
	got := tokenOf(r)
	return subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}
