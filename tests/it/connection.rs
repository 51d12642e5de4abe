//! Connection commands: PING, ECHO, QUIT, HELLO, AUTH, SELECT, RESET and
//! the CLIENT family, against the oracle where replies are deterministic
//! and with real connections where they are not.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::support::{encode, show, Oracle, Pair, Raw, Server};

/// The integer of a `:n` reply.
fn int_reply(r: &[u8]) -> i64 {
    let s = String::from_utf8_lossy(r);
    s.trim_start_matches(':')
        .trim_end()
        .parse()
        .unwrap_or_else(|_| panic!("not an integer: {s:?}"))
}

/// The text of a bulk or verbatim reply.
fn text_reply(r: &[u8]) -> String {
    let s = String::from_utf8_lossy(r).into_owned();
    let body = s.split_once("\r\n").map(|x| x.1).unwrap_or_default();
    let body = body.strip_suffix("\r\n").unwrap_or(body);
    body.strip_prefix("txt:").unwrap_or(body).to_string()
}

/// `CLIENT LIST` lines as (field, value) lists.
fn client_lines(text: &str) -> Vec<Vec<(String, String)>> {
    text.lines()
        .map(|l| {
            l.split(' ')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    (k.to_string(), v.to_string())
                })
                .collect()
        })
        .collect()
}

fn field<'a>(line: &'a [(String, String)], name: &str) -> &'a str {
    line.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {line:?}"))
}

/// The fields of a client line, in Redis 7.2's order.
const CLIENT_FIELDS: &[&str] = &[
    "id",
    "addr",
    "laddr",
    "fd",
    "name",
    "age",
    "idle",
    "flags",
    "db",
    "sub",
    "psub",
    "ssub",
    "multi",
    "qbuf",
    "qbuf-free",
    "argv-mem",
    "multi-mem",
    "rbs",
    "rbp",
    "obl",
    "oll",
    "omem",
    "tot-mem",
    "events",
    "cmd",
    "user",
    "redir",
    "resp",
    "lib-name",
    "lib-ver",
];

#[test]
fn ping_echo_and_select_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["ECHO"],
        &["ECHO", "a", "b"],
        &["ECHO", "hello"],
        &["ECHO", ""],
        &["PING", "a", "b"],
        &["SELECT"],
        &["SELECT", "x"],
        &["SELECT", "16"],
        &["SELECT", "-1"],
        &["SELECT", "1.5"],
        &["SELECT", "4294967296"],
        &["SELECT", "2"],
        &["SET", "k", "in-db-2"],
        &["SELECT", "0"],
        &["GET", "k"],
        &["SELECT", "2"],
        &["GET", "k"],
    ]);
}

#[test]
fn auth_without_a_configured_password_matches_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["AUTH"],
        &["AUTH", "x"],
        &["AUTH", "nobody", "x"],
        &["AUTH", "default", "anything"],
        &["AUTH", "a", "b", "c"],
        &["PING"],
    ]);
}

#[test]
fn hello_errors_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["HELLO", "4"],
        &["HELLO", "1"],
        &["HELLO", "-1"],
        &["HELLO", "x"],
        &["HELLO", "99999999999999999999"],
        &["HELLO", "2", "AUTH"],
        &["HELLO", "2", "AUTH", "default"],
        &["HELLO", "3", "AUTH", "nobody", "pass"],
        &["HELLO", "2", "SETNAME"],
        &["HELLO", "2", "SETNAME", "a b"],
        &["HELLO", "2", "FOO"],
        &["HELLO", "3", "SETNAME", "a b", "FOO"],
        // A failed HELLO leaves the protocol alone.
        &["CONFIG", "GET", "maxmemory"],
    ]);
}

#[test]
fn hello_replies_redis_fields_and_switches_protocol() {
    let s = Server::start();
    let mut raw = s.raw();
    let id = int_reply(&raw.cmd(&["CLIENT", "ID"]));
    let expected = |proto: u8, map: &str| {
        format!(
            "{map}$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.4\r\n$5\r\nproto\r\n:{proto}\r\n\
             $2\r\nid\r\n:{id}\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n\
             $7\r\nmodules\r\n*0\r\n"
        )
    };
    assert_eq!(show(&raw.cmd(&["HELLO"])), show(expected(2, "*14\r\n").as_bytes()));
    assert_eq!(
        show(&raw.cmd(&["HELLO", "3", "SETNAME", "conn"])),
        show(expected(3, "%7\r\n").as_bytes())
    );
    assert_eq!(raw.cmd(&["CLIENT", "GETNAME"]), b"$4\r\nconn\r\n");
    assert_eq!(raw.cmd(&["GET", "missing"]), b"_\r\n");
    assert_eq!(show(&raw.cmd(&["HELLO", "2"])), show(expected(2, "*14\r\n").as_bytes()));
    assert_eq!(raw.cmd(&["GET", "missing"]), b"$-1\r\n");
}

#[test]
fn client_setname_and_getname_match_the_oracle() {
    let mut p = Pair::start();
    p.check_raw(&[
        vec![b"CLIENT".to_vec(), b"GETNAME".to_vec()],
        vec![b"CLIENT".to_vec(), b"SETNAME".to_vec(), b"a b".to_vec()],
        vec![b"CLIENT".to_vec(), b"SETNAME".to_vec(), b"a\nb".to_vec()],
        vec![b"CLIENT".to_vec(), b"SETNAME".to_vec(), "é".as_bytes().to_vec()],
        vec![b"CLIENT".to_vec(), b"SETNAME".to_vec(), b"worker-1~!".to_vec()],
        vec![b"CLIENT".to_vec(), b"GETNAME".to_vec()],
        vec![b"CLIENT".to_vec(), b"SETNAME".to_vec(), b"".to_vec()],
        vec![b"CLIENT".to_vec(), b"GETNAME".to_vec()],
        vec![b"CLIENT".to_vec(), b"SETNAME".to_vec()],
        vec![b"CLIENT".to_vec(), b"GETNAME".to_vec(), b"x".to_vec()],
    ]);
}

#[test]
fn client_argument_errors_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["CLIENT"],
        &["CLIENT", "FOO"],
        &["client", "Foo", "bar"],
        &["CLIENT", "ID", "x"],
        &["CLIENT", "INFO", "x"],
        &["CLIENT", "HELP", "x"],
        &["CLIENT", "NO-EVICT"],
        &["CLIENT", "NO-EVICT", "maybe"],
        &["CLIENT", "NO-EVICT", "on"],
        &["CLIENT", "NO-EVICT", "OFF"],
        &["CLIENT", "REPLY"],
        &["CLIENT", "REPLY", "sometimes"],
        &["CLIENT", "PAUSE"],
        &["CLIENT", "PAUSE", "x"],
        &["CLIENT", "PAUSE", "-1"],
        &["CLIENT", "PAUSE", "0", "reads"],
        &["CLIENT", "PAUSE", "x", "reads"],
        &["CLIENT", "pause", "1", "write", "x"],
        &["CLIENT", "PAUSE", "0", "write"],
        &["CLIENT", "PAUSE", "0", "ALL"],
        &["CLIENT", "UNPAUSE"],
        &["CLIENT", "UNPAUSE", "x"],
        &["CLIENT", "LIST", "TYPE", "foo"],
        &["CLIENT", "LIST", "ID", "x"],
        &["CLIENT", "LIST", "ID", "99999"],
        &["CLIENT", "LIST", "ID"],
        &["CLIENT", "LIST", "foo"],
        &["CLIENT", "LIST", "TYPE", "normal", "x"],
        &["CLIENT", "LIST", "TYPE", "pubsub"],
        &["CLIENT", "LIST", "TYPE", "replica"],
        &["CLIENT", "LIST", "TYPE", "master"],
    ]);
}

#[test]
fn client_kill_errors_and_counts_match_the_oracle() {
    let mut p = Pair::start();
    p.check(&[
        &["CLIENT", "KILL"],
        &["CLIENT", "KILL", "1.2.3.4:5"],
        &["CLIENT", "KILL", "ID"],
        &["CLIENT", "KILL", "ID", "x"],
        &["CLIENT", "KILL", "ID", "0"],
        &["CLIENT", "KILL", "ID", "-1"],
        &["CLIENT", "KILL", "ID", "99999"],
        &["CLIENT", "KILL", "ID", "1", "ADDR"],
        &["CLIENT", "KILL", "FOO", "bar"],
        &["CLIENT", "KILL", "TYPE", "foo"],
        &["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "maybe"],
        &["CLIENT", "KILL", "USER", "nobody"],
        &["CLIENT", "KILL", "ADDR", "1.2.3.4:5"],
        &["CLIENT", "KILL", "LADDR", "1.2.3.4:5"],
        &["CLIENT", "KILL", "TYPE", "master"],
        &["CLIENT", "KILL", "TYPE", "slave"],
        &["CLIENT", "KILL", "TYPE", "pubsub"],
        &["PING"],
    ]);
}

/// Sends `script` pipelined, then `CLIENT REPLY ON` and a marker, and
/// returns every byte received up to and including the marker's reply.
fn pipelined_replies(raw: &mut Raw, script: &[&[&str]]) -> Vec<u8> {
    let mut wire = Vec::new();
    for cmd in script {
        let args: Vec<&[u8]> = cmd.iter().map(|a| a.as_bytes()).collect();
        wire.extend(encode(&args));
    }
    wire.extend(encode(&[b"CLIENT", b"REPLY", b"ON"]));
    wire.extend(encode(&[b"ECHO", b"end-of-script"]));
    raw.send_bytes(&wire);
    let mut all = Vec::new();
    loop {
        let r = raw.read_reply();
        all.extend_from_slice(&r);
        if r == b"$13\r\nend-of-script\r\n" {
            return all;
        }
    }
}

#[test]
fn client_reply_sequences_match_the_oracle() {
    let script: &[&[&str]] = &[
        &["CLIENT", "REPLY", "OFF"],
        &["PING"],
        &["SET", "k", "v"],
        &["CLIENT", "REPLY", "SKIP"],
        &["PING"],
        &["CLIENT", "REPLY", "ON"],
        &["PING", "after-on"],
        &["CLIENT", "REPLY", "SKIP"],
        &["GET", "k"],
        &["PING", "shown"],
        &["CLIENT", "REPLY", "SKIP"],
        &["CLIENT", "REPLY", "SKIP"],
        &["PING", "hidden"],
        &["PING", "shown-again"],
        &["CLIENT", "REPLY", "ON"],
        &["CLIENT", "REPLY", "SKIP"],
        &["CLIENT", "REPLY", "OFF"],
        &["PING", "off"],
        &["CLIENT", "REPLY", "ON"],
        &["CLIENT", "REPLY", "SKIP"],
        &["CLIENT", "REPLY", "ON"],
        &["CLIENT", "REPLY", "SKIP"],
        &["NOSUCHCOMMAND"],
        &["CLIENT", "REPLY", "SKIP"],
        &["CLIENT", "REPLY", "BAD"],
        &["CLIENT", "REPLY", "SKIP"],
        &["RESET"],
        &["PING", "last"],
    ];
    let mut p = Pair::start();
    let a = pipelined_replies(&mut p.s, script);
    let b = pipelined_replies(&mut p.r, script);
    assert_eq!(show(&a), show(&b));
}

#[test]
fn reset_returns_the_connection_to_its_initial_state() {
    let mut p = Pair::start();
    p.check(&[
        &["SELECT", "3"],
        &["SET", "k", "db3"],
        &["CLIENT", "SETNAME", "before-reset"],
        &["CLIENT", "NO-EVICT", "on"],
    ]);
    p.hello3();
    p.check(&[
        &["GET", "missing"],
        &["RESET"],
        &["GET", "missing"],
        &["CLIENT", "GETNAME"],
        &["GET", "k"],
        &["SELECT", "3"],
        &["GET", "k"],
        &["RESET", "x"],
    ]);
    let info = text_reply(&p.s.cmd(&["CLIENT", "INFO"]));
    let line = &client_lines(&info)[0];
    assert_eq!(field(line, "flags"), "N");
    assert_eq!(field(line, "resp"), "2");
}

#[test]
fn quit_replies_ok_then_closes() {
    let mut p = Pair::start();
    p.check(&[&["QUIT"]]);
    assert!(p.s.is_closed());
    assert!(p.r.is_closed());
}

#[test]
fn requirepass_demands_auth_and_rejects_wrong_passwords() {
    let s = Server::start_with(&["--requirepass", "s3cret"]);
    let mut raw = s.raw();
    assert_eq!(raw.cmd(&["PING"]), b"-NOAUTH Authentication required.\r\n");
    assert_eq!(raw.cmd(&["GET", "k"]), b"-NOAUTH Authentication required.\r\n");
    let wrongpass = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n";
    assert_eq!(raw.cmd(&["AUTH", "nope"]), wrongpass);
    assert_eq!(raw.cmd(&["AUTH", "default", "nope"]), wrongpass);
    assert_eq!(raw.cmd(&["AUTH", "admin", "s3cret"]), wrongpass);
    let hello_noauth = "-NOAUTH HELLO must be called with the client already authenticated, otherwise the \
                        HELLO AUTH <user> <pass> option can be used to authenticate the client and select \
                        the RESP protocol version at the same time\r\n";
    assert_eq!(show(&raw.cmd(&["HELLO", "3"])), show(hello_noauth.as_bytes()));
    assert_eq!(raw.cmd(&["AUTH", "s3cret"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["PING"]), b"+PONG\r\n");
    // A later failure does not undo the earlier success.
    assert_eq!(raw.cmd(&["AUTH", "nope"]), wrongpass);
    assert_eq!(raw.cmd(&["PING"]), b"+PONG\r\n");
    // RESET forgets the authentication when a password is required.
    assert_eq!(raw.cmd(&["RESET"]), b"+RESET\r\n");
    assert_eq!(raw.cmd(&["PING"]), b"-NOAUTH Authentication required.\r\n");

    let url = format!("redis://:s3cret@{}/", s.addr);
    let mut c = redis::Client::open(url).unwrap().get_connection().unwrap();
    let _: () = redis::cmd("SET").arg("k").arg("v").query(&mut c).unwrap();
    let v: String = redis::cmd("GET").arg("k").query(&mut c).unwrap();
    assert_eq!(v, "v");
    let bad = redis::Client::open(format!("redis://:wrong@{}/", s.addr))
        .unwrap()
        .get_connection();
    assert!(bad.is_err(), "a wrong password must not connect");
}

#[test]
fn requirepass_errors_match_the_oracle() {
    // The oracle gets the same password at run time.
    let s = Server::start_with(&["--requirepass", "pw"]);
    let o = Oracle::start();
    let mut admin = o.raw();
    assert_eq!(admin.cmd(&["CONFIG", "SET", "requirepass", "pw"]), b"+OK\r\n");
    let mut p = (s.raw(), o.raw());
    for cmd in [
        &["PING"][..],
        &["AUTH", "x"],
        &["AUTH", "default", "x"],
        &["AUTH", "foo", "pw"],
        &["HELLO", "3"],
        &["HELLO", "2", "AUTH", "default", "x"],
        &["HELLO"],
        &["CLIENT", "ID"],
        &["AUTH", "pw"],
        &["SELECT", "1"],
        &["RESET"],
        &["CLIENT", "GETNAME"],
        &["AUTH", "default", "pw"],
        &["PING"],
    ] {
        assert_eq!(show(&p.0.cmd(cmd)), show(&p.1.cmd(cmd)), "reply to {cmd:?} differs");
    }
}

#[test]
fn hello_3_with_auth_authenticates_and_speaks_resp3() {
    let s = Server::start_with(&["--requirepass", "pw"]);
    let mut raw = s.raw();
    assert_eq!(
        raw.cmd(&["HELLO", "3", "AUTH", "default", "wrong"]),
        b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
    );
    let hello = raw.cmd(&["HELLO", "3", "AUTH", "default", "pw", "SETNAME", "r3"]);
    assert!(hello.starts_with(b"%7\r\n"), "{}", show(&hello));
    assert_eq!(
        raw.cmd(&["CONFIG", "GET", "maxmemory"]),
        b"%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"
    );
    assert_eq!(raw.cmd(&["CLIENT", "GETNAME"]), b"$2\r\nr3\r\n");
}

#[test]
fn client_kill_disconnects_other_connections() {
    let s = Server::start();
    let mut killer = s.raw();
    let mut by_id = s.raw();
    let mut by_addr = s.raw();
    let id = int_reply(&by_id.cmd(&["CLIENT", "ID"]));
    assert_eq!(killer.cmd(&["CLIENT", "KILL", "ID", &id.to_string()]), b":1\r\n");
    assert!(by_id.is_closed(), "the killed connection stays open");

    let info = text_reply(&by_addr.cmd(&["CLIENT", "INFO"]));
    let addr = field(&client_lines(&info)[0], "addr").to_string();
    assert_eq!(killer.cmd(&["CLIENT", "KILL", &addr]), b"+OK\r\n");
    assert!(by_addr.is_closed());
    assert_eq!(killer.cmd(&["CLIENT", "KILL", &addr]), b"-ERR No such client\r\n");

    // Killing yourself still delivers the reply, then closes.
    let mut me = s.raw();
    let my_id = int_reply(&me.cmd(&["CLIENT", "ID"]));
    assert_eq!(me.cmd(&["CLIENT", "KILL", "ID", &my_id.to_string()]), b":0\r\n");
    assert_eq!(
        me.cmd(&["CLIENT", "KILL", "ID", &my_id.to_string(), "SKIPME", "no"]),
        b":1\r\n"
    );
    assert!(me.is_closed());
    assert_eq!(killer.cmd(&["PING"]), b"+PONG\r\n");
}

#[test]
fn client_kill_by_type_and_maxage_counts_matches() {
    let s = Server::start();
    let mut killer = s.raw();
    let mut others: Vec<Raw> = (0..3).map(|_| s.raw()).collect();
    for o in &mut others {
        assert_eq!(o.cmd(&["PING"]), b"+PONG\r\n");
    }
    assert_eq!(killer.cmd(&["CLIENT", "KILL", "MAXAGE", "3600"]), b":0\r\n");
    assert_eq!(
        killer.cmd(&["CLIENT", "KILL", "MAXAGE", "0"]),
        b"-ERR maxage should be greater than 0\r\n"
    );
    assert_eq!(killer.cmd(&["CLIENT", "KILL", "TYPE", "normal"]), b":3\r\n");
    for o in &mut others {
        assert!(o.is_closed());
    }
}

/// Reads one INFO field through `raw`.
fn info_field(raw: &mut Raw, section: &str, name: &str) -> u64 {
    let text = text_reply(&raw.cmd(&["INFO", section]));
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

#[test]
fn client_pause_write_holds_writes_until_unpause() {
    let s = Server::start();
    let mut admin = s.raw();
    let mut reader = s.raw();
    assert_eq!(admin.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]), b"+OK\r\n");

    let set = encode(&[b"SET", b"k", b"v"]);
    let mut writer = TcpStream::connect(s.addr).unwrap();
    let before = info_field(&mut admin, "stats", "total_net_input_bytes");
    writer.write_all(&set).unwrap();
    // Wait until the server has read the SET: the input byte counter grows
    // by its length plus the INFO commands used to watch it.
    let info_len = encode(&[b"INFO", b"stats"]).len() as u64;
    let mut polls = 1;
    loop {
        let now = info_field(&mut admin, "stats", "total_net_input_bytes");
        if now >= before + polls * info_len + set.len() as u64 {
            break;
        }
        polls += 1;
        assert!(polls < 100_000, "the SET never reached the server");
    }
    // Reads go on during a WRITE pause; the write has not happened.
    assert_eq!(reader.cmd(&["GET", "k"]), b"$-1\r\n");
    assert_eq!(reader.cmd(&["DBSIZE"]), b":0\r\n");
    writer.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let mut buf = [0u8; 64];
    assert!(writer.read(&mut buf).is_err(), "the paused SET was answered");

    assert_eq!(admin.cmd(&["CLIENT", "UNPAUSE"]), b"+OK\r\n");
    writer.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let n = writer.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"+OK\r\n");
    assert_eq!(reader.cmd(&["GET", "k"]), b"$1\r\nv\r\n");
}

#[test]
fn client_list_describes_every_client_with_name_and_db() {
    let s = Server::start();
    let mut a = s.raw();
    let mut b = s.raw();
    assert_eq!(a.cmd(&["CLIENT", "SETNAME", "alpha"]), b"+OK\r\n");
    assert_eq!(a.cmd(&["SELECT", "3"]), b"+OK\r\n");
    assert_eq!(b.cmd(&["CLIENT", "SETNAME", "beta"]), b"+OK\r\n");
    let a_id = int_reply(&a.cmd(&["CLIENT", "ID"]));
    let b_id = int_reply(&b.cmd(&["CLIENT", "ID"]));

    let text = text_reply(&a.cmd(&["CLIENT", "LIST"]));
    assert!(text.ends_with('\n'));
    let lines = client_lines(&text);
    assert_eq!(lines.len(), 2, "{text}");
    for line in &lines {
        let names: Vec<&str> = line.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, CLIENT_FIELDS);
    }
    let alpha = lines.iter().find(|l| field(l, "id") == a_id.to_string()).unwrap();
    assert_eq!(field(alpha, "name"), "alpha");
    assert_eq!(field(alpha, "db"), "3");
    assert_eq!(field(alpha, "cmd"), "client|list");
    assert_eq!(field(alpha, "flags"), "N");
    assert_eq!(field(alpha, "user"), "default");
    assert_eq!(field(alpha, "resp"), "2");
    let beta = lines.iter().find(|l| field(l, "id") == b_id.to_string()).unwrap();
    assert_eq!(field(beta, "name"), "beta");
    assert_eq!(field(beta, "db"), "0");
    assert_eq!(field(beta, "cmd"), "client|id");

    let only_b = text_reply(&a.cmd(&["CLIENT", "LIST", "ID", &b_id.to_string(), "99999"]));
    assert_eq!(client_lines(&only_b).len(), 1);
    assert_eq!(field(&client_lines(&only_b)[0], "name"), "beta");
    let normal = text_reply(&a.cmd(&["CLIENT", "LIST", "TYPE", "NORMAL"]));
    assert_eq!(client_lines(&normal).len(), 2);

    let own = text_reply(&b.cmd(&["CLIENT", "INFO"]));
    assert_eq!(client_lines(&own).len(), 1);
    assert_eq!(field(&client_lines(&own)[0], "cmd"), "client|info");
}

#[test]
fn client_no_touch_no_evict_and_setinfo_show_in_client_info() {
    let s = Server::start();
    let mut raw = s.raw();
    assert_eq!(raw.cmd(&["CLIENT", "NO-EVICT", "on"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["CLIENT", "NO-TOUCH", "ON"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["CLIENT", "NO-TOUCH", "maybe"]), b"-ERR syntax error\r\n");
    assert_eq!(raw.cmd(&["CLIENT", "SETINFO", "LIB-NAME", "redis-rs"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["CLIENT", "SETINFO", "lib-ver", "0.32.0"]), b"+OK\r\n");
    assert_eq!(
        raw.cmd(&["CLIENT", "SETINFO", "lib-ver", "1 2"]),
        b"-ERR lib-ver cannot contain spaces, newlines or special characters.\r\n"
    );
    assert_eq!(
        raw.cmd(&["CLIENT", "SETINFO", "color", "red"]),
        b"-ERR Unrecognized option 'color'\r\n"
    );
    let info = text_reply(&raw.cmd(&["CLIENT", "INFO"]));
    let line = &client_lines(&info)[0];
    assert_eq!(field(line, "flags"), "eT");
    assert_eq!(field(line, "lib-name"), "redis-rs");
    assert_eq!(field(line, "lib-ver"), "0.32.0");
    assert_eq!(raw.cmd(&["CLIENT", "NO-TOUCH", "off"]), b"+OK\r\n");
    assert_eq!(raw.cmd(&["CLIENT", "NO-EVICT", "off"]), b"+OK\r\n");
    let info = text_reply(&raw.cmd(&["CLIENT", "INFO"]));
    assert_eq!(field(&client_lines(&info)[0], "flags"), "N");
}

#[test]
fn client_help_lists_subcommands_as_status_lines() {
    let s = Server::start();
    let mut raw = s.raw();
    let help = String::from_utf8(raw.cmd(&["CLIENT", "HELP"])).unwrap();
    assert!(help.starts_with('*'));
    let lines: Vec<&str> = help.split("\r\n").skip(1).filter(|l| !l.is_empty()).collect();
    assert!(lines.iter().all(|l| l.starts_with('+')), "{help}");
    assert!(lines[0].starts_with("+CLIENT <subcommand>"));
    for sub in [
        "+GETNAME",
        "+ID",
        "+INFO",
        "+LIST",
        "+PAUSE",
        "+REPLY",
        "+SETNAME",
        "+UNPAUSE",
        "+HELP",
        "+GETREDIR",
        "+TRACKINGINFO",
    ] {
        assert!(lines.iter().any(|l| l.starts_with(sub)), "no {sub} in {help}");
    }
}

/// redis-py's `client_getredir`/`client_trackinginfo`: with tracking off
/// (Shoal has no `CLIENT TRACKING` yet) both answer as Redis does for a
/// connection that never turned it on, in RESP2 and RESP3.
#[test]
fn client_getredir_and_trackinginfo_describe_tracking_off_as_the_oracle() {
    for resp3 in [false, true] {
        let mut p = Pair::start();
        if resp3 {
            p.hello3();
        }
        p.check(&[
            &["CLIENT", "GETREDIR"],
            &["CLIENT", "TRACKINGINFO"],
            &["CLIENT", "getredir", "x"],
            &["CLIENT", "TRACKINGINFO", "x"],
            &["COMMAND", "INFO", "client|getredir", "client|trackinginfo"],
        ]);
    }
}
