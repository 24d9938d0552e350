package studio

import (
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"

	"sideman/identity"
	"sideman/project"
)

// TemporaryProject makes a project in a temporary folder, its ledger
// and its WAV exports' C2PA manifests signed with an identity made for
// the session (identity.Ensure in the folder), for a studio started on
// no project (everything played is in a ledger even so). Its folder is
// root; cleanup closes the ledger and removes the folder.
func TemporaryProject(ctx context.Context) (proj *project.Project, pub ed25519.PublicKey, root string, cleanup func(), err error) {
	tmp, err := os.MkdirTemp("", "sideman-studio-")
	if err != nil {
		return nil, nil, "", nil, &project.Error{Kind: project.Internal, Name: "temporary project", Err: err}
	}
	id, err := identity.Ensure(filepath.Join(tmp, "identity"))
	if err != nil {
		os.RemoveAll(tmp)
		return nil, nil, "", nil, &project.Error{Kind: project.Internal, Name: "temporary project", Err: err}
	}
	key, ok := id.Signer().(ed25519.PrivateKey)
	if !ok {
		os.RemoveAll(tmp)
		return nil, nil, "", nil, &project.Error{Kind: project.Internal, Name: "temporary project", Err: errors.New("the session's identity is not an Ed25519 key")}
	}
	pub = key.Public().(ed25519.PublicKey)
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
	rec.SetIdentity(id) // signs the C2PA manifests of WAV exports
	proj = &project.Project{Ledger: rec, IDs: rec.IDs()}
	return proj, pub, root, func() { rec.Close(); os.RemoveAll(tmp) }, nil
}
