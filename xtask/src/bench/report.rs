//! Statistics over repeated runs and the BENCHMARKS.md writer.

use std::fmt::Write as _;
use std::process::Command;

use super::Section;
use crate::cmd::{output, root, Result};

/// One measured quantity with all its samples.
pub struct Figure {
    pub name: String,
    pub unit: &'static str,
    pub samples: Vec<f64>,
    /// A target from the issues, stated next to the figure when there is one.
    pub target: Option<String>,
}

impl Figure {
    pub fn new(name: impl Into<String>, unit: &'static str, samples: Vec<f64>) -> Figure {
        Figure { name: name.into(), unit, samples, target: None }
    }

    pub fn target(mut self, t: impl Into<String>) -> Figure {
        self.target = Some(t.into());
        self
    }

    fn sorted(&self) -> Vec<f64> {
        let mut s = self.samples.clone();
        s.sort_by(|a, b| a.total_cmp(b));
        s
    }

    /// Median of the samples.
    pub fn median(&self) -> f64 {
        quantile(&self.sorted(), 0.5)
    }

    /// (min, max) of the samples.
    pub fn spread(&self) -> (f64, f64) {
        let s = self.sorted();
        (s.first().copied().unwrap_or(f64::NAN), s.last().copied().unwrap_or(f64::NAN))
    }
}

/// Linear-interpolated quantile of sorted samples.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn fmt(v: f64) -> String {
    if v.abs() >= 100.0 { format!("{v:.0}") } else if v.abs() >= 1.0 { format!("{v:.2}") } else { format!("{v:.3}") }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<f64>().ok()))
        .map(|kib| kib / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    let os = output(Command::new("uname").args(["-sr"])).unwrap_or_default();
    let rustc = output(Command::new("rustc").arg("--version")).unwrap_or_default();
    format!("{cpu}, {cores} cores, {mem_gib:.0} GiB RAM, {} — {}", os.trim(), rustc.trim())
}

/// Rewrites BENCHMARKS.md from the sections.
pub fn write(sections: &[Section], partial: bool) -> Result {
    let date = output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])).unwrap_or_default();
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(md, "Written by `cargo xtask bench`; do not edit by hand.\n");
    let _ = writeln!(md, "- Machine: {}", machine());
    let _ = writeln!(md, "- Date: {}", date.trim());
    let _ = writeln!(md, "- Median and spread (min – max) over the samples; n = number of samples.\n");
    for s in sections {
        let _ = writeln!(md, "## {}\n\n{}\n", s.title, s.method);
        match &s.outcome {
            Ok(figures) => {
                let _ = writeln!(md, "| figure | median | spread | n | target |\n| --- | ---: | ---: | ---: | --- |");
                for f in figures {
                    let (lo, hi) = f.spread();
                    let _ = writeln!(
                        md,
                        "| {} | {} {} | {} – {} | {} | {} |",
                        f.name, fmt(f.median()), f.unit, fmt(lo), fmt(hi), f.samples.len(), f.target.as_deref().unwrap_or("")
                    );
                }
                md.push('\n');
            }
            Err(reason) => {
                let _ = writeln!(md, "**Not measured:** {reason}\n");
            }
        }
    }
    let path = if partial { root().join("target/BENCHMARKS.partial.md") } else { root().join("BENCHMARKS.md") };
    std::fs::write(&path, md).map_err(|e| e.to_string())?;
    eprintln!("bench: wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert_eq!(quantile(&[5.0], 0.99), 5.0);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
