//! Corpus → model: the one training pipeline `train`, `eval` and the tests share.

use crate::corpus::Example;
use crate::model::{extract, train, Model, Sample, TrainConfig};
use crate::normalise::Normalised;
use crate::taxonomy::{all_categories, category_index};

/// Turn labelled payments into hashed samples, exactly as `Classifier`
/// extracts features at run time (merchant words of the normalised text).
pub fn samples(examples: &[Example], mask: u32) -> Vec<Sample> {
    let mut n = Normalised::default();
    examples
        .iter()
        .filter_map(|e| {
            let label = category_index(e.category?.slug)?;
            n.fill(&e.description);
            let mut features = Vec::new();
            extract(n.merchant_words(), mask, &mut features);
            Some(Sample { features, label })
        })
        .collect()
}

/// Train the model on the training split. `progress` is called per example
/// per epoch; `total_steps` tells the caller how many calls to expect.
pub fn train_model(examples: &[Example], cfg: &TrainConfig, progress: &mut dyn FnMut()) -> Model {
    let s = samples(examples, (1u32 << cfg.bucket_bits) - 1);
    train(&s, all_categories().len(), cfg, progress)
}

/// Number of progress calls `train_model` will make.
pub fn total_steps(examples: &[Example], cfg: &TrainConfig) -> u64 {
    (examples.iter().filter(|e| e.category.is_some()).count() * cfg.epochs) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{generate, CorpusConfig};

    /// `train` is reproducible: the same corpus and settings give the same
    /// bytes (checked on a small corpus so it stays fast in debug builds).
    #[test]
    fn training_on_a_corpus_subset_is_reproducible() {
        let corpus = generate(&CorpusConfig::small()).unwrap();
        let cfg = TrainConfig {
            bucket_bits: 12,
            epochs: 2,
            ..TrainConfig::default()
        };
        let a = train_model(&corpus.train, &cfg, &mut || {}).to_bytes();
        let b = train_model(&corpus.train, &cfg, &mut || {}).to_bytes();
        assert_eq!(a, b);
        let mut steps = 0;
        let _ = train_model(&corpus.train, &cfg, &mut || steps += 1);
        assert_eq!(steps, total_steps(&corpus.train, &cfg));
    }
}
