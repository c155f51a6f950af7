//! Which client a request comes from, for per-address limits.
//!
//! Behind a TLS-terminating proxy every connection's TCP peer is the proxy. `Forwarded`
//! (RFC 7239, its `for=` parameters) or, failing that, `X-Forwarded-For` names the client,
//! but any client can write those headers, so they are read only when the TCP peer is one of
//! the operator's `--trusted-proxy` addresses. The client is then the right-most address in
//! the chain that is not itself a trusted proxy: everything left of it was written by
//! someone the gateway does not trust.
//!
//! IPv6 clients are counted by their /64: one subscriber usually holds a whole /64 and can
//! use any address in it.

use std::net::{IpAddr, Ipv6Addr};

/// What per-address limits count by: an IPv4 address, or the /64 prefix of an IPv6 one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    /// The key of `ip`: IPv4 (and IPv4-mapped IPv6) as is, other IPv6 cut to its /64.
    pub fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => Self(ip),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self(IpAddr::V4(v4)),
                None => {
                    let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                    Self(IpAddr::V6(Ipv6Addr::from(prefix)))
                }
            },
        }
    }
}

/// The client address of a request whose TCP peer is `peer`, given its `Forwarded` and
/// `X-Forwarded-For` header values (every line, in order) and the trusted proxies.
pub fn client_ip<'a>(
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'a str>,
    x_forwarded_for: impl Iterator<Item = &'a str>,
    trusted: &[IpAddr],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.contains(ip);
    if !is_trusted(&peer) {
        return peer;
    }
    let mut chain: Vec<Option<IpAddr>> = forwarded.flat_map(forwarded_for).collect();
    if chain.is_empty() {
        chain = x_forwarded_for
            .flat_map(|line| line.split(','))
            .map(|entry| parse_address(entry.trim()))
            .collect();
    }
    for entry in chain.iter().rev() {
        match entry {
            Some(ip) if is_trusted(ip) => continue,
            Some(ip) => return *ip,
            // "unknown", an obfuscated name or garbage, written by a trusted proxy: count the
            // request against the proxy rather than guess.
            None => return peer,
        }
    }
    // Every hop was a trusted proxy: the left-most is as close to the client as it gets.
    chain.first().copied().flatten().unwrap_or(peer)
}

/// The `for=` values of one `Forwarded` header line, in order.
fn forwarded_for(line: &str) -> Vec<Option<IpAddr>> {
    line.split(',')
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_address(value.trim().trim_matches('"')))
            })
        })
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]` or
/// `[2001:db8::1]:4711` (or a bare IPv6 address in `X-Forwarded-For`).
fn parse_address(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = text.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    const PROXY: &str = "10.0.0.1";

    fn resolve(peer: &str, forwarded: &[&str], xff: &[&str]) -> IpAddr {
        client_ip(
            ip(peer),
            forwarded.iter().copied(),
            xff.iter().copied(),
            &[ip(PROXY), ip("10.0.0.2")],
        )
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        assert_eq!(
            resolve("203.0.113.9", &["for=198.51.100.1"], &["198.51.100.2"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        // The client forged a first hop; the proxies appended the real one.
        assert_eq!(
            resolve(PROXY, &[], &["6.6.6.6, 198.51.100.7, 10.0.0.2"]),
            ip("198.51.100.7")
        );
        assert_eq!(
            resolve(
                PROXY,
                &[
                    "for=6.6.6.6",
                    r#"for="[2001:db8::7]:4711";proto=https, for=10.0.0.2"#
                ],
                &["1.1.1.1"]
            ),
            ip("2001:db8::7"),
            "Forwarded wins over X-Forwarded-For, across header lines"
        );
        assert_eq!(
            resolve(PROXY, &["for=192.0.2.60:8080"], &[]),
            ip("192.0.2.60")
        );
    }

    #[test]
    fn missing_unknown_or_all_trusted_chains_fall_back_safely() {
        assert_eq!(resolve(PROXY, &[], &[]), ip(PROXY));
        assert_eq!(resolve(PROXY, &["for=unknown"], &[]), ip(PROXY));
        assert_eq!(resolve(PROXY, &[], &["10.0.0.2"]), ip("10.0.0.2"));
    }

    #[test]
    fn ipv6_keys_are_slash_64_prefixes_and_mapped_ipv4_is_ipv4() {
        assert_eq!(
            ClientKey::of(ip("2001:db8:1:2:3:4:5:6")),
            ClientKey::of(ip("2001:db8:1:2::"))
        );
        assert_ne!(
            ClientKey::of(ip("2001:db8:1:2::")),
            ClientKey::of(ip("2001:db8:1:3::"))
        );
        assert_eq!(
            ClientKey::of(ip("::ffff:192.0.2.1")),
            ClientKey::of(ip("192.0.2.1"))
        );
    }
}
