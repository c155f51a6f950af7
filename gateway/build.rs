//! Builds the browser client (`web/`) and embeds it, so the gateway serves it at `/` and
//! reads no files at run time. Runs when `web/` changed:
//!
//! 1. `npm ci` from `web/package-lock.json`, only when the lockfile differs from the one
//!    last installed (the stamp `web/node_modules/.anoghost-lock`, shared with
//!    `scripts/install-deps.sh`);
//! 2. `vite build` into this build's `OUT_DIR`;
//! 3. `web_assets.rs` in `OUT_DIR`: every built file, `include_bytes!`'d, with its type.
//!
//! Without Node.js and npm the gateway still builds: it serves a page that says how to get
//! the client, and cargo prints a warning. `ANOGHOST_WEB_DIST=<dir>` embeds an already
//! built `dist/` instead; `ANOGHOST_SKIP_WEB_BUILD=1` embeds the placeholder.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const PLACEHOLDER: &str = "<!doctype html><meta charset=\"utf-8\"><title>AnoGhost</title>\
<h1>The web client was not built</h1><p>This gateway was built without Node.js and npm, so \
it has no browser client to serve. Install Node.js 20+ and npm, then rebuild the gateway \
(<code>cargo build -p anoghost-gateway</code>). The WebSocket endpoint <code>/v1/ws</code> \
works as usual.</p>";

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let web = manifest.join("..").join("web");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    for input in [
        "src",
        "index.html",
        "bench.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "tsconfig.json",
    ] {
        println!("cargo:rerun-if-changed={}", web.join(input).display());
    }
    println!("cargo:rerun-if-env-changed=ANOGHOST_WEB_DIST");
    println!("cargo:rerun-if-env-changed=ANOGHOST_SKIP_WEB_BUILD");

    let dist = if let Some(prebuilt) = std::env::var_os("ANOGHOST_WEB_DIST") {
        Some(PathBuf::from(prebuilt))
    } else if std::env::var_os("ANOGHOST_SKIP_WEB_BUILD").is_some() {
        None
    } else {
        match build_web(&web, &out.join("web-dist")) {
            Ok(dist) => Some(dist),
            Err(reason) => {
                println!(
                    "cargo:warning=the web client was not built ({reason}); the gateway \
                     serves a placeholder page at /. Install Node.js 20+ and npm and rebuild."
                );
                None
            }
        }
    };
    let assets = match dist {
        Some(dist) => embed(&dist),
        None => placeholder(&out),
    };
    std::fs::write(out.join("web_assets.rs"), assets).expect("OUT_DIR is writable");
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn build_web(web: &Path, dist: &Path) -> Result<PathBuf, String> {
    run(Command::new("npm").arg("--version"), "npm")?;
    let lock = web.join("package-lock.json");
    let stamp = web.join("node_modules").join(".anoghost-lock");
    let installed = std::fs::read(&stamp).ok();
    let wanted =
        std::fs::read(&lock).map_err(|e| format!("cannot read {}: {e}", lock.display()))?;
    if installed.as_deref() != Some(wanted.as_slice()) {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(web),
            "npm ci",
        )?;
        std::fs::write(&stamp, &wanted).map_err(|e| format!("cannot write the stamp: {e}"))?;
    }
    let vite = web
        .join("node_modules")
        .join("vite")
        .join("bin")
        .join("vite.js");
    run(
        Command::new("node")
            .arg(vite)
            .args(["build", "--emptyOutDir", "--logLevel", "warn", "--outDir"])
            .arg(dist)
            .current_dir(web),
        "vite build",
    )?;
    Ok(dist.to_path_buf())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn files(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, into);
        } else {
            into.push(path);
        }
    }
}

/// `pub static WEB_ASSETS: &[(path, content type, bytes)]` and `WEB_CLIENT_BUILT`.
fn embed(dist: &Path) -> String {
    let mut found = Vec::new();
    files(dist, &mut found);
    found.sort();
    let mut code = String::from("pub static WEB_ASSETS: &[(&str, &str, &[u8])] = &[\n");
    for path in &found {
        let relative = path.strip_prefix(dist).expect("found under dist");
        let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
        let _ = writeln!(
            code,
            "    ({url:?}, {:?}, include_bytes!({:?})),",
            content_type(path),
            path.display().to_string()
        );
    }
    code.push_str("];\npub const WEB_CLIENT_BUILT: bool = true;\n");
    code
}

fn placeholder(out: &Path) -> String {
    let page = out.join("placeholder.html");
    std::fs::write(&page, PLACEHOLDER).expect("OUT_DIR is writable");
    format!(
        "pub static WEB_ASSETS: &[(&str, &str, &[u8])] = &[\n    (\"/index.html\", \
         \"text/html; charset=utf-8\", include_bytes!({:?})),\n];\n\
         pub const WEB_CLIENT_BUILT: bool = false;\n",
        page.display().to_string()
    )
}
