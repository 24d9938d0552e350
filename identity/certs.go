package identity

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"slices"
	"time"
)

// Organization is the subject's Organization in the certificates:
// c2pa-rs names the signer by it, and refuses a signing certificate
// without one.
const Organization = "sideman"

// OIDDocumentSigning is the extended key usage id-kp-documentSigning
// (RFC 9336) the end-entity certificate carries.
var OIDDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}

// keyID is a subject key identifier: the first 160 bits of the SHA-256 of
// the subjectPublicKey bits (RFC 7093, method 1), for Ed25519 the raw key.
func keyID(pub ed25519.PublicKey) []byte {
	sum := sha256.Sum256(pub)
	return sum[:20]
}

// serial is a random positive 127-bit serial number (RFC 5280: at most 20
// octets, positive, unpredictable).
func serial() (*big.Int, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	b[0] = b[0]&0x7f | 0x40
	return new(big.Int).SetBytes(b), nil
}

// shortFingerprint is the first 16 hex digits of a key's fingerprint, to
// tell one user's certificates from another's without naming the user.
func shortFingerprint(pub ed25519.PublicKey) string {
	return Fingerprint(pub)[len("sha256:"):][:16]
}

// issueCA makes the user's CA certificate, self-signed with caKey: CA:true
// with no CA below it, key usage keyCertSign and cRLSign, its key
// identifier as both subject and authority key identifier.
func issueCA(caKey ed25519.PrivateKey, now time.Time) (*x509.Certificate, error) {
	pub := caKey.Public().(ed25519.PublicKey)
	sn, err := serial()
	if err != nil {
		return nil, err
	}
	id := keyID(pub)
	t := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               pkix.Name{Organization: []string{Organization}, CommonName: "sideman user CA " + shortFingerprint(pub)},
		NotBefore:             now.Add(-clockMargin).UTC().Truncate(time.Second),
		NotAfter:              now.Add(CAValidity).UTC().Truncate(time.Second),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            0,
		MaxPathLenZero:        true,
		SubjectKeyId:          id,
		AuthorityKeyId:        id,
	}
	der, err := x509.CreateCertificate(rand.Reader, t, t, pub, caKey)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// issueSigning makes the end-entity certificate of key, issued by ca:
// CA:false, key usage digitalSignature (critical), extended key usages
// emailProtection and documentSigning, subject and authority key
// identifiers, valid for EEValidity and never past the CA.
// emailProtection because c2pa-rs with its default settings (no
// trust_config, as @contentauth/c2pa-wasm reads) accepts only
// emailProtection, timeStamping and OCSPSigning: documentSigning alone
// gives signingCredential.invalid, "certificate missing required EKU".
func issueSigning(key, caKey ed25519.PrivateKey, ca *x509.Certificate, now time.Time) (*x509.Certificate, error) {
	pub := key.Public().(ed25519.PublicKey)
	sn, err := serial()
	if err != nil {
		return nil, err
	}
	end := now.Add(EEValidity)
	if end.After(ca.NotAfter) {
		end = ca.NotAfter
	}
	t := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               pkix.Name{Organization: []string{Organization}, CommonName: "sideman signing key " + shortFingerprint(pub)},
		NotBefore:             now.Add(-clockMargin).UTC().Truncate(time.Second),
		NotAfter:              end.UTC().Truncate(time.Second),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{OIDDocumentSigning},
		BasicConstraintsValid: true,
		IsCA:                  false,
		SubjectKeyId:          keyID(pub),
		AuthorityKeyId:        ca.SubjectKeyId,
	}
	der, err := x509.CreateCertificate(rand.Reader, t, ca, pub, caKey)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// ensureCA is the CA certificate at path, issued again (and written)
// when it is missing, does not parse, is not caKey's, or is not valid
// from now until Renew from now.
func ensureCA(path string, caKey ed25519.PrivateKey, now time.Time) (*x509.Certificate, error) {
	certs, err := readCerts(path)
	if err == nil && len(certs) == 1 && certs[0].IsCA && sameKey(certs[0], caKey.Public().(ed25519.PublicKey)) &&
		certs[0].CheckSignatureFrom(certs[0]) == nil && current(certs[0], now) {
		return certs[0], nil
	}
	if errors.Is(err, os.ErrPermission) {
		return nil, err // unreadable, not merely missing or bad: say so
	}
	ca, err := issueCA(caKey, now)
	if err != nil {
		return nil, err
	}
	if err := replaceFile(path, pemCerts(ca), 0o644); err != nil {
		return nil, err
	}
	return ca, nil
}

// ensureChain is the chain at path for key (end-entity, then ca), issued
// again (and written) when it is missing, bad, another key's or another
// CA's, or not valid from now until Renew from now.
func ensureChain(path string, key, caKey ed25519.PrivateKey, ca *x509.Certificate, now time.Time) ([][]byte, error) {
	certs, err := readCerts(path)
	if err == nil && len(certs) == 2 && certs[1].Equal(ca) && checkChain(certs, key.Public().(ed25519.PublicKey)) == nil && current(certs[0], now) {
		return derOf(certs), nil
	}
	if errors.Is(err, os.ErrPermission) {
		return nil, err
	}
	ee, err := issueSigning(key, caKey, ca, now)
	if err != nil {
		return nil, err
	}
	if err := replaceFile(path, pemCerts(ee, ca), 0o644); err != nil {
		return nil, err
	}
	return derOf([]*x509.Certificate{ee, ca}), nil
}

// current reports whether c is valid now and for Renew more.
func current(c *x509.Certificate, now time.Time) bool {
	return !now.Before(c.NotBefore) && now.Add(Renew).Before(c.NotAfter)
}

func sameKey(c *x509.Certificate, pub ed25519.PublicKey) bool {
	p, ok := c.PublicKey.(ed25519.PublicKey)
	return ok && p.Equal(pub)
}

// checkChain says what is wrong with a chain for pub: its end-entity
// certificate must be pub's, made to the C2PA profile (Profile), and
// signed by the next certificate, a CA.
func checkChain(certs []*x509.Certificate, pub ed25519.PublicKey) error {
	if len(certs) < 2 {
		return fmt.Errorf("holds %d certificate(s); want the signing certificate then its CA", len(certs))
	}
	if !sameKey(certs[0], pub) {
		return errors.New("the certificate is for another key")
	}
	if err := Profile(certs[0]); err != nil {
		return err
	}
	if !certs[1].IsCA {
		return errors.New("the second certificate is not a CA")
	}
	if err := certs[0].CheckSignatureFrom(certs[1]); err != nil {
		return fmt.Errorf("the certificate is not signed by the CA that follows it: %v", err)
	}
	return nil
}

// Profile says how an end-entity certificate falls short of what c2pa-rs
// checks of a signing certificate (cose/certificate_profile.rs), leaving
// out the time, which the caller checks against the signing time: nil
// when it does not. Only the Ed25519 certificates sideman issues pass.
func Profile(c *x509.Certificate) error {
	switch {
	case c.Version != 3:
		return fmt.Errorf("certificate is version %d; C2PA needs version 3", c.Version)
	case c.SignatureAlgorithm != x509.PureEd25519 || c.PublicKeyAlgorithm != x509.Ed25519:
		return fmt.Errorf("certificate is %v signed with %v; sideman's are Ed25519", c.PublicKeyAlgorithm, c.SignatureAlgorithm)
	case !c.BasicConstraintsValid || c.IsCA:
		return errors.New("certificate is not marked CA:false")
	case c.KeyUsage&x509.KeyUsageDigitalSignature == 0:
		return errors.New("certificate's key usage lacks digitalSignature")
	case c.KeyUsage&x509.KeyUsageCertSign != 0:
		return errors.New("certificate of a signer allows keyCertSign")
	case !criticalKeyUsage(c):
		return errors.New("certificate's key usage is not critical")
	case slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageAny):
		return errors.New("certificate allows any extended key usage")
	case !hasC2PAEKU(c):
		return errors.New("certificate has no extended key usage that c2pa-rs accepts with its default settings (emailProtection)")
	case len(c.SubjectKeyId) == 0:
		return errors.New("certificate has no subject key identifier")
	case len(c.AuthorityKeyId) == 0:
		return errors.New("certificate has no authority key identifier")
	case len(c.Subject.Organization) == 0:
		return errors.New("certificate's subject has no Organization (O), which C2PA validators name the signer by")
	case bytes.Equal(c.RawIssuer, c.RawSubject):
		return errors.New("certificate is self-signed; C2PA validators refuse it")
	}
	return nil
}

var oidKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 15}

func criticalKeyUsage(c *x509.Certificate) bool {
	for _, e := range c.Extensions {
		if e.Id.Equal(oidKeyUsage) {
			return e.Critical
		}
	}
	return false
}

func hasC2PAEKU(c *x509.Certificate) bool {
	// c2pa-rs's default settings (no trust_config) allow these alone; the
	// others on its valid_eku_oids.cfg (documentSigning, Microsoft's C2PA
	// signing) only when a validator loads that list as its trust_config.
	return slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageEmailProtection) ||
		slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageTimeStamping) ||
		slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning)
}

// readCerts reads the PEM certificates of a file (os.ErrNotExist inside
// when there is none).
func readCerts(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{path, pathError(err)}
	}
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, &Error{path, fmt.Errorf("certificate %d does not parse: %v", len(certs)+1, err)}
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, &Error{path, errors.New("holds no PEM certificate")}
	}
	return certs, nil
}

func pemCerts(certs ...*x509.Certificate) []byte {
	var b bytes.Buffer
	for _, c := range certs {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.Bytes()
}

func derOf(certs []*x509.Certificate) [][]byte {
	out := make([][]byte, len(certs))
	for i, c := range certs {
		out[i] = c.Raw
	}
	return out
}
