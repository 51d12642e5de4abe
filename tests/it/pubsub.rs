//! Publish/subscribe: the replies of SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE,
//! PUNSUBSCRIBE, PUBLISH and PUBSUB against the oracle byte for byte (RESP2
//! and RESP3), the RESP2 subscribed-mode restriction, fan-out to many
//! subscribers in order, the disconnection of a subscriber that stops
//! reading, and PUBLISH travelling through the replicated stream.

use std::time::Duration;

use crate::support::{encode, show, Pair, Raw, Resp, Server};

/// Sends one command and reads `n` frames.
fn frames(c: &mut Raw, args: &[&str], n: usize) -> Vec<u8> {
    let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
    c.send_bytes(&encode(&a));
    let mut out = Vec::new();
    for _ in 0..n {
        out.extend_from_slice(&c.read_reply());
    }
    out
}

/// Sends each command to both servers and compares its `n` frames.
fn check_frames(p: &mut Pair, script: &[(&[&str], usize)]) {
    for (args, n) in script {
        let s = frames(&mut p.s, args, *n);
        let r = frames(&mut p.r, args, *n);
        assert_eq!(
            show(&s),
            show(&r),
            "reply to {args:?} differs (left: shoal, right: redis)"
        );
    }
}

/// Polls `cmd` on `c` until it answers `want` (bounded).
fn until(c: &mut Raw, cmd: &[&str], want: &[u8]) {
    for _ in 0..2000 {
        if c.cmd(cmd) == want {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("{cmd:?} never answered {}", show(want));
}

#[test]
fn subscribe_and_unsubscribe_replies_match_the_oracle_in_resp2() {
    let mut p = Pair::start();
    check_frames(
        &mut p,
        &[
            (&["UNSUBSCRIBE"], 1),
            (&["PUNSUBSCRIBE"], 1),
            (&["UNSUBSCRIBE", "never"], 1),
            (&["SUBSCRIBE"], 1),
            (&["PSUBSCRIBE"], 1),
            (&["SUBSCRIBE", "a", "b", "a"], 3),
            (&["PSUBSCRIBE", "p*", "q?"], 2),
            (&["PING"], 1),
            (&["PING", "hello"], 1),
            (&["PING", "x", "y"], 1),
            (&["UNSUBSCRIBE", "nosuch"], 1),
            (&["PUNSUBSCRIBE", "q?", "nosuch"], 2),
            (&["UNSUBSCRIBE", "a"], 1),
            (&["PUNSUBSCRIBE"], 1),
            (&["UNSUBSCRIBE"], 1),
            (&["UNSUBSCRIBE"], 1),
            // Out of subscribed mode again: everything answers normally.
            (&["PING"], 1),
            (&["GET", "x"], 1),
        ],
    );
}

#[test]
fn a_subscribed_resp2_client_may_only_subscribe_ping_quit_or_reset() {
    let mut p = Pair::start();
    check_frames(
        &mut p,
        &[
            (&["SUBSCRIBE", "a"], 1),
            (&["GET", "x"], 1),
            (&["set", "x", "1"], 1),
            (&["PUBSUB", "NUMSUB", "a"], 1),
            (&["PUBLISH", "a", "m"], 1),
            (&["HELLO", "3"], 1),
            (&["MULTI"], 1),
            (&["EXEC"], 1),
            // Unknown commands and bad arity are refused first.
            (&["nosuch", "x"], 1),
            (&["GET"], 1),
            (&["PING", "x", "y"], 1),
            (&["RESET"], 1),
            (&["GET", "x"], 1),
            (&["QUIT"], 1),
        ],
    );
}

#[test]
fn unsubscribe_without_names_leaves_every_channel_one_frame_each() {
    let mut p = Pair::start();
    check_frames(
        &mut p,
        &[(&["SUBSCRIBE", "x", "y", "z"], 3), (&["PSUBSCRIBE", "p1", "p2"], 2)],
    );
    // Redis walks its hash table, so the order of the frames is open; the
    // counts still go down one by one.
    for (cmd, names) in [
        ("UNSUBSCRIBE", ["x", "y", "z"].as_slice()),
        ("PUNSUBSCRIBE", ["p1", "p2"].as_slice()),
    ] {
        let s = frames(&mut p.s, &[cmd], names.len());
        let r = frames(&mut p.r, &[cmd], names.len());
        let split = |b: &[u8]| {
            let mut at = 0;
            let mut got = Vec::new();
            while at < b.len() {
                let (f, next) = Resp::parse_at(b, at);
                got.push(f);
                at = next;
            }
            got
        };
        let (s, r) = (split(&s), split(&r));
        let names_of = |v: &[Resp]| {
            let mut n: Vec<Resp> = v
                .iter()
                .map(|f| match f {
                    Resp::Agg(_, items) => items[1].clone(),
                    other => panic!("{other:?}"),
                })
                .collect();
            n.sort();
            n
        };
        let counts_of = |v: &[Resp]| {
            v.iter()
                .map(|f| match f {
                    Resp::Agg(t, items) => (*t, items[0].clone(), items[2].clone()),
                    other => panic!("{other:?}"),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(names_of(&s), names_of(&r));
        assert_eq!(counts_of(&s), counts_of(&r));
    }
    check_frames(&mut p, &[(&["UNSUBSCRIBE"], 1), (&["PUNSUBSCRIBE"], 1)]);
}

#[test]
fn subscribe_replies_are_pushes_in_resp3_and_other_commands_work() {
    let mut p = Pair::start();
    p.hello3();
    check_frames(
        &mut p,
        &[
            (&["UNSUBSCRIBE"], 1),
            (&["SUBSCRIBE", "a", "b"], 2),
            (&["PSUBSCRIBE", "p*"], 1),
            (&["PING"], 1),
            (&["PING", "x"], 1),
            (&["GET", "x"], 1),
            (&["PUBSUB", "NUMSUB", "a", "zz"], 1),
            (&["PUBSUB", "NUMPAT"], 1),
            // A client publishing to itself reads the message before the count.
            (&["PUBLISH", "a", "to-myself"], 2),
            (&["PUBLISH", "pq", "by-pattern"], 2),
            (&["UNSUBSCRIBE", "a"], 1),
            (&["PUNSUBSCRIBE", "p*"], 1),
            (&["UNSUBSCRIBE", "b"], 1),
            (&["UNSUBSCRIBE"], 1),
            (&["PUNSUBSCRIBE"], 1),
        ],
    );
}

#[test]
fn published_messages_match_the_oracle_in_both_protocols() {
    let mut p = Pair::start();
    let (mut s2, mut r2) = (p.shoal.raw(), p.redis.raw());
    let (mut s3, mut r3) = (p.shoal.raw(), p.redis.raw());
    s3.cmd(&["HELLO", "3"]);
    r3.cmd(&["HELLO", "3"]);
    for (s, r) in [(&mut s2, &mut r2), (&mut s3, &mut r3)] {
        for c in [&mut *s, &mut *r] {
            frames(c, &["SUBSCRIBE", "news"], 1);
            // One pattern each: Redis walks its patterns in hash order.
            frames(c, &["PSUBSCRIBE", "n*"], 1);
        }
    }
    p.check(&[
        &["PUBLISH", "news", "hello"],
        &["PUBLISH", "nothing", "x"],
        &["PUBLISH", "other", "y"],
    ]);
    let bin: &[&[u8]] = &[b"PUBLISH", b"news", b"\x00\r\n\xff"];
    let (a, b) = p.both_bytes(bin);
    assert_eq!(show(&a), show(&b));
    for (s, r, n) in [(&mut s2, &mut r2, 2 + 1 + 2), (&mut s3, &mut r3, 2 + 1 + 2)] {
        for _ in 0..n {
            assert_eq!(show(&s.read_reply()), show(&r.read_reply()));
        }
    }
}

#[test]
fn pubsub_subcommands_and_errors_match_the_oracle() {
    let mut p = Pair::start();
    let (mut s1, mut r1) = (p.shoal.raw(), p.redis.raw());
    let (mut s2, mut r2) = (p.shoal.raw(), p.redis.raw());
    for c in [&mut s1, &mut r1] {
        frames(c, &["SUBSCRIBE", "news.tech", "news.art", "weather"], 3);
        frames(c, &["PSUBSCRIBE", "news.*", "w*"], 2);
    }
    for c in [&mut s2, &mut r2] {
        frames(c, &["SUBSCRIBE", "news.tech"], 1);
        frames(c, &["PSUBSCRIBE", "news.*"], 1);
    }
    p.check_unordered(&[&["PUBSUB", "CHANNELS"], &["pubsub", "channels", "news.*"]]);
    p.check(&[
        &["PUBSUB", "CHANNELS", "nomatch*"],
        &["PUBSUB", "NUMSUB"],
        &["PUBSUB", "NUMSUB", "news.tech", "weather", "nosuch", "news.tech"],
        &["PUBSUB", "NUMPAT"],
        &["PUBSUB"],
        &["PUBSUB", "nosuch"],
        &["PUBSUB", "CHANNELS", "a", "b"],
        &["PUBSUB", "channels", "a", "b"],
        &["PUBSUB", "NUMPAT", "x"],
        &["PUBSUB", "HELP", "x"],
        &["PUBLISH"],
        &["PUBLISH", "a"],
        &["PUBLISH", "a", "b", "c"],
        &["PUBLISH", "news.tech", "m"],
    ]);
    p.hello3();
    p.check(&[&["PUBSUB", "NUMSUB", "news.tech", "x"], &["PUBSUB", "NUMPAT"]]);
    p.check_unordered(&[&["PUBSUB", "CHANNELS", "news.*"]]);
    p.check(&[&["PUBSUB", "HELP"]]);
}

#[test]
fn shard_channels_are_a_namespace_of_their_own_as_in_the_oracle() {
    let mut p = Pair::start();
    let (mut s2, mut r2) = (p.shoal.raw(), p.redis.raw());
    check_frames(
        &mut p,
        &[
            (&["SUNSUBSCRIBE"], 1),
            (&["SSUBSCRIBE"], 1),
            (&["SSUBSCRIBE", "a", "b"], 2),
            // Channel and shard subscriptions are counted apart.
            (&["SUBSCRIBE", "a"], 1),
            (&["SSUBSCRIBE", "c", "a"], 2),
            (&["PING"], 1),
            (&["GET", "x"], 1),
        ],
    );
    for c in [&mut s2, &mut r2] {
        frames(c, &["SSUBSCRIBE", "a"], 1);
    }
    let mut q = (p.shoal.raw(), p.redis.raw());
    for (args, n) in [
        (&["SPUBLISH", "a", "shard-msg"][..], 1),
        (&["PUBLISH", "a", "plain-msg"], 1),
        (&["SPUBLISH", "nosuch", "x"], 1),
        (&["PUBSUB", "SHARDNUMSUB", "a", "c", "zz"], 1),
        (&["PUBSUB", "SHARDCHANNELS", "c*"], 1),
        (&["PUBSUB", "SHARDCHANNELS", "a", "b"], 1),
        (&["PUBSUB", "NUMSUB", "a"], 1),
        (&["SPUBLISH", "a"], 1),
        (&["MULTI"], 1),
        (&["SSUBSCRIBE", "a"], 1),
        (&["EXEC"], 1),
    ] {
        let s = frames(&mut q.0, args, n);
        let r = frames(&mut q.1, args, n);
        assert_eq!(
            show(&s),
            show(&r),
            "reply to {args:?} differs (left: shoal, right: redis)"
        );
    }
    let s = frames(&mut q.0, &["PUBSUB", "SHARDCHANNELS"], 1);
    let r = frames(&mut q.1, &["PUBSUB", "SHARDCHANNELS"], 1);
    assert_eq!(Resp::parse(&s).unordered(), Resp::parse(&r).unordered());
    // The subscriber reads the shard message as `smessage`, the plain one as `message`.
    check_frames(&mut p, &[(&["UNSUBSCRIBE"], 3), (&["SUNSUBSCRIBE", "a"], 1)]);
    assert_eq!(show(&s2.read_reply()), show(&r2.read_reply()));
    check_frames(
        &mut p,
        &[
            (&["SUNSUBSCRIBE", "b"], 1),
            (&["SUNSUBSCRIBE", "c"], 1),
            (&["SUNSUBSCRIBE"], 1),
            (&["PING"], 1),
        ],
    );
    p.hello3();
    check_frames(
        &mut p,
        &[
            (&["SSUBSCRIBE", "r3"], 1),
            (&["SPUBLISH", "r3", "m"], 2),
            (&["RESET"], 1),
        ],
    );
}

#[test]
fn info_and_client_list_show_subscriptions() {
    let server = Server::start();
    let mut sub = server.raw();
    let mut c = server.raw();
    frames(&mut sub, &["SUBSCRIBE", "a", "b"], 2);
    frames(&mut sub, &["PSUBSCRIBE", "x*"], 1);
    let mut other = server.raw();
    frames(&mut other, &["SUBSCRIBE", "a"], 1);
    let info = String::from_utf8(c.cmd(&["INFO", "stats"])).unwrap();
    assert!(info.contains("pubsub_channels:2\r\n"), "{info}");
    assert!(info.contains("pubsub_patterns:1\r\n"), "{info}");
    assert!(info.contains("pubsubshard_channels:0\r\n"), "{info}");
    let list = String::from_utf8(c.cmd(&["CLIENT", "LIST"])).unwrap();
    assert!(list.contains(" flags=P db=0 sub=2 psub=1 ssub=0 "), "{list}");
    assert!(list.contains(" flags=P db=0 sub=1 psub=0 ssub=0 "), "{list}");
    let list = String::from_utf8(c.cmd(&["CLIENT", "LIST", "TYPE", "pubsub"])).unwrap();
    assert_eq!(list.matches("id=").count(), 2, "{list}");
    // RESET leaves every subscription; a disconnect too.
    assert_eq!(sub.cmd(&["RESET"]), b"+RESET\r\n");
    assert_eq!(sub.cmd(&["GET", "x"]), b"$-1\r\n");
    assert_eq!(c.cmd(&["PUBSUB", "NUMPAT"]), b":0\r\n");
    assert_eq!(
        c.cmd(&["PUBSUB", "NUMSUB", "a", "b"]),
        b"*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:0\r\n"
    );
    drop(other);
    until(&mut c, &["PUBSUB", "NUMSUB", "a"], b"*2\r\n$1\r\na\r\n:0\r\n");
    let info = String::from_utf8(c.cmd(&["INFO", "stats"])).unwrap();
    assert!(info.contains("pubsub_channels:0\r\n"), "{info}");
}

#[test]
fn reset_leaves_subscriptions_as_the_oracle_does() {
    let mut p = Pair::start();
    check_frames(
        &mut p,
        &[
            (&["SUBSCRIBE", "a"], 1),
            (&["PSUBSCRIBE", "b*"], 1),
            (&["RESET"], 1),
            (&["PING"], 1),
            (&["PUBSUB", "NUMSUB", "a"], 1),
            (&["PUBSUB", "NUMPAT"], 1),
            (&["UNSUBSCRIBE"], 1),
        ],
    );
}

/// What one of the fan-out test's subscribers listens to.
fn fan_out_subscription(i: usize) -> (Option<String>, Option<&'static str>) {
    let channel = format!("ch{}", i % 5);
    match i % 4 {
        0 => (Some(channel), None),
        1 => (None, Some("ch[0-2]")),
        2 => (Some(channel), Some("ch*")),
        _ => (None, Some("*")),
    }
}

#[test]
fn fifty_subscribers_get_every_matching_message_once_and_in_order() {
    let server = Server::start();
    let mut subs: Vec<Raw> = (0..50).map(|_| server.raw()).collect();
    for (i, c) in subs.iter_mut().enumerate() {
        if i % 7 == 0 {
            c.cmd(&["HELLO", "3"]);
        }
        let (channel, pattern) = fan_out_subscription(i);
        if let Some(ch) = &channel {
            frames(c, &["SUBSCRIBE", ch], 1);
        }
        if let Some(pat) = pattern {
            frames(c, &["PSUBSCRIBE", pat], 1);
        }
    }
    let mut publisher = server.raw();
    // Every subscription is registered before the first message.
    until(&mut publisher, &["PUBSUB", "NUMPAT"], b":3\r\n");
    let want_numsub: usize = (0..50).filter(|i| i % 4 == 0 || i % 4 == 2).count();
    let numsub = publisher.cmd(&["PUBSUB", "NUMSUB", "ch0", "ch1", "ch2", "ch3", "ch4"]);
    let total: usize = String::from_utf8_lossy(&numsub)
        .lines()
        .filter_map(|l| l.strip_prefix(':').map(|n| n.parse::<usize>().unwrap()))
        .sum();
    assert_eq!(total, want_numsub);

    let mut expected: Vec<Vec<u8>> = vec![Vec::new(); 50];
    for j in 0..200 {
        let ch = format!("ch{}", j % 5);
        let msg = format!("m{j}");
        let mut receivers = 0;
        for (i, want) in expected.iter_mut().enumerate() {
            let kind = if i % 7 == 0 { '>' } else { '*' };
            let (channel, pattern) = fan_out_subscription(i);
            if channel.as_deref() == Some(ch.as_str()) {
                receivers += 1;
                want.extend_from_slice(
                    format!(
                        "{kind}3\r\n$7\r\nmessage\r\n${}\r\n{ch}\r\n${}\r\n{msg}\r\n",
                        ch.len(),
                        msg.len()
                    )
                    .as_bytes(),
                );
            }
            let matches = match pattern {
                Some("ch[0-2]") => j % 5 <= 2,
                Some(_) => true,
                None => false,
            };
            if let (true, Some(pat)) = (matches, pattern) {
                receivers += 1;
                want.extend_from_slice(
                    format!(
                        "{kind}4\r\n$8\r\npmessage\r\n${}\r\n{pat}\r\n${}\r\n{ch}\r\n${}\r\n{msg}\r\n",
                        pat.len(),
                        ch.len(),
                        msg.len()
                    )
                    .as_bytes(),
                );
            }
        }
        assert_eq!(
            publisher.cmd(&["PUBLISH", &ch, &msg]),
            format!(":{receivers}\r\n").into_bytes()
        );
    }
    for (i, (c, want)) in subs.iter_mut().zip(&expected).enumerate() {
        let mut got = Vec::new();
        while got.len() < want.len() {
            got.extend_from_slice(&c.read_reply());
        }
        assert_eq!(show(&got), show(want), "subscriber {i}");
        // Nothing more: the next reply is the answer to this PING.
        let pong = c.cmd(&["PING"]);
        assert!(
            pong == b"*2\r\n$4\r\npong\r\n$0\r\n\r\n" || pong == b"+PONG\r\n",
            "{}",
            show(&pong)
        );
    }
}

#[test]
fn a_subscriber_that_never_reads_is_disconnected_while_publish_keeps_answering() {
    let server = Server::start();
    let mut slow = server.raw();
    frames(&mut slow, &["SUBSCRIBE", "firehose"], 1);
    let mut publisher = server.raw();
    let payload = "x".repeat(8 * 1024);
    let mut dropped_after = None;
    for i in 0..20_000 {
        let reply = publisher.cmd(&["PUBLISH", "firehose", &payload]);
        if reply == b":0\r\n" {
            dropped_after = Some(i);
            break;
        }
        assert_eq!(reply, b":1\r\n", "{}", show(&reply));
    }
    let dropped_after = dropped_after.expect("the subscriber was never disconnected");
    // Only a full queue drops it (the socket's buffers hold more on top).
    assert!(
        dropped_after >= shoal::node::pubsub::BACKLOG,
        "dropped after {dropped_after}"
    );
    assert_eq!(
        publisher.cmd(&["PUBSUB", "NUMSUB", "firehose"]),
        b"*2\r\n$8\r\nfirehose\r\n:0\r\n"
    );
    // Its connection is closed, not left hanging.
    let mut clients = 0;
    for _ in 0..2000 {
        clients = String::from_utf8_lossy(&publisher.cmd(&["CLIENT", "LIST"]))
            .matches("id=")
            .count();
        if clients == 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(clients, 1, "the slow subscriber is still connected");
    assert_eq!(publisher.cmd(&["PING"]), b"+PONG\r\n");
}

#[test]
fn publish_replicates_as_itself_alone_and_inside_multi() {
    let primary = Server::start();
    let replica = Server::start();
    let mut p = primary.raw();
    let mut r = replica.raw();
    let port = primary.port().to_string();
    assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", &port]), b"+OK\r\n");
    for _ in 0..2000 {
        if String::from_utf8_lossy(&r.cmd(&["INFO", "replication"])).contains("master_link_status:up") {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut sub = replica.raw();
    frames(&mut sub, &["SUBSCRIBE", "events"], 1);
    // Nobody listens on the primary: PUBLISH answers 0 there and still
    // reaches the replica's subscriber.
    assert_eq!(p.cmd(&["PUBLISH", "events", "one"]), b":0\r\n");
    assert_eq!(p.cmd(&["MULTI"]), b"+OK\r\n");
    assert_eq!(p.cmd(&["PUBLISH", "events", "two"]), b"+QUEUED\r\n");
    assert_eq!(p.cmd(&["SET", "k", "v"]), b"+QUEUED\r\n");
    assert_eq!(p.cmd(&["PUBLISH", "events", "three"]), b"+QUEUED\r\n");
    assert_eq!(p.cmd(&["EXEC"]), b"*3\r\n:0\r\n+OK\r\n:0\r\n");
    for m in ["one", "two", "three"] {
        assert_eq!(
            show(&sub.read_reply()),
            show(format!("*3\r\n$7\r\nmessage\r\n$6\r\nevents\r\n${}\r\n{m}\r\n", m.len()).as_bytes())
        );
    }
    until(&mut r, &["GET", "k"], b"$1\r\nv\r\n");
}

#[test]
fn the_oracle_agrees_on_publish_inside_multi() {
    let mut p = Pair::start();
    let (mut s_sub, mut r_sub) = (p.shoal.raw(), p.redis.raw());
    frames(&mut s_sub, &["SUBSCRIBE", "t"], 1);
    frames(&mut r_sub, &["SUBSCRIBE", "t"], 1);
    p.check(&[&["MULTI"], &["PUBLISH", "t", "a"], &["PUBLISH", "t", "b"], &["EXEC"]]);
    for _ in 0..2 {
        assert_eq!(show(&s_sub.read_reply()), show(&r_sub.read_reply()));
    }
}

#[test]
fn subscription_pushes_go_out_under_client_reply_off() {
    resp_subscription_pushes_go_out_under_client_reply_off(false);
    resp_subscription_pushes_go_out_under_client_reply_off(true);
}

fn resp_subscription_pushes_go_out_under_client_reply_off(resp3: bool) {
    let mut p = Pair::start();
    if resp3 {
        p.hello3();
    }
    for c in [&mut p.s, &mut p.r] {
        c.send_bytes(&encode(&[b"CLIENT", b"REPLY", b"OFF"]));
    }
    // Pushes are no replies: the confirmations still arrive (Redis's
    // "PubSub messages with CLIENT REPLY OFF"); a plain reply does not.
    check_frames(&mut p, &[(&["SUBSCRIBE", "channel"], 1), (&["PSUBSCRIBE", "ch*"], 1)]);
    for c in [&mut p.s, &mut p.r] {
        c.send_bytes(&encode(&[b"GET", b"x"]));
    }
    check_frames(&mut p, &[(&["UNSUBSCRIBE", "channel"], 1)]);
}

/// Every message a `PSUBSCRIBE *` subscriber on `sub` receives until the
/// keyspace message of `marker`, as shown text.
fn messages_until_marker(sub: &mut Raw, marker: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..10_000 {
        let m = show(&sub.read_reply());
        let done = m.contains(&format!("__keyspace@0__:{marker}"));
        seen.push(m);
        if done {
            return seen;
        }
    }
    panic!("no marker in {seen:?}");
}

#[test]
fn keyspace_notifications_match_the_oracle_in_kind_and_order() {
    let mut p = Pair::start();
    let mut subs = [p.shoal.raw(), p.redis.raw()];
    for flags in ["KEA", "Kl", "Eg$", "Kx", "KEAn"] {
        p.check(&[&["CONFIG", "SET", "notify-keyspace-events", flags], &["FLUSHALL"]]);
        for sub in subs.iter_mut() {
            frames(sub, &["PSUBSCRIBE", "*"], 1);
        }
        let script: &[&[&str]] = &[
            &["SET", "a", "1"],
            &["EXPIRE", "a", "100"],
            &["INCRBY", "a", "2"],
            &["RENAME", "a", "b"],
            &["RPUSH", "l", "x", "y"],
            &["LMOVE", "l", "l2", "LEFT", "RIGHT"],
            &["SADD", "s", "m"],
            &["SMOVE", "s", "s2", "m"],
            &["MSET", "m1", "1", "m2", "2", "m1", "3"],
            &["SUNIONSTORE", "s3", "s2", "s"],
            &["HSET", "h", "f", "v"],
            &["ZADD", "z", "1", "m"],
            &["XADD", "x", "1-1", "f", "v"],
            &["DEL", "b", "h"],
            &["SET", "gone", "v", "PX", "1"],
        ];
        p.check(script);
        std::thread::sleep(Duration::from_millis(5));
        // A read of the expired key expires it lazily on both.
        p.check(&[&["GET", "gone"], &["SET", "marker", "1", "EX", "10"]]);
        if !flags.contains('K') || !(flags.contains('$') || flags.contains('A')) {
            // The marker itself is not announced under these flags: add one
            // that is, on the channel this subscriber sees.
            p.check(&[
                &["CONFIG", "SET", "notify-keyspace-events", "K$"],
                &["SET", "marker", "2"],
            ]);
        }
        let got = messages_until_marker(&mut subs[0], "marker");
        let want = messages_until_marker(&mut subs[1], "marker");
        assert_eq!(
            got, want,
            "notifications differ under {flags} (left: shoal, right: redis)"
        );
        for sub in subs.iter_mut() {
            frames(sub, &["PUNSUBSCRIBE"], 1);
        }
    }
}
