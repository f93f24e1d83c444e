//! `cargo xtask demo`: the main job. Builds the widget in release with wasm-pack, then
//! runs the server (profile `fast`) with the demo page and an SQLite file under ./data.
//!
//! The widget build ends by writing a brotli `.br` and a gzip `.gz` next to the wasm and
//! its JS glue: the server serves those by `Accept-Encoding` (routes/static_files.rs),
//! so the ≈ 1 MB module travels as ≈ 290 KB, without compressing on every request, and
//! at brotli's best level, which is too slow to do per request.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{cargo, root, exec, Result};
use crate::wasm::Toolchain;

/// The widget's built files that get precompressed variants, relative to the root.
/// (`www/tally-connect.js` is 5 KB and a tracked source file: no build output beside it.)
pub const PRECOMPRESSED: &[&str] = &["www/pkg/tally_widget_bg.wasm", "www/pkg/tally_widget.js"];

pub fn run(listen: &str) -> Result {
    build_widget()?;
    std::fs::create_dir_all(root().join("data")).map_err(|e| e.to_string())?;
    exec(cargo().args(["run", "--profile", "fast", "-p", "tally-server", "--", "serve", "--listen", listen, "--demo"])
        .env("DATABASE_URL", "sqlite:data/tally.db")
        .env("TALLY_STATIC_ROOT", root()))
}

/// `wasm-pack build --release --target web` into ./www/pkg (served at /www/pkg), or
/// the same through Debian's toolchain (see `wasm.rs`), then `wasm-opt -Oz` with
/// binaryen from npm (see Cargo.toml's wasm-pack metadata for why not Debian's), then
/// the `.br` / `.gz` variants of [`PRECOMPRESSED`].
pub fn build_widget() -> Result {
    // Variants of the previous build go first: if this one fails half-way, the server
    // must not pair a new wasm with an old brotli copy.
    for file in PRECOMPRESSED {
        for variant in variants(&root().join(file)) {
            match std::fs::remove_file(&variant) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(format!("{}: {e}", variant.display())),
                _ => {}
            }
        }
    }
    for mut step in Toolchain::detect()?.build_release() {
        exec(&mut step)?;
    }
    let wasm = root().join("www/pkg/tally_widget_bg.wasm");
    // No --enable-* flags: wasm-opt reads the features from the module itself, and
    // naming some would silently disable the others.
    exec(Command::new(root().join("xtask/node_modules/.bin/wasm-opt")).arg("-Oz").arg(&wasm).arg("-o").arg(&wasm))?;
    for file in PRECOMPRESSED {
        precompress(&root().join(file))?;
    }
    Ok(())
}

/// `file.br` and `file.gz`, the names tower-http's `ServeDir` looks for.
fn variants(file: &Path) -> [PathBuf; 2] {
    let with = |ext: &str| {
        let mut name = file.as_os_str().to_owned();
        name.push(ext);
        PathBuf::from(name)
    };
    [with(".br"), with(".gz")]
}

/// Writes `file.br` (brotli quality 11) and `file.gz` (gzip -9) beside `file`.
pub fn precompress(file: &Path) -> Result {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let [br_path, gz_path] = variants(file);
    let (br, gz) = (brotli(&bytes)?, gzip(&bytes)?);
    for (path, data) in [(&br_path, &br), (&gz_path, &gz)] {
        std::fs::write(path, data).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    eprintln!("precompressed {}: {} bytes, brotli {}, gzip {}", file.display(), bytes.len(), br.len(), gz.len());
    Ok(())
}

/// gzip at zlib's best level (what `gzip -9` makes).
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).and_then(|_| e.finish()).map_err(|e| format!("gzip: {e}"))
}

/// brotli at its best quality (11), the default 4 MB window.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, size_hint: bytes.len(), ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| format!("brotli: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn variants_decode_to_the_file() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("w.wasm");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8 ^ (i / 977) as u8).collect();
        std::fs::write(&file, &data).unwrap();
        super::precompress(&file).unwrap();
        let mut gz = Vec::new();
        flate2::read::GzDecoder::new(&std::fs::read(dir.join("w.wasm.gz")).unwrap()[..]).read_to_end(&mut gz).unwrap();
        let mut br = Vec::new();
        brotli::BrotliDecompress(&mut &std::fs::read(dir.join("w.wasm.br")).unwrap()[..], &mut br).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(gz, data);
        assert_eq!(br, data);
    }
}
