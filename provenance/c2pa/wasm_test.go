package c2pa

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// The independent implementation: c2pa-rs compiled to WebAssembly
// (@contentauth/c2pa-wasm, pinned in tools/c2pa), read by
// tools/c2pa/read.mjs under Node.

var c2paTool = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "tools", "c2pa")
}()

// wasmStore is the manifest store JSON c2pa-rs gives (Reader::json).
type wasmStore struct {
	Active    string `json:"active_manifest"`
	Manifests map[string]struct {
		Title      string `json:"title"`
		Assertions []struct {
			Label string          `json:"label"`
			Data  json.RawMessage `json:"data"`
		} `json:"assertions"`
		SignatureInfo struct {
			Alg        string `json:"alg"`
			Issuer     string `json:"issuer"`
			CommonName string `json:"common_name"`
		} `json:"signature_info"`
		ClaimVersion int `json:"claim_version"`
	} `json:"manifests"`
	Status  []wasmStatus `json:"validation_status"`
	Results struct {
		Active struct {
			Success []wasmStatus `json:"success"`
			Failure []wasmStatus `json:"failure"`
		} `json:"activeManifest"`
	} `json:"validation_results"`
	State string `json:"validation_state"`
}

type wasmStatus struct {
	Code        string `json:"code"`
	Explanation string `json:"explanation"`
}

func codes(s []wasmStatus) []string {
	var out []string
	for _, x := range s {
		out = append(out, x.Code)
	}
	return out
}

// readWithC2PARS reads a file with c2pa-wasm, installing it first when
// needed (tools/c2pa/install.sh); a missing Node or package skips, or
// fails under SIDEMAN_REQUIRE_DATA=1.
func readWithC2PARS(t *testing.T, wav []byte) wasmStore {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		skipTool(t, "node", "Debian packages nodejs and npm (scripts/install-deps.sh)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := os.Stat(filepath.Join(c2paTool, "node_modules", "@contentauth", "c2pa-wasm")); err != nil {
		out, err := exec.CommandContext(ctx, "sh", filepath.Join(c2paTool, "install.sh")).CombinedOutput()
		if err != nil {
			skipTool(t, "@contentauth/c2pa-wasm", "tools/c2pa/install.sh (npm ci failed: "+strings.TrimSpace(string(out))+")")
		}
	}
	file := filepath.Join(t.TempDir(), "signed.wav")
	if err := os.WriteFile(file, wav, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, filepath.Join(c2paTool, "read.mjs"), file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("c2pa-wasm could not read the file: %v\n%s", err, stderr.Bytes())
	}
	var res struct {
		Store wasmStore `json:"manifest_store"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("read.mjs output: %v\n%s", err, stdout.Bytes())
	}
	return res.Store
}

// TestC2PARSReadsSignedWAV: c2pa-rs reads the manifest sideman writes,
// finds sideman's assertion and the actions with their source types,
// and reports no failure but signingCredential.untrusted (the user's CA
// is on no public trust list).
func TestC2PARSReadsSignedWAV(t *testing.T) {
	id := newIdentity(t)
	in := sampleInputs()
	signed := sign(t, sineWAV(44100, []byte("LIST"), []byte("INFOISFT\x08\x00\x00\x00sideman\x00")), in, id)
	ours, err := Read(bytes.NewReader(signed))
	if err != nil {
		t.Fatal(err)
	}
	s := readWithC2PARS(t, signed)
	m, ok := s.Manifests[s.Active]
	if !ok || s.Active != ours.Label {
		t.Fatalf("active manifest %q (ours %q) among %d", s.Active, ours.Label, len(s.Manifests))
	}
	if m.ClaimVersion != 2 || m.Title != in.Title {
		t.Errorf("claim version %d, title %q", m.ClaimVersion, m.Title)
	}
	var auth *Authorship
	var actions []struct {
		Action     string `json:"action"`
		SourceType string `json:"digitalSourceType"`
	}
	for _, a := range m.Assertions {
		switch a.Label {
		case LabelAuthorship:
			var x struct {
				Head  string         `json:"ledger_head"`
				Notes map[string]int `json:"notes"`
			}
			if err := json.Unmarshal(a.Data, &x); err != nil {
				t.Fatal(err)
			}
			auth = &Authorship{x.Head, Counts{x.Notes["H"], x.Notes["H+alg"], x.Notes["M"], x.Notes["M+h"]}}
			if len(x.Notes) != 4 {
				t.Errorf("notes %v: want the four classes", x.Notes)
			}
		case LabelActions:
			var x struct {
				Actions []struct {
					Action     string `json:"action"`
					SourceType string `json:"digitalSourceType"`
				} `json:"actions"`
			}
			if err := json.Unmarshal(a.Data, &x); err != nil {
				t.Fatal(err)
			}
			actions = x.Actions
		}
	}
	if auth == nil || *auth != (Authorship{in.HeadHash, in.Counts}) {
		t.Errorf("c2pa-rs found authorship %+v, want head %s and counts %+v", auth, in.HeadHash, in.Counts)
	}
	if len(actions) != len(in.Actions) {
		t.Fatalf("c2pa-rs found actions %+v, want %+v", actions, in.Actions)
	}
	for i, a := range actions {
		if a.Action != in.Actions[i].Action || a.SourceType != SourceType(in.Actions[i].SourceType) {
			t.Errorf("action %d: c2pa-rs found %+v, want %+v", i+1, a, in.Actions[i])
		}
	}
	for _, f := range append(s.Status, s.Results.Active.Failure...) {
		if f.Code != "signingCredential.untrusted" {
			t.Errorf("c2pa-rs validation failure %s: %s", f.Code, f.Explanation)
		}
	}
	ok2 := codes(s.Results.Active.Success)
	for _, want := range []string{"claimSignature.validated", "assertion.dataHash.match", "assertion.hashedURI.match"} {
		if !slices.Contains(ok2, want) {
			t.Errorf("c2pa-rs success codes %v lack %s", ok2, want)
		}
	}
	if m.SignatureInfo.Alg != "Ed25519" || m.SignatureInfo.Issuer != ours.Signer.Organization || m.SignatureInfo.CommonName != ours.Signer.CommonName {
		t.Errorf("c2pa-rs signer %+v, ours %s / %s", m.SignatureInfo, ours.Signer.Organization, ours.Signer.CommonName)
	}
	t.Logf("c2pa-rs: state %s, failures %v, successes %v", s.State, codes(s.Results.Active.Failure), ok2)
}

// TestC2PARSDetectsTampering: c2pa-rs too finds a changed audio sample,
// and names another signer for a manifest re-signed with another key.
func TestC2PARSDetectsTampering(t *testing.T) {
	user, other := newIdentity(t), newIdentity(t)
	wav := sineWAV(22050)
	signed := sign(t, wav, sampleInputs(), user)

	changed := append([]byte(nil), signed...)
	changed[44+4000] ^= 0x01 // a sample of the data chunk
	s := readWithC2PARS(t, changed)
	if got := codes(s.Results.Active.Failure); !slices.Contains(got, "assertion.dataHash.mismatch") {
		t.Errorf("c2pa-rs failures for a changed sample: %v, want assertion.dataHash.mismatch", got)
	}

	resigned := sign(t, stripC2PA(t, changed), sampleInputs(), other)
	s = readWithC2PARS(t, resigned)
	theirs, err := Read(bytes.NewReader(resigned))
	if err != nil {
		t.Fatal(err)
	}
	mine, _ := Read(bytes.NewReader(signed))
	got := s.Manifests[s.Active].SignatureInfo.CommonName
	if got != theirs.Signer.CommonName || got == mine.Signer.CommonName {
		t.Errorf("c2pa-rs names the re-signed file's signer %q; the user's is %q, the other key's %q", got, mine.Signer.CommonName, theirs.Signer.CommonName)
	}
}
