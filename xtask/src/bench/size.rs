//! Widget size: the shipped wasm, its JS glue, the wrapper and the CSS, raw, gzip -9 and
//! brotli 11. Sizes are exact, so each figure has one sample.

use std::io::Write;

use super::{Figure, Section};
use crate::cmd::root;

pub fn run() -> Section {
    let files = [
        ("wasm", "www/pkg/tally_widget_bg.wasm"),
        ("JS glue", "www/pkg/tally_widget.js"),
        ("custom element wrapper", "www/tally-connect.js"),
        ("CSS (inside the wasm)", "src/style.css"),
    ];
    let outcome = (|| {
        let mut figures = Vec::new();
        let mut total_gzip = 0.0;
        for (name, path) in files {
            let bytes = std::fs::read(root().join(path)).map_err(|e| format!("{path}: {e}"))?;
            let (gz, br) = (gzip(&bytes), brotli(&bytes));
            if name != "CSS (inside the wasm)" {
                total_gzip += gz as f64;
            }
            figures.push(Figure::new(format!("{name}, raw"), "KB", vec![kb(bytes.len())]));
            figures.push(Figure::new(format!("{name}, gzip -9"), "KB", vec![kb(gz)]));
            figures.push(Figure::new(format!("{name}, brotli"), "KB", vec![kb(br)]));
        }
        figures.push(Figure::new("whole widget (wasm + JS glue + wrapper), gzip -9", "KB", vec![total_gzip / 1000.0]).target("< 150 KB"));
        Ok(figures)
    })();
    Section {
        title: "Widget size",
        method: "Release build (`wasm-pack build --release`, opt-level z, LTO, then binaryen 132 `wasm-opt -Oz`). \
                 KB = 1000 bytes. The CSS ships inside the wasm and is listed for information."
            .into(),
        outcome,
    }
}

fn kb(n: usize) -> f64 {
    n as f64 / 1000.0
}

fn gzip(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = e.write_all(bytes);
    e.finish().map(|v| v.len()).unwrap_or(0)
}

fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out.len()
}
