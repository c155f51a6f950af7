//! Cluster mode on this box: three gateway processes and one `nats-server`, every room of
//! the fan-out spread over the three (member `i` of a room on gateway `i mod 3`), so most
//! deliveries cross NATS. It shows the cluster's costs (CPU per delivery, cross-gateway
//! latency, memory per connection) next to one gateway's in the same run; it cannot show
//! the cluster's capacity, since all four processes share the same two cores.

use std::time::{Duration, Instant};

use anoghost_bench::fanout::{self, FanoutConfig};
use anoghost_bench::servers::{self, ClusterSecret, Nats, Server};
use anoghost_bench::{client::Target, idle};

use crate::relays::{fanout_config, print_step, RATES};
use crate::Options;

/// Gateways in the measured cluster.
pub const GATEWAYS: usize = 3;

/// What was measured of the cluster over the runs.
#[derive(Default)]
pub struct ClusterFigures {
    /// Maximum sustained deliveries per second, one per run.
    pub max_delivered: Vec<f64>,
    /// CPU per delivery (every gateway and NATS together) at the maximum, µs.
    pub cpu_us_at_max: Vec<f64>,
    /// The same at half the maximum, µs.
    pub cpu_us_at_half: Vec<f64>,
    /// NATS's own share of `cpu_us_at_half`, µs per delivery.
    pub nats_us_at_half: Vec<f64>,
    /// Latency at half the maximum of deliveries within one gateway, ms.
    pub same_p50_ms: Vec<f64>,
    /// See `same_p50_ms`.
    pub same_p99_ms: Vec<f64>,
    /// Latency at half the maximum of deliveries from another gateway, through NATS, ms.
    pub cross_p50_ms: Vec<f64>,
    /// See `cross_p50_ms`.
    pub cross_p99_ms: Vec<f64>,
    /// Idle memory per connection of one gateway in cluster mode, KiB.
    pub idle_kib: Vec<f64>,
    /// Anything worth saying beside the figures.
    pub notes: Vec<String>,
}

/// A running cluster: NATS and its gateways, stopped when dropped.
struct Cluster {
    nats: Nats,
    gateways: Vec<Server>,
    _secret: ClusterSecret,
}

impl Cluster {
    async fn start(options: &Options, count: usize) -> std::io::Result<Self> {
        let nats = servers::nats(&options.nats_bin).await?;
        let secret = ClusterSecret::new()?;
        let mut gateways = Vec::with_capacity(count);
        for _ in 0..count {
            gateways.push(servers::cluster_gateway(&options.gateway_bin, &nats, &secret).await?);
        }
        let cluster = Self {
            nats,
            gateways,
            _secret: secret,
        };
        cluster.wait_for_peers().await?;
        Ok(cluster)
    }

    fn targets(&self) -> Vec<Target> {
        self.gateways.iter().map(|g| g.target.clone()).collect()
    }

    /// Every process that works for a delivery: the gateways and NATS.
    fn pids(&self) -> Vec<u32> {
        let mut pids: Vec<u32> = self.gateways.iter().map(Server::pid).collect();
        pids.push(self.nats.pid());
        pids
    }

    /// Waits until every gateway has heard every other's heartbeat (`/v1/health`), so the
    /// first rooms are not created while the gateways still think they are alone.
    async fn wait_for_peers(&self) -> std::io::Result<()> {
        let expected = self.gateways.len() as u64 - 1;
        let deadline = Instant::now() + Duration::from_secs(20);
        for gateway in &self.gateways {
            let url = format!("http://{}/v1/health", gateway.target.addr);
            loop {
                let peers = match reqwest::get(&url).await {
                    Ok(response) => response
                        .json::<serde_json::Value>()
                        .await
                        .ok()
                        .and_then(|health| health["cluster"]["peers"].as_u64()),
                    Err(_) => None,
                };
                if peers == Some(expected) {
                    break;
                }
                if Instant::now() > deadline {
                    return Err(std::io::Error::other(
                        "the cluster's gateways did not find each other within 20 s",
                    ));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Ok(())
    }
}

fn cluster_config(options: &Options, cluster: &Cluster) -> FanoutConfig {
    FanoutConfig {
        relay_pids: cluster.pids(),
        ..fanout_config(options.quick, 0)
    }
}

/// Finds the cluster's maximum sustained rate, then measures it at half of that on a
/// fresh cluster: same-gateway and cross-gateway latency, CPU per delivery.
pub async fn measure_fanout(
    options: &Options,
    figures: &mut ClusterFigures,
) -> std::io::Result<()> {
    let rates = if options.quick {
        crate::relays::QUICK_RATES
    } else {
        RATES
    };
    let cluster = Cluster::start(options, GATEWAYS).await?;
    let base = cluster_config(options, &cluster);
    let (best, _) = fanout::search(&cluster.targets(), &base, rates, print_step).await?;
    drop(cluster);
    let Some(best) = best else {
        figures
            .notes
            .push("cluster: not even the lowest rate was sustained".into());
        return Ok(());
    };
    figures.max_delivered.push(best.delivered_per_sec);
    figures.cpu_us_at_max.extend(best.cpu_us_per_delivery());

    let cluster = Cluster::start(options, GATEWAYS).await?;
    let half = FanoutConfig {
        sends_per_sec: best.sends_per_sec / 2.0,
        ..cluster_config(options, &cluster)
    };
    let at_half = fanout::run(&cluster.targets(), &half, 0).await?;
    eprint!("    at 50%: ");
    print_step(&at_half);
    let ms = |us: u64| us as f64 / 1000.0;
    if let Some((p50, p99)) = at_half.same_relay_us {
        figures.same_p50_ms.push(ms(p50));
        figures.same_p99_ms.push(ms(p99));
    }
    if let Some((p50, p99)) = at_half.cross_relay_us {
        figures.cross_p50_ms.push(ms(p50));
        figures.cross_p99_ms.push(ms(p99));
    }
    figures.cpu_us_at_half.extend(at_half.cpu_us_per_delivery());
    // NATS is the last process of `Cluster::pids`.
    if let Some(nats) = at_half.cpu_secs_by_process.last() {
        figures
            .nats_us_at_half
            .push(nats * 1e6 / at_half.received.max(1) as f64);
    }
    Ok(())
}

/// Idle memory per connection of one gateway in cluster mode (connected to NATS, its rooms
/// ordered by itself).
pub async fn measure_idle(options: &Options, figures: &mut ClusterFigures) -> std::io::Result<()> {
    let cluster = Cluster::start(options, 1).await?;
    let gateway = &cluster.gateways[0];
    let result = idle::run(&gateway.target, gateway.pid(), options.idle_connections, 10).await;
    if let Some(reason) = &result.stopped_by {
        figures.notes.push(format!(
            "cluster: idle run stopped at {} connections: {reason}",
            result.opened
        ));
    }
    eprintln!(
        "    {} idle connections in cluster mode: {:.2} KiB each",
        result.opened,
        result.kib_per_connection()
    );
    figures.idle_kib.push(result.kib_per_connection());
    Ok(())
}

/// The report's cluster section.
pub fn report(out: &mut String, measured: &crate::Measured) {
    use std::fmt::Write as _;

    use crate::relays::Relay;
    use crate::report::{median, show};

    let figures = &measured.cluster;
    let one = &measured.relays[Relay::Gateway.index()];
    let _ = writeln!(
        out,
        "## 6. Cluster mode: {GATEWAYS} gateways and one nats-server on this box\n"
    );
    let _ = writeln!(
        out,
        "The fan-out of §1 (100 rooms × 10 members, 1 KiB frames), with member `i` of every room connected to gateway `i mod {GATEWAYS}`: of the nine deliveries of each frame, six reach a member on another gateway than the sender's and three a member on the sender's own. Gateway 0 orders every room (its first member created it there): a frame sent on gateway 1 or 2 goes to gateway 0 through NATS, and every gateway delivers the numbered event gateway 0 publishes, so only frames sent on gateway 0 to members on gateway 0 never touch NATS. All four processes share the same two cores as the load generator, so the cluster's maximum here is what it costs, not what it can carry: on separate machines each gateway would have these cores to itself. CPU per delivery sums the three gateways and NATS.\n"
    );
    let _ = writeln!(
        out,
        "| setup | max sustained delivered msg/s | CPU µs/delivery at max | CPU µs/delivery at 50% |"
    );
    let _ = writeln!(out, "|---|---|---|---|");
    let _ = writeln!(
        out,
        "| 1 gateway (§1) | {} | {} | {} |",
        show(&one.max_delivered, 0),
        show(&one.cpu_us_at_max, 2),
        show(&one.cpu_us_at_half, 2)
    );
    let _ = writeln!(
        out,
        "| {GATEWAYS} gateways + NATS | {} | {} | {} |\n",
        show(&figures.max_delivered, 0),
        show(&figures.cpu_us_at_max, 2),
        show(&figures.cpu_us_at_half, 2)
    );
    let _ = writeln!(
        out,
        "Of the cluster's CPU per delivery at 50%, nats-server's own share: {} µs.\n",
        show(&figures.nats_us_at_half, 2)
    );
    if let Some((cluster, single)) =
        median(&figures.cpu_us_at_half).zip(median(&one.cpu_us_at_half))
    {
        let _ = writeln!(
            out,
            "A delivery in the cluster costs {:.2} × one gateway's CPU at half load.\n",
            cluster / single
        );
    }
    let _ = writeln!(
        out,
        "Latency at half the cluster's maximum (send to receive, ms):\n"
    );
    let _ = writeln!(out, "| delivery | p50 | p99 |");
    let _ = writeln!(out, "|---|---|---|");
    let _ = writeln!(
        out,
        "| same gateway | {} | {} |",
        show(&figures.same_p50_ms, 2),
        show(&figures.same_p99_ms, 2)
    );
    let _ = writeln!(
        out,
        "| across gateways (through NATS) | {} | {} |",
        show(&figures.cross_p50_ms, 2),
        show(&figures.cross_p99_ms, 2)
    );
    let _ = writeln!(
        out,
        "| one gateway alone, at its own 50% (§1) | {} | {} |\n",
        show(&one.p50_ms, 2),
        show(&one.p99_ms, 2)
    );
    let _ = writeln!(
        out,
        "Idle memory per connection of a gateway in cluster mode (connected to NATS; the same measurement as §2): {} KiB, against {} KiB alone.\n",
        show(&figures.idle_kib, 2),
        show(&one.idle_kib, 2)
    );
}
