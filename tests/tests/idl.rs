//! The committed IDL (`idl/anoghost.json`) must match the program.
//!
//! The IDL is generated natively, the way `anchor idl build` does it: `cargo test
//! __anchor_private_print_idl --features idl-build` on the program, whose output the
//! `anchor-lang-idl` builder parses. It runs in its own target directory because the builder
//! sets its own RUSTFLAGS, which would otherwise invalidate the main build cache.
//!
//! Regenerate with `scripts/idl.sh` (which sets `ANOGHOST_WRITE_IDL=1`).

use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    // Read at run time: a build cache shared between clones would bake in another
    // checkout's path at compile time.
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .parent()
    .expect("tests/ has a parent")
    .to_path_buf()
}

fn idl_target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("idl-build")
}

#[test]
fn committed_idl_matches_program() {
    let root = workspace_root();
    // anchor-lang-idl forwards RUSTUP_TOOLCHAIN as a literal "+{toolchain}" argument, which
    // cargo rejects; the toolchain running this test is the right one anyway.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let target_dir = idl_target_dir(&root);
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(root.join("programs/anoghost"))
        .cargo_args(vec![
            "--locked".into(),
            "--target-dir".into(),
            target_dir.display().to_string(),
        ])
        .build()
        .expect("IDL builds from the program");
    let generated = serde_json::to_string_pretty(&idl).expect("IDL serialises") + "\n";
    let committed_path = root.join("idl/anoghost.json");

    if std::env::var_os("ANOGHOST_WRITE_IDL").is_some() {
        std::fs::write(&committed_path, &generated).expect("write idl/anoghost.json");
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "idl/anoghost.json is stale: run scripts/idl.sh and commit the result"
    );
}
