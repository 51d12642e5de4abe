//! Hash slots exactly as Redis Cluster computes them: CRC16-XMODEM of the key
//! (or of the first non-empty `{hash tag}`) modulo 16384.

/// Number of hash slots.
pub const SLOTS: usize = 16384;

const fn crc16_table() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u16) << 8;
        let mut j = 0;
        while j < 8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
            j += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

static CRC16: [u16; 256] = crc16_table();

/// `SLICES[k][v]`: the CRC of byte `v` followed by `k` zero bytes, so four
/// bytes fold in with four independent lookups instead of a chain of four
/// dependent ones (slicing-by-4; the CRC is linear in its input).
const fn slice_tables() -> [[u16; 256]; 4] {
    let t0 = crc16_table();
    let mut t = [t0; 4];
    let mut k = 1;
    while k < 4 {
        let mut v = 0;
        while v < 256 {
            let c = t[k - 1][v];
            t[k][v] = (c << 8) ^ t0[(c >> 8) as usize];
            v += 1;
        }
        k += 1;
    }
    t
}

static SLICES: [[u16; 256]; 4] = slice_tables();

fn crc16_bytewise(crc: u16, data: &[u8]) -> u16 {
    data.iter()
        .fold(crc, |crc, &b| (crc << 8) ^ CRC16[usize::from(((crc >> 8) as u8) ^ b)])
}

/// CRC16-XMODEM (polynomial 0x1021, initial 0), Redis Cluster's key hash.
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc = 0u16;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let [hi, lo] = crc.to_be_bytes();
        crc = SLICES[3][usize::from(hi ^ c[0])]
            ^ SLICES[2][usize::from(lo ^ c[1])]
            ^ SLICES[1][usize::from(c[2])]
            ^ SLICES[0][usize::from(c[3])];
    }
    crc16_bytewise(crc, chunks.remainder())
}

/// The hash slot of `key`, honouring `{hash tags}`.
pub fn key_slot(key: &[u8]) -> u16 {
    // `contains` on bytes is a word-at-a-time memchr.
    if !key.contains(&b'{') {
        return crc16(key) & (SLOTS as u16 - 1);
    }
    let hashed = match key.iter().position(|&b| b == b'{') {
        Some(open) => match key[open + 1..].iter().position(|&b| b == b'}') {
            Some(len) if len > 0 => &key[open + 1..open + 1 + len],
            _ => key,
        },
        None => key,
    };
    crc16(hashed) & (SLOTS as u16 - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliced_crc_matches_the_bytewise_one() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for len in 0..200 {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            assert_eq!(crc16(&data), crc16_bytewise(0, &data), "len {len}");
        }
    }

    #[test]
    fn slots_match_redis_cluster() {
        // Values from CLUSTER KEYSLOT on a real Redis.
        assert_eq!(crc16(b"123456789"), 0x31C3);
        assert_eq!(key_slot(b"foo"), 12182);
        assert_eq!(key_slot(b"bar"), 5061);
        assert_eq!(key_slot(b"{user1000}.following"), key_slot(b"user1000"));
        assert_eq!(key_slot(b"foo{}{bar}"), key_slot(b"foo{}{bar}"));
        assert_ne!(key_slot(b"foo{}{bar}"), key_slot(b"bar"));
        assert_eq!(key_slot(b"foo{{bar}}zap"), key_slot(b"{bar"));
        assert_eq!(key_slot(b""), 0);
    }
}
