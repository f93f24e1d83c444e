//! One small, stable hash for the whole crate.
//!
//! Stability matters more than speed-at-all-costs here: the model's feature
//! buckets, the directory index and the corpus's held-out split are all keyed
//! by this hash, so it must give the same value on every platform and every
//! Rust version (std's `DefaultHasher` promises neither). FNV-1a is a few
//! instructions per byte and our keys are short words.

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Continue an FNV-1a hash over `bytes`.
// `always`: the release profile is built for size (opt-level "z"), which
// would otherwise keep these per-byte helpers out of line.
#[inline(always)]
pub fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Hash of a string from the standard offset.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    fnv(FNV_OFFSET, s.as_bytes())
}

/// Final avalanche so that low bits (used for bucket indices) depend on every
/// input byte (FNV's low bits are weak for short keys).
#[inline(always)]
pub fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A `Hasher` for maps whose keys are already good 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by our maps; fold anything else in.
        self.0 = fnv(self.0 ^ FNV_OFFSET, bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Build-hasher for `HashMap<u64, _, IdentityBuild>`.
pub type IdentityBuild = std::hash::BuildHasherDefault<IdentityHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_are_stable() {
        // FNV-1a test vectors: these must never change, or the committed
        // model and the held-out split silently change with them.
        assert_eq!(hash_str(""), 0xcbf29ce484222325);
        assert_eq!(hash_str("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv(fnv(FNV_OFFSET, b"fo"), b"o"), hash_str("foo"));
    }
}
