//! Assertions that report and count instead of panicking, so one run shows every failure.
//! Each failure prints `FAIL <section> <file>:<line> <what>`; the exit code is non-zero when
//! any check failed.

/// The checks of one section (`pusher`, `centrifugo`, `arith`).
pub struct Checks {
    section: &'static str,
    pub passed: u32,
    pub failed: u32,
}

impl Checks {
    pub const fn new(section: &'static str) -> Self {
        Self {
            section,
            passed: 0,
            failed: 0,
        }
    }

    /// Records one check.
    pub fn record(&mut self, ok: bool, file: &str, line: u32, what: core::fmt::Arguments<'_>) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            semihosting::println!("FAIL\t{}\t{}:{}\t{}", self.section, file, line, what);
        }
    }

    /// Prints `CHECKS <section> passed=N failed=M`.
    pub fn summary(&self) {
        semihosting::println!(
            "CHECKS\t{}\tpassed={}\tfailed={}",
            self.section,
            self.passed,
            self.failed
        );
    }
}

/// `check!(c, condition, "what")`.
#[macro_export]
macro_rules! check {
    ($c:expr, $cond:expr, $($what:tt)+) => {
        $c.record($cond, file!(), line!(), format_args!($($what)+))
    };
}

/// `check_eq!(c, actual, expected)`: both printed with `Debug` on failure.
#[macro_export]
macro_rules! check_eq {
    ($c:expr, $actual:expr, $expected:expr) => {
        // A match keeps the temporaries alive for the whole comparison (as `assert_eq!`).
        match (&$actual, &$expected) {
            (a, e) => $c.record(
                a == e,
                file!(),
                line!(),
                format_args!(
                    "{} == {}: got {:?}, want {:?}",
                    stringify!($actual),
                    stringify!($expected),
                    a,
                    e
                ),
            ),
        }
    };
}
