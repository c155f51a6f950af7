//! AnoGhost gateway: wallet sign-in, rotating ghostIds, free and paid rooms, and a relay that
//! only ever sees ciphertext. Built in a later issue; this crate holds its place in the workspace.
