import Core
import Foundation
import Steps
import Workbench
import XCTest

/// Profiles with wrong types, values out of range, broken cross-field rules, missing and unknown keys, hostile
/// YAML and unreadable files: each is refused before the store is opened (exit 2), naming the file, the key and
/// what is allowed.
final class ProfileCaseTests: XCTestCase {
    static let chain = (0..<2).map { "```step\nid: c\($0)\nstep: workbench.sleep\nparams: {ms: 0}\n```\n" }.joined(separator: "\n")

    /// The tiny profile's values with `key` set to `value` (nil: removed), written as JSON (which is YAML).
    static func tiny(setting key: String, to value: JSONValue?) throws -> Data {
        let tiny = try Profile.load(file: CLI.tinyProfile)
        return try CanonicalJSON.encode(Self.set(tiny.values, path: key.split(separator: ".").map(String.init), to: value))
    }

    static func set(_ tree: JSONValue, path: [String], to value: JSONValue?) -> JSONValue {
        guard case .object(var object) = tree, let head = path.first else { return tree }
        if path.count == 1 { object[head] = value } else { object[head] = set(object[head] ?? .object([:]), path: Array(path.dropFirst()), to: value) }
        return .object(object)
    }

    func profileCase(_ name: String, _ profile: Data, _ messages: [String]) -> HostileCase {
        HostileCase("profile: \(name)", ["status", "--profile", "bad.yaml", "--store", "store.sqlite", "chain.md"], status: 2,
                    ["bad.yaml"] + messages, files: ["bad.yaml": profile, "chain.md": Data(text: Self.chain)])
    }

    /// Out-of-range, wrong-type and missing values for every key of the schema.
    func testEveryKeyOutOfRangeOrMistypedIsRefusedWithItsRange() throws {
        var cases: [HostileCase] = []
        for key in ProfileSchema.reproduction.keys {
            let allowed = key.allowed
            func add(_ label: String, _ value: JSONValue?, _ extra: [String] = []) throws {
                cases.append(profileCase("\(key.name) \(label)", try Self.tiny(setting: key.name, to: value), [key.name] + extra))
            }
            switch key.kind {
            case .int, .double:
                try add("as text", .string("lots"), [allowed])
                try add("as a list", .array([.int(1)]), [allowed])
                if let range = key.range {
                    try add("below its range", key.kind == .int ? .int(Int(range.lowerBound) - 1) : .double(range.lowerBound > 0 ? 0 : range.lowerBound - 1), [allowed])
                    try add("above its range", key.kind == .int ? .int(Int(range.upperBound) + 1) : .double(range.upperBound * 10 + 1), [allowed])
                }
                if key.kind == .int { try add("fractional", .double(2.5), [allowed]) }
            case .ints, .doubles:
                try add("as one number", .int(64), [allowed])
                try add("empty", .array([]), [allowed])
                try add("with text", .array([.int(16), .string("x")]), [allowed])
                if let range = key.range { try add("below its range", .array([.int(Int(range.lowerBound) - 1)]), [allowed]) }
            case .string:
                try add("as a list", .array([]), [allowed])
            case .bool:
                try add("as text", .string("yes please"), [allowed])
            case .section:
                try add("as text", .string("microlm"), [allowed])
                try add("with an unknown backend", .object(["backend": .string("no-such-backend")]), ["unknown backend"])
            }
            if key.required { try add("missing", nil, ["does not set"]) }
        }
        XCTAssertGreaterThanOrEqual(try check(cases, in: try scratchFolder()), 150)
    }

    func testCrossFieldRulesHugeValuesAndUnknownKeys() throws {
        func tiny(_ changes: [(String, JSONValue?)]) throws -> Data {
            var tree = try Profile.load(file: CLI.tinyProfile).values
            for (key, value) in changes { tree = Self.set(tree, path: key.split(separator: ".").map(String.init), to: value) }
            return try CanonicalJSON.encode(tree)
        }
        let cases: [HostileCase] = [
            profileCase("d_model not divisible by heads", try tiny([("model.heads", .int(3))]), ["'model.d_model' (64) must be a multiple of 'model.heads' (3)"]),
            profileCase("large d_model not divisible", try tiny([("model_large.d_model", .int(100)), ("model_large.heads", .int(3))]), ["model_large.d_model"]),
            profileCase("top_k above the pool", try tiny([("selection.top_k", .int(501))]), ["'selection.top_k' (501) must be at most 'selection.pool_size' (500)"]),
            profileCase("subset larger than its pool", try tiny([("rule_fit.subset_size", .int(401))]), ["rule_fit.subset_size", "rule_fit.pool_size"]),
            profileCase("sweep size above the pool", try tiny([("sweep.sizes", .array([.int(16), .int(600)]))]), ["'sweep.sizes' (600) must be at most 'selection.pool_size'"]),
            profileCase("sweep sizes not increasing", try tiny([("sweep.sizes", .array([.int(64), .int(32)]))]), ["'sweep.sizes' must be strictly increasing"]),
            profileCase("k_min above k_max", try tiny([("blendsearch.k_min", .int(600))]), ["'blendsearch.k_min' (600) must be at most 'blendsearch.k_max'"]),
            profileCase("model too large to allocate", try tiny([("model.d_model", .int(4096)), ("model.layers", .int(48)), ("model.heads", .int(64))]), ["parameters", "at most 500000000"]),
            profileCase("activations too large", try tiny([("model.context", .int(8192)), ("pretrain.batch", .int(4096)), ("model.d_model", .int(512)), ("model.heads", .int(8))]), ["activations"]),
            profileCase("size of 1e18", try tiny([("rule_fit.pool_size", .double(1e18))]), ["rule_fit.pool_size", "allowed: an integer from 2 to 10000000"]),
            profileCase("negative max_response_chars", try tiny([("data.max_response_chars", .int(-5))]), ["data.max_response_chars", "from 1 to"]),
            profileCase("negative seed", try tiny([("seed", .int(-1))]), ["'seed' is -1"]),
            profileCase("too few permutations", try tiny([("audits.permutations", .int(5))]), ["audits.permutations", "allowed: an integer from 10 to"]),
            profileCase("typo in a key", try tiny([("finetune.epoch", .int(2))]), ["unknown key 'finetune.epoch'", "known keys here: finetune.epochs"]),
            profileCase("unknown section", try tiny([("oracles", .object(["model": .string("x")]))]), ["unknown key 'oracles.model'"]),
            profileCase("a section as a number", try tiny([("finetune", .int(3))]), ["finetune.epochs", "does not set"]),
            profileCase("an empty section", try tiny([("audits", .object([:]))]), ["unknown key 'audits'", "audits.bootstrap"]),
            profileCase("NaN learning rate", Data(text: String(decoding: try tiny([]), as: UTF8.self).replacingOccurrences(of: "\"learning_rate\":0.002", with: "\"learning_rate\":.nan")), ["learning_rate"]),
            profileCase("infinite learning rate", Data(text: String(decoding: try tiny([]), as: UTF8.self).replacingOccurrences(of: "\"learning_rate\":0.002", with: "\"learning_rate\":.inf")), ["learning_rate"]),
            profileCase("a list at the top", Data(text: "- 1\n- 2\n"), ["a profile must be a YAML mapping"]),
            profileCase("empty file", Data(), ["a profile must be a YAML mapping"]),
            profileCase("not YAML", Data(text: "model: [1, 2\nseed: {"), ["not valid YAML"]),
            profileCase("alias bomb", Data(text: Self.aliasBomb(levels: 12)), ["anchors and aliases"]),
            profileCase("one anchor", Data(text: "seed: &s 3\nname: *s\n"), ["anchors and aliases"]),
            profileCase("deep flow nesting", Data(text: "seed: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"), ["nested more than 64 levels"]),
            profileCase("deep block nesting", Data(text: (0..<40).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"), ["nested more than 32 levels"]),
            profileCase("a huge file", Data(text: "name: tiny\n#" + String(repeating: "x", count: 300_000) + "\n"), ["at most 262144 are accepted"]),
            profileCase("not UTF-8", Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]), ["is not UTF-8 text"]),
            profileCase("duplicate key", Data(text: "seed: 1\nseed: 2\n"), ["not valid YAML", "'seed'"]),
            profileCase("a non-string key", Data(text: "[1, 2]: 3\n"), ["mapping keys must be plain strings"]),
        ]
        var files: [HostileCase] = [
            HostileCase("profile: missing file", ["status", "--profile", "nothere.yaml", "--store", "store.sqlite", "chain.md"], status: 2,
                        ["nothere.yaml", "does not exist"], files: ["chain.md": Data(text: Self.chain)]),
            HostileCase("profile: unknown name", ["status", "--profile", "huge", "--store", "store.sqlite", "chain.md"], status: 2,
                        ["no profile 'huge'"], files: ["chain.md": Data(text: Self.chain)]),
            HostileCase("profile: a folder", ["status", "--profile", "dir.yaml", "--store", "store.sqlite", "chain.md"], status: 2,
                        ["dir.yaml", "is a folder"], files: ["chain.md": Data(text: Self.chain), "dir.yaml/x": Data()]),
            HostileCase("profile: a symlink loop", ["status", "--profile", "loop.yaml", "--store", "store.sqlite", "chain.md"], status: 2,
                        ["loop.yaml", "loop of symbolic links"], files: ["chain.md": Data(text: Self.chain)], links: ["loop.yaml": "loop.yaml"]),
            HostileCase("profile: a dangling link", ["status", "--profile", "gone.yaml", "--store", "store.sqlite", "chain.md"], status: 2,
                        ["gone.yaml", "symbolic link to a file that does not exist"], files: ["chain.md": Data(text: Self.chain)], links: ["gone.yaml": "nowhere.yaml"]),
            HostileCase("profile: a named pipe", ["status", "--profile", "pipe.yaml", "--store", "store.sqlite", "chain.md"], status: 2,
                        ["pipe.yaml", "not a regular file"], files: ["chain.md": Data(text: Self.chain)], fifos: ["pipe.yaml"]),
            HostileCase("profile: unreadable", ["status", "--profile", "secret.yaml", "--store", "store.sqlite", "chain.md"], status: 2,
                        ["secret.yaml"], files: ["chain.md": Data(text: Self.chain), "secret.yaml": Data(text: "seed: 1\n")],
                        prepare: { folder in chmod(folder.appendingPathComponent("secret.yaml").path, 0) }),
        ]
        if getuid() == 0 { files.removeLast() }  // root reads any file
        XCTAssertEqual(try check(cases + files, in: try scratchFolder()), cases.count + files.count)
    }

    func testTheShippedProfilesPassTheSchema() throws {
        for name in ["tiny", "quick", "paper"] {
            let profile = try Profile.load(file: CLI.root.appendingPathComponent("paper-repro/profiles/\(name).yaml"))
            XCTAssertNoThrow(try ProfileSchema.reproduction.validate(profile), name)
        }
        let ok = try CLI.run(["status", "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "chain.md"],
                             in: try { let f = try scratchFolder(); try Data(text: Self.chain).write(to: f.appendingPathComponent("chain.md")); return f }())
        XCTAssertEqual(ok.status, 0, ok.output)
    }

    /// `a: &a [x, x, ...]`, `b: &b [*a, *a, ...]`, ...: a few hundred bytes that expand to 9^levels values.
    static func aliasBomb(levels: Int) -> String {
        var lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1..<levels {
            lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
