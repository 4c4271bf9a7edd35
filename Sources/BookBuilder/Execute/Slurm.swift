import Foundation

/// `litopt slurm submit` and `litopt slurm status`: a book's chapters as a Slurm job array
/// (task K runs `litopt build --shard K/N`) plus a render job that starts when every task has
/// succeeded (`--dependency=afterok`) and writes the site with `--render-only`.
///
/// The scripts and the tasks' logs live in the cache folder (`<cache>/slurm/`), which, like
/// the project, must be on a filesystem every node sees. Each task records its exit status in
/// `shard-K.exit` (the render job in `render.exit`), so `status` can still answer after Slurm
/// has forgotten a finished job. Submitting is the only step that talks to Slurm; writing the
/// scripts and reading `scontrol`'s answers are pure and tested without a cluster.
public enum Slurm {
    /// What the jobs run: absolute paths, because the tasks start on other machines.
    public struct Setup: Sendable, Equatable {
        public var litopt: String
        public var project: String
        public var chapters: String
        public var out: String
        public var cache: String
        public var sharedCache: String?
        public var remoteCache: String?
        public var shards: Int
        /// Chapters each task compiles and runs at once; nil: `$SLURM_CPUS_PER_TASK`, else 1.
        public var jobsPerTask: Int?

        public init(litopt: String, project: String, chapters: String, out: String, cache: String,
                    sharedCache: String? = nil, remoteCache: String? = nil, shards: Int, jobsPerTask: Int? = nil) {
            self.litopt = litopt
            self.project = project
            self.chapters = chapters
            self.out = out
            self.cache = cache
            self.sharedCache = sharedCache
            self.remoteCache = remoteCache
            self.shards = shards
            self.jobsPerTask = jobsPerTask
        }

        /// Where the scripts, logs and the submission record go.
        public var folder: String { cache + "/slurm" }
    }

    /// What `submit` recorded in `<cache>/slurm/jobs.json`.
    public struct Submission: Sendable, Equatable, Codable {
        public var arrayJob: String
        public var renderJob: String
        public var shards: Int
        public var folder: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    // MARK: the scripts

    /// `value` as one shell word.
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The build flags every job shares.
    static func commonArguments(_ setup: Setup) -> String {
        var words = ["build", "--chapters", setup.chapters, "--cache", setup.cache].map(quoted)
        if let shared = setup.sharedCache { words += ["--shared-cache", quoted(shared)] }
        if let remote = setup.remoteCache { words += ["--remote-cache", quoted(remote), "--require-remote"] }
        return words.joined(separator: " ")
    }

    /// The array script (one task per shard) and the render script.
    public static func scripts(_ setup: Setup) -> (shard: String, render: String) {
        let jobs = setup.jobsPerTask.map(String.init) ?? "\"${SLURM_CPUS_PER_TASK:-1}\""
        /// sbatch reads `#SBATCH` lines only before the first command, so they come first.
        func script(_ directives: [String], _ body: String) -> String {
            "#!/bin/bash\n" + directives.map { "#SBATCH \($0)\n" }.joined() + """
                # Written by `litopt slurm submit`; submitting it again by hand works too.
                set -u
                cd \(quoted(setup.project)) || exit 1
                \(body)
                """
        }
        let shard = script(["--job-name=litopt-shards", "--array=1-\(setup.shards)", "--output=\(setup.folder)/shard-%a.log"], """
            k="$SLURM_ARRAY_TASK_ID"
            rm -f \(quoted(setup.folder))"/shard-$k.exit"
            \(quoted(setup.litopt)) \(commonArguments(setup)) --shard "$k/\(setup.shards)" --jobs \(jobs)
            status=$?
            echo "$status" > \(quoted(setup.folder))"/shard-$k.exit"
            exit "$status"

            """)
        let render = script(["--job-name=litopt-render", "--output=\(setup.folder)/render.log"], """
            rm -f \(quoted(setup.folder))/render.exit
            \(quoted(setup.litopt)) \(commonArguments(setup)) --render-only --out \(quoted(setup.out))
            status=$?
            echo "$status" > \(quoted(setup.folder))/render.exit
            exit "$status"

            """)
        return (shard, render)
    }

    // MARK: submitting

    /// `name` on `$PATH`, as an absolute path.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func slurmCommand(_ name: String, _ arguments: [String], timeout: Double = 60) throws(Failure) -> String {
        guard let binary = executable(name) else {
            throw Failure(description: "\(name) is not on PATH: litopt slurm needs Slurm's client commands (Debian: slurm-client)")
        }
        let result: ProcessRunner.Result
        do {
            result = try ProcessRunner.run(binary, arguments, timeout: timeout)
        } catch {
            throw Failure(description: "\(name) could not be started: \(error)")
        }
        guard result.status == 0, !result.signaled, !result.timedOut else {
            let why = result.timedOut ? "did not answer in \(Int(timeout)) s" : "failed (status \(result.status))"
            throw Failure(description: "\(name) \(why): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result.output
    }

    /// The job id `sbatch --parsable` printed (`ID` or `ID;cluster`).
    static func jobID(_ output: String) throws(Failure) -> String {
        let line = output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let id = String(line.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw Failure(description: "sbatch printed no job id: \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return id
    }

    /// Writes the scripts, submits the array and the render job (with `sbatchArguments`, e.g.
    /// `--partition=gpu`, passed to both), and records the two job ids.
    public static func submit(_ setup: Setup, sbatchArguments: [String]) throws(Failure) -> Submission {
        let fm = FileManager.default
        let (shardScript, renderScript) = scripts(setup)
        let shardPath = setup.folder + "/shards.sbatch", renderPath = setup.folder + "/render.sbatch"
        do throws(BuildFailure) {
            try OutputFolders.check(setup.cache, kind: .cache, chapters: setup.chapters, other: setup.out)
        } catch {
            throw Failure(description: error.diagnostics.map(\.message).joined(separator: "; "))
        }
        OutputFolders.prepareCache(setup.cache)
        do {
            try fm.createDirectory(atPath: setup.folder, withIntermediateDirectories: true)
            for name in (try? fm.contentsOfDirectory(atPath: setup.folder)) ?? []
            where name.hasSuffix(".exit") || name.hasSuffix(".log") {
                try? fm.removeItem(atPath: setup.folder + "/" + name)
            }
            try shardScript.write(toFile: shardPath, atomically: true, encoding: .utf8)
            try renderScript.write(toFile: renderPath, atomically: true, encoding: .utf8)
        } catch {
            throw Failure(description: "cannot write the job scripts into \(setup.folder): \(error.localizedDescription)")
        }
        let array = try jobID(slurmCommand("sbatch", ["--parsable"] + sbatchArguments + [shardPath]))
        let render = try jobID(slurmCommand("sbatch", ["--parsable", "--dependency=afterok:\(array)", "--kill-on-invalid-dep=yes"]
                                            + sbatchArguments + [renderPath]))
        let submission = Submission(arrayJob: array, renderJob: render, shards: setup.shards, folder: setup.folder)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(submission).write(to: URL(fileURLWithPath: setup.folder + "/jobs.json"), options: .atomic)
        } catch {
            throw Failure(description: "submitted jobs \(array) and \(render), but cannot record them in \(setup.folder)/jobs.json")
        }
        return submission
    }

    public static func lastSubmission(cache: String) throws(Failure) -> Submission {
        let path = cache + "/slurm/jobs.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "no submission recorded in \(path): run litopt slurm submit first")
        }
        do { return try JSONDecoder().decode(Submission.self, from: data) } catch {
            throw Failure(description: "\(path) is damaged: \(error.localizedDescription)")
        }
    }

    // MARK: status

    public enum State: Sendable, Equatable, CustomStringConvertible {
        case pending(reason: String)
        case running
        case completed
        case failed(String)
        /// Slurm no longer knows the job and no exit status was written.
        case unknown

        public var isFinished: Bool {
            switch self {
            case .completed, .failed: true
            case .pending(let reason): reason.contains("DependencyNeverSatisfied")
            case .running, .unknown: false
            }
        }

        public var isFailure: Bool {
            switch self {
            case .failed: true
            case .pending(let reason): reason.contains("DependencyNeverSatisfied")
            default: false
            }
        }

        public var description: String {
            switch self {
            case .pending(let reason): reason.isEmpty || reason == "None" ? "pending" : "pending (\(reason))"
            case .running: "running"
            case .completed: "completed"
            case .failed(let why): "failed (\(why))"
            case .unknown: "unknown to Slurm, and no exit status recorded"
            }
        }
    }

    public struct Status: Sendable, Equatable {
        /// Task K's state at index K − 1.
        public var shards: [State]
        public var render: State

        /// Nothing more will happen: the render job ended (or can never start), or Slurm has
        /// forgotten it after every task ended.
        public var finished: Bool {
            render.isFinished || (render == .unknown && shards.allSatisfy { $0.isFinished || $0 == .unknown })
        }
        public var succeeded: Bool { render == .completed }
    }

    /// Slurm's job state words, read from one `scontrol show job -o` record.
    static func state(_ fields: [String: String]) -> State {
        let word = fields["JobState"] ?? ""
        switch word {
        case "PENDING", "CONFIGURING", "REQUEUED", "RESIZING", "SUSPENDED": return .pending(reason: fields["Reason"] ?? "")
        case "RUNNING", "COMPLETING", "STAGE_OUT": return .running
        case "COMPLETED": return .completed
        default: return .failed(word.isEmpty ? "no state" : word + (fields["ExitCode"].map { ", exit \($0)" } ?? ""))
        }
    }

    /// `scontrol show job -o` prints one record per line, `Key=Value` words. An array job
    /// gives one record per started task and one for the tasks still pending (`ArrayTaskId=2-3`
    /// or `2,4` or `[3-5%2]`).
    static func records(_ output: String) -> [[String: String]] {
        output.split(whereSeparator: \.isNewline).compactMap { line in
            var fields: [String: String] = [:]
            for word in line.split(separator: " ") {
                let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { continue }
                let key = String(parts[0])
                if fields[key] == nil { fields[key] = String(parts[1]) }
            }
            return fields.isEmpty ? nil : fields
        }
    }

    /// The task numbers an `ArrayTaskId` value names (`3`, `2-3`, `1,4-5`, `[2-3%1]`).
    static func taskNumbers(_ value: String) -> [Int] {
        let trimmed = value.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let list = trimmed.split(separator: "%").first.map(String.init) ?? trimmed
        return list.split(separator: ",").flatMap { part -> [Int] in
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2, bounds[0] <= bounds[1] { return Array(bounds[0]...bounds[1]) }
            return bounds.count == 1 ? bounds : []
        }
    }

    /// The states of a submission from `scontrol`'s records of the array job and the render
    /// job, and the exit files the scripts wrote (which win once written).
    static func status(_ submission: Submission, arrayRecords: [[String: String]], renderRecords: [[String: String]],
                       exitStatus: (String) -> Int32?) -> Status {
        var shards = [State](repeating: .unknown, count: submission.shards)
        for record in arrayRecords {
            for k in taskNumbers(record["ArrayTaskId"] ?? "") where (1...submission.shards).contains(k) {
                shards[k - 1] = state(record)
            }
        }
        for k in 1...submission.shards {
            if let code = exitStatus("shard-\(k).exit") { shards[k - 1] = code == 0 ? .completed : .failed("exit \(code)") }
        }
        var render = renderRecords.first.map(state) ?? .unknown
        if let code = exitStatus("render.exit") { render = code == 0 ? .completed : .failed("exit \(code)") }
        return Status(shards: shards, render: render)
    }

    /// Asks Slurm about `submission` (a job it no longer knows is not an error).
    public static func status(_ submission: Submission) throws(Failure) -> Status {
        func show(_ id: String) throws(Failure) -> [[String: String]] {
            do {
                return records(try slurmCommand("scontrol", ["show", "job", "-o", id]))
            } catch where error.description.contains("Invalid job id") {
                return []
            }
        }
        let arrayRecords = try show(submission.arrayJob)
        let renderRecords = try show(submission.renderJob)
        return status(submission, arrayRecords: arrayRecords, renderRecords: renderRecords) { name in
            guard let text = try? String(contentsOfFile: submission.folder + "/" + name, encoding: .utf8) else { return nil }
            return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    public static func describe(_ status: Status, _ submission: Submission) -> String {
        var lines = ["shards (job \(submission.arrayJob), \(submission.shards) task\(submission.shards == 1 ? "" : "s")):"]
        for (i, state) in status.shards.enumerated() {
            lines.append("  \(i + 1)/\(submission.shards)  \(state)  log: \(submission.folder)/shard-\(i + 1).log")
        }
        lines.append("render (job \(submission.renderJob)): \(status.render)  log: \(submission.folder)/render.log")
        return lines.joined(separator: "\n")
    }
}
