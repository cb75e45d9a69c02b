//! Latency summaries and facts about the machine (/proc): load average, memory, RSS.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Percentiles of a set of latencies, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Latency {
    /// How many samples.
    pub count: usize,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest.
    pub max_ms: f64,
}

impl Latency {
    /// Summarises `samples` (nearest-rank percentiles).
    pub fn of(samples: &[Duration]) -> Self {
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        Self::of_ms(&mut ms)
    }

    /// Summarises samples given in milliseconds (sorted in place).
    pub fn of_ms(ms: &mut [f64]) -> Self {
        if ms.is_empty() {
            return Self::default();
        }
        ms.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let i = ((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len());
            ms[i - 1]
        };
        Self {
            count: ms.len(),
            p50_ms: rank(0.50),
            p99_ms: rank(0.99),
            max_ms: ms[ms.len() - 1],
        }
    }
}

/// The 1-minute load average.
pub fn load1() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(f64::NAN)
}

/// A field of /proc/<pid>/status or /proc/meminfo in kB.
fn kb_field(path: &str, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// VmRSS of a process in MiB.
pub fn rss_mib(pid: u32) -> Option<f64> {
    kb_field(&format!("/proc/{pid}/status"), "VmRSS:").map(|kb| kb as f64 / 1024.0)
}

/// VmHWM (peak RSS) of a process in MiB.
pub fn peak_rss_mib(pid: u32) -> Option<f64> {
    kb_field(&format!("/proc/{pid}/status"), "VmHWM:").map(|kb| kb as f64 / 1024.0)
}

/// The machine the run happened on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Machine {
    /// `nproc`.
    pub nproc: usize,
    /// MemTotal in MiB.
    pub mem_total_mib: u64,
    /// MemAvailable in MiB at the start.
    pub mem_available_mib: u64,
    /// The CPU model.
    pub cpu: String,
    /// PostgreSQL `version()`, when a server was used.
    pub postgres: Option<String>,
    /// Load average (1 minute) at the start.
    pub load1_start: f64,
}

impl Machine {
    /// Reads /proc.
    pub fn probe() -> Self {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|t| {
                t.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default();
        Self {
            nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
            mem_total_mib: kb_field("/proc/meminfo", "MemTotal:").unwrap_or(0) / 1024,
            mem_available_mib: kb_field("/proc/meminfo", "MemAvailable:").unwrap_or(0) / 1024,
            cpu,
            postgres: None,
            load1_start: load1(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut ms: Vec<f64> = (1..=100).map(f64::from).collect();
        let l = Latency::of_ms(&mut ms);
        assert_eq!(
            (l.count, l.p50_ms, l.p99_ms, l.max_ms),
            (100, 50.0, 99.0, 100.0)
        );
    }
}
