//! The web client in real Chromium (Debian's, driven by playwright-core) against a real
//! gateway that serves it, and beside the Rust CLI: issue 18's free-room scenarios
//! (`web/test/browser/rooms.test.ts`) and wallet sign-in through wallet-standard with a test
//! wallet holding a real keypair (`wallet.test.ts`). Chromium comes from
//! `scripts/install-deps.sh`; a missing one fails this test rather than skipping it.

mod support;

use std::time::Duration;

use anoghost_gateway::http::web::web_client_built;
use support::gateway::spawn_gateway;
use support::web::{passed, vitest};

const CLI: &str = env!("CARGO_BIN_EXE_anoghost");

#[actix_web::test]
async fn free_rooms_and_wallet_sign_in_work_in_chromium_and_leave_nothing_behind() {
    assert!(
        web_client_built(),
        "the gateway embeds the placeholder page: build.rs could not build web/ (is npm installed?)"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).is_file(),
        "no Chromium at {chromium}: run scripts/install-deps.sh (apt install chromium)"
    );
    let (gateway, _url) = spawn_gateway();
    let env = [
        ("ANOGHOST_GATEWAY_HTTP", format!("http://{}", gateway.addr)),
        ("ANOGHOST_CLI", CLI.to_owned()),
        ("CHROMIUM", chromium),
    ];
    let mut command = vitest("test/browser", &env);
    let report = passed(&mut command, Duration::from_secs(600)).await;
    assert!(report.contains("8 passed"), "{report}");
    // The measurements the README reports.
    for line in report.lines().filter(|l| l.contains("MEASURE ")) {
        println!("{}", line.trim());
    }
}
