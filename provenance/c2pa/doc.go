// Package c2pa puts a C2PA manifest (Content Credentials, C2PA
// specification 2.x) into the WAV files sideman writes, and reads and
// verifies one back.
//
// Sign streams a RIFF/WAVE file to its writer and appends a top-level
// "C2PA" chunk holding the manifest store, a JUMBF box (ISO 19566-5), as
// the specification's RIFF binding and c2pa-rs's riff_io place it: after
// every other chunk, so the audio is neither moved nor changed. The store
// holds one manifest, labelled urn:c2pa:UUID, with
//
//   - an assertion store of three CBOR assertions, all listed in the claim
//     as created_assertions:
//     c2pa.actions.v2, the actions (c2pa.created first, then c2pa.edited)
//     each with its IPTC digital source type (trainedAlgorithmicMedia,
//     algorithmicMedia, compositeWithTrainedAlgorithmicMedia,
//     digitalCapture, humanEdits...);
//     org.sideman.authorship, sideman's own: the ledger head hash the file
//     was exported at and its notes by authorship class (H, H+alg, M, M+h);
//     c2pa.hash.data, the hard binding: SHA-256 of every byte of the file
//     but the C2PA chunk (header included), the exclusion naming where it
//     lies;
//   - the claim, c2pa.claim.v2: the hashed URIs of the assertions (SHA-256
//     over each assertion superbox's payload), the claim generator, the
//     file name as dc:title;
//   - the claim signature, c2pa.signature: a COSE_Sign1 (RFC 9052) with a
//     detached payload, the claim's bytes, signed EdDSA (Ed25519) with the
//     user's key (package identity), the certificate chain (end-entity
//     certificate, then the user's CA) in the protected x5chain header (RFC
//     9360). No time stamp: validity is checked at reading time.
//
// The same file, inputs and key give the same bytes: the manifest's UUID is
// drawn from the audio's hash and the assertions, Ed25519 is deterministic
// and nothing records the time.
//
// Read finds the chunk and verifies what c2pa-rs verifies of such a
// manifest, except trust: the signature against the certificate, the
// certificate's profile and issuer, each assertion's hash, and the hard
// binding against the file. It reports the signer; whether that is the
// user is for the caller to ask (Signer.Is): a manifest re-signed with
// another key verifies, but not as the user's.
//
// The tests check every file against an independent implementation,
// c2pa-rs compiled to WebAssembly (@contentauth/c2pa-wasm, tools/c2pa).
package c2pa
