import Foundation

/// Draws ``FigureSpec``s with gnuplot. Each figure becomes `<name>.dat` (the numbers) and `<name>.gp` (the
/// script), and running the script in its folder makes `<name>.png`, `.svg` and `.pdf`; anyone can restyle a
/// figure by editing the script and running `gnuplot <name>.gp` again. `gnuplot -e "preview=1" <name>.gp` draws
/// it in the terminal instead.
public enum Gnuplot {
    /// `gnuplot --version`, or nil when gnuplot is not installed.
    public static let version: String? = runTool("/usr/bin/env", ["gnuplot", "--version"])?
        .trimmingCharacters(in: .whitespacesAndNewlines)

    /// Writes `<name>.gp` and `<name>.dat` into `directory` (created if needed) and returns the script's URL.
    @discardableResult
    public static func write(_ spec: FigureSpec, origin: String, to directory: URL) throws -> URL {
        guard !spec.name.isEmpty, spec.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw FigureError("figure name '\(spec.name)' (from \(origin)) may only use ASCII letters, digits, '-' and '_'")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("\(spec.name).gp")
        try Data(dataFile(spec).utf8).write(to: directory.appendingPathComponent("\(spec.name).dat"), options: .atomic)
        try Data(self.script(spec, origin: origin).utf8).write(to: script, options: .atomic)
        return script
    }

    /// Runs a script written by ``write(_:origin:to:)`` in its folder, making the PNG, SVG and PDF.
    public static func render(script: URL) throws {
        try run(script: script, arguments: [])
        try fixCreationDate(pdf: script.deletingPathExtension().appendingPathExtension("pdf"))
    }

    /// Cairo stamps each PDF with the time it was drawn (Debian's cairo ignores SOURCE_DATE_EPOCH), so the same
    /// figure would differ byte for byte on every run. The stamp's 14 digits become 1970-01-01 00:00:00; the length
    /// stays the same, so the PDF's cross-reference offsets stay valid.
    static func fixCreationDate(pdf: URL) throws {
        guard var bytes = FileManager.default.contents(atPath: pdf.path).map(Array.init) else {
            throw FigureError("gnuplot made no PDF at \(pdf.path)")
        }
        let key = Array("/CreationDate (D:".utf8), epoch = Array("19700101000000".utf8)
        guard let start = bytes.indices.dropLast(key.count + epoch.count).first(where: { bytes[$0..<($0 + key.count)].elementsEqual(key) }),
              bytes[(start + key.count)..<(start + key.count + epoch.count)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return }
        bytes.replaceSubrange((start + key.count)..<(start + key.count + epoch.count), with: epoch)
        try Data(bytes).write(to: pdf, options: .atomic)
    }

    /// The figure drawn as text (gnuplot's `dumb` terminal).
    public static func preview(script: URL, columns: Int = 100, rows: Int = 32) throws -> String {
        try run(script: script, arguments: ["-e", "preview=1; preview_size='\(columns),\(rows)'"])
    }

    @discardableResult
    private static func run(script: URL, arguments: [String]) throws -> String {
        guard version != nil else {
            throw FigureError("gnuplot is not installed; run `make setup` (Debian package gnuplot-nox)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gnuplot"] + arguments + [script.lastPathComponent]
        process.currentDirectoryURL = script.deletingLastPathComponent()
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FigureError("gnuplot failed on \(script.path):\n\(problems)")
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// One block per series (gnuplot `index`), columns x, y, error, low, high; NaN where a point has no value.
    static func dataFile(_ spec: FigureSpec) -> String {
        var text = "# \(spec.title)\n# columns: x y error low high (NaN: not given); one block per series\n"
        for (index, series) in spec.series.enumerated() {
            text += "\n\n# [\(index)] \(series.label)\n"
            for point in series.points {
                let columns = [point.x, point.y, point.error ?? .nan, point.low ?? .nan, point.high ?? .nan]
                text += columns.map(number).joined(separator: " ") + "\n"
            }
        }
        return text
    }

    /// The script's first line: what made the figure.
    static func headerLine(name: String, origin: String) -> String {
        "# \(name).gp: made by imine from \(origin). Re-render here with: gnuplot \(name).gp"
    }

    static func script(_ spec: FigureSpec, origin: String) -> String {
        let name = spec.name
        var lines = [
            headerLine(name: name, origin: origin),
            "# Preview in a terminal: gnuplot -e \"preview=1\" \(name).gp",
            "set title \(quoted(spec.title)) noenhanced",
            "set xlabel \(quoted(spec.xLabel)) noenhanced",
            "set ylabel \(quoted(spec.yLabel)) noenhanced",
            // Long series names beside the plot would take half its width (and push the title off the canvas).
            (spec.series.map(\.label.count).max() ?? 0) > 24 ? "set key below noenhanced" : "set key outside right top noenhanced",
            "set grid lc rgb '#dddddd'",
            "set style fill solid 0.6 border -1",
            "set boxwidth 0.8 relative",
        ]
        if spec.xLog { lines.append("set logscale x") }
        if spec.yLog { lines.append("set logscale y") }
        if !spec.xTickLabels.isEmpty {
            // gnuplot reads an explicit tic label as a format string: a literal '%' must be written '%%'.
            let tics = spec.xTickLabels.map { "\(quoted($0.label.replacingOccurrences(of: "%", with: "%%"))) \(number($0.at))" }.joined(separator: ", ")
            lines.append("set xtics (\(tics)) rotate by -30 noenhanced")
        }
        for marker in spec.verticalLines {
            lines.append("set arrow from first \(number(marker.at)), graph 0 to first \(number(marker.at)), graph 1 nohead dt 2 lc rgb '#555555'")
            lines.append("set label \(quoted(marker.label)) at first \(number(marker.at)), graph 0.95 left offset 0.5,0 noenhanced")
        }
        for marker in spec.horizontalLines {
            lines.append("set arrow from graph 0, first \(number(marker.at)) to graph 1, first \(number(marker.at)) nohead dt 3 lc rgb '#555555'")
            lines.append("set label \(quoted(marker.label)) at graph 0.02, first \(number(marker.at)) offset 0,0.6 noenhanced")
        }
        lines.append("data = '\(name).dat'")
        lines.append("plot_it = \(quoted(plotCommand(spec)))")
        lines += [
            "if (exists(\"preview\")) {",
            "    if (!exists(\"preview_size\")) { preview_size = '100,32' }",
            "    eval('set terminal dumb size '.preview_size)",
            "    set output",
            "    eval(plot_it)",
            "    exit",
            "}",
            "set terminal pngcairo size 960,600 font 'DejaVu Sans,11'",
            "set output '\(name).png'",
            "eval(plot_it)",
            "set terminal svg size 960,600 font 'DejaVu Sans,11' background rgb 'white'",
            "set output '\(name).svg'",
            "eval(plot_it)",
            "set terminal pdfcairo size 6.4in,4in font 'DejaVu Sans,9'",
            "set output '\(name).pdf'",
            "eval(plot_it)",
            "unset output",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func plotCommand(_ spec: FigureSpec) -> String {
        var parts: [String] = []
        for (index, series) in spec.series.enumerated() where !series.points.isEmpty {
            let color = "lc \(index + 1)"
            let title = "title \(quoted(series.label))"
            if series.points.contains(where: { $0.low != nil && $0.high != nil }) {
                parts.append("data index \(index) using 1:4:5 with filledcurves fs transparent solid 0.2 noborder \(color) notitle")
            }
            let hasErrors = series.points.contains { $0.error != nil }
            switch (series.kind, hasErrors) {
            case (.bars, _): parts.append("data index \(index) using 1:2 with boxes \(color) \(title)")
            case (.points, true): parts.append("data index \(index) using 1:2:3 with yerrorbars pt 7 \(color) \(title)")
            case (.points, false): parts.append("data index \(index) using 1:2 with points pt 7 \(color) \(title)")
            case (.line, true), (.linesPoints, true):
                parts.append("data index \(index) using 1:2:3 with yerrorlines pt 7 \(color) \(title)")
            case (.line, false): parts.append("data index \(index) using 1:2 with lines lw 2 \(color) \(title)")
            case (.linesPoints, false): parts.append("data index \(index) using 1:2 with linespoints lw 2 pt 7 \(color) \(title)")
            }
            if series.kind == .bars, hasErrors {
                parts.append("data index \(index) using 1:2:3 with yerrorbars pt -1 lc rgb 'black' notitle")
            }
        }
        // An empty figure still renders (a blank frame saying so) rather than failing the whole notebook.
        if parts.isEmpty { return "set label 'no data' at graph 0.5, graph 0.5 center; set xrange [0:1]; set yrange [0:1]; plot 2 notitle" }
        return "plot " + parts.joined(separator: ", ")
    }

    /// Round-trip decimal, identical on every platform (gnuplot reads NaN as a missing value).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A gnuplot double-quoted string.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

/// A figure that cannot be drawn, with the reason.
public struct FigureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
