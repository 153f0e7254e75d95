//! The lab's addresses, drawn from the check's seed: a /24 network and, in it, the
//! last byte of the server's, the client host's and the intruder's address. Every
//! lab draws them anew for each seed, so an address written into a program or a
//! `mysqld.cnf` (the address some lab happened to use once) fails, as it would on
//! real hosts whose addresses the learner cannot know in advance. The three hosts
//! share one /24, so an account for the client's whole network lets the intruder in.

use std::net::Ipv4Addr;

/// Where the lab's hosts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabAddresses {
    /// The first three bytes of the lab's /24 network.
    pub subnet: [u8; 3],
    /// The last byte of the server's address.
    pub server: u8,
    /// The last byte of the client host's address.
    pub client: u8,
    /// The last byte of the intruder's address.
    pub intruder: u8,
}

impl LabAddresses {
    /// Draws a /24 network whose first byte is `first` (10 for private networks, 127
    /// for loopback addresses) and three hosts on it.
    pub fn draw(rng: &mut fastrand::Rng, first: u8) -> LabAddresses {
        LabAddresses {
            subnet: [first, rng.u8(16..=250), rng.u8(..)],
            server: rng.u8(2..=80),
            client: rng.u8(81..=160),
            intruder: rng.u8(161..=250),
        }
    }

    /// The address whose last byte is `last` on the lab's network.
    pub fn on_network(&self, last: u8) -> Ipv4Addr {
        let [a, b, c] = self.subnet;
        Ipv4Addr::new(a, b, c, last)
    }

    /// The server's address.
    pub fn server(&self) -> Ipv4Addr {
        self.on_network(self.server)
    }

    /// The client host's address.
    pub fn client(&self) -> Ipv4Addr {
        self.on_network(self.client)
    }

    /// The intruder's address.
    pub fn intruder(&self) -> Ipv4Addr {
        self.on_network(self.intruder)
    }

    /// The network in CIDR form, `10.61.7.0/24`.
    pub fn network(&self) -> String {
        format!("{}/24", self.on_network(0))
    }
}

/// Whether `subnet`'s /24 overlaps a route of this machine (from `/proc/net/route`),
/// where a network of Docker's own there would shadow a real one.
pub fn routed(subnet: [u8; 3]) -> bool {
    std::fs::read_to_string("/proc/net/route").is_ok_and(|table| routed_in(&table, subnet))
}

fn routed_in(table: &str, subnet: [u8; 3]) -> bool {
    let ours = u32::from(Ipv4Addr::new(subnet[0], subnet[1], subnet[2], 0));
    routes(table).any(|(destination, mask)| {
        // Two networks overlap when each one's address, under the wider mask, is the other's.
        let wider = mask & 0xffff_ff00;
        mask != 0 && (ours & wider) == (destination & wider)
    })
}

/// The (destination, mask) pairs of a `/proc/net/route` table, as addresses' numbers.
fn routes(table: &str) -> impl Iterator<Item = (u32, u32)> + '_ {
    table.lines().skip(1).filter_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // The kernel prints each address's bytes, in network order, as a native number.
        let address = |field: &str| {
            u32::from_str_radix(field, 16).ok().map(|n| u32::from_be_bytes(n.to_ne_bytes()))
        };
        Some((address(fields.get(1)?)?, address(fields.get(7)?)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_draws_the_same_hosts_on_one_network() {
        let draw = |seed| LabAddresses::draw(&mut fastrand::Rng::with_seed(seed), 10);
        assert_eq!(draw(17), draw(17));
        let lab = draw(17);
        assert_eq!(lab.server().octets()[..3], lab.client().octets()[..3]);
        assert_eq!(lab.intruder().octets()[..3], lab.client().octets()[..3]);
        let distinct = [lab.server, lab.client, lab.intruder];
        assert!(distinct[0] < distinct[1] && distinct[1] < distinct[2], "{distinct:?}");
        let networks: std::collections::BTreeSet<_> =
            (0..20).map(|seed| draw(seed).subnet).collect();
        assert!(networks.len() >= 19, "{networks:?}");
        assert!(lab.network().ends_with(".0/24"));
    }

    #[test]
    fn routes_are_read_from_the_kernels_table() {
        // 172.17.0.0/16 on docker0 and 192.0.2.0/24 on eth0, as /proc/net/route shows them.
        let table =
            "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n\
                     eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n\
                     docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n\
                     eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        let found: Vec<(Ipv4Addr, Ipv4Addr)> =
            routes(table).map(|(d, m)| (Ipv4Addr::from(d), Ipv4Addr::from(m))).collect();
        assert_eq!(
            found,
            [
                (Ipv4Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED),
                (Ipv4Addr::new(172, 17, 0, 0), Ipv4Addr::new(255, 255, 0, 0)),
                (Ipv4Addr::new(192, 0, 2, 0), Ipv4Addr::new(255, 255, 255, 0)),
            ]
        );
        assert!(routed_in(table, [172, 17, 9]) && routed_in(table, [192, 0, 2]));
        assert!(!routed_in(table, [10, 17, 9]) && !routed_in(table, [172, 18, 0]));
    }
}
