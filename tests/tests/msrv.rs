//! SBF readiness: `anchor build` uses the rustc of platform-tools v1.52 and later, Rust
//! 1.89. The program crate declares `rust-version = "1.89"`; this test checks that every
//! crate in its normal dependency tree (as locked in `Cargo.lock`, for every target) declares
//! a `rust-version` of at most 1.89, or none.
//!
//! It reads `cargo metadata --locked --offline`, walking only normal (not dev or build)
//! dependency edges from `anoghost`, the tree `cargo tree -p anoghost -e normal` prints.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const PLATFORM_TOOLS_RUST: (u64, u64, u64) = (1, 89, 0);

fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|part| part.parse().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

fn metadata() -> Value {
    // Read at run time: a build cache shared between clones would bake in another path.
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(root)
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

#[test]
fn the_programs_dependency_tree_builds_with_rust_1_89() {
    let metadata = metadata();
    let packages: HashMap<&str, &Value> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|package| (package["id"].as_str().expect("id"), package))
        .collect();
    let program = packages
        .values()
        .find(|package| package["name"] == "anoghost")
        .expect("the program is a workspace member");
    assert_eq!(
        program["rust_version"], "1.89",
        "the program crate's own rust-version"
    );
    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .expect("resolve nodes")
        .iter()
        .map(|node| (node["id"].as_str().expect("id"), node))
        .collect();

    let mut seen = BTreeSet::new();
    let mut todo = vec![program["id"].as_str().expect("id")];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            let normal = dep["dep_kinds"]
                .as_array()
                .expect("dep kinds")
                .iter()
                .any(|kind| kind["kind"].is_null());
            if normal {
                todo.push(dep["pkg"].as_str().expect("pkg"));
            }
        }
    }
    let too_new: Vec<String> = seen
        .iter()
        .filter_map(|id| {
            let package = packages[id];
            let declared = package["rust_version"].as_str()?;
            (version(declared) > PLATFORM_TOOLS_RUST).then(|| {
                format!(
                    "{} {} needs Rust {declared}",
                    package["name"], package["version"]
                )
            })
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "these crates in the program's tree need a newer Rust than platform-tools ships; \
         pin an older version with `cargo update -p NAME --precise VERSION`:\n{}",
        too_new.join("\n")
    );
    println!(
        "{} crates in the program's normal dependency tree; none needs more than Rust 1.89",
        seen.len()
    );
}
