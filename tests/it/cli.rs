//! The real `redis-cli` against shoal: one-shot commands, commands from a
//! pipe, `--pipe` mass insertion, repetition, RESP3 and formatted output,
//! compared with the oracle's output wherever the text is deterministic.

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{encode, Oracle, Server};

/// Where `redis-cli` should connect.
enum Target<'a> {
    Shoal(&'a Server),
    Redis(&'a Oracle),
}

/// Runs `redis-cli` with `args`, feeding it `stdin`; killed if it runs
/// longer than 30 s so a wedged server fails the test instead of hanging it.
fn cli(target: &Target<'_>, args: &[&str], stdin: &[u8]) -> Output {
    let mut cmd = Command::new("redis-cli");
    match target {
        Target::Shoal(s) => cmd.args(["-h", "127.0.0.1", "-p", &s.port().to_string()]),
        Target::Redis(o) => cmd.arg("-s").arg(&o.sock),
    };
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("redis-cli must be installed");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("redis-cli {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    writer.join().unwrap();
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs the same invocation against both and asserts identical stdout.
fn same_output(shoal: &Server, redis: &Oracle, args: &[&str], stdin: &[u8]) -> String {
    let s = cli(&Target::Shoal(shoal), args, stdin);
    let r = cli(&Target::Redis(redis), args, stdin);
    assert_eq!(
        text(&s),
        text(&r),
        "redis-cli {args:?} prints differently (left: shoal, right: redis)"
    );
    assert_eq!(s.status.code(), r.status.code(), "exit status of redis-cli {args:?}");
    text(&s)
}

#[test]
fn redis_cli_ping_prints_pong() {
    let s = Server::start();
    let out = cli(&Target::Shoal(&s), &["PING"], b"");
    assert!(out.status.success());
    assert_eq!(text(&out), "PONG\n");
}

#[test]
fn redis_cli_runs_commands_read_from_a_pipe() {
    let (s, r) = (Server::start(), Oracle::start());
    let printed = same_output(
        &s,
        &r,
        &[],
        b"SET a 1\nGET a\nINCR a\nGET missing\nSET b \"x y\"\nGET b\n",
    );
    assert_eq!(printed, "OK\n1\n2\n\nOK\nx y\n");
}

#[test]
fn redis_cli_pipe_mass_inserts_ten_thousand_sets() {
    let s = Server::start();
    let mut payload = Vec::new();
    for i in 0..10_000 {
        let (k, v) = (format!("key:{i}"), format!("value:{i}"));
        payload.extend_from_slice(&encode(&[b"SET", k.as_bytes(), v.as_bytes()]));
    }
    let out = cli(&Target::Shoal(&s), &["--pipe"], &payload);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let printed = text(&out);
    assert!(printed.contains("errors: 0, replies: 10000"), "{printed}");
    let mut c = s.raw();
    assert_eq!(c.cmd(&["DBSIZE"]), b":10000\r\n");
    assert_eq!(c.cmd(&["GET", "key:9999"]), b"$10\r\nvalue:9999\r\n");
}

#[test]
fn redis_cli_pipe_counts_error_replies() {
    let (s, r) = (Server::start(), Oracle::start());
    let mut payload = Vec::new();
    for i in 0..100 {
        payload.extend_from_slice(&encode(&[b"SET", format!("k{i}").as_bytes(), b"v"]));
        payload.extend_from_slice(&encode(&[b"INCR", format!("k{i}").as_bytes()]));
    }
    for target in [Target::Shoal(&s), Target::Redis(&r)] {
        let out = cli(&target, &["--pipe"], &payload);
        let printed = text(&out);
        assert!(printed.contains("errors: 100, replies: 200"), "{printed}");
    }
}

#[test]
fn redis_cli_repeat_runs_incr_five_times() {
    let (s, r) = (Server::start(), Oracle::start());
    let printed = same_output(&s, &r, &["-r", "5", "-i", "0", "INCR", "counter"], b"");
    assert_eq!(printed, "1\n2\n3\n4\n5\n");
    assert_eq!(s.raw().cmd(&["GET", "counter"]), b"$1\r\n5\r\n");
}

#[test]
fn redis_cli_formatted_output_matches_the_oracle() {
    let (s, r) = (Server::start(), Oracle::start());
    for target in [Target::Shoal(&s), Target::Redis(&r)] {
        cli(&target, &["SET", "a", "1"], b"");
    }
    assert_eq!(same_output(&s, &r, &["--no-raw", "GET", "missing"], b""), "(nil)\n");
    same_output(&s, &r, &["--no-raw", "MGET", "a", "missing"], b"");
    same_output(&s, &r, &["--no-raw", "INCR", "a"], b"");
    same_output(&s, &r, &["--no-raw", "NOSUCHCMD", "x"], b"");
    same_output(&s, &r, &["NOSUCHCMD", "x"], b"");
    same_output(&s, &r, &["--no-raw", "GET"], b"");
    same_output(&s, &r, &["--no-raw", "SET", "b", "x y"], b"");
    same_output(&s, &r, &["--no-raw", "GET", "b"], b"");
}

#[test]
fn redis_cli_x_reads_the_last_argument_from_stdin() {
    let (s, r) = (Server::start(), Oracle::start());
    same_output(&s, &r, &["-x", "SET", "k"], b"from stdin\n");
    assert_eq!(same_output(&s, &r, &["GET", "k"], b""), "from stdin\n\n");
}

#[test]
fn redis_cli_resp3_output_matches_the_oracle() {
    let (s, r) = (Server::start(), Oracle::start());
    assert_eq!(
        same_output(&s, &r, &["-3", "--no-raw", "GET", "missing"], b""),
        "(nil)\n"
    );
    assert_eq!(
        same_output(&s, &r, &["-3", "--no-raw", "CONFIG", "GET", "maxmemory"], b""),
        "1# \"maxmemory\" => \"0\"\n"
    );
    let hello = text(&cli(&Target::Shoal(&s), &["-3", "HELLO"], b""));
    let lines: Vec<&str> = hello.lines().collect();
    assert!(lines.contains(&"proto 3"), "{hello}");
    assert!(lines.contains(&"mode standalone"), "{hello}");
    assert!(lines.contains(&"role master"), "{hello}");
}
