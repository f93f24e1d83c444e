//! `tally-classify` CLI: train, eval, classify, bench.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use tally_classify::cli::{bench, classify_stream, Format};
use tally_classify::corpus::{generate, CorpusConfig};
use tally_classify::eval::{evaluate_on, evaluate_standard, is_right, SplitReport};
use tally_classify::model::{Model, TrainConfig};
use tally_classify::train::{total_steps, train_model};
use tally_classify::{handset, Classifier, Error, EMBEDDED_MODEL};

/// `println!` that returns I/O errors (a closed pipe is not a panic).
macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(io::stdout().lock(), $($arg)*)?
    };
}

const DEFAULT_MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/model/model-v1.bin");

#[derive(Parser)]
#[command(
    name = "tally-classify",
    about = "Tally's expense categorisation engine"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Rebuild the model from the crate's data (reproducible) and write it.
    Train {
        /// Where to write the model.
        #[arg(long, default_value = DEFAULT_MODEL)]
        out: PathBuf,
        /// Training epochs.
        #[arg(long, default_value_t = TrainConfig::default().epochs)]
        epochs: usize,
        /// SGD learning rate.
        #[arg(long, default_value_t = TrainConfig::default().learning_rate)]
        learning_rate: f32,
        /// log2 of the feature table size.
        #[arg(long, default_value_t = TrainConfig::default().bucket_bits)]
        bucket_bits: u32,
        /// Train and evaluate on the validation corpus (another seed) and
        /// write nothing: for choosing settings without touching the
        /// standard evaluation splits.
        #[arg(long)]
        validation: bool,
        /// Do not weight classes by inverse frequency.
        #[arg(long)]
        unbalanced: bool,
    },
    /// Accuracy and macro-F1 per category on the held-out split and on
    /// merchants absent from the directory.
    Eval {
        /// Evaluate this model file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The rows of a hand set the engine gets wrong, with what it answered.
    /// Only the sets that may be looked at (`tuning`, `dev`): the others are
    /// never read row by row, so that their scores stay honest.
    Misses {
        #[arg(value_enum)]
        set: LookableSet,
    },
    /// Read descriptions (or CSV `description,amount`) on stdin, write one
    /// JSON object per line.
    Classify {
        /// Force CSV input (otherwise detected from a `description,amount` header).
        #[arg(long)]
        csv: bool,
        /// Force one-description-per-line input.
        #[arg(long, conflicts_with = "csv")]
        lines: bool,
    },
    /// Throughput on one core and accuracy, as JSON (use --release).
    Bench {
        /// Minimum seconds to spend measuring throughput.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
}

/// The hand sets that may be read row by row.
#[derive(Clone, Copy, ValueEnum)]
enum LookableSet {
    Tuning,
    Dev,
}

fn load_model(path: Option<&PathBuf>) -> Result<Model, Error> {
    match path {
        Some(p) => Model::from_bytes(&std::fs::read(p)?),
        None => Model::from_bytes(EMBEDDED_MODEL),
    }
}

fn print_split(name: &str, r: &SplitReport) -> io::Result<()> {
    out!(
        "\n{name}: {} payments, accuracy {:.2}%, macro-F1 {:.4}",
        r.examples,
        r.accuracy * 100.0,
        r.macro_f1
    );
    out!(
        "  {:<24} {:>7} {:>9} {:>7} {:>7}",
        "category",
        "support",
        "precision",
        "recall",
        "f1"
    );
    for c in &r.per_category {
        out!(
            "  {:<24} {:>7} {:>9.3} {:>7.3} {:>7.3}",
            c.slug,
            c.support,
            c.precision,
            c.recall,
            c.f1
        );
    }
    let sources: Vec<String> = r
        .by_source
        .iter()
        .map(|(s, (n, ok))| {
            format!(
                "{s} {n} ({:.1}% right)",
                *ok as f64 * 100.0 / (*n).max(1) as f64
            )
        })
        .collect();
    out!("  decided by: {}", sources.join(", "));
    if r.not_payments_as_other > 0 {
        out!(
            "  rows labelled `other` read as no payment (fee, withdrawal, transfer), counted right: {}",
            r.not_payments_as_other
        );
    }
    let levels: Vec<String> = r
        .by_confidence
        .iter()
        .map(|(s, (n, ok))| {
            format!(
                "{s} {n} ({:.1}% right)",
                *ok as f64 * 100.0 / (*n).max(1) as f64
            )
        })
        .collect();
    out!("  confidence: {}", levels.join(", "));
    let pairs: Vec<String> = r
        .by_source_confidence
        .iter()
        .map(|(s, (n, ok))| {
            format!(
                "{s} {n} ({:.1}%)",
                *ok as f64 * 100.0 / (*n).max(1) as f64
            )
        })
        .collect();
    out!("  by source and confidence: {}", pairs.join(", "));
    Ok(())
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Train {
            out,
            epochs,
            learning_rate,
            bucket_bits,
            validation,
            unbalanced,
        } => {
            if !(8..=24).contains(&bucket_bits) {
                return Err(Error::InvalidInput("--bucket-bits must be 8..=24".into()));
            }
            let cfg = TrainConfig {
                epochs,
                learning_rate,
                bucket_bits,
                balanced: !unbalanced,
                ..TrainConfig::default()
            };
            eprintln!("generating corpus…");
            let corpus_cfg = if validation {
                CorpusConfig::validation()
            } else {
                CorpusConfig::standard()
            };
            let corpus = generate(&corpus_cfg)?;
            let pb = ProgressBar::new(total_steps(&corpus.train, &cfg));
            pb.set_style(
                ProgressStyle::with_template(
                    "training {bar:40} {pos}/{len} examples·epochs ({eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let mut i = 0u64;
            let model = train_model(&corpus.train, &cfg, &mut || {
                i += 1;
                if i.is_multiple_of(4096) {
                    pb.inc(4096);
                }
            });
            pb.finish_and_clear();
            if validation {
                let r = evaluate_on(model, &corpus)?;
                out!(
                    "validation: held-out {:.2}% (F1 {:.4}), unseen {:.2}% (F1 {:.4}; chains {:.2}%, local {:.2}%)",
                    r.heldout.accuracy * 100.0,
                    r.heldout.macro_f1,
                    r.unseen.accuracy * 100.0,
                    r.unseen.macro_f1,
                    r.unseen_chains.accuracy * 100.0,
                    r.unseen_local.accuracy * 100.0
                );
                return Ok(());
            }
            let bytes = model.to_bytes();
            if let Some(dir) = out.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&out, &bytes)?;
            out!(
                "wrote {} ({} bytes) from {} training transactions",
                out.display(),
                bytes.len(),
                corpus.train.len()
            );
            let r = evaluate_standard(model)?;
            out!(
                "held-out accuracy {:.2}% (macro-F1 {:.4}), unseen merchants {:.2}% (macro-F1 {:.4})",
                r.heldout.accuracy * 100.0,
                r.heldout.macro_f1,
                r.unseen.accuracy * 100.0,
                r.unseen.macro_f1
            );
        }
        Command::Eval { model, json } => {
            let r = evaluate_standard(load_model(model.as_ref())?)?;
            if json {
                out!(
                    "{}",
                    serde_json::to_string_pretty(&r)
                        .map_err(|e| Error::InvalidInput(e.to_string()))?
                );
            } else {
                print_split("held-out split (merchants seen in training)", &r.heldout)?;
                print_split(
                    "unseen merchants (absent from training and directory)",
                    &r.unseen,
                )?;
                print_split("unseen: held-out directory chains", &r.unseen_chains)?;
                print_split("unseen: local businesses", &r.unseen_local)?;
                print_split(
                    "unseen world brands (held out of training and the brand table)",
                    &r.unseen_brands,
                )?;
                print_split(
                    "unseen world brands, each in its first country (brands listed only worldwide left out)",
                    &r.unseen_brands_in_country,
                )?;
                out!(
                    "\nclass accuracy on the held-out split: {:.2}%",
                    r.heldout_class_accuracy * 100.0
                );
            }
            let c = Classifier::with_model(load_model(model.as_ref())?)?;
            for (name, rows) in [
                ("hand-written held-out set (never tuned to)", handset::holdout()?),
                ("hand-written tuning set (rules were written against it)", handset::tuning()?),
                ("hand-written fresh set (written before the second round, never tuned to)", handset::fresh()?),
                ("hand-written fresh set 2, written blind 2026-12-07, never tuned on", handset::fresh2()?),
                ("hand-written development set (written blind 2026-12-07, tuned to)", handset::dev()?),
            ] {
                let h = handset::score_hand(&c, &rows);
                if json {
                    out!(
                        "{}",
                        serde_json::to_string_pretty(&h)
                            .map_err(|e| Error::InvalidInput(e.to_string()))?
                    );
                    continue;
                }
                print_split(name, &h.all)?;
                let (n, ok) = h.all.confident();
                out!(
                    "  high/very-high: {n} answers, {:.1}% right",
                    ok as f64 * 100.0 / n.max(1) as f64
                );
                let countries: Vec<String> = h
                    .by_country
                    .iter()
                    .map(|(c, n, ok)| format!("{c} {ok}/{n}"))
                    .collect();
                out!("  by country: {}", countries.join(", "));
            }
        }
        Command::Misses { set } => {
            let rows = match set {
                LookableSet::Tuning => handset::tuning()?,
                LookableSet::Dev => handset::dev()?,
            };
            let c = Classifier::load()?;
            for row in &rows {
                let r = c.classify(&row.input(), None);
                if !is_right(&r, row.category) {
                    out!(
                        "{}\t{}\t{}\t{} {} {} {}",
                        row.country.as_ref().map_or("XX", |c| c.as_str()),
                        row.description,
                        row.category.slug,
                        r.category.map_or(r.class.as_str(), |c| c.slug),
                        r.confidence.as_str(),
                        r.source.as_str(),
                        r.merchant.as_deref().unwrap_or("")
                    );
                }
            }
        }
        Command::Classify { csv, lines } => {
            let c = Classifier::load()?;
            let format = if csv {
                Format::Csv
            } else if lines {
                Format::Lines
            } else {
                Format::Auto
            };
            let stdin = io::stdin().lock();
            let stdout = BufWriter::new(io::stdout().lock());
            let stats = classify_stream(&c, stdin, stdout, format)?;
            if stats.errors > 0 {
                eprintln!(
                    "{} lines classified, {} bad lines",
                    stats.classified, stats.errors
                );
            }
        }
        Command::Bench { seconds } => {
            let c = Classifier::load()?;
            let report = bench(&c, load_model(None)?, seconds)?;
            out!(
                "{}",
                serde_json::to_string_pretty(&report)
                    .map_err(|e| Error::InvalidInput(e.to_string()))?
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        // Output piped into `head` and closed: not an error worth a word.
        Err(Error::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
