import Foundation

/// Resources and scheduling of a sweep's Slurm job array (`#SBATCH` lines).
public struct SlurmOptions: Codable, Equatable, Sendable {
    public var jobName: String
    public var partition: String?
    /// `--gres=gpu:N` per task; 0 for none.
    public var gpusPerTask: Int
    public var cpusPerTask: Int
    /// `--mem`, e.g. "64G"; nil: the partition's default.
    public var memory: String?
    /// Wall-clock limit per task in seconds; Slurm ends the task after it and ingest reports it failed.
    public var timeLimit: Int
    /// At most this many tasks run at once (`--array=0-N%M`); nil: as many as the cluster allows.
    public var maxConcurrent: Int?
    /// Further `#SBATCH` arguments as they are, e.g. "--account=proj123" or "--constraint=a100".
    public var extraDirectives: [String]

    public init(jobName: String = "imine-finetune", partition: String? = nil, gpusPerTask: Int = 1, cpusPerTask: Int = 8,
                memory: String? = nil, timeLimit: Int = 6 * 3600, maxConcurrent: Int? = nil, extraDirectives: [String] = []) {
        (self.jobName, self.partition, self.gpusPerTask) = (jobName, partition, gpusPerTask)
        (self.cpusPerTask, self.memory, self.timeLimit) = (cpusPerTask, memory, timeLimit)
        (self.maxConcurrent, self.extraDirectives) = (maxConcurrent, extraDirectives)
    }
}

/// Writes the array's batch script. The script is the only shell in the pipeline: it looks its task up in
/// `manifest.tsv` and runs the command template as a bash array whose literal parts are single-quoted, so the
/// arguments reach the program exactly as `CommandTrainer` would pass them.
enum SlurmScript {
    static func render(taskCount: Int, options: SlurmOptions, command: CommandTemplate, sweepDirectory: String,
                       workingDirectory: String) -> String {
        var directives = ["--job-name=\(options.jobName)", "--array=0-\(taskCount - 1)" + (options.maxConcurrent.map { "%\($0)" } ?? ""),
                          "--output=\(sweepDirectory)/logs/%A_%a.log", "--cpus-per-task=\(options.cpusPerTask)",
                          "--time=\(duration(options.timeLimit))", "--signal=B:TERM@60"]
        if let partition = options.partition { directives.append("--partition=\(partition)") }
        if options.gpusPerTask > 0 { directives.append("--gres=gpu:\(options.gpusPerTask)") }
        if let memory = options.memory { directives.append("--mem=\(memory)") }
        directives += options.extraDirectives
        let argv = ([command.executable] + command.arguments).map(bashWord).joined(separator: " ")
        return """
        #!/bin/bash
        # A sweep of \(taskCount) finetune jobs written by imine (ScaleOut.SlurmSweep). Submit with `sbatch sweep.sbatch`;
        # if the folder moves, pass IMINE_SWEEP_DIR / IMINE_WORKDIR (sbatch --export=ALL,...) and --output.
        \(directives.map { "#SBATCH \($0)" }.joined(separator: "\n"))
        set -uo pipefail
        sweep_dir=${IMINE_SWEEP_DIR:-\(bashWord(sweepDirectory))}
        workdir=${IMINE_WORKDIR:-\(bashWord(workingDirectory))}
        task=${SLURM_ARRAY_TASK_ID:?run this script with sbatch}
        row=$(awk -F'\\t' -v t="$task" 'NR > 1 && $1 == t { print $2 "\\t" $3 }' "$sweep_dir/manifest.tsv")
        [ -n "$row" ] || { echo "task $task is not in $sweep_dir/manifest.tsv" >&2; exit 2; }
        key=${row%%$'\\t'*}
        job="$sweep_dir/${row#*$'\\t'}"
        spec="$job/spec.json"; output="$job/result.json"; subset="$job/subset.json"
        rm -f "$output" "$job/slurm-exit"
        export IMINE_JOB_SPEC="$spec" IMINE_JOB_DIR="$job"
        cd "$workdir"
        echo "task $task: job $key on $(hostname) at $(date -u +%FT%TZ)"
        command=( \(argv) )
        trap 'kill -TERM "${child:-}" 2>/dev/null; echo "signal TERM (time limit or scancel)" > "$job/slurm-exit"; exit 143' TERM
        "${command[@]}" &
        child=$!
        wait "$child"
        status=$?
        echo "exit $status" > "$job/slurm-exit"
        exit "$status"

        """
    }

    /// One bash word: literal text single-quoted, placeholders as quoted variable expansions.
    static func bashWord(_ argument: String) -> String {
        let parts = CommandTemplate.segments(of: argument).flatMap { segment -> [String] in
            var out: [String] = []
            if !segment.literal.isEmpty { out.append("'" + segment.literal.replacingOccurrences(of: "'", with: "'\\''") + "'") }
            if let name = segment.placeholder { out.append("\"$\(variable(for: name))\"") }
            return out
        }
        return parts.isEmpty ? "''" : parts.joined()
    }

    static func variable(for placeholder: String) -> String {
        ["job": "job", "spec": "spec", "output": "output", "subset": "subset", "key": "key"][placeholder]!
    }

    /// Seconds as Slurm's D-HH:MM:SS.
    static func duration(_ seconds: Int) -> String {
        let s = max(seconds, 60)
        return String(format: "%d-%02d:%02d:%02d", s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60)
    }
}
