//! Every fuzz target over its committed corpus, then over mutations of it, on stable in the
//! normal test suite: a change that makes a decoder panic, loop or break an invariant on an
//! input the campaigns found fails the build here, without nightly or cargo-fuzz.
//!
//! This is not coverage-guided fuzzing (that is `scripts/fuzz.sh`): the corpus carries the
//! coverage the campaigns reached (every input in it took a path no other did), and the
//! mutations, seeded and bounded in count and time, look a step around each one.
//!
//! `FUZZ_REPLAY_SECONDS` (default 3) bounds each target's mutation phase; the corpus replay
//! itself always runs whole.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Mutated inputs per target, at most.
const MUTATIONS: usize = 5_000;
/// libFuzzer's default `-max_len` for a corpus of small inputs.
const MAX_LEN: usize = 4096;

use anoghost_fuzz::targets::Target;

/// One input a target panicked on.
struct Failure {
    origin: String,
    message: String,
    input: Vec<u8>,
}

/// Failures recorded per target before it stops looking for more.
const MAX_FAILURES: usize = 20;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("corpus entry").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(&path).expect("corpus file");
            (name, bytes)
        })
        .collect()
}

/// One libFuzzer-style mutation of `input`, sometimes spliced with `other`.
fn mutate(rng: &mut StdRng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..rng.gen_range(1..=4) {
        let len = bytes.len();
        match rng.gen_range(0..6) {
            0 if len > 0 => {
                let at = rng.gen_range(0..len);
                bytes[at] ^= 1 << rng.gen_range(0..8);
            }
            1 if len > 0 => {
                let at = rng.gen_range(0..len);
                bytes[at] = rng.gen();
            }
            2 => {
                let at = rng.gen_range(0..=len);
                bytes.insert(at, rng.gen());
            }
            3 if len > 0 => {
                let from = rng.gen_range(0..len);
                let to = rng.gen_range(from..=len.min(from + 16));
                bytes.drain(from..to);
            }
            4 if !other.is_empty() => {
                let cut = rng.gen_range(0..=len);
                let from = rng.gen_range(0..other.len());
                bytes.truncate(cut);
                bytes.extend_from_slice(&other[from..]);
            }
            _ => {
                // An interesting integer where libFuzzer would put one: 0, -1, the edges.
                if len >= 4 {
                    let at = rng.gen_range(0..=len - 4);
                    let value: u32 =
                        [0, u32::MAX, 0x7fff_ffff, 0x8000_0000, 255, 256][rng.gen_range(0..6)];
                    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
                }
            }
        }
    }
    bytes.truncate(MAX_LEN);
    bytes
}

fn run_one(target: Target, origin: String, input: Vec<u8>, failures: &mut Vec<Failure>) -> bool {
    match catch_unwind(AssertUnwindSafe(|| target(&input))) {
        Ok(accepted) => accepted,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(Failure {
                origin,
                message,
                input,
            });
            true
        }
    }
}

fn replay(name: &str, target: Target) {
    let seconds = std::env::var("FUZZ_REPLAY_SECONDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(3);
    let inputs = corpus(name);
    assert!(
        !inputs.is_empty(),
        "fuzz/corpus/{name} is empty: run scripts/fuzz.sh {name}"
    );
    let mut failures = Vec::new();
    let started = Instant::now();
    let mut accepted = 0;
    for (file, bytes) in &inputs {
        if run_one(target, file.clone(), bytes.clone(), &mut failures) {
            accepted += 1;
        }
    }
    let replayed = started.elapsed();

    // Seeded by the target's name: the same mutations every run, so a failure reproduces.
    let seed = name
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let mut rng = StdRng::seed_from_u64(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut mutated = 0;
    while mutated < MUTATIONS && Instant::now() < deadline && failures.len() < MAX_FAILURES {
        let (file, bytes) = &inputs[rng.gen_range(0..inputs.len())];
        let other = &inputs[rng.gen_range(0..inputs.len())].1;
        let input = mutate(&mut rng, bytes, other);
        run_one(
            target,
            format!("mutation {mutated} of {file}"),
            input,
            &mut failures,
        );
        mutated += 1;
    }
    println!(
        "{name}: {} corpus inputs ({accepted} make an input) in {:.2?}, then {mutated} mutations",
        inputs.len(),
        replayed
    );
    if !failures.is_empty() {
        let listed: Vec<String> = failures
            .iter()
            .take(5)
            .map(|f| {
                format!(
                    "  {} ({}): base64 {}",
                    f.origin,
                    f.message,
                    BASE64.encode(&f.input)
                )
            })
            .collect();
        panic!(
            "{name} panicked on {} input(s); save one (base64 -d) and run \
             `scripts/fuzz.sh --reproduce {name} FILE` for the whole story:\n{}",
            failures.len(),
            listed.join("\n")
        );
    }
}

macro_rules! targets {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                replay(stringify!($name), anoghost_fuzz::targets::$name::fuzz);
            }
        )*

        #[test]
        fn every_target_is_replayed_here() {
            let here = [$(stringify!($name)),*];
            for (name, _) in anoghost_fuzz::targets::ALL {
                assert!(here.contains(&name), "{name} has no replay test");
            }
        }
    };
}

targets!(
    control_message,
    frame_codec,
    ghost_id_open,
    invite_parse,
    key_mint,
    localnet_rpc,
    mls_header,
    mls_ingest,
    seal_open,
    sign_in,
    siws_text,
    solana_pay_request,
    token_account,
);
