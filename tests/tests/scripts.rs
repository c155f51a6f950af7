//! The operator scripts' refusals: `scripts/deploy.sh` explains a missing Solana toolchain
//! before doing anything, and refuses an unknown cluster.

use std::path::PathBuf;
use std::process::Command;

fn script(name: &str) -> PathBuf {
    // Read at run time: a build cache shared between clones would bake in another path.
    let tests_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    tests_dir
        .parent()
        .expect("workspace root")
        .join("scripts")
        .join(name)
}

#[test]
fn deploy_without_the_solana_toolchain_says_what_is_missing_and_how_to_get_it() {
    // A PATH with the system's basics only: no solana, anchor or cargo.
    let output = Command::new("bash")
        .arg(script("deploy.sh"))
        .arg("devnet")
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("bash runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for needle in [
        "the Solana toolchain is missing",
        "platform-tools v1.52 or later, Rust 1.89",
        "solana (the Solana CLI)",
        "anchor (Anchor CLI 1.2.x) or cargo-build-sbf",
        "release.anza.xyz",
        "scripts/localnet.sh",
    ] {
        assert!(
            stderr.contains(needle),
            "{needle:?} missing from:\n{stderr}"
        );
    }
}

#[test]
fn deploy_refuses_an_unknown_cluster_with_its_usage() {
    for args in [&["testnet"][..], &[][..], &["devnet", "extra"][..]] {
        let output = Command::new("bash")
            .arg(script("deploy.sh"))
            .args(args)
            .output()
            .expect("bash runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr)
            .contains("usage: scripts/deploy.sh devnet|mainnet"));
    }
}
