//! Geo commands against the oracle: every command and error path in RESP2
//! and RESP3, real cities, searches across the antimeridian and near the
//! poles, stored results read back, and a seeded random differential run.
//! Replies are compared byte for byte, the order of unsorted GEOSEARCH
//! results included (Redis's neighbour-box order is reproduced).

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::support::{show, Pair};

/// A few dozen cities (longitude, latitude).
const CITIES: &[(&str, &str, &str)] = &[
    ("Palermo", "13.361389", "38.115556"),
    ("Catania", "15.087269", "37.502669"),
    ("Rome", "12.496366", "41.902782"),
    ("Milan", "9.189982", "45.464204"),
    ("Naples", "14.268124", "40.851775"),
    ("Paris", "2.352222", "48.856613"),
    ("London", "-0.127758", "51.507351"),
    ("Berlin", "13.404954", "52.520008"),
    ("Madrid", "-3.703790", "40.416775"),
    ("Lisbon", "-9.139337", "38.722252"),
    ("Vienna", "16.373819", "48.208174"),
    ("Prague", "14.437800", "50.075538"),
    ("Warsaw", "21.012229", "52.229676"),
    ("Athens", "23.727539", "37.983810"),
    ("Istanbul", "28.978359", "41.008238"),
    ("Moscow", "37.617300", "55.755826"),
    ("Cairo", "31.235712", "30.044420"),
    ("Nairobi", "36.821946", "-1.292066"),
    ("CapeTown", "18.424055", "-33.924869"),
    ("Dubai", "55.270783", "25.204849"),
    ("Mumbai", "72.877656", "19.075984"),
    ("Delhi", "77.102490", "28.704060"),
    ("Beijing", "116.407396", "39.904200"),
    ("Shanghai", "121.473701", "31.230416"),
    ("Tokyo", "139.691706", "35.689487"),
    ("Seoul", "126.977969", "37.566535"),
    ("Singapore", "103.819836", "1.352083"),
    ("Sydney", "151.209296", "-33.868820"),
    ("Auckland", "174.763332", "-36.848460"),
    ("Suva", "178.441895", "-18.124809"),
    ("Honolulu", "-157.858333", "21.306944"),
    ("Anchorage", "-149.900278", "61.218056"),
    ("Vancouver", "-123.120738", "49.282729"),
    ("SanFrancisco", "-122.419416", "37.774929"),
    ("LosAngeles", "-118.243685", "34.052234"),
    ("Chicago", "-87.629798", "41.878114"),
    ("NewYork", "-74.005973", "40.712775"),
    ("MexicoCity", "-99.133208", "19.432608"),
    ("Bogota", "-74.072092", "4.710989"),
    ("Lima", "-77.042793", "-12.046374"),
    ("SaoPaulo", "-46.633309", "-23.550520"),
    ("BuenosAires", "-58.381559", "-34.603684"),
    ("Reykjavik", "-21.942400", "64.146582"),
    ("Longyearbyen", "15.635000", "78.223000"),
    ("Ushuaia", "-68.303000", "-54.801000"),
];

fn add_cities(p: &mut Pair, key: &str) {
    let mut cmd: Vec<&str> = vec!["GEOADD", key];
    for (name, lon, lat) in CITIES {
        cmd.extend([*lon, *lat, *name]);
    }
    p.check(&[&cmd]);
}

#[test]
fn geoadd_options_errors_and_replies_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &[
            "GEOADD",
            "g",
            "13.361389",
            "38.115556",
            "Palermo",
            "15.087269",
            "37.502669",
            "Catania",
        ],
        &["GEOADD", "g", "13.361389", "38.115556", "Palermo"],
        &["GEOADD", "g", "CH", "13.361389", "38.2", "Palermo", "1", "1", "new"],
        &["GEOADD", "g", "NX", "CH", "1", "2", "Palermo", "3", "4", "nx1"],
        &["GEOADD", "g", "XX", "CH", "1", "2", "Palermo", "3", "4", "xx1"],
        &["GEOADD", "g", "XX", "1", "2", "Palermo"],
        &["GEOADD", "g", "XX", "NX", "1", "2", "a"],
        &["GEOADD", "g", "NX", "XX", "CH", "1", "2", "a"],
        &["GEOADD", "g", "ch", "nx", "xx"],
        &["GEOADD", "g", "ch", "ch", "ch"],
        &["GEOADD", "g", "1", "2"],
        &["GEOADD", "g", "1", "2", "a", "3"],
        &["GEOADD", "g", "1"],
        &["GEOADD", "g", "200", "100", "a"],
        &["GEOADD", "g", "-180.000001", "0", "a"],
        &["GEOADD", "g", "0", "85.05112879", "a"],
        &["GEOADD", "g", "0", "-85.05112879", "a"],
        &["GEOADD", "g", "1", "2", "ok", "200", "0", "bad"],
        &["GEOADD", "g", "inf", "0", "a"],
        &["GEOADD", "g", "-inf", "0", "a"],
        &["GEOADD", "g", "x", "0", "a"],
        &["GEOADD", "g", "0", "y", "a"],
        &["GEOADD", "g", "nan", "0", "a"],
        &["GEOADD", "g", "1e400", "0", "a"],
        &["GEOADD", "g", " 1", "0", "a"],
        &["GEOADD", "g", "0x10", "0x8", "hex"],
        &["GEOADD", "g", "180", "85.05112878", "corner"],
        &["GEOADD", "g", "-180", "-85.05112878", "corner2"],
        &["GEOADD", "g", "0", "0", "origin", "-0", "-0", "negzero"],
        &["GEOADD", "g", "1.5", "2.5", "dup", "3.5", "4.5", "dup"],
        &["ZRANGE", "g", "0", "-1", "WITHSCORES"],
        &[
            "GEOPOS", "g", "ok", "hex", "corner", "corner2", "origin", "negzero", "dup", "bad",
        ],
        &["GEOADD", "g", "XX", "1", "1", "missing"],
        &["GEOADD", "nokey", "XX", "1", "1", "a"],
        &["EXISTS", "nokey"],
        &["SET", "str", "x"],
        &["GEOADD", "str", "1", "1", "a"],
        &["GEOADD", "str", "200", "1", "a"],
        &["GEOADD", "str", "XX", "NX", "1", "1", "a"],
        &["OBJECT", "ENCODING", "g"],
        &["TYPE", "g"],
    ]);
}

#[test]
fn geopos_geodist_geohash_match_the_oracle_for_cities() {
    let mut p = Pair::start();
    add_cities(&mut p, "w");
    let names: Vec<&str> = CITIES.iter().map(|c| c.0).collect();
    let mut pos = vec!["GEOPOS", "w"];
    pos.extend(&names);
    pos.push("Atlantis");
    let mut hash = vec!["GEOHASH", "w"];
    hash.extend(&names);
    hash.push("Atlantis");
    p.check(&[&pos, &hash]);
    for (i, a) in names.iter().enumerate() {
        let b = names[(i * 7 + 3) % names.len()];
        for unit in ["m", "km", "ft", "mi", "KM", "Mi"] {
            p.check(&[&["GEODIST", "w", a, b, unit]]);
        }
        p.check(&[&["GEODIST", "w", a, b]]);
    }
    p.check(&[
        &["GEODIST", "w", "Palermo", "Palermo"],
        &["GEODIST", "w", "Palermo", "Atlantis"],
        &["GEODIST", "w", "Atlantis", "Palermo", "km"],
        &["GEODIST", "w", "Palermo", "Catania", "yards"],
        &["GEODIST", "w", "Palermo", "Catania", "km", "extra"],
        &["GEODIST", "nokey", "a", "b"],
        &["GEODIST", "nokey", "a", "b", "bad"],
        &["GEODIST", "w", "a"],
        &["GEOPOS", "w"],
        &["GEOPOS", "nokey", "a", "b"],
        &["GEOHASH", "w"],
        &["GEOHASH", "nokey", "a", "b"],
        &["SET", "str", "x"],
        &["GEOPOS", "str", "a"],
        &["GEOHASH", "str", "a"],
        &["GEODIST", "str", "a", "b"],
        &["GEODIST", "str", "a", "b", "bad"],
        // Members whose scores are no geohash decode as C converts doubles.
        &["ZADD", "z", "-5", "neg", "1e300", "huge", "inf", "pinf", "-inf", "ninf"],
        &["ZADD", "z", "4503599627370496", "big", "0", "zero", "1.5", "frac"],
        &["ZADD", "z", "9007199254740993", "odd", "-1e-300", "tiny"],
        &[
            "GEOPOS", "z", "neg", "huge", "pinf", "ninf", "big", "zero", "frac", "odd", "tiny",
        ],
        &[
            "GEOHASH", "z", "neg", "huge", "pinf", "ninf", "big", "zero", "frac", "odd", "tiny",
        ],
        &["GEODIST", "z", "neg", "ninf"],
        &[
            "GEORADIUS",
            "z",
            "0",
            "0",
            "20000",
            "km",
            "WITHHASH",
            "WITHCOORD",
            "WITHDIST",
        ],
        &[
            "GEORADIUS",
            "z",
            "179",
            "-85",
            "2000",
            "km",
            "WITHHASH",
            "WITHCOORD",
            "ASC",
        ],
    ]);
}

#[test]
fn geo_replies_in_resp3_match_the_oracle() {
    let mut p = Pair::start();
    add_cities(&mut p, "w");
    p.hello3();
    p.check(&[
        &["GEOPOS", "w", "Palermo", "Atlantis", "Tokyo"],
        &["GEOPOS", "nokey", "a"],
        &["GEODIST", "w", "Palermo", "Catania", "km"],
        &["GEODIST", "w", "Palermo", "Atlantis"],
        &["GEODIST", "nokey", "a", "b"],
        &["GEOHASH", "w", "Palermo", "Atlantis"],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "15",
            "37",
            "BYRADIUS",
            "400",
            "km",
            "WITHCOORD",
            "WITHDIST",
            "WITHHASH",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Paris",
            "BYBOX",
            "2000",
            "2000",
            "km",
            "ASC",
            "WITHCOORD",
        ],
        &["GEOSEARCH", "w", "FROMMEMBER", "Paris", "BYRADIUS", "1", "m"],
        &["GEOSEARCH", "nokey", "FROMMEMBER", "Paris", "BYRADIUS", "1", "m"],
        &["GEORADIUS", "w", "0", "45", "1000", "km", "WITHDIST", "COUNT", "3"],
        &["GEORADIUSBYMEMBER_RO", "w", "Tokyo", "2000", "km", "WITHCOORD", "DESC"],
        &[
            "GEOSEARCHSTORE",
            "d",
            "w",
            "FROMLONLAT",
            "0",
            "45",
            "BYRADIUS",
            "1000",
            "km",
        ],
        &["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        &[
            "GEOSEARCH",
            "w",
            "BYRADIUS",
            "1",
            "m",
            "FROMLONLAT",
            "1",
            "1",
            "COUNT",
            "0",
        ],
        &["GEOADD", "w", "200", "0", "x"],
    ]);
}

#[test]
fn geosearch_and_georadius_option_errors_match_the_oracle() {
    let mut p = Pair::start();
    add_cities(&mut p, "w");
    p.check(&[
        &["SET", "str", "x"],
        &["GEOSEARCH", "w", "FROMLONLAT", "1", "1"],
        &["GEOSEARCH", "w", "FROMLONLAT", "1", "1", "WITHDIST"],
        &["GEOSEARCH", "w", "BYRADIUS", "1", "km", "ASC"],
        &["GEOSEARCH", "w", "FROMLONLAT", "1", "1", "BYRADIUS", "1"],
        &["GEOSEARCH", "w", "fromlonlat", "1", "1", "byradius", "1", "km", "any"],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "1",
            "1",
            "BYRADIUS",
            "1",
            "km",
            "COUNT",
            "0",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "1",
            "1",
            "BYRADIUS",
            "1",
            "km",
            "COUNT",
            "-3",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "1",
            "1",
            "BYRADIUS",
            "1",
            "km",
            "COUNT",
            "x",
        ],
        &["GEOSEARCH", "w", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "COUNT"],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "1",
            "1",
            "BYRADIUS",
            "1",
            "km",
            "COUNT",
            "99999999999999999999",
        ],
        &["GEOSEARCH", "w", "FROMMEMBER", "nosuch", "BYRADIUS", "1", "km"],
        &["GEOSEARCH", "w", "FROMMEMBER", "nosuch", "BYRADIUS", "x", "km"],
        &["GEOSEARCH", "nokey", "FROMMEMBER", "nosuch", "BYRADIUS", "1", "km"],
        &["GEOSEARCH", "nokey", "FROMMEMBER", "nosuch", "BYRADIUS", "x", "km"],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "FROMLONLAT",
            "1",
            "1",
            "BYRADIUS",
            "1",
            "km",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "1",
            "1",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "FROMMEMBER",
            "Paris",
            "BYRADIUS",
            "1000",
            "km",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
            "BYBOX",
            "1",
            "1",
            "km",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYBOX",
            "1",
            "1",
            "km",
            "BYRADIUS",
            "1",
            "km",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
            "BYRADIUS",
            "2000",
            "km",
        ],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYBOX", "1", "km"],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYBOX", "1", "1", "km", "x"],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYBOX", "x", "1", "km"],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYBOX", "1", "x", "km"],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYBOX", "-1", "1", "km"],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYBOX", "1", "-1", "km"],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYBOX", "1", "1", "yd"],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYRADIUS", "-1", "km"],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYRADIUS", "1", "yd"],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYRADIUS", "nan", "km"],
        &["GEOSEARCH", "w", "FROMLONLAT", "181", "1", "BYRADIUS", "1", "km"],
        &["GEOSEARCH", "w", "FROMLONLAT", "x", "1", "BYRADIUS", "1", "km"],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
            "STORE",
            "x",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
            "STOREDIST",
        ],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYRADIUS", "1", "km", "bogus"],
        &["GeoSearch", "w", "BYRADIUS", "1", "km", "WITHDIST", "ASC"],
        &["geosearch", "w", "FROMMEMBER", "Rome", "WITHDIST", "ASC"],
        &["GEOSEARCH", "str", "FROMMEMBER", "Rome", "BYRADIUS", "1", "km"],
        &["GEOSEARCH", "str", "bogus", "x", "y", "z", "w"],
        &[
            "GEOSEARCHSTORE",
            "d",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
            "WITHDIST",
        ],
        &[
            "GEOSEARCHSTORE",
            "d",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
            "WITHHASH",
        ],
        &[
            "GEOSEARCHSTORE",
            "d",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
            "STORE",
            "x",
        ],
        &["GEOSEARCHSTORE", "d", "w", "BYRADIUS", "1", "km", "STOREDIST"],
        &[
            "GEOSEARCHSTORE",
            "d",
            "str",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
        ],
        &[
            "GEOSEARCHSTORE",
            "d",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "1",
            "km",
            "any",
        ],
        &["GEORADIUS", "w", "1", "1", "1", "km", "WITHDIST", "STORE", "d"],
        &["GEORADIUS", "w", "1", "1", "1", "km", "STOREDIST", "d", "WITHCOORD"],
        &["GEORADIUS", "w", "1", "1", "1", "km", "STORE"],
        &["GEORADIUS", "w", "1", "1", "x", "km"],
        &["GEORADIUS", "w", "1", "1", "1", "parsec"],
        &["GEORADIUS", "w", "1", "1", "-1", "km"],
        &["GEORADIUS", "w", "1", "91", "1", "km"],
        &["GEORADIUS", "w", "1", "1", "1", "km", "FROMLONLAT", "1", "1"],
        &["GEORADIUS", "w", "1", "1", "1", "km", "BYBOX", "1", "1", "km"],
        &["GEORADIUS", "w", "1", "1", "1", "km", "ANY"],
        &["GEORADIUS", "w", "1", "1", "1", "km", "COUNT", "0"],
        &["GEORADIUS", "nokey", "1", "1", "x", "km"],
        &["GEORADIUS", "str", "1", "1", "x", "km"],
        &["GEORADIUS_RO", "w", "1", "1", "1", "km", "STORE", "d"],
        &["GEORADIUS_RO", "w", "1", "1", "1", "km", "STOREDIST", "d"],
        &["GEORADIUSBYMEMBER", "w", "nosuch", "1", "km"],
        &["GEORADIUSBYMEMBER", "w", "nosuch", "x", "km"],
        &["GEORADIUSBYMEMBER", "w", "Rome", "x", "km"],
        &["GEORADIUSBYMEMBER", "w", "Rome", "1", "x"],
        &["GEORADIUSBYMEMBER", "nokey", "nosuch", "x", "y"],
        &["GEORADIUSBYMEMBER", "nokey", "nosuch", "x", "y", "STORE", "d"],
        &["GEORADIUSBYMEMBER", "nokey", "nosuch", "x", "y", "bogus"],
        &["GEORADIUSBYMEMBER", "str", "nosuch", "x", "y"],
        &["GEORADIUSBYMEMBER_RO", "w", "Rome", "1", "km", "STORE", "d"],
        &[
            "GEORADIUSBYMEMBER_RO",
            "w",
            "Rome",
            "100",
            "km",
            "WITHDIST",
            "ANY",
            "COUNT",
            "1",
        ],
        &["GEORADIUS", "w", "1", "1"],
        &["GEORADIUSBYMEMBER", "w", "Rome", "1"],
        &["GEOSEARCHSTORE", "d", "w", "FROMMEMBER", "Rome", "BYRADIUS", "1"],
    ]);
}

#[test]
fn geosearch_results_and_their_order_match_the_oracle() {
    let mut p = Pair::start();
    add_cities(&mut p, "w");
    let mut script: Vec<Vec<String>> = Vec::new();
    let centres = [
        "Palermo",
        "Paris",
        "Tokyo",
        "NewYork",
        "Sydney",
        "Suva",
        "Reykjavik",
        "Nairobi",
    ];
    for c in centres {
        for (r, unit) in [
            ("100", "km"),
            ("1500", "km"),
            ("3000", "mi"),
            ("12000", "km"),
            ("20000", "km"),
            ("0", "m"),
        ] {
            for extra in [
                &[][..],
                &["ASC"][..],
                &["DESC", "WITHDIST"][..],
                &["COUNT", "3"][..],
                &["COUNT", "2", "DESC"][..],
                &["COUNT", "3", "ANY"][..],
                &["WITHCOORD", "WITHHASH", "WITHDIST"][..],
            ] {
                let mut cmd: Vec<String> = ["GEOSEARCH", "w", "FROMMEMBER", c, "BYRADIUS", r, unit]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                cmd.extend(extra.iter().map(|s| s.to_string()));
                script.push(cmd);
                let mut cmd: Vec<String> = ["GEORADIUSBYMEMBER", "w", c, r, unit]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                cmd.extend(extra.iter().map(|s| s.to_string()));
                script.push(cmd);
                let mut cmd: Vec<String> = ["GEOSEARCH", "w", "FROMMEMBER", c, "BYBOX", r, r, unit]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                cmd.extend(extra.iter().map(|s| s.to_string()));
                script.push(cmd);
            }
        }
    }
    let refs: Vec<Vec<&str>> = script.iter().map(|c| c.iter().map(|s| s.as_str()).collect()).collect();
    let refs: Vec<&[&str]> = refs.iter().map(|c| c.as_slice()).collect();
    p.check(&refs);
}

#[test]
fn searches_across_the_antimeridian_and_near_the_poles_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &[
            "GEOADD", "am", "179.9", "0", "e1", "-179.9", "0", "w1", "179.5", "10", "e2", "-179.5", "-10", "w2",
        ],
        &[
            "GEOADD", "am", "178", "-17", "fiji", "-171.7", "-13.8", "samoa", "180", "0", "edge", "-180", "0", "edge2",
        ],
        &[
            "GEOADD", "am", "0", "85.05", "np1", "90", "85", "np2", "180", "84.9", "np3", "-90", "84", "np4",
        ],
        &[
            "GEOADD", "am", "0", "-85.05", "sp1", "90", "-85", "sp2", "-180", "-84.9", "sp3", "45", "-80.5", "sp4",
        ],
        &[
            "GEOADD", "am", "10", "70", "n70", "170", "66.5", "n66", "-170", "81", "n81", "5", "-67", "s67",
        ],
    ]);
    let mut script: Vec<Vec<String>> = Vec::new();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    for (lon, lat) in [
        ("179.95", "0"),
        ("-179.95", "0"),
        ("180", "0"),
        ("-180", "0"),
        ("179", "-15"),
        ("0", "85"),
        ("180", "85.05112878"),
        ("-90", "-85"),
        ("45", "-80"),
        ("170", "66"),
        ("0", "-85.05112878"),
    ] {
        for (r, unit) in [
            ("50", "km"),
            ("500", "km"),
            ("2000", "km"),
            ("700", "mi"),
            ("6000", "km"),
        ] {
            script.push(s(&["GEORADIUS", "am", lon, lat, r, unit, "WITHDIST", "WITHCOORD"]));
            script.push(s(&["GEORADIUS", "am", lon, lat, r, unit, "ASC", "WITHHASH"]));
            script.push(s(&[
                "GEOSEARCH",
                "am",
                "FROMLONLAT",
                lon,
                lat,
                "BYRADIUS",
                r,
                unit,
                "DESC",
            ]));
            script.push(s(&[
                "GEOSEARCH",
                "am",
                "FROMLONLAT",
                lon,
                lat,
                "BYBOX",
                r,
                r,
                unit,
                "WITHDIST",
            ]));
            script.push(s(&[
                "GEOSEARCH",
                "am",
                "FROMLONLAT",
                lon,
                lat,
                "BYBOX",
                r,
                "100",
                unit,
                "ASC",
            ]));
            script.push(s(&["GEOSEARCH", "am", "FROMLONLAT", lon, lat, "BYBOX", "100", r, unit]));
        }
    }
    for m in ["e1", "w1", "edge", "np1", "np3", "sp3", "n81", "fiji"] {
        script.push(s(&["GEORADIUSBYMEMBER", "am", m, "1000", "km", "WITHDIST"]));
        script.push(s(&[
            "GEOSEARCH",
            "am",
            "FROMMEMBER",
            m,
            "BYBOX",
            "3000",
            "3000",
            "km",
            "WITHCOORD",
        ]));
    }
    let refs: Vec<Vec<&str>> = script.iter().map(|c| c.iter().map(|s| s.as_str()).collect()).collect();
    let refs: Vec<&[&str]> = refs.iter().map(|c| c.as_slice()).collect();
    p.check(&refs);
}

#[test]
fn stored_results_read_back_like_the_oracle_s() {
    let mut p = Pair::start();
    add_cities(&mut p, "w");
    p.check(&[
        &["GEORADIUS", "w", "12", "42", "1000", "km", "STORE", "r1"],
        &["ZRANGE", "r1", "0", "-1", "WITHSCORES"],
        &["OBJECT", "ENCODING", "r1"],
        &[
            "GEORADIUS",
            "w",
            "12",
            "42",
            "1000",
            "km",
            "STOREDIST",
            "r2",
            "COUNT",
            "3",
        ],
        &["ZRANGE", "r2", "0", "-1", "WITHSCORES"],
        &[
            "GEORADIUS",
            "w",
            "12",
            "42",
            "3000",
            "mi",
            "STOREDIST",
            "r2",
            "DESC",
            "COUNT",
            "2",
        ],
        &["ZRANGE", "r2", "0", "-1", "WITHSCORES"],
        &[
            "GEORADIUS",
            "w",
            "12",
            "42",
            "1000",
            "km",
            "STORE",
            "a",
            "STOREDIST",
            "b",
        ],
        &["EXISTS", "a", "b"],
        &["ZRANGE", "b", "0", "-1", "WITHSCORES"],
        &["GEORADIUSBYMEMBER", "w", "Tokyo", "3000", "km", "STORE", "r3"],
        &["ZRANGE", "r3", "0", "-1", "WITHSCORES"],
        &[
            "GEORADIUSBYMEMBER",
            "w",
            "Tokyo",
            "3000",
            "km",
            "STOREDIST",
            "r3",
            "ASC",
        ],
        &["ZRANGE", "r3", "0", "-1", "WITHSCORES"],
        &[
            "GEOSEARCHSTORE",
            "s1",
            "w",
            "FROMMEMBER",
            "Paris",
            "BYBOX",
            "3000",
            "3000",
            "km",
        ],
        &["ZRANGE", "s1", "0", "-1", "WITHSCORES"],
        &[
            "GEOSEARCHSTORE",
            "s2",
            "w",
            "FROMMEMBER",
            "Paris",
            "BYBOX",
            "3000",
            "3000",
            "km",
            "STOREDIST",
            "COUNT",
            "4",
        ],
        &["ZRANGE", "s2", "0", "-1", "WITHSCORES"],
        &[
            "GEOSEARCHSTORE",
            "s2",
            "w",
            "FROMLONLAT",
            "0",
            "0",
            "BYRADIUS",
            "1",
            "km",
        ],
        &["EXISTS", "s2"],
        &["SET", "str", "x"],
        &["EXPIRE", "s1", "1000"],
        &[
            "GEOSEARCHSTORE",
            "s1",
            "w",
            "FROMMEMBER",
            "Paris",
            "BYRADIUS",
            "500",
            "km",
        ],
        &["TTL", "s1"],
        &[
            "GEOSEARCHSTORE",
            "str",
            "w",
            "FROMMEMBER",
            "Paris",
            "BYRADIUS",
            "500",
            "km",
        ],
        &["TYPE", "str"],
        &["SET", "str", "x"],
        &[
            "GEOSEARCHSTORE",
            "str",
            "nokey",
            "FROMMEMBER",
            "Paris",
            "BYRADIUS",
            "500",
            "km",
        ],
        &["EXISTS", "str"],
        &["SET", "str", "x"],
        &["GEORADIUS", "nokey", "0", "0", "1", "km", "STORE", "str"],
        &["EXISTS", "str"],
        &["GEORADIUSBYMEMBER", "nokey", "x", "bad", "unit", "STORE", "r3"],
        &["EXISTS", "r3"],
        &["GEORADIUS", "w", "12", "42", "1000", "km", "STORE", "w"],
        &["ZRANGE", "w", "0", "-1", "WITHSCORES"],
        &[
            "COMMAND",
            "GETKEYS",
            "GEORADIUS",
            "w",
            "1",
            "1",
            "1",
            "km",
            "STORE",
            "d",
        ],
        &[
            "COMMAND",
            "GETKEYS",
            "GEORADIUS",
            "w",
            "1",
            "1",
            "1",
            "km",
            "STOREDIST",
            "d",
        ],
        &[
            "COMMAND",
            "GETKEYS",
            "GEORADIUSBYMEMBER",
            "w",
            "m",
            "1",
            "km",
            "STORE",
            "d",
        ],
        &[
            "COMMAND",
            "GETKEYS",
            "GEOSEARCHSTORE",
            "d",
            "w",
            "FROMMEMBER",
            "m",
            "BYRADIUS",
            "1",
            "km",
        ],
        &["CONFIG", "SET", "zset-max-listpack-entries", "3"],
        &[
            "GEOSEARCHSTORE",
            "big",
            "w",
            "FROMLONLAT",
            "10",
            "45",
            "BYRADIUS",
            "2000",
            "km",
        ],
        &["OBJECT", "ENCODING", "big"],
        &[
            "GEOSEARCHSTORE",
            "small",
            "w",
            "FROMLONLAT",
            "10",
            "45",
            "BYRADIUS",
            "2000",
            "km",
            "COUNT",
            "3",
        ],
        &["OBJECT", "ENCODING", "small"],
    ]);
}

#[test]
fn search_results_of_a_large_skiplist_set_match_the_oracle() {
    let mut p = Pair::start();
    let mut rng = SmallRng::seed_from_u64(0x6E0_5EED);
    let mut cmd: Vec<String> = vec!["GEOADD".into(), "big".into()];
    for i in 0..600 {
        let lon: f64 = rng.random_range(-10.0..10.0);
        let lat: f64 = rng.random_range(40.0..50.0);
        cmd.extend([format!("{lon:.5}"), format!("{lat:.5}"), format!("p{i}")]);
    }
    // Some points sharing one position, so distance ties occur.
    for i in 0..30 {
        cmd.extend(["2.5".into(), "45.5".into(), format!("same{i}")]);
    }
    let refs: Vec<&str> = cmd.iter().map(|s| s.as_str()).collect();
    p.check(&[&refs, &["OBJECT", "ENCODING", "big"]]);
    p.check(&[
        &["GEOSEARCH", "big", "FROMLONLAT", "2.5", "45.5", "BYRADIUS", "100", "km"],
        &[
            "GEOSEARCH",
            "big",
            "FROMLONLAT",
            "2.5",
            "45.5",
            "BYRADIUS",
            "100",
            "km",
            "ASC",
        ],
        &[
            "GEOSEARCH",
            "big",
            "FROMLONLAT",
            "2.5",
            "45.5",
            "BYRADIUS",
            "100",
            "km",
            "DESC",
            "WITHDIST",
        ],
        &[
            "GEOSEARCH",
            "big",
            "FROMLONLAT",
            "2.5",
            "45.5",
            "BYRADIUS",
            "300",
            "km",
            "COUNT",
            "40",
            "WITHDIST",
        ],
        &[
            "GEOSEARCH",
            "big",
            "FROMLONLAT",
            "2.5",
            "45.5",
            "BYRADIUS",
            "300",
            "km",
            "COUNT",
            "10",
        ],
        &[
            "GEOSEARCH",
            "big",
            "FROMLONLAT",
            "2.5",
            "45.5",
            "BYRADIUS",
            "300",
            "km",
            "COUNT",
            "45",
            "DESC",
        ],
        &[
            "GEOSEARCH",
            "big",
            "FROMLONLAT",
            "2.5",
            "45.5",
            "BYRADIUS",
            "300",
            "km",
            "COUNT",
            "100",
            "ASC",
        ],
        &[
            "GEOSEARCH",
            "big",
            "FROMLONLAT",
            "0",
            "45",
            "BYBOX",
            "800",
            "400",
            "km",
            "COUNT",
            "77",
            "WITHHASH",
        ],
        &[
            "GEOSEARCH",
            "big",
            "FROMLONLAT",
            "0",
            "45",
            "BYBOX",
            "800",
            "400",
            "km",
            "COUNT",
            "5",
            "ANY",
        ],
        &[
            "GEOSEARCH",
            "big",
            "FROMLONLAT",
            "0",
            "45",
            "BYBOX",
            "800",
            "400",
            "km",
            "COUNT",
            "50",
            "ANY",
            "ASC",
        ],
        &[
            "GEOSEARCH",
            "big",
            "FROMMEMBER",
            "p7",
            "BYRADIUS",
            "5000",
            "km",
            "COUNT",
            "8",
            "DESC",
            "WITHCOORD",
        ],
        &[
            "GEORADIUSBYMEMBER",
            "big",
            "same3",
            "50",
            "km",
            "COUNT",
            "20",
            "WITHDIST",
        ],
    ]);
}

// ---------------------------------------------------------------------------
// Random differential run.

const KEYS: &[&str] = &["g1", "g2", "g3", "str", "none"];
/// Destinations of the store variants: mostly keys of their own, sometimes a source.
const DESTINATIONS: &[&str] = &["d1", "d2", "d1", "d2", "g3", "str"];

fn member(rng: &mut SmallRng) -> String {
    format!("m{}", rng.random_range(0..20))
}

/// A point in one of a few regions (the Mediterranean, the antimeridian, the
/// far north, the far south, a tiny cluster), sometimes malformed.
fn point(rng: &mut SmallRng) -> (String, String) {
    let (lon, lat) = match rng.random_range(0..6) {
        5 if rng.random_range(0..3) != 0 => (rng.random_range(5.0..20.0), rng.random_range(35.0..45.0)),
        0 => (rng.random_range(5.0..20.0), rng.random_range(35.0..45.0)),
        1 => (
            rng.random_range(175.0..180.0) * if rng.random_bool(0.5) { 1.0 } else { -1.0 },
            rng.random_range(-20.0..20.0),
        ),
        2 => (rng.random_range(-180.0..180.0), rng.random_range(75.0..85.05)),
        3 => (rng.random_range(-180.0..180.0), rng.random_range(-85.05..-70.0)),
        4 => (
            2.35 + rng.random_range(-0.01..0.01),
            48.85 + rng.random_range(-0.01..0.01),
        ),
        _ => {
            return match rng.random_range(0..5) {
                0 => ("200".into(), "0".into()),
                1 => ("0".into(), "86".into()),
                2 => ("x".into(), "0".into()),
                3 => ("180".into(), "85.05112878".into()),
                _ => ("-180".into(), "-85.05112878".into()),
            };
        }
    };
    let digits = rng.random_range(0..7);
    (format!("{lon:.digits$}"), format!("{lat:.digits$}"))
}

fn unit(rng: &mut SmallRng) -> String {
    if rng.random_range(0..25) == 0 {
        return "yd".into();
    }
    ["m", "km", "km", "km", "ft", "mi", "KM", "Ft"][rng.random_range(0..8)].into()
}

fn radius(rng: &mut SmallRng) -> String {
    match rng.random_range(0..40) {
        0 => "0".into(),
        1 => "-1".into(),
        2 => "x".into(),
        3..=6 => format!("{}", rng.random_range(5000..25000)),
        _ => format!("{:.2}", 10f64.powf(rng.random_range(0.5..7.0))),
    }
}

fn options(rng: &mut SmallRng, v: &mut Vec<String>, store_ok: bool, with_ok: bool) {
    let mut counted = false;
    for _ in 0..rng.random_range(0..4) {
        match rng.random_range(0..12) {
            0 if with_ok => v.push("WITHDIST".into()),
            1 if with_ok => v.push("WITHCOORD".into()),
            2 if with_ok => v.push("WITHHASH".into()),
            3 => v.push("ASC".into()),
            4 => v.push("DESC".into()),
            5 | 6 => {
                v.push("COUNT".into());
                let low = if rng.random_range(0..20) == 0 { -1 } else { 1 };
                v.push(format!("{}", rng.random_range(low..8)));
                counted = true;
            }
            7 if counted || rng.random_range(0..10) == 0 => v.push("ANY".into()),
            8 if store_ok && !with_ok => {
                v.push(if rng.random_bool(0.5) { "STORE" } else { "STOREDIST" }.into());
                v.push(DESTINATIONS[rng.random_range(0..DESTINATIONS.len())].into());
            }
            _ => {
                v.push("COUNT".into());
                v.push(format!("{}", rng.random_range(1..30)));
            }
        }
    }
}

fn from_clause(rng: &mut SmallRng, v: &mut Vec<String>) {
    if rng.random_bool(0.5) {
        v.push("FROMMEMBER".into());
        v.push(member(rng));
    } else {
        let (lon, lat) = point(rng);
        v.extend(["FROMLONLAT".into(), lon, lat]);
    }
}

fn by_clause(rng: &mut SmallRng, v: &mut Vec<String>) {
    if rng.random_bool(0.5) {
        v.extend(["BYRADIUS".into(), radius(rng), unit(rng)]);
    } else {
        v.extend(["BYBOX".into(), radius(rng), radius(rng), unit(rng)]);
    }
}

fn random_command(rng: &mut SmallRng) -> Vec<String> {
    let key = KEYS[rng.random_range(0..KEYS.len())].to_string();
    let mut v: Vec<String> = Vec::new();
    match rng.random_range(0..20) {
        0..=4 => {
            v.extend(["GEOADD".into(), key]);
            for _ in 0..rng.random_range(0..2) {
                v.push(["NX", "XX", "CH"][rng.random_range(0..3)].into());
            }
            for _ in 0..rng.random_range(1..5) {
                let (lon, lat) = point(rng);
                v.extend([lon, lat, member(rng)]);
            }
        }
        5 => {
            v.extend(["GEOPOS".into(), key]);
            for _ in 0..rng.random_range(0..4) {
                v.push(member(rng));
            }
        }
        6 => {
            v.extend(["GEODIST".into(), key, member(rng), member(rng)]);
            if rng.random_bool(0.7) {
                v.push(unit(rng));
            }
        }
        7 => {
            v.extend(["GEOHASH".into(), key]);
            for _ in 0..rng.random_range(0..4) {
                v.push(member(rng));
            }
        }
        8..=12 => {
            v.extend(["GEOSEARCH".into(), key]);
            if rng.random_bool(0.5) {
                from_clause(rng, &mut v);
                by_clause(rng, &mut v);
            } else {
                by_clause(rng, &mut v);
                from_clause(rng, &mut v);
            }
            options(rng, &mut v, false, true);
        }
        13 | 14 => {
            let dst = DESTINATIONS[rng.random_range(0..DESTINATIONS.len())].to_string();
            v.extend(["GEOSEARCHSTORE".into(), dst, key]);
            from_clause(rng, &mut v);
            by_clause(rng, &mut v);
            let with = rng.random_range(0..20) == 0;
            options(rng, &mut v, false, with);
            if rng.random_bool(0.3) {
                v.push("STOREDIST".into());
            }
        }
        15 | 16 => {
            let ro = rng.random_bool(0.3);
            v.extend([if ro { "GEORADIUS_RO" } else { "GEORADIUS" }.into(), key]);
            let (lon, lat) = point(rng);
            v.extend([lon, lat, radius(rng), unit(rng)]);
            let store = !ro && rng.random_bool(0.4);
            let with = !store || rng.random_range(0..20) == 0;
            options(rng, &mut v, store, with);
        }
        17 => {
            let ro = rng.random_bool(0.3);
            v.extend([
                if ro {
                    "GEORADIUSBYMEMBER_RO"
                } else {
                    "GEORADIUSBYMEMBER"
                }
                .into(),
                key,
            ]);
            v.extend([member(rng), radius(rng), unit(rng)]);
            let store = !ro && rng.random_bool(0.4);
            let with = !store || rng.random_range(0..20) == 0;
            options(rng, &mut v, store, with);
        }
        18 => {
            v.extend(["ZRANGE".into(), key, "0".into(), "-1".into(), "WITHSCORES".into()]);
        }
        _ => {
            v.extend(["ZREM".into(), key, member(rng), member(rng)]);
        }
    }
    v
}

#[test]
fn random_geo_commands_agree_with_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["CONFIG", "SET", "zset-max-listpack-entries", "16"],
        &["SET", "str", "x"],
    ]);
    let mut rng = SmallRng::seed_from_u64(0x6E0_D1FF);
    let mut sent = 0;
    for round in 0..12_000 {
        let cmd = random_command(&mut rng);
        let refs: Vec<&str> = cmd.iter().map(|s| s.as_str()).collect();
        let (a, b) = p.both(&refs);
        assert_eq!(
            show(&a),
            show(&b),
            "reply to {cmd:?} differs (round {round}; left: shoal, right: redis)"
        );
        sent += 1;
        if round % 997 == 0 {
            // Keep a string around for the wrong-type paths.
            p.check(&[&["SET", "str", "x"]]);
        }
        if round == 6000 {
            p.hello3();
        }
    }
    assert!(sent >= 10_000);
    for k in KEYS.iter().chain(DESTINATIONS) {
        p.check(&[&["ZRANGE", k, "0", "-1", "WITHSCORES"], &["TYPE", k]]);
    }
}

#[test]
fn numbers_are_read_as_strtod_reads_them_and_extremes_do_not_break_searches() {
    let mut p = Pair::start();
    add_cities(&mut p, "w");
    p.check(&[
        &[
            "GEOADD", "h", "0x1.8p1", "-0x10", "hexfrac", "0X1P-3", "0x0", "hexexp", "+1.5", "+2", "plus",
        ],
        &[
            "GEOADD", "h", "1e1", "1E1", "exp", ".5", "5.", "dots", "1e-400", "0", "under",
        ],
        &["GEOADD", "h", "0x", "0", "bad", "1", "0x1p", "bad"],
        &["GEOADD", "h", "1", "2 ", "trail"],
        &["GEOADD", "h", "1", "", "empty"],
        &["GEOADD", "h", "1", "\t2", "tab"],
        &["ZRANGE", "h", "0", "-1", "WITHSCORES"],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "0",
            "0",
            "BYRADIUS",
            "inf",
            "km",
            "COUNT",
            "3",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "0",
            "0",
            "BYRADIUS",
            "1e308",
            "km",
            "COUNT",
            "3",
            "WITHDIST",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "0",
            "0",
            "BYBOX",
            "inf",
            "inf",
            "km",
            "COUNT",
            "3",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "0",
            "0",
            "BYBOX",
            "1e308",
            "1",
            "mi",
            "COUNT",
            "3",
        ],
        &["GEOSEARCH", "w", "FROMLONLAT", "0", "0", "BYBOX", "0", "0", "m"],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "0",
            "m",
            "WITHDIST",
            "WITHCOORD",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYBOX",
            "0",
            "0",
            "km",
            "WITHDIST",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMLONLAT",
            "0x10",
            "0x20",
            "BYRADIUS",
            "0x100",
            "km",
        ],
        &["GEOSEARCH", "w", "FROMMEMBER", "Rome", "BYRADIUS", "1e400", "km"],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "-0",
            "km",
            "WITHDIST",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "20000",
            "km",
            "COUNT",
            "9223372036854775807",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "20000",
            "km",
            "COUNT",
            "9223372036854775808",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "20000",
            "km",
            "COUNT",
            "1",
            "ANY",
            "DESC",
        ],
        &[
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "Rome",
            "BYRADIUS",
            "20000",
            "km",
            "COUNT",
            "5",
            "ANY",
            "ASC",
            "WITHDIST",
        ],
        &[
            "GEORADIUS",
            "w",
            "180",
            "85.05112878",
            "50000",
            "km",
            "COUNT",
            "4",
            "DESC",
        ],
        &["GEORADIUS", "w", "-180", "-85.05112878", "1", "m"],
        &["GEOHASH", "w", "Palermo", "Palermo"],
        &["GEOPOS", "w", "Palermo", "Palermo"],
    ]);
}

#[test]
fn geo_writes_touch_watched_keys_and_keep_encodings_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["GEOADD", "g", "1", "1", "a"],
        &["WATCH", "g"],
        &["GEOADD", "g", "1", "1", "a"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "g"],
        &["GEOADD", "g", "1", "2", "a"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "d"],
        &["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "a", "BYRADIUS", "10", "km"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "d"],
        &["GEORADIUS", "nokey", "0", "0", "1", "km", "STORE", "d"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["EXISTS", "d"],
        &["MULTI"],
        &["GEOADD", "g", "2", "2", "b"],
        &["GEOSEARCH", "g", "FROMLONLAT", "1", "1", "BYRADIUS", "500", "km", "ASC"],
        &["GEOADD", "g", "200", "2", "b"],
        &["EXEC"],
        &["OBJECT", "ENCODING", "g"],
        &["CONFIG", "SET", "zset-max-listpack-entries", "4"],
        &["GEOADD", "g", "3", "3", "c", "4", "4", "d", "5", "5", "e"],
        &["OBJECT", "ENCODING", "g"],
        &[
            "GEOADD",
            "long",
            "1",
            "1",
            "a-member-name-that-is-longer-than-sixty-four-bytes-for-the-encoding-switch",
        ],
        &["OBJECT", "ENCODING", "long"],
        &["GEOSEARCH", "g", "FROMLONLAT", "1", "1", "BYRADIUS", "1000", "km"],
        &[
            "GEOSEARCHSTORE",
            "s",
            "g",
            "FROMLONLAT",
            "1",
            "1",
            "BYRADIUS",
            "1000",
            "km",
            "COUNT",
            "4",
        ],
        &["OBJECT", "ENCODING", "s"],
        &[
            "GEOSEARCHSTORE",
            "s",
            "g",
            "FROMLONLAT",
            "1",
            "1",
            "BYRADIUS",
            "1000",
            "km",
        ],
        &["OBJECT", "ENCODING", "s"],
        &["ZREM", "g", "a", "b", "c", "d", "e"],
        &["EXISTS", "g"],
    ]);
}

#[test]
fn geo_reads_count_keyspace_hits_and_misses_like_redis() {
    let mut p = Pair::start();
    p.check(&[
        &["GEOADD", "g", "1", "1", "a"],
        &["SET", "s", "x"],
        &["CONFIG", "RESETSTAT"],
        &["GEOPOS", "g", "a"],
        &["GEOPOS", "nokey", "a"],
        &["GEOHASH", "g", "zz"],
        &["GEOHASH", "nokey", "a"],
        &["GEODIST", "g", "a", "a"],
        &["GEODIST", "nokey", "a", "a"],
        &["GEODIST", "s", "a", "a"],
        &["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km"],
        &["GEOSEARCH", "nokey", "FROMMEMBER", "a", "BYRADIUS", "1", "km"],
        &["GEOSEARCH", "g", "FROMMEMBER", "zz", "BYRADIUS", "1", "km"],
        &["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km"],
        &["GEOSEARCHSTORE", "d", "nokey", "FROMMEMBER", "a", "BYRADIUS", "1", "km"],
        &["GEORADIUS", "g", "1", "1", "1", "km", "STORE", "d"],
        &["GEORADIUS", "nokey", "1", "1", "1", "km"],
        &["GEORADIUSBYMEMBER_RO", "g", "a", "1", "km"],
        &["GEORADIUSBYMEMBER", "s", "a", "1", "km"],
        &["GEOADD", "g", "2", "2", "b"],
        &["GEOADD", "new", "2", "2", "b"],
    ]);
    let stats = |reply: &[u8]| {
        let text = String::from_utf8_lossy(reply).into_owned();
        text.lines()
            .filter(|l| l.starts_with("keyspace_hits:") || l.starts_with("keyspace_misses:"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (s, r) = p.both(&["INFO", "stats"]);
    assert_eq!(stats(&s), stats(&r));
    assert_eq!(stats(&s).len(), 2);
}
