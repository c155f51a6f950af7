//! `file-transfer`: the files scenario on its own (`anoghost-bench` runs it too): one file
//! through a gateway at its default message rate, and once more with the rate lifted to
//! see what the machine allows. Prints the Markdown section for `bench/RESULTS.md`.

use std::path::PathBuf;

use anoghost_bench::files;
use clap::Parser;

#[derive(Parser)]
#[command(about = "Measures one file transfer through the gateway and chat latency during it")]
struct Options {
    /// The gateway binary.
    #[arg(long)]
    gateway_bin: PathBuf,
    /// The file's size in MiB (the default room limit is 25).
    #[arg(long, default_value_t = 20)]
    file_mib: usize,
    /// The gateway's default message rate, per connection per second.
    #[arg(long, default_value_t = 50)]
    rate: u32,
    /// A rate high enough that the machine, not the limit, sets the speed.
    #[arg(long, default_value_t = 100_000)]
    lifted_rate: u32,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let options = Options::parse();
    let mut runs = Vec::new();
    let mut failed = false;
    for rate in [options.rate, options.lifted_rate] {
        eprintln!("file transfer: {} MiB at {rate} msg/s", options.file_mib);
        match files::run(&options.gateway_bin, rate, options.file_mib << 20).await {
            Ok(figures) => runs.push(figures),
            Err(error) => {
                eprintln!("file-transfer at {rate} msg/s: {error}");
                failed = true;
            }
        }
    }
    print!("{}", files::report(&runs));
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
