// Module Indicators: the paper's per-example quality indicators, computed with provenance.
//
//   Indicator, IndicatorCatalog   one file per indicator (Catalog/): name, needs, computation; the catalog lists them
//                           in order, and every computation (indicators cell, audit, scoring) iterates it
//   IndicatorInputs         what indicators read: text, token counts, MiniLM embeddings, a language-model scorer's
//                           response losses (Training's ResponseScore), a reward model
//   LengthIndicators        input/output length in words and in tokens (tokenizer passed as a closure)
//   MTLD, MTLDMeter         lexical diversity; presets match lexicalrichness 0.5.1 (default), lexical-diversity
//                           0.1.1 and McCarthy & Jarvis (2010); golden fixture in Tests/IndicatorsTests/Fixtures
//   IndicatorVariant        what exactly a value is (name, parameters, text field, tokenizer, model hash, pool);
//                           its key is a canonical-JSON digest, so a changed variant never overwrites
//   Store.putIndicatorValues / indicatorValues / indicatorMean   the indicator_variant / indicator_value tables
//   IndicatorImport         external scores (UniEval, other reward models) from CSV or JSONL, fully checked
//   IndicatorAudit          per-group means and Spearman against a known quality order
// KNN search, the MiniLM embedding text and the reward model live in this module too (KNN*, Embedding*, RewardModel*).
