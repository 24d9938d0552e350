package identity

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// pemPrivateKey is the PEM type of an unencrypted PKCS#8 key (RFC 7468).
const pemPrivateKey = "PRIVATE KEY"

// readKey reads an Ed25519 key from a PKCS#8 PEM file that only its owner
// can read.
func readKey(path string) (ed25519.PrivateKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &Error{path, pathError(err)}
	}
	if fi.IsDir() {
		return nil, &Error{path, errors.New("is a folder, not a key file")}
	}
	if m := fi.Mode().Perm(); m&0o077 != 0 {
		return nil, &Error{path, fmt.Errorf("key is open to other users (mode %04o); chmod 600 it", m)}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{path, pathError(err)}
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, &Error{path, errors.New("not a PEM key file (want an Ed25519 key in PKCS#8 PEM, \"BEGIN PRIVATE KEY\")")}
	}
	switch block.Type {
	case pemPrivateKey:
	case "ENCRYPTED PRIVATE KEY":
		return nil, &Error{path, errors.New("key is encrypted; sideman asks for no passphrase and needs an unencrypted PKCS#8 key")}
	case "OPENSSH PRIVATE KEY":
		return nil, &Error{path, errors.New("an OpenSSH key; convert it to PKCS#8 PEM (ssh-keygen -p -m PKCS8) or let sideman make one")}
	default:
		return nil, &Error{path, fmt.Errorf("a %q PEM block; want an Ed25519 key in PKCS#8 PEM (\"BEGIN PRIVATE KEY\")", block.Type)}
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, &Error{path, errors.New("PKCS#8 key does not parse: " + strings.TrimPrefix(err.Error(), "x509: "))}
	}
	switch k := k.(type) {
	case ed25519.PrivateKey:
		return k, nil
	case *rsa.PrivateKey:
		return nil, &Error{path, errors.New("an RSA key; sideman signs with Ed25519")}
	case *ecdsa.PrivateKey:
		return nil, &Error{path, fmt.Errorf("an ECDSA %s key; sideman signs with Ed25519", k.Curve.Params().Name)}
	default:
		return nil, &Error{path, fmt.Errorf("a %T key; sideman signs with Ed25519", k)}
	}
}

// ensureKey reads the key at path, or makes one there when there is none.
// Two processes making it at once end with the same key: the one whose
// file lands second reads the first's.
func ensureKey(path string) (ed25519.PrivateKey, error) {
	k, err := readKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	_, k, err = ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	err = writeOnce(path, pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), 0o600)
	if errors.Is(err, fs.ErrExist) {
		return readKey(path)
	}
	if err != nil {
		return nil, err
	}
	return k, nil
}

// writeOnce writes a new file at path whole or not at all, and never over
// an existing one (fs.ErrExist then): the data goes to a temporary file
// in the same folder, synced, then linked to path, which fails when path
// exists.
func writeOnce(path string, data []byte, mode fs.FileMode) error {
	tmp, err := writeTemp(path, data, mode)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &Error{path, fmt.Errorf("exists; not overwritten (%w)", fs.ErrExist)}
		}
		return &Error{path, fmt.Errorf("cannot create (hard links needed to write it atomically): %w", linkCause(err))}
	}
	return syncDir(filepath.Dir(path))
}

// replaceFile writes path whole or not at all, replacing what is there
// (certificates, which are issued again).
func replaceFile(path string, data []byte, mode fs.FileMode) error {
	tmp, err := writeTemp(path, data, mode)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return &Error{path, pathError(err)}
	}
	return syncDir(filepath.Dir(path))
}

// writeTemp writes data to a new temporary file beside path, with mode,
// synced and closed, and returns its name.
func writeTemp(path string, data []byte, mode fs.FileMode) (string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", &Error{dir, pathError(err)}
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", &Error{path, pathError(err)}
	}
	if err := f.Chmod(mode); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", &Error{path, pathError(err)}
	}
	return name, nil
}

// syncDir makes a new name in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return &Error{dir, pathError(err)}
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return &Error{dir, pathError(err)}
	}
	return nil
}

func linkCause(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
