package identity

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sideman/internal/shareddata"
)

func TestDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/u"}, "/x/cfg/sideman"},
		{map[string]string{"HOME": "/home/u"}, "/home/u/.config/sideman"},
		{map[string]string{"XDG_CONFIG_HOME": "rel/cfg", "HOME": "/home/u"}, "/home/u/.config/sideman"}, // relative: ignored, as XDG says
	} {
		got, err := Dir(env(c.env))
		if err != nil || got != c.want {
			t.Errorf("Dir(%v) = %q, %v; want %q", c.env, got, err, c.want)
		}
	}
	if _, err := Dir(env(nil)); !errors.Is(err, ErrNoHome) {
		t.Errorf("Dir with no HOME: %v, want ErrNoHome", err)
	}
}

// TestEnsureCreatesThenReuses: the first Ensure makes a key and its
// chain; later ones and Load return the same key and the same chain.
func TestEnsureCreatesThenReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config", "sideman")
	a, err := Ensure(dir)
	if err != nil {
		t.Fatal(err)
	}
	keyBytes := mustRead(t, filepath.Join(dir, KeyFile))
	b, err := Ensure(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []*Identity{b, c, d} {
		if !id.Public().Equal(a.Public()) || id.Fingerprint() != a.Fingerprint() {
			t.Fatalf("reloaded key %s, made %s", id.Fingerprint(), a.Fingerprint())
		}
		if !chainsEqual(id.Chain(), a.Chain()) {
			t.Errorf("chain issued again while valid")
		}
	}
	if !bytes.Equal(mustRead(t, filepath.Join(dir, KeyFile)), keyBytes) {
		t.Error("key file rewritten by a second Ensure")
	}
	msg := []byte("checkpoint 42")
	if sig := a.Sign(msg); !Verify(c.Public(), msg, sig) || Verify(c.Public(), []byte("checkpoint 43"), sig) {
		t.Error("a signature by the made key does not verify with the loaded one, or verifies another message")
	}
	if !strings.HasPrefix(a.Fingerprint(), "sha256:") || len(a.Fingerprint()) != len("sha256:")+64 {
		t.Errorf("fingerprint %q", a.Fingerprint())
	}
	// The CA's key is another key than the signing key.
	ca := parseChain(t, a.Chain())[1]
	if ca.PublicKey.(ed25519.PublicKey).Equal(a.Public()) {
		t.Error("the CA signs with the signing key")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sideman")
	if _, err := Ensure(dir); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("folder mode %04o, want 0700", m)
	}
	for _, f := range []string{KeyFile, CAKeyFile} {
		if m := mode(t, filepath.Join(dir, f)); m != 0o600 {
			t.Errorf("%s mode %04o, want 0600", f, m)
		}
	}
	// A key others can read is refused, naming the file.
	p := filepath.Join(dir, KeyFile)
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	wantLine(t, err, p, "chmod 600")
}

// TestNeverOverwrites: a key file is written once; writing it again is
// refused, leaving the first whole.
func TestNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "k.key")
	if err := writeOnce(p, []byte("first"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := writeOnce(p, []byte("second"), 0o600)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second write: %v, want fs.ErrExist", err)
	}
	wantLine(t, err, p, "not overwritten")
	if got := mustRead(t, p); string(got) != "first" {
		t.Errorf("file holds %q after a refused write", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the folder, want 1 (no temporary left)", len(ents))
	}
	// ensureKey keeps a key that is there, even one made elsewhere.
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	kp := writeKey(t, dir, "mine.key", k)
	before := mustRead(t, kp)
	got, err := ensureKey(kp)
	if err != nil || !got.Equal(k) || !bytes.Equal(mustRead(t, kp), before) {
		t.Errorf("ensureKey on an existing key: %v; kept %v", err, got.Equal(k))
	}
}

// TestChainMeetsC2PAProfile checks the chain as c2pa-rs's certificate
// profile does, and as crypto/x509 verifies a path.
func TestChainMeetsC2PAProfile(t *testing.T) {
	id, err := Ensure(filepath.Join(t.TempDir(), "sideman"))
	if err != nil {
		t.Fatal(err)
	}
	certs := parseChain(t, id.Chain())
	if len(certs) != 2 {
		t.Fatalf("chain of %d certificates, want 2", len(certs))
	}
	ee, ca := certs[0], certs[1]
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	if _, err := ee.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		t.Fatalf("chain does not verify to its CA: %v", err)
	}
	if !ee.PublicKey.(ed25519.PublicKey).Equal(id.Public()) {
		t.Error("end-entity certificate is for another key")
	}
	if err := Profile(ee); err != nil {
		t.Errorf("end-entity certificate: %v", err)
	}
	if ee.Version != 3 || ee.IsCA || !ee.BasicConstraintsValid {
		t.Errorf("end-entity: version %d, CA %v, basic constraints %v", ee.Version, ee.IsCA, ee.BasicConstraintsValid)
	}
	if ee.KeyUsage != x509.KeyUsageDigitalSignature || !criticalKeyUsage(ee) {
		t.Errorf("end-entity key usage %b (critical %v), want digitalSignature alone, critical", ee.KeyUsage, criticalKeyUsage(ee))
	}
	if len(ee.ExtKeyUsage) != 1 || ee.ExtKeyUsage[0] != x509.ExtKeyUsageEmailProtection || len(ee.UnknownExtKeyUsage) != 1 || !ee.UnknownExtKeyUsage[0].Equal(OIDDocumentSigning) {
		t.Errorf("end-entity EKU %v %v, want emailProtection and documentSigning", ee.ExtKeyUsage, ee.UnknownExtKeyUsage)
	}
	if !bytes.Equal(ee.SubjectKeyId, keyID(id.Public())) || !bytes.Equal(ee.AuthorityKeyId, ca.SubjectKeyId) || len(ca.SubjectKeyId) == 0 {
		t.Errorf("key identifiers: subject %x (want %x), authority %x, CA's subject %x", ee.SubjectKeyId, keyID(id.Public()), ee.AuthorityKeyId, ca.SubjectKeyId)
	}
	if !ca.IsCA || ca.KeyUsage&x509.KeyUsageCertSign == 0 || !ca.MaxPathLenZero || ca.CheckSignatureFrom(ca) != nil {
		t.Errorf("CA: CA %v, key usage %b, path length zero %v, self-signed %v", ca.IsCA, ca.KeyUsage, ca.MaxPathLenZero, ca.CheckSignatureFrom(ca))
	}
	if ee.NotAfter.After(ca.NotAfter) || !current(ee, time.Now()) {
		t.Errorf("end-entity valid %v to %v, CA to %v", ee.NotBefore, ee.NotAfter, ca.NotAfter)
	}
	if ee.Subject.Organization[0] != Organization {
		t.Errorf("subject %v", ee.Subject)
	}
	// What c2pa-rs refuses, Profile refuses: the self-signed CA as a
	// signer, and certificates without the EKU or the authority key id.
	if Profile(ca) == nil {
		t.Error("Profile accepts the CA as a signing certificate")
	}
	for name, edit := range map[string]func(*x509.Certificate){
		"no EKU":     func(c *x509.Certificate) { c.ExtKeyUsage, c.UnknownExtKeyUsage = nil, nil },
		"docSigning": func(c *x509.Certificate) { c.ExtKeyUsage = nil }, // refused by c2pa-rs's defaults
		"any EKU":    func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageAny} },
		"no AKI":     func(c *x509.Certificate) { c.AuthorityKeyId = nil },
		"no O":       func(c *x509.Certificate) { c.Subject.Organization = nil },
		"certSign":   func(c *x509.Certificate) { c.KeyUsage |= x509.KeyUsageCertSign },
		"CA:true":    func(c *x509.Certificate) { c.IsCA = true },
		"bare self":  nil,
		"no keyusag": func(c *x509.Certificate) { c.KeyUsage = 0 },
	} {
		if err := Profile(variant(t, id, ee, ca, edit)); err == nil {
			t.Errorf("Profile accepts a certificate with %s", name)
		}
	}
}

// variant issues a certificate like ee, edited; edit nil makes it
// self-signed by the signing key, as a bare self-signed signer is.
func variant(t *testing.T, id *Identity, ee, ca *x509.Certificate, edit func(*x509.Certificate)) *x509.Certificate {
	t.Helper()
	tmpl := *ee
	tmpl.Extensions, tmpl.ExtraExtensions, tmpl.RawSubject = nil, nil, nil
	parent, signer := ca, any(nil)
	caKey, err := readKey(filepath.Join(filepath.Dir(id.Path()), CAKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	signer = caKey
	if edit == nil {
		tmpl.Issuer = tmpl.Subject
		tmpl.AuthorityKeyId = nil
		parent, signer = &tmpl, id.key
	} else {
		edit(&tmpl)
		if tmpl.AuthorityKeyId == nil {
			// Go fills the AKI from the parent's SKI: take the parent's away.
			p := *ca
			p.SubjectKeyId = nil
			parent = &p
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, parent, id.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRenewal: the chain is issued again when it nears its end, for the
// same key by the same CA; the CA likewise, with the same CA key.
func TestRenewal(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	a, err := ensure(dir, "", now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ensure(dir, "", now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !chainsEqual(a.Chain(), b.Chain()) {
		t.Error("chain issued again a day later")
	}
	late := now.Add(EEValidity - Renew + time.Hour)
	c, err := ensure(dir, "", late)
	if err != nil {
		t.Fatal(err)
	}
	ac, cc := parseChain(t, a.Chain()), parseChain(t, c.Chain())
	if cc[0].Equal(ac[0]) || !cc[1].Equal(ac[1]) || !c.Public().Equal(a.Public()) {
		t.Fatalf("near its end: end-entity renewed %v, CA kept %v, key kept %v", !cc[0].Equal(ac[0]), cc[1].Equal(ac[1]), c.Public().Equal(a.Public()))
	}
	if !current(cc[0], late) {
		t.Errorf("renewed certificate not valid at %v: %v to %v", late, cc[0].NotBefore, cc[0].NotAfter)
	}
	veryLate := now.Add(CAValidity - Renew + time.Hour)
	d, err := ensure(dir, "", veryLate)
	if err != nil {
		t.Fatal(err)
	}
	dc := parseChain(t, d.Chain())
	if dc[1].Equal(ac[1]) || !dc[1].PublicKey.(ed25519.PublicKey).Equal(ac[1].PublicKey.(ed25519.PublicKey)) {
		t.Error("CA near its end not issued again with the same CA key")
	}
	if err := dc[0].CheckSignatureFrom(dc[1]); err != nil || !current(dc[0], veryLate) {
		t.Errorf("chain after the CA's renewal: %v, current %v", err, current(dc[0], veryLate))
	}
}

// TestKeyByPath: a key given by path is used as it is, its chain beside
// it, issued by the user's CA; it is never created.
func TestKeyByPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sideman")
	own, err := Ensure(dir)
	if err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	kp := writeKey(t, other, "band.pem", k)
	id, err := EnsureKey(dir, kp)
	if err != nil {
		t.Fatal(err)
	}
	if !id.Public().Equal(k.Public().(ed25519.PublicKey)) || id.Public().Equal(own.Public()) {
		t.Fatal("EnsureKey did not use the key given")
	}
	if _, err := os.Stat(filepath.Join(other, "band.crt")); err != nil {
		t.Errorf("chain not beside the key: %v", err)
	}
	cs, os_ := parseChain(t, id.Chain()), parseChain(t, own.Chain())
	if !cs[1].Equal(os_[1]) || Profile(cs[0]) != nil {
		t.Error("the given key's chain is not issued by the user's CA to the profile")
	}
	l, err := Load(kp)
	if err != nil || !chainsEqual(l.Chain(), id.Chain()) {
		t.Errorf("Load of the given key: %v", err)
	}
	// A key in a file named .crt keeps it: its chain goes elsewhere.
	crtKey := writeKey(t, other, "odd.crt", k)
	keyBytes := mustRead(t, crtKey)
	if _, err := EnsureKey(dir, crtKey); err != nil || !bytes.Equal(mustRead(t, crtKey), keyBytes) {
		t.Errorf("a key named odd.crt: %v; key file kept %v", err, bytes.Equal(mustRead(t, crtKey), keyBytes))
	}
	missing := filepath.Join(other, "none.pem")
	_, err = EnsureKey(dir, missing)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing --key: %v, want not found", err)
	}
	wantLine(t, err, missing, "not found")
	if _, serr := os.Stat(missing); serr == nil {
		t.Error("EnsureKey created the key named by path")
	}
	// A key without a chain loads, with none.
	_, k2, _ := ed25519.GenerateKey(rand.Reader)
	bare, err := Load(writeKey(t, other, "bare.pem", k2))
	if err != nil || bare.Chain() != nil {
		t.Errorf("a key with no chain: %v, chain %d", err, len(bare.Chain()))
	}
}

// TestBadKeys: each bad key file is one line naming the file and what
// is wrong.
func TestBadKeys(t *testing.T) {
	dir := t.TempDir()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	edDER, _ := x509.MarshalPKCS8PrivateKey(ed)
	for _, c := range []struct {
		name, content, want string
	}{
		{"ecdsa.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})), "ECDSA P-256 key; sideman signs with Ed25519"},
		{"text.pem", "hello\n", "not a PEM key file"},
		{"cert.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}})), `"CERTIFICATE" PEM block`},
		{"enc.pem", string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}})), "encrypted"},
		{"ssh.pem", string(pem.EncodeToMemory(&pem.Block{Type: "OPENSSH PRIVATE KEY", Bytes: []byte{1}})), "OpenSSH"},
		{"cut.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: edDER[:len(edDER)-5]})), "does not parse"},
	} {
		p := filepath.Join(dir, c.name)
		if err := os.WriteFile(p, []byte(c.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p)
		wantLine(t, err, p, c.want)
	}
	// A chain of another key beside a key is refused, naming the chain.
	id, err := Ensure(filepath.Join(dir, "sideman"))
	if err != nil {
		t.Fatal(err)
	}
	kp := writeKey(t, dir, "x.pem", ed)
	if err := os.WriteFile(ChainPath(kp), pemCerts(parseChain(t, id.Chain())...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(kp)
	wantLine(t, err, ChainPath(kp), "another key")
	// A folder that cannot be one: a file stands where it would go.
	file := filepath.Join(dir, "plain")
	os.WriteFile(file, nil, 0o600)
	_, err = Ensure(filepath.Join(file, "sideman"))
	wantLine(t, err, filepath.Join(file, "sideman"), "")
	if os.Geteuid() != 0 { // root reads any folder
		locked := filepath.Join(dir, "locked")
		os.Mkdir(locked, 0o000)
		defer os.Chmod(locked, 0o700)
		_, err = Ensure(filepath.Join(locked, "sideman"))
		wantLine(t, err, "locked", "permission denied")
	}
}

// TestOpenSSLAcceptsChain: OpenSSL, an independent X.509 implementation,
// verifies the end-entity certificate against the CA, strictly.
func TestOpenSSLAcceptsChain(t *testing.T) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		skipTool(t, "openssl", "Debian package openssl")
	}
	dir := t.TempDir()
	id, err := Ensure(filepath.Join(dir, "sideman"))
	if err != nil {
		t.Fatal(err)
	}
	certs := parseChain(t, id.Chain())
	ee, ca := filepath.Join(dir, "ee.pem"), filepath.Join(dir, "ca.pem")
	os.WriteFile(ee, pemCerts(certs[0]), 0o644)
	os.WriteFile(ca, pemCerts(certs[1]), 0o644)
	out, err := exec.Command(bin, "verify", "-x509_strict", "-CAfile", ca, ee).CombinedOutput()
	if err != nil || !strings.Contains(string(out), ": OK") {
		t.Fatalf("openssl verify: %v\n%s", err, out)
	}
	// It must be able to fail: the chain against another user's CA.
	other, err := Ensure(filepath.Join(dir, "other"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(ca, pemCerts(parseChain(t, other.Chain())[1]), 0o644)
	if out, err := exec.Command(bin, "verify", "-CAfile", ca, ee).CombinedOutput(); err == nil {
		t.Errorf("openssl verifies against another CA:\n%s", out)
	}
}

// skipTool skips for a missing tool, recorded in $SIDEMAN_SKIP_LOG as
// internal/shareddata records a missing corpus, or fails under
// SIDEMAN_REQUIRE_DATA=1.
func skipTool(t *testing.T, tool, src string) {
	t.Helper()
	msg := tool + " not found; install " + src
	if shareddata.Required() {
		t.Fatal(msg)
	}
	if name := os.Getenv(shareddata.EnvSkipLog); name != "" {
		if f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			f.WriteString(strings.Join([]string{tool, "identity", t.Name(), src}, "\t") + "\n")
			f.Close()
		}
	}
	t.Skip(msg)
}

func wantLine(t *testing.T, err error, path, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want %q", path, want)
		return
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, path) || !strings.Contains(msg, want) {
		t.Errorf("error %q: want one line naming %s and saying %q", msg, path, want)
	}
}

func writeKey(t *testing.T, dir, name string, k ed25519.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func parseChain(t *testing.T, chain [][]byte) []*x509.Certificate {
	t.Helper()
	var out []*x509.Certificate
	for _, der := range chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func chainsEqual(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mode(t *testing.T, p string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestEnsureRace: Ensures at once on a new folder end with one key, the
// same for all of them.
func TestEnsureRace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sideman")
	const n = 8
	ids := make([]*Identity, n)
	errs := make([]error, n)
	done := make(chan int)
	for i := range n {
		go func() { ids[i], errs[i] = Ensure(dir); done <- i }()
	}
	for range n {
		<-done
	}
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !ids[i].Public().Equal(ids[0].Public()) {
			t.Fatalf("Ensure %d has key %s, Ensure 0 %s", i, ids[i].Fingerprint(), ids[0].Fingerprint())
		}
	}
	onDisk, err := Load(dir)
	if err != nil || !onDisk.Public().Equal(ids[0].Public()) {
		t.Errorf("the key on disk differs from the one returned: %v", err)
	}
}
