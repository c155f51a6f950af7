//! Running the web client's tests (`web/`, vitest) from Rust tests, so that
//! `cargo test --workspace` runs them too. Their packages come from `web/package-lock.json`
//! (`scripts/install-deps.sh` runs `npm ci --prefix web`).

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use tokio::process::Command;

/// The web client's directory, read at run time (a shared build cache would bake in
/// another clone's path).
pub fn web_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap())
        .join("..")
        .join("web")
}

/// Starts vitest on one test file of `web/` with `env`; the caller awaits it.
pub fn vitest(file: &str, env: &[(&str, String)]) -> Command {
    let dir = web_dir();
    let vitest = dir.join("node_modules/vitest/vitest.mjs");
    assert!(
        vitest.is_file(),
        "the web client's packages are missing: run `npm ci --prefix web` \
         (scripts/install-deps.sh does it)"
    );
    let mut command = Command::new("node");
    command
        .arg(vitest)
        .args(["run", file])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .kill_on_drop(true);
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

/// Waits (up to `limit`) for a vitest run; panics with its report unless it passed.
pub async fn passed(command: &mut Command, limit: Duration) -> String {
    let output: Output = tokio::time::timeout(limit, command.output())
        .await
        .expect("the web tests finish in time")
        .expect("node is installed");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "the web tests failed:\n{report}");
    assert!(
        !report.contains("skipped"),
        "no web test may be skipped:\n{report}"
    );
    report
}
