package studio

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"

	"sideman/project"
)

// TemporaryProject makes a project in a temporary folder, its ledger
// signed with a key made for the session, for a studio started on no
// project (everything played is in a ledger even so). Its folder is
// root; cleanup closes the ledger and removes the folder.
func TemporaryProject(ctx context.Context) (proj *project.Project, pub ed25519.PublicKey, root string, cleanup func(), err error) {
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, "", nil, err
	}
	tmp, err := os.MkdirTemp("", "sideman-studio-")
	if err != nil {
		return nil, nil, "", nil, &project.Error{Kind: project.Internal, Name: "temporary project", Err: err}
	}
	root, err = project.InitProject(ctx, filepath.Join(tmp, "session"), key)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, nil, "", nil, err
	}
	rec, err := project.OpenLedger(ctx, root, key)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, nil, "", nil, err
	}
	proj = &project.Project{Ledger: rec, IDs: rec.IDs()}
	return proj, pub, root, func() { rec.Close(); os.RemoveAll(tmp) }, nil
}
