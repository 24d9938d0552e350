// Package identity is the musician's signing identity: the Ed25519 key
// that signs a project's ledger checkpoints and the C2PA manifests of its
// exports, and the certificates that let other tools read those
// signatures.
//
// The key lives outside every project, in the user's own folder
// ($XDG_CONFIG_HOME/sideman, or ~/.config/sideman: Dir), so that whoever
// copies or edits a project cannot sign it again as its author. Ensure
// creates what is missing there and nothing prompts; a key named by
// --key (a PKCS#8 PEM file) is used as it is (EnsureKey, Load).
//
// C2PA validators (c2pa-rs, and @contentauth/c2pa-wasm built from it)
// refuse a bare self-signed certificate, so the folder also holds a
// per-user certificate authority, with a key of its own, and an
// end-entity certificate it issues for the signing key, made to the
// profile c2pa-rs checks (its cose/certificate_profile.rs, after C2PA
// 2.x §14.5): X.509 v3; basic constraints CA:false; a critical key usage
// of digitalSignature alone; the extended key usages emailProtection
// (the one c2pa-rs accepts with its default settings) and documentSigning
// (1.3.6.1.5.5.7.3.36, accepted when its EKU list is loaded); subject and
// authority key identifiers; an Organization in the subject, which
// c2pa-rs reads as the signer's name; no unique ids; valid now, since
// nothing here asks a time-stamp authority. The user's CA is on no public
// trust list: a validator reports signingCredential.untrusted, and
// nothing worse.
//
// Files (all PEM) in the folder: signing.key (the signing key, PKCS#8),
// ca.key (the CA's key), ca.crt (the CA, self-signed) and signing.crt (the
// end-entity certificate then the CA: the chain a manifest carries).
// A key given by path has its chain beside it, named like it with the
// extension .crt. Keys are written once, atomically, mode 0600 in a
// folder of mode 0700, and never overwritten; certificates are issued
// again when they expire within Renew, or no longer match their keys.
//
// Libraries take paths from their callers: only the command edge looks
// at the environment, through Dir.
package identity

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Names of the files in an identity folder.
const (
	KeyFile    = "signing.key"
	CertFile   = "signing.crt"
	CAKeyFile  = "ca.key"
	CACertFile = "ca.crt"
)

// Validity of the certificates Ensure issues, and how long before its end
// a certificate is issued again.
const (
	CAValidity  = 20 * 365 * 24 * time.Hour
	EEValidity  = 2 * 365 * 24 * time.Hour
	Renew       = 30 * 24 * time.Hour
	clockMargin = time.Hour // notBefore this far back, for clocks a little behind
)

// An Identity is a signing key and, when it has one, the certificate
// chain that vouches for it.
type Identity struct {
	key   ed25519.PrivateKey
	path  string   // the key file
	chain [][]byte // DER: end-entity, then the CA; nil when none
}

// Error is a failure about one file or folder of an identity: Path names
// it and Err says what is wrong, as one line. errors.Is(err,
// fs.ErrNotExist) tells a missing key from a bad one.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ErrNoHome is returned by Dir when neither XDG_CONFIG_HOME nor HOME says
// where the user's configuration lives.
var ErrNoHome = errors.New("identity: neither XDG_CONFIG_HOME nor HOME is set to an absolute path")

// Dir is the user's identity folder: $XDG_CONFIG_HOME/sideman, or
// $HOME/.config/sideman when XDG_CONFIG_HOME is unset or not absolute (as
// the XDG base directory specification says to treat it). getenv is the
// environment's lookup (os.Getenv at the command edge).
func Dir(getenv func(string) string) (string, error) {
	if x := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "sideman"), nil
	}
	if h := getenv("HOME"); filepath.IsAbs(h) {
		return filepath.Join(h, ".config", "sideman"), nil
	}
	return "", ErrNoHome
}

// Public is the signing key's public half.
func (id *Identity) Public() ed25519.PublicKey {
	return id.key.Public().(ed25519.PublicKey)
}

// Sign signs msg with the key (pure Ed25519, RFC 8032).
func (id *Identity) Sign(msg []byte) []byte { return ed25519.Sign(id.key, msg) }

// Verify reports whether sig is a signature of msg by pub.
func Verify(pub ed25519.PublicKey, msg, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
}

// Signer is the key as a crypto.Signer, for COSE (sign with crypto.Hash(0)).
func (id *Identity) Signer() crypto.Signer { return id.key }

// Path is the key file the identity was read from.
func (id *Identity) Path() string { return id.path }

// Chain is the certificate chain in DER: the end-entity certificate for
// the key, then the CA that issued it; nil when the key has none (a key
// given by path before EnsureKey issued one).
func (id *Identity) Chain() [][]byte {
	out := make([][]byte, len(id.chain))
	for i, c := range id.chain {
		out[i] = append([]byte(nil), c...)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Fingerprint names the key: "sha256:" and the hex SHA-256 of its
// public key's SubjectPublicKeyInfo (DER), as key pinning does.
func (id *Identity) Fingerprint() string { return Fingerprint(id.Public()) }

// Fingerprint is an Ed25519 public key's fingerprint (Identity.Fingerprint).
func Fingerprint(pub ed25519.PublicKey) string {
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil { // only for a key of the wrong length
		return "sha256:?"
	}
	sum := sha256.Sum256(spki)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ChainPath is where the certificate chain of the key at keyPath is kept:
// beside it, with the extension .crt (signing.key: signing.crt), never
// the key file itself (a key named k.crt: k.crt.crt).
func ChainPath(keyPath string) string {
	if filepath.Ext(keyPath) == ".crt" {
		return keyPath + ".crt"
	}
	return strings.TrimSuffix(keyPath, filepath.Ext(keyPath)) + ".crt"
}

// Load reads an identity without writing anything: path is an identity
// folder (its signing.key) or a key file (PKCS#8 PEM, Ed25519). The
// chain beside the key is read when it is there and belongs to the key;
// a missing chain is no error (Chain is nil), a chain that does not
// parse or names another key is.
func Load(path string) (*Identity, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &Error{path, pathError(err)}
	}
	if fi.IsDir() {
		path = filepath.Join(path, KeyFile)
	}
	key, err := readKey(path)
	if err != nil {
		return nil, err
	}
	id := &Identity{key: key, path: path}
	cp := ChainPath(path)
	certs, err := readCerts(cp)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return id, nil
	case err != nil:
		return nil, err
	}
	if err := checkChain(certs, id.Public()); err != nil {
		return nil, &Error{cp, err}
	}
	id.chain = derOf(certs)
	return id, nil
}

// Ensure is the identity in dir, created when missing: the folder (mode
// 0700), the signing key and the CA's key (0600, never overwritten), the
// CA's certificate and the signing key's chain, issued again when they
// expire within Renew or no longer match their keys.
func Ensure(dir string) (*Identity, error) {
	return ensure(dir, "", time.Now())
}

// EnsureKey is the key at keyPath (never created: a key given by path
// must be there), with a chain issued by dir's CA (created when missing)
// and kept beside the key, issued again as Ensure does.
func EnsureKey(dir, keyPath string) (*Identity, error) {
	return ensure(dir, keyPath, time.Now())
}

func ensure(dir, keyPath string, now time.Time) (*Identity, error) {
	if err := ensureDir(dir); err != nil {
		return nil, err
	}
	caKey, err := ensureKey(filepath.Join(dir, CAKeyFile))
	if err != nil {
		return nil, err
	}
	ca, err := ensureCA(filepath.Join(dir, CACertFile), caKey, now)
	if err != nil {
		return nil, err
	}
	var key ed25519.PrivateKey
	if keyPath == "" {
		keyPath = filepath.Join(dir, KeyFile)
		key, err = ensureKey(keyPath)
	} else {
		key, err = readKey(keyPath)
	}
	if err != nil {
		return nil, err
	}
	if key.Equal(caKey) {
		return nil, &Error{keyPath, errors.New("is the CA's key; a signing key must be another")}
	}
	id := &Identity{key: key, path: keyPath}
	chain, err := ensureChain(ChainPath(keyPath), key, caKey, ca, now)
	if err != nil {
		return nil, err
	}
	id.chain = chain
	return id, nil
}

// ensureDir makes dir (and its parents) with mode 0700, and says clearly
// when it cannot be read or written.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &Error{dir, pathError(err)}
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return &Error{dir, pathError(err)}
	}
	if !fi.IsDir() {
		return &Error{dir, errors.New("is not a folder")}
	}
	f, err := os.Open(dir)
	if err != nil {
		return &Error{dir, pathError(err)}
	}
	_, err = f.Readdirnames(1)
	f.Close()
	if err != nil && err != io.EOF {
		return &Error{dir, pathError(err)}
	}
	return nil
}

// pathError is err without the path an *os.PathError repeats, in words.
func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(err, os.ErrNotExist):
			return fmt.Errorf("not found (%w)", os.ErrNotExist)
		case errors.Is(err, os.ErrPermission):
			return fmt.Errorf("permission denied (%w)", os.ErrPermission)
		case errors.Is(err, syscall.ENOTDIR):
			return errors.New("a file stands where a folder on its path should be")
		}
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
