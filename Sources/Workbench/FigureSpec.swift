import Foundation

/// A figure described as data: the workbench writes it as a gnuplot script plus a data file and renders PNG, SVG
/// and PDF under `figures/<notebook>/<name>.*`. Steps only describe; they never call gnuplot.
///
///     FigureSpec(name: "double-descent", title: "Eval loss against subset size",
///                xLabel: "examples", yLabel: "eval loss", xLog: true,
///                series: [Series("random", points: sizes.map { Point(x: $0.size, y: $0.mean, error: $0.sd) }),
///                         Series("rule top-k", kind: .linesPoints, points: ...)])
public struct FigureSpec: Codable, Sendable, Hashable {
    /// File stem, unique within the notebook: letters, digits, '-', '_'.
    public var name: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xLog: Bool
    public var yLog: Bool
    public var series: [Series]
    /// Vertical reference lines (e.g. the balance point), drawn dashed with their label.
    public var verticalLines: [Marker]
    /// Horizontal reference lines (e.g. a baseline loss).
    public var horizontalLines: [Marker]
    /// Tick labels for a categorical x axis (bars): x position → label.
    public var xTickLabels: [TickLabel]

    public init(name: String, title: String, xLabel: String, yLabel: String, xLog: Bool = false, yLog: Bool = false,
                series: [Series], verticalLines: [Marker] = [], horizontalLines: [Marker] = [],
                xTickLabels: [TickLabel] = []) {
        (self.name, self.title, self.xLabel, self.yLabel) = (name, title, xLabel, yLabel)
        (self.xLog, self.yLog, self.series, self.verticalLines) = (xLog, yLog, series, verticalLines)
        (self.horizontalLines, self.xTickLabels) = (horizontalLines, xTickLabels)
    }

    /// How a series is drawn.
    public enum Kind: String, Codable, Sendable, Hashable {
        case line, points, linesPoints, bars
    }

    /// One curve. Error bars are drawn when points carry `error`; a shaded band when they carry `low` and `high`.
    public struct Series: Codable, Sendable, Hashable {
        public var label: String
        public var kind: Kind
        public var points: [Point]

        public init(_ label: String, kind: Kind = .line, points: [Point]) {
            (self.label, self.kind, self.points) = (label, kind, points)
        }
    }

    public struct Point: Codable, Sendable, Hashable {
        public var x: Double
        public var y: Double
        /// Symmetric error (e.g. standard deviation over seeds): drawn as an error bar.
        public var error: Double?
        /// Lower and upper edge of a band (e.g. a confidence interval): drawn as a shaded area.
        public var low: Double?
        public var high: Double?

        public init(x: Double, y: Double, error: Double? = nil, low: Double? = nil, high: Double? = nil) {
            (self.x, self.y, self.error, self.low, self.high) = (x, y, error, low, high)
        }

        public init(x: Int, y: Double, error: Double? = nil, low: Double? = nil, high: Double? = nil) {
            self.init(x: Double(x), y: y, error: error, low: low, high: high)
        }
    }

    public struct Marker: Codable, Sendable, Hashable {
        public var at: Double
        public var label: String
        public init(at: Double, label: String) { self.at = at; self.label = label }
    }

    public struct TickLabel: Codable, Sendable, Hashable {
        public var at: Double
        public var label: String
        public init(at: Double, label: String) { self.at = at; self.label = label }
    }
}
