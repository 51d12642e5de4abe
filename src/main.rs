//! `shoal [config-file] [--name value ...]`: flags → Config → `shoal::run`.

use clap::Parser;

/// A cache server that speaks the Redis protocol.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    /// An optional config file, then Redis parameters as `--name value...`
    /// (for example `--port 0 --maxmemory 100mb --save ""`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Splits `[file] --a x --b y z` into the file and (name, value) pairs; a
/// parameter's value is every word up to the next `--name`.
/// A config file path (if given) and the `--name value` pairs after it.
type Parsed = (Option<String>, Vec<(String, String)>);

fn parse_pairs(args: &[String]) -> Result<Parsed, String> {
    let mut file = None;
    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if let Some(name) = a.strip_prefix("--") {
            pairs.push((name.to_string(), Vec::new()));
        } else if let Some(last) = pairs.last_mut() {
            last.1.push(a.clone());
        } else if i == 0 {
            file = Some(a.clone());
        } else {
            return Err(format!("unexpected argument '{a}'"));
        }
    }
    Ok((file, pairs.into_iter().map(|(n, v)| (n, v.join(" "))).collect()))
}

/// A start-up failure (a bad parameter, an unreadable config file) is one
/// line on stderr and exit status 1, as Redis reports it: `main` never
/// returns the error, so no backtrace follows it even with
/// `RUST_BACKTRACE` set.
fn main() -> std::process::ExitCode {
    match start() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}`: the context chain on one line.
            eprintln!("shoal: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn start() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let (file, pairs) = parse_pairs(&cli.args).map_err(anyhow::Error::msg)?;
    let mut config = shoal::Config::new();
    if let Some(path) = &file {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
        config.load_text(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
        config.file = Some(std::fs::canonicalize(path)?);
    }
    for (name, value) in &pairs {
        config
            .set_initial(name, value)
            .map_err(|e| anyhow::anyhow!("--{name}: {}", shoal::config::describe(&e)))?;
    }
    let level = match config.get("loglevel").as_str() {
        "debug" => "debug",
        "verbose" => "debug",
        "warning" => "warn",
        "nothing" => "off",
        _ => "info",
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(format!("shoal={level}")))
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(shoal::run(config))?;
    Ok(())
}
