//! Redis's partial quicksort (`pqsort.c`, NetBSD's qsort that recurses only
//! into partitions overlapping the wanted rank range), shared by `SORT ...
//! LIMIT` and `GEOSEARCH ... COUNT`: with a range cut, the order of equal
//! elements is part of Redis's reply, so only the same algorithm gives the
//! same answer.

use std::cmp::Ordering;

/// Redis's `pqsort` (NetBSD's quicksort that only recurses into partitions
/// overlapping `lrange..=rrange`), ported as is: the elements inside the range
/// end up in sorted order, ties placed exactly as Redis places them.
pub fn pqsort<T>(v: &mut [T], lrange: usize, rrange: usize, cmp: &mut impl FnMut(&T, &T) -> Ordering) {
    let n = v.len();
    pqsort_part(v, 0, n, lrange, rrange, cmp);
}

fn med3<T>(v: &[T], a: usize, b: usize, c: usize, cmp: &mut impl FnMut(&T, &T) -> Ordering) -> usize {
    if cmp(&v[a], &v[b]).is_lt() {
        if cmp(&v[b], &v[c]).is_lt() {
            b
        } else if cmp(&v[a], &v[c]).is_lt() {
            c
        } else {
            a
        }
    } else if cmp(&v[b], &v[c]).is_gt() {
        b
    } else if cmp(&v[a], &v[c]).is_lt() {
        a
    } else {
        c
    }
}

fn vecswap<T>(v: &mut [T], a: usize, b: usize, n: usize) {
    for i in 0..n {
        v.swap(a + i, b + i);
    }
}

fn pqsort_part<T>(
    v: &mut [T],
    mut a: usize,
    mut n: usize,
    lrange: usize,
    rrange: usize,
    cmp: &mut impl FnMut(&T, &T) -> Ordering,
) {
    // Whether the partition a..a+n lies wholly outside the wanted range.
    let outside = |lo: usize, len: usize| (lrange < lo && rrange < lo) || (lrange >= lo + len && rrange >= lo + len);
    loop {
        if n < 7 {
            for pm in a + 1..a + n {
                let mut pl = pm;
                while pl > a && cmp(&v[pl - 1], &v[pl]).is_gt() {
                    v.swap(pl, pl - 1);
                    pl -= 1;
                }
            }
            return;
        }
        let mut pm = a + n / 2;
        if n > 7 {
            let mut pl = a;
            let mut pn = a + n - 1;
            if n > 40 {
                let d = n / 8;
                pl = med3(v, pl, pl + d, pl + 2 * d, cmp);
                pm = med3(v, pm - d, pm, pm + d, cmp);
                pn = med3(v, pn - 2 * d, pn - d, pn, cmp);
            }
            pm = med3(v, pl, pm, pn, cmp);
        }
        v.swap(a, pm);
        let (mut pa, mut pb) = (a + 1, a + 1);
        let (mut pc, mut pd) = (a + n - 1, a + n - 1);
        loop {
            while pb <= pc {
                let c = cmp(&v[pb], &v[a]);
                if c.is_gt() {
                    break;
                }
                if c.is_eq() {
                    v.swap(pa, pb);
                    pa += 1;
                }
                pb += 1;
            }
            while pb <= pc {
                let c = cmp(&v[pc], &v[a]);
                if c.is_lt() {
                    break;
                }
                if c.is_eq() {
                    v.swap(pc, pd);
                    pd -= 1;
                }
                pc -= 1;
            }
            if pb > pc {
                break;
            }
            v.swap(pb, pc);
            pb += 1;
            pc -= 1;
        }
        let pn = a + n;
        let r = (pa - a).min(pb - pa);
        vecswap(v, a, pb - r, r);
        let r = (pd - pc).min(pn - pd - 1);
        vecswap(v, pb, pn - r, r);
        let r = pb - pa;
        if r > 1 && !outside(a, r) {
            pqsort_part(v, a, r, lrange, rrange, cmp);
        }
        let r = pd - pc;
        if r > 1 {
            a = pn - r;
            n = r;
            if !outside(a, n) {
                continue;
            }
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pqsort_sorts_the_requested_range() {
        let mut seed = 12345u64;
        for len in 0..200usize {
            let v: Vec<u32> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (seed >> 40) as u32 % 50
                })
                .collect();
            let mut want = v.clone();
            want.sort();
            for (l, r) in [
                (0, len.saturating_sub(1)),
                (len / 3, len / 2),
                (len / 2, len.saturating_sub(1)),
            ] {
                if len == 0 {
                    continue;
                }
                let mut got = v.clone();
                pqsort(&mut got, l, r, &mut |a: &u32, b: &u32| a.cmp(b));
                assert_eq!(got[l..=r], want[l..=r], "len {len} range {l}..={r}");
            }
        }
    }
}
