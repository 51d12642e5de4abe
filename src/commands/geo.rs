//! Geo commands: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH(STORE) and the
//! GEORADIUS family, on top of sorted sets as Redis 7.0 builds them.
//!
//! A point is stored as a sorted-set member whose score is its 52-bit
//! interleaved geohash (26 bits of longitude over [-180, 180] and 26 of
//! latitude over [-85.05112878, 85.05112878]). Searches follow Redis's
//! `geo.c`/`geohash_helper.c` step by step, because the reply depends on
//! every detail: the step estimated from the radius, the centre cell and its
//! eight neighbours visited in Redis's order (north, south, east, west, then
//! the corners), each cell read as a `[min, max)` score range, the haversine
//! distance with Redis's Earth radius, the box test, the sort (glibc's
//! stable merge sort, or Redis's partial quicksort when COUNT cuts the
//! result) and the output formats (`%.4f` distances, `%.17Lf` coordinates).
//! Scores that are no geohash (any `ZADD` score) decode as C converts a
//! double to `uint64_t` on x86-64, so GEOPOS of such members matches too.

use bytes::Bytes;

use super::pqsort::pqsort;
use super::zsets::{read_zset, store_result, zset_of};
use super::{Args, CmdError, Ctx};
use crate::protocol::Reply;
use crate::store::types::zset::{ScoreRange, ZSet};
use crate::store::Value;

// ---------------------------------------------------------------------------
// Geohash encoding (geohash.c)

const GEO_STEP_MAX: u8 = 26;
const GEO_LAT_MIN: f64 = -85.05112878;
const GEO_LAT_MAX: f64 = 85.05112878;
const GEO_LONG_MIN: f64 = -180.0;
const GEO_LONG_MAX: f64 = 180.0;

const D_R: f64 = std::f64::consts::PI / 180.0;
const EARTH_RADIUS_IN_METERS: f64 = 6372797.560856;
const MERCATOR_MAX: f64 = 20037726.37;

/// A cell: `step` bits per axis, interleaved (longitude in odd positions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct HashBits {
    bits: u64,
    step: u8,
}

impl HashBits {
    /// Redis's "zeroed" neighbour, skipped by the search.
    fn is_zero(&self) -> bool {
        self.bits == 0 && self.step == 0
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Range {
    min: f64,
    max: f64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Area {
    longitude: Range,
    latitude: Range,
}

const LONG_RANGE: Range = Range {
    min: GEO_LONG_MIN,
    max: GEO_LONG_MAX,
};
const LAT_RANGE: Range = Range {
    min: GEO_LAT_MIN,
    max: GEO_LAT_MAX,
};

fn interleave64(xlo: u32, ylo: u32) -> u64 {
    const B: [u64; 5] = [
        0x5555555555555555,
        0x3333333333333333,
        0x0F0F0F0F0F0F0F0F,
        0x00FF00FF00FF00FF,
        0x0000FFFF0000FFFF,
    ];
    const S: [u32; 5] = [1, 2, 4, 8, 16];
    let mut x = u64::from(xlo);
    let mut y = u64::from(ylo);
    for i in (0..5).rev() {
        x = (x | (x << S[i])) & B[i];
        y = (y | (y << S[i])) & B[i];
    }
    x | (y << 1)
}

fn deinterleave64(interleaved: u64) -> u64 {
    const B: [u64; 6] = [
        0x5555555555555555,
        0x3333333333333333,
        0x0F0F0F0F0F0F0F0F,
        0x00FF00FF00FF00FF,
        0x0000FFFF0000FFFF,
        0x00000000FFFFFFFF,
    ];
    const S: [u32; 6] = [0, 1, 2, 4, 8, 16];
    let mut x = interleaved;
    let mut y = interleaved >> 1;
    for i in 0..6 {
        x = (x | (x >> S[i])) & B[i];
        y = (y | (y >> S[i])) & B[i];
    }
    x | (y << 32)
}

/// `geohashEncode`: `None` where Redis returns 0 (out of range).
fn encode(long_range: Range, lat_range: Range, longitude: f64, latitude: f64, step: u8) -> Option<HashBits> {
    if step > 32 || step == 0 {
        return None;
    }
    if !(GEO_LONG_MIN..=GEO_LONG_MAX).contains(&longitude) || !(GEO_LAT_MIN..=GEO_LAT_MAX).contains(&latitude) {
        return None;
    }
    if latitude < lat_range.min || latitude > lat_range.max || longitude < long_range.min || longitude > long_range.max
    {
        return None;
    }
    let mut lat_offset = (latitude - lat_range.min) / (lat_range.max - lat_range.min);
    let mut long_offset = (longitude - long_range.min) / (long_range.max - long_range.min);
    let cells = (1u64 << step) as f64;
    lat_offset *= cells;
    long_offset *= cells;
    // C converts the (non-negative, at most 2^step) offsets to uint32_t by truncation.
    Some(HashBits {
        bits: interleave64(lat_offset as u32, long_offset as u32),
        step,
    })
}

/// `geohashDecode` over the given ranges; `None` for a zeroed hash.
fn decode(long_range: Range, lat_range: Range, hash: HashBits) -> Option<Area> {
    if hash.is_zero() {
        return None;
    }
    let step = hash.step;
    let sep = deinterleave64(hash.bits);
    let lat_scale = lat_range.max - lat_range.min;
    let long_scale = long_range.max - long_range.min;
    let ilato = sep as u32;
    let ilono = (sep >> 32) as u32;
    let cells = (1u64 << step.min(32)) as f64;
    Some(Area {
        latitude: Range {
            min: lat_range.min + (f64::from(ilato) * 1.0 / cells) * lat_scale,
            max: lat_range.min + ((f64::from(ilato) + 1.0) * 1.0 / cells) * lat_scale,
        },
        longitude: Range {
            min: long_range.min + (f64::from(ilono) * 1.0 / cells) * long_scale,
            max: long_range.min + ((f64::from(ilono) + 1.0) * 1.0 / cells) * long_scale,
        },
    })
}

/// The centre of a cell, clamped to the valid ranges (`geohashDecodeAreaToLongLat`).
fn area_centre(area: &Area) -> [f64; 2] {
    let lon = ((area.longitude.min + area.longitude.max) / 2.0).clamp(GEO_LONG_MIN, GEO_LONG_MAX);
    let lat = ((area.latitude.min + area.latitude.max) / 2.0).clamp(GEO_LAT_MIN, GEO_LAT_MAX);
    [lon, lat]
}

/// C's `(uint64_t)d` as gcc compiles it for x86-64 (out-of-range values
/// give what the instructions give, not Rust's saturation).
fn c_double_to_u64(d: f64) -> u64 {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    if d >= TWO63 {
        let t = d - TWO63;
        let v = if t < TWO63 { t as i64 as u64 } else { 1u64 << 63 };
        v ^ (1u64 << 63)
    } else if d >= -TWO63 {
        d as i64 as u64
    } else {
        // NaN and values below -2^63: cvttsd2si's "integer indefinite".
        1u64 << 63
    }
}

/// C's `(long long)d` on x86-64.
fn c_double_to_i64(d: f64) -> i64 {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    if (-TWO63..TWO63).contains(&d) {
        d as i64
    } else {
        i64::MIN
    }
}

/// Longitude and latitude of a stored score (`decodeGeohash`).
fn decode_score(score: f64) -> [f64; 2] {
    let hash = HashBits {
        bits: c_double_to_u64(score),
        step: GEO_STEP_MAX,
    };
    decode(LONG_RANGE, LAT_RANGE, hash).map_or([0.0, 0.0], |a| area_centre(&a))
}

/// The score GEOADD stores for a point (already validated).
fn encode_score(lon: f64, lat: f64) -> f64 {
    let hash = encode(LONG_RANGE, LAT_RANGE, lon, lat, GEO_STEP_MAX).unwrap_or_default();
    align52(hash) as f64
}

fn align52(hash: HashBits) -> u64 {
    hash.bits << (52 - u32::from(hash.step.min(26)) * 2)
}

fn move_x(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let mut x = hash.bits & 0xaaaaaaaaaaaaaaaa;
    let y = hash.bits & 0x5555555555555555;
    // A step of 0 never reaches here; shifting by 64 would then give 0 as C's
    // hardware does for the masks' purpose, not a panic.
    let shift = 64 - u32::from(hash.step.min(32)) * 2;
    let zz = 0x5555555555555555u64.checked_shr(shift).unwrap_or(0);
    if d > 0 {
        x = x.wrapping_add(zz.wrapping_add(1));
    } else {
        x |= zz;
        x = x.wrapping_sub(zz.wrapping_add(1));
    }
    x &= 0xaaaaaaaaaaaaaaaau64.checked_shr(shift).unwrap_or(0);
    hash.bits = x | y;
}

fn move_y(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let x = hash.bits & 0xaaaaaaaaaaaaaaaa;
    let mut y = hash.bits & 0x5555555555555555;
    let shift = 64 - u32::from(hash.step.min(32)) * 2;
    let zz = 0xaaaaaaaaaaaaaaaau64.checked_shr(shift).unwrap_or(0);
    if d > 0 {
        y = y.wrapping_add(zz.wrapping_add(1));
    } else {
        y |= zz;
        y = y.wrapping_sub(zz.wrapping_add(1));
    }
    y &= 0x5555555555555555u64.checked_shr(shift).unwrap_or(0);
    hash.bits = x | y;
}

/// The eight neighbours of a cell.
#[derive(Debug, Clone, Copy, Default)]
struct Neighbors {
    north: HashBits,
    east: HashBits,
    west: HashBits,
    south: HashBits,
    north_east: HashBits,
    south_east: HashBits,
    north_west: HashBits,
    south_west: HashBits,
}

fn neighbors_of(hash: &HashBits) -> Neighbors {
    let at = |dx: i8, dy: i8| {
        let mut h = *hash;
        move_x(&mut h, dx);
        move_y(&mut h, dy);
        h
    };
    Neighbors {
        east: at(1, 0),
        west: at(-1, 0),
        south: at(0, -1),
        north: at(0, 1),
        north_west: at(-1, 1),
        north_east: at(1, 1),
        south_east: at(1, -1),
        south_west: at(-1, -1),
    }
}

// ---------------------------------------------------------------------------
// Search areas and distances (geohash_helper.c)

fn deg_rad(ang: f64) -> f64 {
    ang * D_R
}

fn rad_deg(ang: f64) -> f64 {
    ang / D_R
}

/// The cell step for the nine search boxes of a radius at a latitude.
fn estimate_steps_by_radius(mut range_meters: f64, lat: f64) -> u8 {
    if range_meters == 0.0 {
        return 26;
    }
    let mut step: i32 = 1;
    while range_meters < MERCATOR_MAX {
        range_meters *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u8
}

/// What a search covers.
#[derive(Debug, Clone, Copy)]
enum ShapeKind {
    Circle { radius: f64 },
    Box { width: f64, height: f64 },
}

#[derive(Debug, Clone, Copy)]
struct Shape {
    kind: ShapeKind,
    /// Metres per unit.
    conversion: f64,
    /// Centre (longitude, latitude).
    xy: [f64; 2],
}

/// `[min_lon, min_lat, max_lon, max_lat]` of the shape (`geohashBoundingBox`).
fn bounding_box(shape: &Shape) -> [f64; 4] {
    let [longitude, latitude] = shape.xy;
    let (height, width) = match shape.kind {
        ShapeKind::Circle { radius } => (shape.conversion * radius, shape.conversion * radius),
        ShapeKind::Box { width, height } => (shape.conversion * (height / 2.0), shape.conversion * (width / 2.0)),
    };
    let lat_delta = rad_deg(height / EARTH_RADIUS_IN_METERS);
    let long_delta_top = rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(latitude + lat_delta).cos());
    let long_delta_bottom = rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(latitude - lat_delta).cos());
    let southern = latitude < 0.0;
    let min_lon = if southern {
        longitude - long_delta_bottom
    } else {
        longitude - long_delta_top
    };
    let max_lon = if southern {
        longitude + long_delta_bottom
    } else {
        longitude + long_delta_top
    };
    [min_lon, latitude - lat_delta, max_lon, latitude + lat_delta]
}

/// The centre cell and its neighbours to visit (`geohashCalculateAreasByShapeWGS84`).
struct SearchArea {
    hash: HashBits,
    neighbors: Neighbors,
}

fn areas_by_shape(shape: &Shape) -> SearchArea {
    let [min_lon, min_lat, max_lon, max_lat] = bounding_box(shape);
    let [longitude, latitude] = shape.xy;
    let mut radius_meters = match shape.kind {
        ShapeKind::Circle { radius } => radius,
        ShapeKind::Box { width, height } => ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt(),
    };
    radius_meters *= shape.conversion;
    let mut steps = estimate_steps_by_radius(radius_meters, latitude);
    let cell = |steps: u8| {
        let hash = encode(LONG_RANGE, LAT_RANGE, longitude, latitude, steps).unwrap_or_default();
        let neighbors = neighbors_of(&hash);
        let area = decode(LONG_RANGE, LAT_RANGE, hash).unwrap_or_default();
        (hash, neighbors, area)
    };
    let (mut hash, mut neighbors, mut area) = cell(steps);

    // The estimated step may be too fine when the area lies near a cell edge.
    let decoded = |h: HashBits| decode(LONG_RANGE, LAT_RANGE, h).unwrap_or_default();
    let (north, south, east, west) = (
        decoded(neighbors.north),
        decoded(neighbors.south),
        decoded(neighbors.east),
        decoded(neighbors.west),
    );
    let decrease_step = north.latitude.max < max_lat
        || south.latitude.min > min_lat
        || east.longitude.max < max_lon
        || west.longitude.min > min_lon;
    if steps > 1 && decrease_step {
        steps -= 1;
        (hash, neighbors, area) = cell(steps);
    }

    // Drop the neighbours the shape cannot reach.
    if steps >= 2 {
        let zero = HashBits::default();
        if area.latitude.min < min_lat {
            neighbors.south = zero;
            neighbors.south_west = zero;
            neighbors.south_east = zero;
        }
        if area.latitude.max > max_lat {
            neighbors.north = zero;
            neighbors.north_east = zero;
            neighbors.north_west = zero;
        }
        if area.longitude.min < min_lon {
            neighbors.west = zero;
            neighbors.south_west = zero;
            neighbors.north_west = zero;
        }
        if area.longitude.max > max_lon {
            neighbors.east = zero;
            neighbors.south_east = zero;
            neighbors.north_east = zero;
        }
    }
    SearchArea { hash, neighbors }
}

/// Haversine great-circle distance in metres.
fn distance(lon1d: f64, lat1d: f64, lon2d: f64, lat2d: f64) -> f64 {
    let lat1r = deg_rad(lat1d);
    let lon1r = deg_rad(lon1d);
    let lat2r = deg_rad(lat2d);
    let lon2r = deg_rad(lon2d);
    let u = ((lat2r - lat1r) / 2.0).sin();
    let v = ((lon2r - lon1r) / 2.0).sin();
    2.0 * EARTH_RADIUS_IN_METERS * (u * u + lat1r.cos() * lat2r.cos() * v * v).sqrt().asin()
}

/// The distance from the shape's centre to a point, if the point is inside.
fn distance_if_inside(shape: &Shape, xy: [f64; 2]) -> Option<f64> {
    let [x1, y1] = shape.xy;
    let [x2, y2] = xy;
    match shape.kind {
        ShapeKind::Circle { radius } => {
            let d = distance(x1, y1, x2, y2);
            // NaN distances are kept, as `d > radius` is false for them in C too.
            if d > radius * shape.conversion {
                None
            } else {
                Some(d)
            }
        }
        ShapeKind::Box { width, height } => {
            let (width_m, height_m) = (width * shape.conversion, height * shape.conversion);
            let lon_distance = distance(x2, y2, x1, y2);
            let lat_distance = distance(x2, y2, x2, y1);
            if lon_distance > width_m / 2.0 || lat_distance > height_m / 2.0 {
                None
            } else {
                Some(distance(x1, y1, x2, y2))
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Collecting points (geo.c)

/// One search result.
#[derive(Debug, Clone)]
struct GeoPoint {
    longitude: f64,
    latitude: f64,
    dist: f64,
    score: f64,
    member: Vec<u8>,
}

/// Appends the members of one cell that lie inside the shape; stops at `limit` (0: none).
fn members_of_box(z: &ZSet, hash: HashBits, shape: &Shape, out: &mut Vec<GeoPoint>, limit: usize) {
    let min = align52(hash) as f64;
    let max = align52(HashBits {
        bits: hash.bits.wrapping_add(1),
        step: hash.step,
    }) as f64;
    let range = ScoreRange {
        min,
        min_ex: false,
        max,
        max_ex: true,
    };
    for (member, score) in z.range_by_score(&range, false) {
        let xy = decode_score(score);
        if let Some(dist) = distance_if_inside(shape, xy) {
            out.push(GeoPoint {
                longitude: xy[0],
                latitude: xy[1],
                dist,
                score,
                member: member.to_vec(),
            });
        }
        if !out.is_empty() && limit != 0 && out.len() >= limit {
            break;
        }
    }
}

/// Visits the centre cell and its neighbours in Redis's order
/// (`membersOfAllNeighbors`), skipping zeroed ones and a cell equal to the
/// one visited just before (which, as in Redis, never applies to the first
/// neighbour after the centre).
fn members_of_all_neighbors(z: &ZSet, area: &SearchArea, shape: &Shape, limit: usize) -> Vec<GeoPoint> {
    let n = &area.neighbors;
    let cells = [
        area.hash,
        n.north,
        n.south,
        n.east,
        n.west,
        n.north_east,
        n.north_west,
        n.south_east,
        n.south_west,
    ];
    let mut out = Vec::new();
    let mut last_processed = 0usize;
    for (i, cell) in cells.iter().enumerate() {
        if cell.is_zero() {
            continue;
        }
        if last_processed != 0 && *cell == cells[last_processed] {
            continue;
        }
        if !out.is_empty() && limit != 0 && out.len() >= limit {
            break;
        }
        members_of_box(z, *cell, shape, &mut out, limit);
        last_processed = i;
    }
    out
}

// ---------------------------------------------------------------------------
// Sorting as Redis sorts: glibc's qsort (a stable top-down merge sort) for a
// full sort, Redis's `pqsort` (NetBSD's quicksort, recursing only into the
// wanted range) for a partial one. Ties (equal distances) come out in the
// order these algorithms leave them, so both are ported as they are.

/// What the sorts move around: a result's distance and its index (cheap to copy).
#[derive(Debug, Clone, Copy)]
struct SortKey {
    dist: f64,
    idx: usize,
}

type Cmp = fn(&SortKey, &SortKey) -> i32;

fn cmp_asc(a: &SortKey, b: &SortKey) -> i32 {
    if a.dist > b.dist {
        1
    } else if a.dist == b.dist {
        0
    } else {
        -1
    }
}

fn cmp_desc(a: &SortKey, b: &SortKey) -> i32 {
    -cmp_asc(a, b)
}

/// glibc's `msort_with_tmp`: halves of `n / 2` and the rest, merging from the
/// left while `cmp(left, right) <= 0`.
fn merge_sort(v: &mut [SortKey], cmp: Cmp) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    let n1 = n / 2;
    merge_sort(&mut v[..n1], cmp);
    merge_sort(&mut v[n1..], cmp);
    let mut merged: Vec<SortKey> = Vec::with_capacity(n);
    let (mut i, mut j) = (0, n1);
    while i < n1 && j < n {
        if cmp(&v[i], &v[j]) <= 0 {
            merged.push(v[i]);
            i += 1;
        } else {
            merged.push(v[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&v[i..n1]);
    merged.extend_from_slice(&v[j..n]);
    for (slot, p) in v.iter_mut().zip(merged) {
        *slot = p;
    }
}

// ---------------------------------------------------------------------------
// Argument parsing

/// A float argument with a command-specific error text.
fn double_arg(a: &[u8], err: &'static str) -> Result<f64, CmdError> {
    crate::num::parse_double(a).ok_or(CmdError::Other(err))
}

const NOT_FLOAT: &str = "ERR value is not a valid float";

/// `extractLongLatOrReply`.
fn parse_lonlat(lon: &[u8], lat: &[u8]) -> Result<[f64; 2], CmdError> {
    let x = double_arg(lon, NOT_FLOAT)?;
    let y = double_arg(lat, NOT_FLOAT)?;
    if !(GEO_LONG_MIN..=GEO_LONG_MAX).contains(&x) || !(GEO_LAT_MIN..=GEO_LAT_MAX).contains(&y) {
        return Err(CmdError::Owned(format!(
            "ERR invalid longitude,latitude pair {x:.6},{y:.6}"
        )));
    }
    Ok([x, y])
}

/// `extractUnitOrReply`: metres per unit.
fn parse_unit(u: &[u8]) -> Result<f64, CmdError> {
    if u.eq_ignore_ascii_case(b"m") {
        Ok(1.0)
    } else if u.eq_ignore_ascii_case(b"km") {
        Ok(1000.0)
    } else if u.eq_ignore_ascii_case(b"ft") {
        Ok(0.3048)
    } else if u.eq_ignore_ascii_case(b"mi") {
        Ok(1609.34)
    } else {
        Err(CmdError::Other(
            "ERR unsupported unit provided. please use M, KM, FT, MI",
        ))
    }
}

/// `extractDistanceOrReply`: (radius, conversion).
fn parse_distance(radius: &[u8], unit: &[u8]) -> Result<(f64, f64), CmdError> {
    let r = double_arg(radius, "ERR need numeric radius")?;
    if r < 0.0 {
        return Err(CmdError::Other("ERR radius cannot be negative"));
    }
    Ok((r, parse_unit(unit)?))
}

/// `extractBoxOrReply`: (width, height, conversion).
fn parse_box(width: &[u8], height: &[u8], unit: &[u8]) -> Result<(f64, f64, f64), CmdError> {
    let w = double_arg(width, "ERR need numeric width")?;
    let h = double_arg(height, "ERR need numeric height")?;
    if h < 0.0 || w < 0.0 {
        return Err(CmdError::Other("ERR height or width cannot be negative"));
    }
    Ok((w, h, parse_unit(unit)?))
}

/// Longitude and latitude of a member, if it is in the set.
fn member_lonlat(z: &ZSet, member: &[u8]) -> Option<[f64; 2]> {
    z.score(member).map(decode_score)
}

const DECODE_ERR: &str = "ERR could not decode requested zset member";

/// Which command of the search family runs (Redis's `RADIUS_*`/`GEOSEARCH*` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Radius { ro: bool },
    RadiusByMember { ro: bool },
    Search,
    SearchStore,
}

impl Variant {
    fn is_search(self) -> bool {
        matches!(self, Variant::Search | Variant::SearchStore)
    }

    fn no_store(self) -> bool {
        matches!(
            self,
            Variant::Radius { ro: true } | Variant::RadiusByMember { ro: true }
        )
    }

    /// Index of the first optional argument.
    fn base_args(self) -> usize {
        match self {
            Variant::Radius { .. } => 6,
            Variant::RadiusByMember { .. } => 5,
            Variant::Search => 2,
            Variant::SearchStore => 3,
        }
    }

    fn src_index(self) -> usize {
        if self == Variant::SearchStore {
            2
        } else {
            1
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// A parsed search, ready to run.
struct Query {
    shape: Shape,
    store: Option<usize>,
    storedist: bool,
    withdist: bool,
    withhash: bool,
    withcoord: bool,
    sort: Sort,
    any: bool,
    count: usize,
}

/// Finds the argument naming the destination key, by the same walk over the
/// options the real parse takes (ignoring what the values say: a value the
/// real parse refuses is an error reply, so nothing is stored then).
fn find_store_key(args: &Args<'_>, v: Variant) -> Option<usize> {
    if v == Variant::SearchStore {
        return Some(1);
    }
    if v.is_search() || v.no_store() {
        return None;
    }
    let base = v.base_args();
    let remaining = args.len().saturating_sub(base);
    let mut store = None;
    let mut i = 0;
    while i < remaining {
        let a = args.get(base + i);
        let is = |k: &str| a.eq_ignore_ascii_case(k.as_bytes());
        if is("withdist") || is("withhash") || is("withcoord") || is("any") || is("asc") || is("desc") {
        } else if is("count") && i + 1 < remaining {
            i += 1;
        } else if (is("store") || is("storedist")) && i + 1 < remaining {
            store = Some(base + i + 1);
            i += 1;
        } else {
            return None;
        }
        i += 1;
    }
    store
}

/// The real parse, in Redis's order, with the source set at hand (`None`:
/// no such key, which skips what Redis skips then: the member lookups and,
/// for GEORADIUSBYMEMBER, the radius).
fn parse_query(args: &Args<'_>, v: Variant, z: Option<&ZSet>) -> Result<Query, CmdError> {
    let mut shape = Shape {
        kind: ShapeKind::Circle { radius: 0.0 },
        conversion: 0.0,
        xy: [0.0, 0.0],
    };
    let mut store = if v == Variant::SearchStore { Some(1) } else { None };
    match v {
        Variant::Radius { .. } => {
            shape.xy = parse_lonlat(args.get(2), args.get(3))?;
            let (radius, conversion) = parse_distance(args.get(4), args.get(5))?;
            shape.kind = ShapeKind::Circle { radius };
            shape.conversion = conversion;
        }
        Variant::RadiusByMember { .. } => {
            // Without the key Redis parses neither the member nor the radius.
            if let Some(z) = z {
                shape.xy = member_lonlat(z, args.get(2)).ok_or(CmdError::Other(DECODE_ERR))?;
                let (radius, conversion) = parse_distance(args.get(3), args.get(4))?;
                shape.kind = ShapeKind::Circle { radius };
                shape.conversion = conversion;
            }
        }
        Variant::Search | Variant::SearchStore => {}
    }
    let base = v.base_args();
    let remaining = args.len().saturating_sub(base);
    let (mut withdist, mut withhash, mut withcoord) = (false, false, false);
    let (mut frommember, mut fromloc, mut byradius, mut bybox) = (false, false, false, false);
    let mut sort = Sort::None;
    let mut any = false;
    let mut count: i64 = 0;
    let mut storedist = false;
    let search = v.is_search();
    let mut i = 0;
    while i < remaining {
        let at = base + i;
        let a = args.get(at);
        let is = |k: &str| a.eq_ignore_ascii_case(k.as_bytes());
        if is("withdist") {
            withdist = true;
        } else if is("withhash") {
            withhash = true;
        } else if is("withcoord") {
            withcoord = true;
        } else if is("any") {
            any = true;
        } else if is("asc") {
            sort = Sort::Asc;
        } else if is("desc") {
            sort = Sort::Desc;
        } else if is("count") && i + 1 < remaining {
            count = args.int(at + 1)?;
            if count <= 0 {
                return Err(CmdError::Other("ERR COUNT must be > 0"));
            }
            i += 1;
        } else if (is("store") || is("storedist")) && i + 1 < remaining && !v.no_store() && !search {
            store = Some(at + 1);
            storedist = is("storedist");
            i += 1;
        } else if is("storedist") && v == Variant::SearchStore {
            storedist = true;
        } else if is("frommember") && i + 1 < remaining && search && !fromloc {
            if let Some(z) = z {
                shape.xy = member_lonlat(z, args.get(at + 1)).ok_or(CmdError::Other(DECODE_ERR))?;
            }
            frommember = true;
            i += 1;
        } else if is("fromlonlat") && i + 2 < remaining && search && !frommember {
            shape.xy = parse_lonlat(args.get(at + 1), args.get(at + 2))?;
            fromloc = true;
            i += 2;
        } else if is("byradius") && i + 2 < remaining && search && !bybox {
            let (radius, conversion) = parse_distance(args.get(at + 1), args.get(at + 2))?;
            shape.kind = ShapeKind::Circle { radius };
            shape.conversion = conversion;
            byradius = true;
            i += 2;
        } else if is("bybox") && i + 3 < remaining && search && !byradius {
            let (width, height, conversion) = parse_box(args.get(at + 1), args.get(at + 2), args.get(at + 3))?;
            shape.kind = ShapeKind::Box { width, height };
            shape.conversion = conversion;
            bybox = true;
            i += 3;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    if store.is_some() && (withdist || withhash || withcoord) {
        return Err(CmdError::Owned(format!(
            "ERR {} is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
            if v == Variant::SearchStore {
                "GEOSEARCHSTORE"
            } else {
                "STORE option in GEORADIUS"
            }
        )));
    }
    let name = String::from_utf8_lossy(args.get(0));
    if search && !(frommember || fromloc) {
        return Err(CmdError::Owned(format!(
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {name}"
        )));
    }
    if search && !(byradius || bybox) {
        return Err(CmdError::Owned(format!(
            "ERR exactly one of BYRADIUS and BYBOX can be specified for {name}"
        )));
    }
    if any && count == 0 {
        return Err(CmdError::Other("ERR the ANY argument requires COUNT argument"));
    }
    // COUNT without an order means the nearest ones (but not with ANY).
    if count != 0 && sort == Sort::None && !any {
        sort = Sort::Asc;
    }
    Ok(Query {
        shape,
        store,
        storedist,
        withdist,
        withhash,
        withcoord,
        sort,
        any,
        count: usize::try_from(count).unwrap_or(usize::MAX),
    })
}

/// Runs a parsed query: the matching points, sorted and cut to COUNT.
fn run_query(z: &ZSet, q: &Query) -> Vec<GeoPoint> {
    let area = areas_by_shape(&q.shape);
    let mut points = members_of_all_neighbors(z, &area, &q.shape, if q.any { q.count } else { 0 });
    let total = points.len();
    let returned = if q.count == 0 || total < q.count {
        total
    } else {
        q.count
    };
    let cmp: Option<Cmp> = match q.sort {
        Sort::None => None,
        Sort::Asc => Some(cmp_asc),
        Sort::Desc => Some(cmp_desc),
    };
    if let Some(cmp) = cmp {
        let mut keys: Vec<SortKey> = points
            .iter()
            .enumerate()
            .map(|(idx, p)| SortKey { dist: p.dist, idx })
            .collect();
        if returned == total {
            merge_sort(&mut keys, cmp);
        } else if returned > 0 {
            pqsort(&mut keys, 0, returned - 1, &mut |a, b| cmp(a, b).cmp(&0));
        }
        let mut slots: Vec<Option<GeoPoint>> = points.into_iter().map(Some).collect();
        points = keys
            .iter()
            .take(returned)
            .filter_map(|k| slots.get_mut(k.idx).and_then(Option::take))
            .collect();
    }
    points.truncate(returned);
    for p in &mut points {
        p.dist /= q.shape.conversion;
    }
    points
}

/// `%.17Lf` with trailing zeros dropped (`addReplyHumanLongDouble`).
fn human_coordinate(d: f64) -> String {
    if d.is_infinite() {
        return if d > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let mut s = format!("{d:.17}");
    if s.contains('.') {
        let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(trimmed);
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

fn reply_coordinate(out: &mut Reply, d: f64) {
    let s = human_coordinate(d);
    if out.is_resp3() {
        out.buf.extend_from_slice(b",");
        out.buf.extend_from_slice(s.as_bytes());
        out.buf.extend_from_slice(b"\r\n");
    } else {
        out.bulk(s.as_bytes());
    }
}

/// `addReplyDoubleDistance`: always a bulk string with four decimals.
fn reply_distance(out: &mut Reply, d: f64) {
    if d.is_nan() {
        // glibc prints the sign of a NaN (nearly antipodal points can give one).
        out.bulk(if d.is_sign_negative() { b"-nan" } else { b"nan" });
    } else {
        out.bulk(format!("{d:.4}").as_bytes());
    }
}

fn reply_points(out: &mut Reply, q: &Query, points: &[GeoPoint]) {
    let options = usize::from(q.withdist) + usize::from(q.withhash) + usize::from(q.withcoord);
    out.array(points.len());
    for p in points {
        if options > 0 {
            out.array(options + 1);
        }
        out.bulk(&p.member);
        if q.withdist {
            reply_distance(out, p.dist);
        }
        if q.withhash {
            out.int(c_double_to_i64(p.score));
        }
        if q.withcoord {
            out.array(2);
            reply_coordinate(out, p.longitude);
            reply_coordinate(out, p.latitude);
        }
    }
}

/// What a search produced under the lock.
enum Found {
    /// No such source key.
    Missing(Query),
    /// The points found.
    Points(Query, Vec<GeoPoint>),
}

/// Parses and runs a search on the source value (absent: `None`).
fn search_value(args: &Args<'_>, v: Variant, value: Option<&Value>) -> Result<Found, CmdError> {
    let z = value.map(zset_of).transpose()?;
    let q = parse_query(args, v, z)?;
    Ok(match z {
        None => Found::Missing(q),
        Some(z) => {
            let points = run_query(z, &q);
            Found::Points(q, points)
        }
    })
}

/// The whole search family (`georadiusGeneric`).
fn search_generic(ctx: &mut Ctx<'_>, args: &Args<'_>, v: Variant) -> Result<(), CmdError> {
    let src = args.get(v.src_index());
    let db = ctx.db();
    let now = ctx.now_ms;
    let Some(dst_index) = find_store_key(args, v) else {
        let (hit, r) = db.read(src, now, ctx.fx, |e| match e {
            None => (false, search_value(args, v, None)),
            Some(e) => (true, search_value(args, v, Some(&e.value))),
        });
        ctx.lookup(hit);
        return match r? {
            Found::Missing(_) => {
                ctx.out.array(0);
                Ok(())
            }
            Found::Points(q, points) => {
                reply_points(ctx.out, &q, &points);
                Ok(())
            }
        };
    };
    let dst = args.get(dst_index);
    let limits = ctx.limits();
    let event = if v.is_search() {
        "geosearchstore"
    } else {
        "georadiusstore"
    };
    let mut fx = crate::store::Effects::new();
    let (hit, r) = db.write_keys(&[dst, src], now, ctx.fx, |keys| {
        let (hit, found) = {
            let Some(s) = keys.slot(src) else {
                return (false, Err(CmdError::Syntax));
            };
            let value = s.value();
            (value.is_some(), search_value(args, v, value))
        };
        let found = match found {
            Ok(f) => f,
            Err(e) => return (hit, Err(e)),
        };
        let (q, points) = match found {
            Found::Missing(q) => (q, Vec::new()),
            Found::Points(q, p) => (q, p),
        };
        if q.store != Some(dst_index) {
            // The walk and the parse disagree only when the parse failed,
            // which returned above; stay safe and store nothing.
            return (hit, Err(CmdError::Syntax));
        }
        let Some(mut d) = keys.slot(dst) else {
            return (hit, Ok(0));
        };
        let entries = points
            .into_iter()
            .map(|p| {
                let score = if q.storedist { p.dist } else { p.score };
                (p.member, score)
            })
            .collect();
        (
            hit,
            Ok(store_result(&mut fx, db.index, &mut d, entries, &limits, now, event)),
        )
    });
    ctx.lookup(hit);
    ctx.fx.list.append(&mut fx.list);
    ctx.out.int(r? as i64);
    Ok(())
}

// ---------------------------------------------------------------------------
// Handlers

/// `GEOADD key [NX|XX] [CH] longitude latitude member [...]`.
pub fn geoadd(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let (mut nx, mut xx, mut ch) = (false, false, false);
    let mut idx = 2;
    while idx < args.len() {
        if args.is(idx, "nx") {
            nx = true;
        } else if args.is(idx, "xx") {
            xx = true;
        } else if args.is(idx, "ch") {
            ch = true;
        } else {
            break;
        }
        idx += 1;
    }
    let rest = args.len() - idx;
    if !rest.is_multiple_of(3) || (nx && xx) {
        return Err(CmdError::Syntax);
    }
    let mut pairs: Vec<(f64, Bytes)> = Vec::with_capacity(rest / 3);
    for j in (idx..args.len()).step_by(3) {
        let [lon, lat] = parse_lonlat(args.get(j), args.get(j + 1))?;
        pairs.push((encode_score(lon, lat), args.bytes(j + 2)));
    }
    // What ZADD then says about the rebuilt command.
    if pairs.is_empty() {
        return Err(CmdError::Syntax);
    }
    let key = args.get(1);
    let limits = ctx.limits();
    let db = ctx.db();
    let now = ctx.now_ms;
    let (added, updated) = db.write(key, now, ctx.fx, |slot| -> Result<(i64, i64), CmdError> {
        let apply = |z: &mut ZSet| {
            let (mut added, mut updated) = (0, 0);
            for (score, member) in &pairs {
                match z.score(member) {
                    Some(cur) => {
                        if nx {
                            continue;
                        }
                        if *score != cur {
                            z.insert(member, *score, &limits);
                            updated += 1;
                        }
                    }
                    None if !xx => {
                        z.insert(member, *score, &limits);
                        added += 1;
                    }
                    None => {}
                }
            }
            (added, updated)
        };
        match slot.value() {
            None if xx => Ok((0, 0)),
            None => {
                let mut z = ZSet::new();
                let r = apply(&mut z);
                if !z.is_empty() {
                    slot.insert(Value::ZSet(Box::new(z)), 0, now);
                }
                Ok(r)
            }
            Some(v) => {
                zset_of(v)?;
                slot.update(|e| match &mut e.value {
                    Value::ZSet(z) => Ok(apply(z)),
                    _ => Err(CmdError::WrongType),
                })
                .unwrap_or(Err(CmdError::WrongType))
            }
        }
    })?;
    if added > 0 || updated > 0 {
        ctx.fx.written(db.index, key, "zadd");
    }
    ctx.out.int(if ch { added + updated } else { added });
    Ok(())
}

/// `GEOPOS key [member ...]`.
pub fn geopos(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let members = args.from(2);
    read_zset(ctx, args.get(1), |z, out| {
        out.array(members.len());
        for m in members {
            match z.and_then(|z| member_lonlat(z, m)) {
                Some([lon, lat]) => {
                    out.array(2);
                    reply_coordinate(out, lon);
                    reply_coordinate(out, lat);
                }
                None => out.null_array(),
            }
        }
        Ok(())
    })
}

/// `GEODIST key member1 member2 [M|KM|FT|MI]`.
pub fn geodist(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    let to_meter = match args.len() {
        5 => parse_unit(args.get(4))?,
        n if n > 5 => return Err(CmdError::Syntax),
        _ => 1.0,
    };
    let (a, b) = (args.get(2), args.get(3));
    read_zset(ctx, args.get(1), |z, out| {
        match z.and_then(|z| Some((member_lonlat(z, a)?, member_lonlat(z, b)?))) {
            Some(([x1, y1], [x2, y2])) => reply_distance(out, distance(x1, y1, x2, y2) / to_meter),
            None => out.null(),
        }
        Ok(())
    })
}

/// `GEOHASH key [member ...]`: standard geohash strings (latitude over ±90).
pub fn geohash(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let members = args.from(2);
    read_zset(ctx, args.get(1), |z, out| {
        out.array(members.len());
        for m in members {
            match z.and_then(|z| member_lonlat(z, m)) {
                Some([lon, lat]) => {
                    let standard_lat = Range { min: -90.0, max: 90.0 };
                    let hash = encode(LONG_RANGE, standard_lat, lon, lat, 26).unwrap_or_default();
                    let mut buf = [b'0'; 11];
                    for (i, c) in buf.iter_mut().enumerate().take(10) {
                        let idx = (hash.bits >> (52 - (i + 1) * 5)) & 0x1f;
                        *c = ALPHABET[idx as usize];
                    }
                    out.bulk(&buf);
                }
                None => out.null(),
            }
        }
        Ok(())
    })
}

/// `GEOSEARCH key FROMMEMBER m|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [options]`.
pub fn geosearch(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    search_generic(ctx, args, Variant::Search)
}

/// `GEOSEARCHSTORE dst src ... [STOREDIST]`.
pub fn geosearchstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    search_generic(ctx, args, Variant::SearchStore)
}

/// `GEORADIUS key lon lat radius unit [options] [STORE k|STOREDIST k]`.
pub fn georadius(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    search_generic(ctx, args, Variant::Radius { ro: false })
}

/// `GEORADIUSBYMEMBER key member radius unit [options] [STORE k|STOREDIST k]`.
pub fn georadiusbymember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    search_generic(ctx, args, Variant::RadiusByMember { ro: false })
}

/// `GEORADIUS_RO key lon lat radius unit [options]`.
pub fn georadius_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    search_generic(ctx, args, Variant::Radius { ro: true })
}

/// `GEORADIUSBYMEMBER_RO key member radius unit [options]`.
pub fn georadiusbymember_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<(), CmdError> {
    search_generic(ctx, args, Variant::RadiusByMember { ro: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palermo_encodes_to_the_score_redis_stores() {
        assert_eq!(encode_score(13.361389, 38.115556), 3479099956230698.0);
        let [lon, lat] = decode_score(3479099956230698.0);
        assert_eq!(human_coordinate(lon), "13.36138933897018433");
        assert_eq!(human_coordinate(lat), "38.11555639549629859");
    }

    #[test]
    fn out_of_range_scores_decode_as_c_converts_them() {
        assert_eq!(c_double_to_u64(-5.0), (-5i64) as u64);
        assert_eq!(c_double_to_u64(1e300), 0);
        assert_eq!(c_double_to_u64(f64::INFINITY), 0);
        assert_eq!(c_double_to_u64(f64::NEG_INFINITY), 1 << 63);
        assert_eq!(c_double_to_u64(f64::NAN), 1 << 63);
        assert_eq!(human_coordinate(decode_score(-5.0)[0]), "180");
    }

    fn pt(dist: f64, idx: usize) -> SortKey {
        SortKey { dist, idx }
    }

    #[test]
    fn partial_sort_puts_the_smallest_first() {
        let mut v: Vec<SortKey> = (0..100).map(|i| pt(f64::from((i * 37) % 100), 0)).collect();
        pqsort(&mut v, 0, 9, &mut |a, b| cmp_asc(a, b).cmp(&0));
        let firsts: Vec<f64> = v[..10].iter().map(|p| p.dist).collect();
        assert_eq!(firsts, (0..10).map(f64::from).collect::<Vec<_>>());
    }

    #[test]
    fn merge_sort_is_stable() {
        let mut v = vec![pt(2.0, 0), pt(1.0, 1), pt(2.0, 2), pt(1.0, 3)];
        merge_sort(&mut v, cmp_asc);
        let order: Vec<usize> = v.iter().map(|p| p.idx).collect();
        assert_eq!(order, vec![1, 3, 0, 2]);
    }
}
