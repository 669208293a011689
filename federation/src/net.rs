//! Which network addresses Revier may talk to. Production refuses every non-global address
//! (loopback, private, link-local, CGNAT, documentation, multicast, IPv4-mapped/6to4/NAT64
//! forms of those, local-use NAT64, Teredo, site-local). The documented test mode additionally allows loopback, never other
//! private ranges.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Where outbound requests may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkPolicy {
    /// https only, default ports only, global addresses only.
    Public,
    /// Test mode: additionally plain http, explicit ports and loopback addresses.
    AllowLoopback,
}

impl NetworkPolicy {
    /// Whether an address may be connected to under this policy.
    pub fn allows_ip(self, ip: IpAddr) -> bool {
        if is_global(ip) {
            return true;
        }
        self == NetworkPolicy::AllowLoopback && ip.is_loopback()
    }

    /// Whether plain http and explicit ports are accepted.
    pub fn allows_http(self) -> bool {
        self == NetworkPolicy::AllowLoopback
    }
}

/// True for addresses that are routable on the public internet.
pub fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_global_v4(v4),
        IpAddr::V6(v6) => is_global_v6(v6),
    }
}

fn is_global_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_unspecified()
        || o[0] == 0
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        // 100.64.0.0/10 carrier-grade NAT
        || (o[0] == 100 && (o[1] & 0xc0) == 64)
        // 192.0.0.0/24 IETF protocol assignments
        || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        // 198.18.0.0/15 benchmarking
        || (o[0] == 198 && (o[1] & 0xfe) == 18)
        // 240.0.0.0/4 reserved
        || o[0] >= 240)
}

fn is_global_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_global_v4(v4);
    }
    // 2002::/16 6to4 carries an IPv4 address in bits 16..48
    if s[0] == 0x2002 {
        let v4 = Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8);
        return is_global_v4(v4);
    }
    // 64:ff9b::/96 NAT64 carries an IPv4 address in the last 32 bits
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
        return is_global_v4(v4);
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // fc00::/7 unique local
        || (s[0] & 0xfe00) == 0xfc00
        // fe80::/10 link local
        || (s[0] & 0xffc0) == 0xfe80
        // 2001:db8::/32 documentation
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        // 64:ff9b:1::/48 local-use NAT64 (RFC 8215): translates to networks we cannot see
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)
        // 2001::/32 Teredo: tunnels to an IPv4 host hidden in the address
        || (s[0] == 0x2001 && s[1] == 0)
        // fec0::/10 site local (deprecated, still routed inside some networks)
        || (s[0] & 0xffc0) == 0xfec0
        // 100::/64 discard
        || (s[0] == 0x100 && s[1..4] == [0, 0, 0])
        // ::/96 IPv4-compatible (deprecated)
        || (s[0..6] == [0, 0, 0, 0, 0, 0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn private_and_special_addresses_are_not_global() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2002:7f00:1::",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_global(ip(a)), "{a} must not count as global");
        }
    }

    #[test]
    fn nat64_local_use_teredo_and_site_local_are_refused() {
        for a in [
            "64:ff9b:1::1",
            "64:ff9b:1:ffff::a00:1",
            "64:ff9b:1::808:808",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:0:ffff:ffff::1",
            "fec0::1",
            "fed0::1",
            "feff:ffff::1",
        ] {
            assert!(!is_global(ip(a)), "{a} must not count as global");
            assert!(!NetworkPolicy::AllowLoopback.allows_ip(ip(a)), "{a}");
        }
        // The neighbours of those ranges stay reachable.
        for a in [
            "64:ff9b::808:808",
            "2001:4860:4860::8888",
            "2a00:1450:4001::1",
        ] {
            assert!(is_global(ip(a)), "{a} must count as global");
        }
    }

    #[test]
    fn public_addresses_are_global() {
        for a in [
            "1.1.1.1",
            "93.184.216.34",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_global(ip(a)), "{a} must count as global");
        }
    }

    #[test]
    fn test_mode_allows_loopback_but_not_private() {
        let p = NetworkPolicy::AllowLoopback;
        assert!(p.allows_ip(ip("127.0.0.1")));
        assert!(p.allows_ip(ip("::1")));
        assert!(!p.allows_ip(ip("10.0.0.1")));
        assert!(!p.allows_ip(ip("192.168.0.10")));
        assert!(!NetworkPolicy::Public.allows_ip(ip("127.0.0.1")));
    }
}
