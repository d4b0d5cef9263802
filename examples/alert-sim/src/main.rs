//! `kickwire-alert-sim`: see the crate README, or run it with `--help`.

fn main() -> std::process::ExitCode {
    kickwire_alert_sim::main_with(std::env::args().skip(1))
}
