//! The address guard: keeps a feed from steering polywire at internal
//! services (SSRF).
//!
//! Two doors are watched. IP-literal hosts (`http://10.0.0.1/`) are checked
//! before every request and redirect hop by [`check_url`]; DNS names are
//! checked after resolution by [`GuardedResolver`], which reqwest calls when
//! it opens a connection, so a public name that resolves to a private address
//! is refused too. If any address of a name is forbidden the whole name is
//! refused: a mixed answer is how DNS-rebinding tricks look.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// A host refused because it is, or resolves to, a non-public address.
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{host}` is or resolves to the non-public address {addr}")]
pub struct BlockedAddress {
    /// Host name or literal as written in the URL.
    pub host: String,
    /// The offending address.
    pub addr: IpAddr,
}

/// A host name that does not resolve (unknown name, no DNS server).
#[derive(Debug, thiserror::Error)]
#[error("cannot resolve `{host}`: {source}")]
pub struct DnsFailure {
    /// Host name as written in the URL.
    pub host: String,
    /// The resolver's error.
    #[source]
    pub source: std::io::Error,
}

/// Decides which addresses may be fetched. [`is_public`] in production;
/// tests substitute a rule that also trusts their own loopback server.
pub type AddressRule = fn(IpAddr) -> bool;

/// Refuses a URL whose host is an IP literal the rule rejects. Names pass
/// here and are checked by [`GuardedResolver`] once resolved.
pub fn check_url(url: &url::Url, rule: AddressRule) -> Result<(), BlockedAddress> {
    let addr = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    match rule(addr) {
        true => Ok(()),
        false => Err(BlockedAddress {
            host: url.host_str().unwrap_or_default().to_string(),
            addr,
        }),
    }
}

/// True when `addr` is an ordinary globally routable unicast address.
pub fn is_public(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

/// IPv4 ranges that must never be fetched (RFC 6890 special-purpose
/// registry, minus the few that are globally reachable).
const BLOCKED_V4: &[(Ipv4Addr, u8)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8),       // "this network", unspecified
    (Ipv4Addr::new(10, 0, 0, 0), 8),      // RFC 1918
    (Ipv4Addr::new(100, 64, 0, 0), 10),   // CGNAT shared space
    (Ipv4Addr::new(127, 0, 0, 0), 8),     // loopback
    (Ipv4Addr::new(169, 254, 0, 0), 16),  // link-local (cloud metadata)
    (Ipv4Addr::new(172, 16, 0, 0), 12),   // RFC 1918
    (Ipv4Addr::new(192, 0, 0, 0), 24),    // IETF protocol assignments
    (Ipv4Addr::new(192, 0, 2, 0), 24),    // TEST-NET-1 documentation
    (Ipv4Addr::new(192, 88, 99, 0), 24),  // deprecated 6to4 relay anycast
    (Ipv4Addr::new(192, 168, 0, 0), 16),  // RFC 1918
    (Ipv4Addr::new(198, 18, 0, 0), 15),   // benchmarking
    (Ipv4Addr::new(198, 51, 100, 0), 24), // TEST-NET-2 documentation
    (Ipv4Addr::new(203, 0, 113, 0), 24),  // TEST-NET-3 documentation
    (Ipv4Addr::new(224, 0, 0, 0), 4),     // multicast
    (Ipv4Addr::new(240, 0, 0, 0), 4),     // reserved, includes broadcast
];

fn is_public_v4(addr: Ipv4Addr) -> bool {
    let bits = u32::from(addr);
    !BLOCKED_V4.iter().any(|&(net, len)| {
        let mask = u32::MAX << (32 - u32::from(len));
        bits & mask == u32::from(net) & mask
    })
}

fn is_public_v6(addr: Ipv6Addr) -> bool {
    let seg = addr.segments();
    // Forms that carry an IPv4 address are judged by that address:
    // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated),
    // 64:ff9b::a.b.c.d (NAT64) and 2002:aabb:ccdd:: (6to4).
    if let Some(v4) = addr.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    if seg[..6] == [0; 6] {
        // :: and ::1 land here too and are refused as 0.0.0.0 / 0.0.0.1.
        return is_public_v4(embedded_v4(seg[6], seg[7]));
    }
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded_v4(seg[6], seg[7]));
    }
    if seg[0] == 0x2002 {
        return is_public_v4(embedded_v4(seg[1], seg[2]));
    }
    let blocked = (seg[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (seg[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (seg[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
        || (seg[0] & 0xff00) == 0xff00 // multicast ff00::/8
        || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation 2001:db8::/32
        || (seg[0] == 0x2001 && seg[1] < 0x0200) // IETF assignments incl. Teredo 2001::/23
        || seg[..4] == [0x0100, 0, 0, 0]; // discard-only 100::/64
    !blocked
}

fn embedded_v4(high: u16, low: u16) -> Ipv4Addr {
    Ipv4Addr::from((u32::from(high) << 16) | u32::from(low))
}

/// A DNS resolver that refuses names resolving to addresses the rule
/// rejects. Installed only on the client used when private addresses are
/// not allowed.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    /// Which addresses may be fetched.
    pub rule: AddressRule,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let rule = self.rule;
        Box::pin(async move {
            // Port 0: reqwest puts the URL's port on the addresses itself.
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|source| DnsFailure {
                    host: host.clone(),
                    source,
                })?
                .collect();
            if let Some(bad) = addrs.iter().find(|a| !rule(a.ip())) {
                tracing::warn!(host, addr = %bad.ip(), "refusing a name that resolves to a non-public address");
                return Err(Box::new(BlockedAddress {
                    host,
                    addr: bad.ip(),
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        is_public(s.parse().unwrap())
    }

    #[test]
    fn private_and_special_addresses_are_refused() {
        for addr in [
            "127.0.0.1",
            "10.1.2.3",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.251",
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.9",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::10.0.0.1",
            "2002:c0a8:0101::1",
        ] {
            assert!(!public(addr), "{addr} should be refused");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for addr in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(public(addr), "{addr} should pass");
        }
    }

    #[test]
    fn ip_literal_urls_are_checked() {
        let bad = url::Url::parse("http://[::ffff:7f00:1]:8080/feed").unwrap();
        assert!(check_url(&bad, is_public).is_err());
        let bad = url::Url::parse("http://2130706433/").unwrap(); // 127.0.0.1 as a number
        assert!(check_url(&bad, is_public).is_err());
        let name = url::Url::parse("https://news.example.com/").unwrap();
        assert!(check_url(&name, is_public).is_ok());
    }
}
