// Package authorship turns a project's per-note record of who made what
// into the authorship report a musician files with a copyright
// application: per part and per bar, how many notes are human (H), human
// processed by an algorithm (H+alg), machine (M) and machine changed by a
// person (M+h); the person's acts of selection and arrangement counted
// apart; a piano roll coloured by class; and, for the composition and the
// sound recording apart, an "Author Created" description and a "Material
// Excluded" text that fit the Copyright Office's form (at most 1,800
// characters each).
//
// The texts follow the US Copyright Office's registration guidance for
// works containing AI-generated material (88 FR 16190, March 16, 2023):
// claim the human authorship, including a human's selection, coordination
// and arrangement of machine material, in "Author Created", and exclude
// machine-generated material that is more than de minimis under
// "Material Excluded". They follow its report Copyright and Artificial
// Intelligence, Part 2: Copyrightability (January 2025) in listing the
// settings and requests sent to the machine as prompts, never as
// authorship, and in naming a person's modifications of machine output
// apart from the output itself. Note counts are not the legal test, and
// the report says so: it is a factual record, not legal advice.
//
// The package reads a neutral Input (notes with their class, acts,
// prompts, the ledger head hash) that the application layer fills from
// the ledger; it knows nothing of stores or hashes itself.
package authorship
