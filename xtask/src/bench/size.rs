//! Widget size: the shipped wasm, its JS glue, the wrapper and the CSS, raw, gzip -9 and
//! brotli 11. Sizes are exact, so each figure has one sample.

use super::{Figure, Section};
use crate::cmd::root;

pub fn run() -> Section {
    let outcome = (|| {
        let pkg = root().join("www/pkg");
        // What a host page fetches before the first screen: the wrapper, the glue, the
        // split loader the glue imports, and the first module.
        let first = [
            ("first module (wasm)", pkg.join("tally_widget_bg.wasm")),
            ("JS glue", pkg.join("tally_widget.js")),
            ("split loader", pkg.join(crate::demo::SPLIT_LOADER)),
            ("custom element wrapper", root().join("www/tally-connect.js")),
        ];
        let mut figures = Vec::new();
        let (mut first_gzip, mut first_brotli) = (0, 0);
        for (name, path) in &first {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let (gz, br) = (gzip(&bytes)?, brotli(&bytes)?);
            (first_gzip, first_brotli) = (first_gzip + gz, first_brotli + br);
            figures.push(Figure::new(format!("{name}, raw"), "KB", vec![kb(bytes.len())]));
            figures.push(Figure::new(format!("{name}, gzip -9"), "KB", vec![kb(gz)]));
            figures.push(Figure::new(format!("{name}, brotli"), "KB", vec![kb(br)]));
        }
        figures.push(Figure::new("before the first screen (the four above), gzip -9", "KB", vec![kb(first_gzip)]).target("≤ 150 KB (issue 18)"));
        figures.push(Figure::new("before the first screen, brotli", "KB", vec![kb(first_brotli)]));
        // The later views: a module per split point, and the chunks they share.
        let (mut later_gzip, mut later_raw) = (0, 0);
        for path in crate::demo::files_with(&pkg, ".wasm")? {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            if name == "tally_widget_bg.wasm" {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|e| format!("{name}: {e}"))?;
            let gz = gzip(&bytes)?;
            (later_gzip, later_raw) = (later_gzip + gz, later_raw + bytes.len());
            if !name.starts_with("chunk_") {
                let view = name.rsplit_once('-').map_or(name.as_str(), |(v, _)| v);
                figures.push(Figure::new(format!("chunk `{view}` (loaded when first shown), gzip -9"), "KB", vec![kb(gz)]));
            }
        }
        figures.push(Figure::new("later chunks together (raw)", "KB", vec![kb(later_raw)]));
        figures.push(Figure::new("later chunks together, gzip -9", "KB", vec![kb(later_gzip)]));
        figures.push(Figure::new("whole widget (first screen + every chunk), gzip -9", "KB", vec![kb(first_gzip + later_gzip)]).target("≤ 375 KB (issue 18)"));
        figures.push(Figure::new("CSS (inside the first module), raw", "KB", vec![kb(std::fs::read(root().join("src/style.css")).map_err(|e| e.to_string())?.len())]));
        Ok(figures)
    })();
    Section {
        title: "Widget size",
        method: "Release build, split (`cargo xtask package`: opt-level z, LTO, `wasm-split`, then binaryen 132 `wasm-opt -Oz` \
                 on every module). The first screen needs the wrapper, the glue, the split loader and the first module; \
                 the later views come in two chunks, `connect` (the credentials form, the statement upload, job progress, a \
                 connection's row) and `expenses`, plus any `chunk_N` module both share, each fetched once, when first \
                 needed (or prefetched while the browser is idle). KB = 1000 bytes."
            .into(),
        outcome,
    }
}

fn kb(n: usize) -> f64 {
    n as f64 / 1000.0
}

/// Compressed sizes with the build's own compressors (demo.rs), the bytes the server sends.
fn gzip(bytes: &[u8]) -> Result<usize, String> {
    crate::demo::gzip(bytes).map(|v| v.len())
}

fn brotli(bytes: &[u8]) -> Result<usize, String> {
    crate::demo::brotli(bytes).map(|v| v.len())
}
