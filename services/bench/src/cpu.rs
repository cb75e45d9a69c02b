//! CPU time the whole machine spent busy (`/proc/stat`), to state what an operation
//! costs in CPU whoever spent it: client, server and database together.
//!
//! On a machine whose speed moves from minute to minute, rates of two runs compare
//! badly; the CPU an operation costs moves far less, and it says whether a target rate
//! fits the cores at all: at a rate R on N cores an operation may cost at most N / R.

use crate::config::Backend;
use crate::report::Report;

/// A reading of the machine's CPU counters (clock ticks, and context switches).
#[derive(Debug, Clone, Copy)]
pub struct CpuMark {
    busy: u64,
    idle: u64,
    steal: u64,
    switches: u64,
}

/// CPU spent between two readings.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CpuSpent {
    /// Seconds of CPU spent busy (user, nice, system, irq, softirq), all cores.
    pub busy_s: f64,
    /// Seconds of CPU idle or waiting for I/O, all cores.
    pub idle_s: f64,
    /// Seconds of CPU the hypervisor gave to others (steal), all cores.
    pub steal_s: f64,
    /// Context switches on all cores (`ctxt`): hand-overs between threads and
    /// processes, each a cost in CPU and latency.
    pub switches: u64,
}

impl CpuMark {
    /// Reads the counters; None where `/proc/stat` is not readable (not Linux).
    pub fn now() -> Option<Self> {
        Self::parse(&std::fs::read_to_string("/proc/stat").ok()?)
    }

    /// Parses `/proc/stat`: its machine-wide `cpu` line and its `ctxt` line.
    fn parse(stat: &str) -> Option<Self> {
        let mut fields = stat.lines().next()?.split_whitespace();
        if fields.next()? != "cpu" {
            return None;
        }
        // user nice system idle iowait irq softirq steal (guest time is inside user).
        let v: Vec<u64> = fields.map_while(|f| f.parse().ok()).collect();
        if v.len() < 4 {
            return None;
        }
        let at = |i: usize| v.get(i).copied().unwrap_or(0);
        let switches = stat
            .lines()
            .find_map(|l| l.strip_prefix("ctxt "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        Some(Self {
            busy: at(0) + at(1) + at(2) + at(5) + at(6),
            idle: at(3) + at(4),
            steal: at(7),
            switches,
        })
    }

    /// CPU spent since this reading; None where `/proc/stat` is not readable.
    pub fn spent(&self) -> Option<CpuSpent> {
        Some(Self::now()?.since(self))
    }

    fn since(&self, earlier: &Self) -> CpuSpent {
        let tick = ticks_per_second();
        let secs = |later: u64, earlier: u64| later.saturating_sub(earlier) as f64 / tick;
        CpuSpent {
            busy_s: secs(self.busy, earlier.busy),
            idle_s: secs(self.idle, earlier.idle),
            steal_s: secs(self.steal, earlier.steal),
            switches: self.switches.saturating_sub(earlier.switches),
        }
    }
}

impl std::ops::AddAssign for CpuSpent {
    /// Adds the CPU of another window (windows around each of many short operations).
    fn add_assign(&mut self, other: Self) {
        self.busy_s += other.busy_s;
        self.idle_s += other.idle_s;
        self.steal_s += other.steal_s;
        self.switches += other.switches;
    }
}

impl CpuSpent {
    /// Busy CPU per operation in microseconds, for `ops` operations.
    pub fn us_per_op(&self, ops: f64) -> f64 {
        if ops <= 0.0 {
            return 0.0;
        }
        self.busy_s * 1e6 / ops
    }

    /// Context switches per operation, for `ops` operations.
    pub fn switches_per_op(&self, ops: f64) -> f64 {
        if ops <= 0.0 {
            return 0.0;
        }
        self.switches as f64 / ops
    }

    /// The share of the cores' time that was idle (0–1).
    pub fn idle_share(&self) -> f64 {
        let all = self.busy_s + self.idle_s + self.steal_s;
        if all <= 0.0 { 0.0 } else { self.idle_s / all }
    }

    /// Adds the figures of `ops` operations that spent this: `{prefix}_cpu_us@{clients}`
    /// (busy CPU of the whole machine per operation), `{prefix}_idle_pct@{clients}` (the
    /// cores' idle share) and `{prefix}_switches@{clients}` (context switches per
    /// operation).
    pub fn report(
        &self,
        report: &mut Report,
        section: &str,
        backend: Backend,
        prefix: &str,
        clients: usize,
        ops: f64,
    ) {
        let name = |what: &str| format!("{prefix}_{what}@{clients}");
        report.add(
            section,
            backend,
            &name("cpu_us"),
            self.us_per_op(ops),
            "us/op",
        );
        let idle = self.idle_share() * 100.0;
        report.add(section, backend, &name("idle_pct"), idle, "%");
        let switches = self.switches_per_op(ops);
        report.add(section, backend, &name("switches"), switches, "cs/op");
    }
}

/// `/proc/stat` counts in clock ticks of `USER_HZ`, which Linux fixes at 100 for user
/// space on every architecture this runs on (x86-64, arm64), whatever the kernel's own HZ.
fn ticks_per_second() -> f64 {
    100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_counts_user_nice_system_irq_softirq_and_not_idle_or_steal_switches_count_too() {
        let a =
            CpuMark::parse("cpu  100 10 50 1000 20 5 5 7 0 0\ncpu0 1 2 3 4\nctxt 500\n").unwrap();
        let b = CpuMark::parse("cpu  300 10 150 1100 20 5 5 17 0 0\nctxt 2500\n").unwrap();
        let spent = b.since(&a);
        let tick = ticks_per_second();
        assert!((spent.busy_s - 300.0 / tick).abs() < 1e-9);
        assert!((spent.idle_s - 100.0 / tick).abs() < 1e-9);
        assert!((spent.steal_s - 10.0 / tick).abs() < 1e-9);
        assert!((spent.idle_share() - 100.0 / 410.0).abs() < 1e-9);
        assert_eq!(spent.switches, 2000);
        assert!((spent.switches_per_op(1000.0) - 2.0).abs() < 1e-9);
        assert!((spent.us_per_op(1000.0) - spent.busy_s * 1000.0).abs() < 1e-6);
    }

    #[test]
    fn windows_add_up_field_by_field() {
        let mut sum = CpuSpent {
            busy_s: 1.0,
            idle_s: 2.0,
            steal_s: 0.5,
            switches: 10,
        };
        sum += CpuSpent {
            busy_s: 0.25,
            idle_s: 1.0,
            steal_s: 0.0,
            switches: 5,
        };
        let expected = CpuSpent {
            busy_s: 1.25,
            idle_s: 3.0,
            steal_s: 0.5,
            switches: 15,
        };
        assert_eq!(sum, expected);
    }

    #[test]
    fn a_line_other_than_the_machine_total_is_refused() {
        assert!(CpuMark::parse("cpu0 1 2 3 4").is_none());
        assert!(CpuMark::parse("cpu 1 2").is_none());
    }
}
