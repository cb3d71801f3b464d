/// The Measure of Textual Lexical Diversity (McCarthy & Jarvis 2010): the mean length of the word runs over which
/// the type-token ratio stays above a threshold, averaged over a forward and a backward pass.
///
/// Packages disagree on the details, and the values move with them, so every detail is a parameter and the three
/// presets name the known behaviours:
///
/// ```swift
/// let value = MTLD.lexicalRichness.measure("The cat sat on the mat ...").value   // the paper's package
/// let other = MTLD.lexicalDiversity.measure(text)                                   // lexical-diversity 0.1.1
/// ```
///
/// A text with fewer than ``shortTextTokens`` tokens gets a value but is flagged ``MTLDResult/isShort``: MTLD is
/// unstable there. For many texts use ``MTLDMeter``, which reuses its buffers.
public struct MTLD: Codable, Hashable, Sendable {
    /// How a segment's type-token ratio is compared with ``threshold`` to close a factor.
    public enum Comparison: String, Codable, Sendable {
        /// Close when TTR ≤ threshold (lexicalrichness; "when TTR drops to the threshold").
        case atOrBelow
        /// Close when TTR < threshold (lexical-diversity).
        case below
    }

    /// What a pass returns when it counts no factor at all (every token so far distinct, or no tokens).
    public enum NoFactorRule: String, Codable, Sendable {
        /// Use the whole text's TTR: one factor if it is 1, else its partial factor (lexicalrichness). A text with
        /// no tokens has no value.
        case wholeTextTTR
        /// The pass's MTLD is 0 (lexical-diversity's `safe_divide`).
        case zero
        /// The text has no value (McCarthy & Jarvis: MTLD is undefined without a factor).
        case undefined
    }

    public var tokenization: MTLDTokenization
    /// The TTR at which a factor closes; McCarthy & Jarvis recommend 0.72 (range 0.660–0.750).
    public var threshold: Double
    public var comparison: Comparison
    /// A segment shorter than this never closes a factor (lexical-diversity: 10; others: 0).
    public var minimumFactorLength: Int
    /// lexical-diversity's quirk: the last token never closes a full factor; the segment it ends is always scored
    /// as a partial factor `(1 − TTR)/(1 − threshold)`, which exceeds 1 when TTR is already below the threshold.
    public var lastTokenAlwaysPartial: Bool
    public var noFactor: NoFactorRule
    /// Texts with fewer tokens than this are flagged as short (their MTLD is unstable).
    public var shortTextTokens: Int

    public init(tokenization: MTLDTokenization, threshold: Double = 0.72, comparison: Comparison,
                minimumFactorLength: Int = 0, lastTokenAlwaysPartial: Bool = false, noFactor: NoFactorRule,
                shortTextTokens: Int = 50) {
        (self.tokenization, self.threshold) = (tokenization, threshold)
        (self.comparison, self.minimumFactorLength) = (comparison, minimumFactorLength)
        (self.lastTokenAlwaysPartial, self.noFactor) = (lastTokenAlwaysPartial, noFactor)
        (self.shortTextTokens) = (shortTextTokens)
    }

    /// lexicalrichness 0.5.1 `LexicalRichness(text).mtld(threshold=0.72)`, the package the paper used: its
    /// tokeniser, TTR ≤ threshold closes a factor, a leftover segment adds a partial factor, a pass with no factor
    /// falls back to the whole text's TTR. This is the workbench's default MTLD.
    public static let lexicalRichness = MTLD(tokenization: .lexicalRichness, comparison: .atOrBelow, noFactor: .wholeTextTTR)

    /// lexical-diversity 0.1.1 `ld.mtld(ld.tokenize(text))`: its tokeniser, TTR < 0.72 with at least 10 tokens
    /// closes a factor, the last token always ends a partial factor, no factor gives 0.
    public static let lexicalDiversity = MTLD(tokenization: .lexicalDiversity, comparison: .below, minimumFactorLength: 10,
                                              lastTokenAlwaysPartial: true, noFactor: .zero)

    /// McCarthy & Jarvis (2010) as described: the workbench's word tokens, a factor closes when TTR reaches the
    /// threshold, a partial factor for the leftover, undefined when a pass completes no factor.
    public static let mccarthyJarvis = MTLD(tokenization: .words, comparison: .atOrBelow, noFactor: .undefined)

    /// MTLD of one text. Allocates scratch space; use ``MTLDMeter`` for many texts.
    public func measure(_ text: String) -> MTLDResult {
        MTLDMeter(self).measure(text)
    }
}

/// One text's MTLD and the counts behind it.
public struct MTLDResult: Codable, Hashable, Sendable {
    /// The mean of the forward and backward passes; `nil` where the variant defines no value (no tokens, or no
    /// factor under ``MTLD/NoFactorRule/undefined``).
    public var value: Double?
    public var tokens: Int
    public var types: Int
    /// Fewer than the variant's ``MTLD/shortTextTokens`` tokens: the value is kept but unstable.
    public var isShort: Bool

    /// The flag stored beside the value in the indicator tables.
    public var flag: String? { isShort ? "short" : nil }
}
