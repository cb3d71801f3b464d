import Workbench

extension ProfileSchema {
    /// Every key the reproduction's steps read, with what each may be. `imine` validates a profile against this
    /// before it opens the store. Add a key here when a step starts reading one (the profile is rejected otherwise).
    ///
    /// Upper bounds are far above the paper profile's values and low enough that no value can make an allocation
    /// fail (the model-size rules below bound the products).
    public static let reproduction = ProfileSchema([
        .string("name", required: false, "the profile's name (informative only)"),
        .int("seed", 0...Int(Int32.max), required: false, "master seed of every random choice"),
        .int("data.max_response_chars", 1...100_000_000, "longer responses are dropped when pools load"),
        .int("tokenizer.vocab_size", 257...200_000, "BPE vocabulary: 256 bytes, end-of-text and the merges"),
        .int("tokenizer.training_chars", 1_000...2_000_000_000, "characters of pretraining text the BPE learns from"),
        .int("model.layers", 1...48, "transformer blocks of the base model"),
        .int("model.d_model", 8...4_096, "width of the base model"),
        .int("model.heads", 1...64, "attention heads of the base model"),
        .int("model.context", 8...8_192, "context length in tokens"),
        .int("model_large.layers", 1...48, "transformer blocks of the larger model (robustness)"),
        .int("model_large.d_model", 8...4_096, "width of the larger model"),
        .int("model_large.heads", 1...64, "attention heads of the larger model"),
        .int("model_large.context", 8...8_192, "context length of the larger model"),
        .int("pretrain.steps", 1...10_000_000, "pretraining optimiser steps"),
        .int("pretrain.batch", 1...4_096, "sequences per pretraining step"),
        .double("pretrain.learning_rate", 1e-8...1, "AdamW peak learning rate"),
        .int("pretrain.shards", 1...256, "data-parallel shards of each batch"),
        .int("finetune.epochs", 1...1_000, "passes over each finetuning subset"),
        .int("finetune.batch", 1...4_096, "sequences per finetuning step"),
        .double("finetune.learning_rate", 1e-8...1, "AdamW peak learning rate"),
        .int("finetune.eval_examples", 1...1_000_000, required: false, "a seeded sample of at most this many examples of each evaluation set (default: all)"),
        .int("rule_fit.pool_size", 2...10_000_000, "seeded sample of the rule-fit pool"),
        .int("rule_fit.subsets", 3...100_000, "mixed subsets the rule is fitted on"),
        .int("rule_fit.subset_size", 1...10_000_000, "examples per rule-fit subset"),
        .int("selection.pool_size", 1...10_000_000, "seeded sample of the selection pool"),
        .int("selection.top_k", 1...10_000_000, "examples the rule selects"),
        .int("blendsearch.k_min", 1...10_000_000, "smallest subset size searched"),
        .int("blendsearch.k_max", 1...10_000_000, "largest subset size searched (clipped to the pool)"),
        .int("blendsearch.trials", 1...10_000, "finetunes the search may spend"),
        .string("blendsearch.searcher", "the subset-size searcher: blendsearch, ladder-bo or random"),
        .section("oracle", "the model every finetune trains and where it runs (docs/scale-out.md)") { value in
            OracleSpec.problem(with: value)
        },
        .section("indicators.lm", "the language model behind perplexity and IFD") { value in
            ScoringLMs.problem(with: value)
        },
        .ints("sweep.sizes", 1...10_000_000, "subset sizes of the double-descent sweep"),
        .int("sweep.seeds", 1...1_000, "seeds per size"),
        // At least 10 each, as Stats' bootstrap, permutation test and rank association require: a smaller value is
        // refused here, naming the profile's line, not by a cell minutes into a run.
        .int("audits.bootstrap", 10...1_000_000, "bootstrap resamples"),
        .int("audits.permutations", 10...1_000_000, "permutation-test shuffles"),
        .int("audits.seed_repeats", 1...1_000, "finetunes per subset in the seed-variance audit"),
        .int("audits.fresh_subsets", 1...10_000, "subsets the rule never saw"),
        .int("indicators.reward_pairs", 2...10_000_000, "preference pairs of the reward model"),
        .int("indicators.reward_lm_pairs", 2...10_000_000, required: false,
             "preference pairs of the reward head on indicators.lm's hidden states (GGUF indicators.lm only; two forward passes each)"),
        .int("indicators.audit_per_group", 1...100_000, "examples per known-quality group"),
        .int("indicators.knn_i", 1...1_000, "the i of KNN-i"),
        .int("indicators.embedding_max_tokens", 8...512, "word pieces all-MiniLM-L6-v2 reads (512 at most)"),
    ], rules: [
        .divisible("model.d_model", by: "model.heads"),
        .divisible("model_large.d_model", by: "model_large.heads"),
        .atMost("rule_fit.subset_size", "rule_fit.pool_size"),
        .atMost("selection.top_k", "selection.pool_size"),
        .atMost("sweep.sizes", "selection.pool_size"),
        .atMost("blendsearch.k_min", "blendsearch.k_max"),
        .increasing("sweep.sizes"),
        .modelFits("model"),
        .modelFits("model_large"),
        .rewardLMPairsWithGGUF,
    ])
}

extension ProfileSchema.Rule {
    /// The most parameters (embedding, blocks, head) a profile's model may have, and the most activations one
    /// training step may hold (batch × context × width × blocks): both far above the paper profile's models
    /// (under 2 million parameters), and both small enough to allocate on a workstation.
    static let maxParameters = 500_000_000
    static let maxActivations = 2_000_000_000

    /// `<section>.{layers,d_model,context}` with the vocabulary and the batches must describe a model that fits.
    static func modelFits(_ section: String) -> Self {
        let keys = ["\(section).layers", "\(section).d_model", "\(section).context", "tokenizer.vocab_size", "pretrain.batch", "finetune.batch"]
        return Self(keys: keys) { profile in
            let v = keys.compactMap { try? profile.int($0) }
            guard v.count == keys.count else { return nil }
            let (layers, width, context, vocabulary, batch) = (v[0], v[1], v[2], v[3], max(v[4], v[5]))
            let parameters = vocabulary * width + context * width + layers * 12 * width * width
            if parameters > maxParameters {
                return "the '\(section)' model would have \(parameters) parameters (vocab_size × d_model + context × d_model + 12 × layers × d_model²); at most \(maxParameters) are allowed"
            }
            let activations = batch * context * width * layers
            if activations > maxActivations {
                return "the '\(section)' model would hold \(activations) activations per step (batch × context × d_model × layers); at most \(maxActivations) are allowed"
            }
            return nil
        }
    }

    /// A GGUF `indicators.lm` trains a reward head on that model's hidden states, whose pairs
    /// `indicators.reward_lm_pairs` caps (each costs two forward passes): such a profile must set it.
    static let rewardLMPairsWithGGUF = Self(keys: ["indicators.lm"]) { profile in
        guard profile.value("indicators.lm")?.objectValue?["backend"]?.stringValue == "gguf",
              profile.value("indicators.reward_lm_pairs") == nil else { return nil }
        return "indicators.lm is a GGUF model, so the reward-model cell also trains a head on its hidden states: set 'indicators.reward_lm_pairs' (the pairs it reads; two forward passes each, e.g. 400)"
    }
}
