import Core
import Foundation
import GRDB
import Store

/// Runs a ``Plan``: each stale cell in dependency order, each result written to the store in one transaction,
/// then renders every requested notebook (Markdown, HTML, figures) with a provenance block.
///
///     let plan = try Plan(files: ["notebooks/05-double-descent.md"], registry: registry)
///     let runner = Runner(store: try WorkbenchStore.open(paths.store), profile: try paths.loadProfile("quick"), paths: paths)
///     let summary = try runner.run(plan)
///
/// A run killed at any point loses at most the cell in flight: the next run finds every finished cell fresh.
/// A cell that fails, or is interrupted (``stopOnSignals()``), leaves no rows behind: what its step inserted is
/// deleted again (``CellWriteLog``). Two runners on one store share the work: a cell one of them is computing is
/// waited for by the other, then reused (``CellClaims``); a store busy for too long is reported as such.
public final class Runner {
    public let store: Store
    public let profile: Profile
    public let paths: WorkbenchPaths
    /// Where progress lines go (stderr by default).
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    let writeLog = CellWriteLog()
    /// What this runner's cells decoded from artifacts, shared by its cells (and by callers that build a context on
    /// top of its results, like `imine score`).
    public let loaded = LoadedValues()
    private let claims: CellClaims?
    /// Guards `inFlight` and `activeRuns`, which the signal handler reads from its own queue.
    let state = NSLock()
    var inFlight: String?  // the plan key of the cell running now
    var activeRuns: [Int64] = []
    var signalSources: [DispatchSourceSignal] = []

    public init(store: Store, profile: Profile, paths: WorkbenchPaths) {
        (self.store, self.profile, self.paths) = (store, profile, paths)
        claims = try? CellClaims(storePath: store.path)  // without it (read-only folder) runners just do not share
        store.pool.add(transactionObserver: writeLog, extent: .observerLifetime)
    }

    /// What a run did.
    public struct Summary: Sendable {
        public var ran: [String] = []
        public var cached: [String] = []
        /// Cell key and error message.
        public var failed: [(String, String)] = []
        /// Cells not run because an input failed.
        public var skipped: [String] = []
        /// Rendered files (Markdown, HTML) per requested notebook.
        public var rendered: [URL] = []
        public var runIDs: [String: Int64] = [:]
        /// The finished cell (ran or cached) of every planned node, by node key (`<notebook>/<cell id>`): how a
        /// command that builds on notebook results (`imine mine`) finds exactly the cells of this profile.
        public var records: [String: CellRecord] = [:]
        public var succeeded: Bool { failed.isEmpty && skipped.isEmpty }
    }

    /// Runs every stale cell of `plan` (all cells of the requested notebooks with `force`), then renders.
    @discardableResult
    public func run(_ plan: Plan, force: Bool = false, render: Bool = true) throws -> Summary {
        try checkProfile(plan)
        try markKilledRuns()
        var provenance = Provenance.start(profile: profile, paths: paths, store: store)
        var summary = Summary()
        let runIDs = try store.write { db -> [String: Int64] in
            var ids: [String: Int64] = [:]
            for name in plan.requested {
                var record = RunRecord(notebook: name, profile: profile.name, provenanceJSON: try CanonicalJSON.string(provenance),
                                       startedAt: provenance.startedAt, status: "running")
                try record.insert(db)
                ids[name] = record.id
            }
            return ids
        }
        summary.runIDs = runIDs
        state.withLock { activeRuns = Array(runIDs.values) }
        defer { state.withLock { activeRuns = [] } }
        let requested = Set(plan.requested)
        var results: [String: CellRecord] = [:]
        var broken: Set<String> = []
        var cellsByNotebook: [String: [Provenance.Cell]] = [:]
        for node in plan.nodes {
            var cell = Provenance.Cell(id: node.cell.id, step: node.step.name, version: node.step.version, cacheKey: nil,
                                       outputDigest: nil, status: "skipped", durationSeconds: nil, error: nil)
            defer { cellsByNotebook[node.notebook.name, default: []].append(cell) }
            if let failedInput = node.inputs.first(where: broken.contains) {
                broken.insert(node.key)
                summary.skipped.append(node.key)
                cell.error = "input \(failedInput) failed"
                log("✗ \(node.key): skipped, input \(failedInput) failed")
                continue
            }
            let inputDigests = node.inputs.map { results[$0]!.outputDigest }
            let key: String
            do { key = try CacheKey.digest(of: node, inputDigests: inputDigests, profile: profile, paths: paths) } catch {
                broken.insert(node.key)
                summary.failed.append((node.key, "\(error)"))
                cell.status = "failed"
                cell.error = "\(error)"
                log("✗ \(node.key): cannot compute its cache key: \(error)")
                continue
            }
            cell.cacheKey = key
            let runID = runIDs[node.notebook.name] ?? runIDs[plan.requested[0]]
            let reusable = { force && requested.contains(node.notebook.name) ? nil : try self.cachedRecord(for: node, key: key, runID: runID) }
            func useCached(_ record: CellRecord) {
                results[node.key] = record
                summary.cached.append(node.key)
                cell.status = "cached"
                cell.outputDigest = record.outputDigest
                cell.durationSeconds = record.durationSeconds
            }
            if let record = try reusable() {
                useCached(record)
                continue
            }
            // Claim the cell: if another process is computing it, wait, then reuse what it stored.
            try claims?.claim(key) { pid in
                log("⧗ \(node.key): another imine process\(pid > 0 ? " (pid \(pid))" : "") is computing this cell; waiting for it")
            }
            defer { claims?.release(key) }
            // Look again once the claim is ours: the other runner may have stored it while we waited, or just before.
            if let record = try reusable() {
                useCached(record)
                continue
            }
            do {
                let record = try execute(node, key: key, inputs: node.inputs.map { results[$0]! }, runID: runID)
                results[node.key] = record
                summary.ran.append(node.key)
                cell.status = "ran"
                cell.outputDigest = record.outputDigest
                cell.durationSeconds = record.durationSeconds
            } catch StoreError.busy(let path) {
                throw StoreError.busy(path)  // a busy store stops the run; the finished cells are kept
            } catch {
                broken.insert(node.key)
                summary.failed.append((node.key, "\(error)"))
                cell.status = "failed"
                cell.error = "\(error)"
                log("✗ \(node.key) failed: \(error)")
            }
        }
        summary.records = results
        provenance.finishedAt = timestamp()
        for record in results.values {
            if let report = try? self.report(of: record) {
                provenance.modelHashes.merge(report.modelHashes) { first, _ in first }
            }
        }
        for name in plan.requested {
            var own = provenance
            own.cells = cellsByNotebook[name] ?? []
            if render, let notebook = plan.notebooks.first(where: { $0.name == name }) {
                summary.rendered += try NotebookRenderer(store: store, paths: paths, log: log)
                    .render(notebook, records: results, provenance: own)
            }
            let status = own.cells.allSatisfy { $0.status == "ran" || $0.status == "cached" } ? "finished" : "failed"
            try store.write { db in
                try RunRecord.finish(runIDs[name], provenanceJSON: try CanonicalJSON.string(own), finishedAt: own.finishedAt, status: status, in: db)
            }
        }
        return summary
    }

    /// Every profile key a planned step declares must be set by the profile: found before anything runs.
    public func checkProfile(_ plan: Plan) throws {
        var errors: [InputError] = []
        var reported: Set<String> = []
        for node in plan.nodes {
            for key in node.step.profileKeys where profile.value(key) == nil && !reported.contains(key) {
                reported.insert(key)
                errors.append(InputError(file: profile.file, field: key,
                    "the profile '\(profile.name)' does not set '\(key)', which step \(node.step.name) reads (cell '\(node.cell.id)' at \(node.notebook.file):\(node.cell.stepLine))"))
            }
        }
        if !errors.isEmpty { throw NotebookErrors(errors) }
    }

    /// A stored result under `key`; copied to this notebook's cell id if it was made under another one.
    private func cachedRecord(for node: Plan.Node, key: String, runID: Int64?) throws -> CellRecord? {
        let found = try store.read { db in
            try CellRecord.find(cacheKey: key, notebook: node.notebook.name, cellID: node.cell.id, in: db)
        }
        guard var record = found else { return nil }
        if record.notebook != node.notebook.name || record.cellID != node.cell.id {
            record.notebook = node.notebook.name
            record.cellID = node.cell.id
            record.runID = runID
            try store.write { db in try record.save(in: db) }
        }
        return record
    }

    /// Runs one cell; if it throws, the rows its step already inserted are deleted before the error goes on.
    private func execute(_ node: Plan.Node, key: String, inputs: [CellRecord], runID: Int64?) throws -> CellRecord {
        writeLog.start()
        state.withLock { inFlight = node.key }
        do {
            return try executeLogged(node, key: key, inputs: inputs, runID: runID)
        } catch {
            let rows = writeLog.rowsNewestFirst
            if !rows.isEmpty {
                do { _ = try store.write { db in try CellWriteLog.delete(rows, in: db) } } catch let cleanup {
                    log("✗ \(node.key): could not delete its \(rows.count) partial rows: \(cleanup)")
                }
            }
            cellFinished()
            throw error
        }
    }

    func cellFinished() {
        writeLog.stop()
        state.withLock { inFlight = nil }
    }

    private func executeLogged(_ node: Plan.Node, key: String, inputs: [CellRecord], runID: Int64?) throws -> CellRecord {
        log("▶ \(node.key) (\(node.step.name) v\(node.step.version))")
        let stepInputs = try zip(node.cell.uses, inputs).map { use, record in
            StepInput(cellID: use, step: record.step, digest: record.outputDigest, payload: try store.artifact(record.outputDigest))
        }
        let context = StepContext(
            stepName: node.step.name, cellID: node.cell.id, notebook: node.notebook.name, parameters: node.parameters,
            profile: ProfileView(profile: profile, allowedKeys: node.step.readableProfileKeys, stepName: node.step.name),
            inputs: stepInputs, reads: node.step.inputs, store: store, seed: profile.seed, dataDirectory: paths.data, modelsDirectory: paths.models,
            loaded: loaded)
        let start = Date()
        let output = try node.step.run(context)
        let duration = Date().timeIntervalSince(start)
        guard (try? JSONSerialization.jsonObject(with: output.payload, options: [.fragmentsAllowed])) != nil else {
            throw StepError.failed(step: node.step.name, "its payload is not JSON; build outputs with StepOutput(payload:)")
        }
        let record = try store.write { db -> CellRecord in
            let payload = try store.putArtifact(output.payload, kind: "cell-output", in: db)
            let report = try store.putJSON(CellReport(output), kind: "cell-report", in: db)
            let record = CellRecord(
                notebook: node.notebook.name, cellID: node.cell.id, cacheKey: key, step: node.step.name,
                stepVersion: node.step.version, paramsJSON: try CanonicalJSON.string(node.parameters.values),
                outputDigest: payload, reportDigest: report, runID: runID, durationSeconds: duration, finishedAt: timestamp())
            try record.save(in: db)
            // The cell is finished the moment this commits: from then on an interrupt must not take its rows back.
            db.afterNextTransaction { _ in self.cellFinished() }
            return record
        }
        log(String(format: "✓ %@ %.2f s", node.key, duration))
        return record
    }

    /// The presentation half of a stored cell.
    public func report(of record: CellRecord) throws -> CellReport {
        guard let digest = record.reportDigest else { return CellReport(try StepOutput(payload: [String]())) }
        return try store.json(CellReport.self, digest: digest)
    }

    /// Marks runs still "running" whose process is gone from this host as "killed" (a SIGKILL leaves them so).
    private func markKilledRuns() throws {
        let host = ProcessInfo.processInfo.hostName
        let running = try store.read { db in try RunRecord.running(in: db) }
        let dead = running.filter { run in
            guard let data = run.provenanceJSON.data(using: .utf8),
                  let provenance = try? JSONDecoder().decode(Provenance.self, from: data),
                  provenance.host == host else { return false }
            return kill(provenance.pid, 0) != 0 && errno == ESRCH
        }
        guard !dead.isEmpty else { return }
        try store.write { db in
            for run in dead {
                try RunRecord.endIfRunning(run.id, status: "killed", in: db)
            }
        }
    }
}
