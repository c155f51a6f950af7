//! Logging that cannot leak identifiers: the gateway's own events carry no wallet, ghostId,
//! room code, room reference, member number or IP address, and every library is capped at
//! `warn`, whatever level the operator asks for, so no dependency logs request details.

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs the stderr logger with the gateway's own events at `level`.
pub fn init(level: tracing::Level) {
    init_with_writer(level, std::io::stderr);
}

/// Installs the logger writing to `writer` (tests capture logs this way). Does nothing if a
/// logger is already installed.
pub fn init_with_writer<W>(level: tracing::Level, writer: W)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = Targets::new()
        .with_target("anoghost_gateway", level)
        .with_default(LevelFilter::WARN);
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(writer)
                .with_ansi(false),
        )
        .with(filter)
        .try_init();
}
