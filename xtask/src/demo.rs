//! `cargo xtask demo`: the main job. Builds the widget in release, then
//! runs the server (profile `fast`) with the demo page and an SQLite file under ./data.
//!
//! The widget is built split (src/split.rs): the first screen's module, and the later
//! views in chunks fetched when first needed. The build ends by writing a brotli `.br`
//! and a gzip `.gz` next to every file of it: the server serves those by
//! `Accept-Encoding` (routes/static_files.rs), without compressing on every request, and
//! at brotli's best level, which is too slow to do per request.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{cargo, root, exec, Result};
use crate::wasm::Toolchain;

pub fn run(listen: &str) -> Result {
    build_widget()?;
    std::fs::create_dir_all(root().join("data")).map_err(|e| e.to_string())?;
    exec(cargo().args(["run", "--profile", "fast", "-p", "tally-server", "--", "serve", "--listen", listen, "--demo"])
        .env("DATABASE_URL", "sqlite:data/tally.db")
        .env("TALLY_STATIC_ROOT", root()))
}

/// The shipped widget, split, into ./www/pkg (served at /www/pkg).
pub fn build_widget() -> Result {
    build_widget_into(&root().join("www/pkg"), true)
}

/// The release widget into `pkg`: split or whole (the benchmark's "before"), then
/// `wasm-opt -Oz` on every module (`wasm_opt`), then the `.br` / `.gz` variants of
/// every file.
///
/// Split: `wasm-split` cuts the linked module into the main one, a module per split
/// point and the chunks several of them share, and writes `__wasm_split.js`, which
/// fetches them relative to itself. `wasm-bindgen --keep-lld-exports` keeps the exports
/// the chunks link against. The chunks are renamed `NAME-HASH.wasm` after their content
/// (the loader rewritten to match), so the server can let browsers keep them for a year.
pub fn build_widget_into(pkg: &Path, split: bool) -> Result {
    // The previous build's files go first: if this one fails half-way, the server must
    // not pair a new wasm with an old chunk or brotli copy.
    clear_build(pkg)?;
    let (mut build, linked) = Toolchain::detect()?.build_release(split);
    exec(&mut build)?;
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen.args(["--target", "web", "--out-name", "tally_widget", "--out-dir"]).arg(pkg);
    if split {
        let parts = linked.with_file_name("split");
        clear_build(&parts)?;
        exec(Command::new("wasm-split-cli").arg(&linked).arg(&parts).args(["--out-name", "tally_widget"]))?;
        exec(bindgen.arg("--keep-lld-exports").arg(parts.join("tally_widget.wasm")))?;
        let mut loader = std::fs::read_to_string(parts.join(SPLIT_LOADER)).map_err(|e| format!("{SPLIT_LOADER}: {e}"))?;
        for chunk in files_with(&parts, ".wasm")?.into_iter().filter(|f| !f.ends_with("tally_widget.wasm")) {
            let name = chunk.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let out = pkg.join(&name);
            std::fs::copy(&chunk, &out).map_err(|e| format!("{}: {e}", chunk.display()))?;
            wasm_opt(&out)?;
            let hashed = hashed_name(&name, &std::fs::read(&out).map_err(|e| e.to_string())?);
            std::fs::rename(&out, pkg.join(&hashed)).map_err(|e| e.to_string())?;
            let quoted = format!("\"./{name}\"");
            if !loader.contains(&quoted) {
                return Err(format!("{SPLIT_LOADER} does not name {name}: wasm-split's output changed"));
            }
            loader = loader.replace(&quoted, &format!("\"./{hashed}\""));
        }
        std::fs::write(pkg.join(SPLIT_LOADER), loader).map_err(|e| e.to_string())?;
    } else {
        exec(bindgen.arg(&linked))?;
    }
    wasm_opt(&pkg.join("tally_widget_bg.wasm"))?;
    for file in files_with(pkg, ".wasm")?.into_iter().chain(files_with(pkg, ".js")?) {
        precompress(&file)?;
    }
    Ok(())
}

/// The loader wasm-split writes beside the chunks; the glue imports it by this name.
pub const SPLIT_LOADER: &str = "__wasm_split.js";

/// `binaryen`'s `wasm-opt -Oz`, in place, from npm (xtask/package.json), not the one on
/// PATH: Debian ships binaryen 108, which corrupts the call_indirect encoding of Rust
/// >= 1.82 output. No --enable-* flags: wasm-opt reads the features from the module
/// itself, and naming some would silently disable the others.
fn wasm_opt(wasm: &Path) -> Result {
    exec(Command::new(root().join("xtask/node_modules/.bin/wasm-opt")).arg("-Oz").arg(wasm).arg("-o").arg(wasm))
}

/// `stem-HASH.wasm`: 16 hex digits of the content's SHA-256 (routes/static_files.rs
/// caches such names for a year). wasm-split's `split_NAME` becomes `NAME`, the split's
/// name in src/split.rs; the shared `chunk_N` keep theirs.
fn hashed_name(name: &str, content: &[u8]) -> String {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(content);
    let hex: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let stem = stem.strip_prefix("split_").unwrap_or(stem);
    format!("{stem}-{hex}.{ext}")
}

/// The files in `dir` whose names end in `suffix`, sorted.
pub fn files_with(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.to_str().is_some_and(|s| s.ends_with(suffix)))
        .collect();
    found.sort();
    Ok(found)
}

/// Empties `pkg` of a previous build (creating it if needed).
fn clear_build(pkg: &Path) -> Result {
    if pkg.is_dir() {
        std::fs::remove_dir_all(pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    }
    std::fs::create_dir_all(pkg).map_err(|e| format!("{}: {e}", pkg.display()))
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
    fn chunks_are_named_after_their_split_point_and_content() {
        let a = super::hashed_name("split_expenses.wasm", b"one");
        assert!(a.starts_with("expenses-") && a.ends_with(".wasm") && a.len() == "expenses-".len() + 16 + 5, "{a}");
        assert_ne!(a, super::hashed_name("split_expenses.wasm", b"two"));
        assert!(super::hashed_name("chunk_12.wasm", b"one").starts_with("chunk_12-"));
    }

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
