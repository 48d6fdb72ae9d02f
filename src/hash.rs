//! 64-bit FNV-1a: tiny, and unlike `std`'s `DefaultHasher` its output is
//! specified, so the hashes tieout writes (acknowledgement entries, SARIF
//! fingerprints) and the shards it cuts (`--shard K/N`) stay the same
//! across Rust releases and machines.

/// An FNV-1a hasher; [`Fnv1a::finish`] gives the hash of every byte written.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u8(b);
        }
    }

    pub fn write_u8(&mut self, b: u8) {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_vectors() {
        let mut h = Fnv1a::default();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(Fnv1a::default().finish(), 0xcbf2_9ce4_8422_2325);
    }
}
