//! Deterministic pseudo-randomness for sparkle positions and twinkles.
//!
//! A stateless hash of (seed, time slot, LED) rather than a stepped generator: a frame then
//! depends only on its time, not on how many frames were drawn before it, so a device that
//! drops frames and a test that samples a few show the same thing.

/// Mixes three words into one well-spread word.
pub(crate) fn hash(seed: u32, slot: u32, index: u32) -> u32 {
    let mut x =
        seed ^ slot.wrapping_mul(0x9E37_79B9) ^ index.wrapping_mul(0x85EB_CA6B).rotate_left(13);
    // The "lowbias32" finaliser (Chris Wellons' hash prospector): every input bit affects
    // every output bit, which a plain xorshift of nearby slot numbers would not give.
    x ^= x.wrapping_shr(16);
    x = x.wrapping_mul(0x7FEB_352D);
    x ^= x.wrapping_shr(15);
    x = x.wrapping_mul(0x846C_A68B);
    x ^= x.wrapping_shr(16);
    x
}

/// `hash(..)` reduced to `0..n`; `None` when `n` is 0 (an empty strip).
pub(crate) fn pick(seed: u32, slot: u32, index: u32, n: u32) -> Option<u32> {
    hash(seed, slot, index).checked_rem(n)
}
