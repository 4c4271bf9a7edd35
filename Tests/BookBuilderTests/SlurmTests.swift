import Foundation
import Testing
@testable import BookBuilder

/// `litopt slurm`: the job scripts and the reading of Slurm's answers, then the real thing — a
/// one-node Slurm (Debian's munge, slurmctld and slurmd, which `make test` installs) started
/// on 127.0.0.1 by `Fixtures/servers/slurm-localhost`, running a job array of three shards and
/// the render job.
@Suite(.serialized) struct SlurmTests {
    typealias Project = ReliabilityTests.Project

    static let setup = Slurm.Setup(litopt: "/opt/lit opt/litopt", project: "/home/a/book", chapters: "/home/a/book/Chapters",
                                   out: "/home/a/book/Site", cache: "/home/a/book/.litopt-cache",
                                   sharedCache: "/nfs/it's shared", shards: 3)

    @Test func theScriptsRunOneShardPerTaskAndRenderFromTheCache() {
        let (shard, render) = Slurm.scripts(Self.setup)
        let shardLines = shard.components(separatedBy: "\n")
        #expect(shardLines[0] == "#!/bin/bash")
        // sbatch reads directives only before the first command.
        #expect(Array(shardLines[1...3]) == ["#SBATCH --job-name=litopt-shards", "#SBATCH --array=1-3",
                                             "#SBATCH --output=/home/a/book/.litopt-cache/slurm/shard-%a.log"])
        #expect(shard.contains("""
            '/opt/lit opt/litopt' 'build' '--chapters' '/home/a/book/Chapters' '--cache' '/home/a/book/.litopt-cache' \
            --shared-cache '/nfs/it'\\''s shared' --shard "$k/3" --jobs "${SLURM_CPUS_PER_TASK:-1}"
            """), "\(shard)")
        #expect(shard.contains("echo \"$status\" > '/home/a/book/.litopt-cache/slurm'\"/shard-$k.exit\""))
        #expect(render.contains("--render-only --out '/home/a/book/Site'"))
        #expect(!render.contains("--array"))
        #expect(render.components(separatedBy: "\n").prefix(3).last == "#SBATCH --output=/home/a/book/.litopt-cache/slurm/render.log")
        var remote = Self.setup
        remote.sharedCache = nil
        remote.remoteCache = "http://cache:8080"
        remote.jobsPerTask = 4
        let remoteShard = Slurm.scripts(remote).shard
        #expect(remoteShard.contains("--remote-cache 'http://cache:8080' --require-remote --shard \"$k/3\" --jobs 4"))
        #expect(!remoteShard.contains("LITOPT_REMOTE_TOKEN"), "the token travels in the environment, never in a file")
    }

    @Test func scontrolRecordsGiveEachTaskItsState() throws {
        #expect(Slurm.taskNumbers("3") == [3])
        #expect(Slurm.taskNumbers("2-3") == [2, 3])
        #expect(Slurm.taskNumbers("1,4-5") == [1, 4, 5])
        #expect(Slurm.taskNumbers("[2-3%1]") == [2, 3])
        #expect(try Slurm.jobID("41\n") == "41")
        #expect(try Slurm.jobID("41;cluster") == "41")
        #expect(throws: Slurm.Failure.self) { try Slurm.jobID("sbatch: error: Batch job submission failed") }
        let array = Slurm.records("""
            JobId=12 ArrayJobId=11 ArrayTaskId=1 JobName=litopt-shards JobState=COMPLETED Reason=None ExitCode=0:0
            JobId=13 ArrayJobId=11 ArrayTaskId=2 JobName=litopt-shards JobState=FAILED Reason=NonZeroExitCode ExitCode=1:0
            JobId=11 ArrayJobId=11 ArrayTaskId=3-4 JobName=litopt-shards JobState=PENDING Reason=Resources ExitCode=0:0
            """)
        let render = Slurm.records("JobId=14 JobName=litopt-render JobState=PENDING Reason=DependencyNeverSatisfied Dependency=afterok:11_*(failed)")
        let submission = Slurm.Submission(arrayJob: "11", renderJob: "14", shards: 4, folder: "/x")
        let status = Slurm.status(submission, arrayRecords: array, renderRecords: render) { _ in nil }
        #expect(status.shards == [.completed, .failed("FAILED, exit 1:0"), .pending(reason: "Resources"), .pending(reason: "Resources")])
        #expect(status.render.isFailure && status.finished && !status.succeeded)
        // Once Slurm forgets the jobs, the exit files the scripts wrote still answer.
        let exits = ["shard-1.exit": Int32(0), "shard-2.exit": 0, "shard-3.exit": 0, "shard-4.exit": 0, "render.exit": 0]
        let later = Slurm.status(submission, arrayRecords: [], renderRecords: []) { exits[$0] }
        #expect(later.shards == [.completed, .completed, .completed, .completed] && later.succeeded && later.finished)
        let forgotten = Slurm.status(submission, arrayRecords: [], renderRecords: []) { _ in nil }
        #expect(forgotten.render == .unknown && forgotten.finished && !forgotten.succeeded)
        let running = Slurm.status(submission, arrayRecords: Slurm.records("JobId=11 ArrayTaskId=1-4 JobState=RUNNING"),
                                   renderRecords: Slurm.records("JobId=14 JobState=PENDING Reason=Dependency")) { _ in nil }
        #expect(!running.finished && !running.render.isFailure)
    }

    // MARK: on a real one-node cluster

    struct Cluster {
        let folder: String
        var conf: String { folder + "/slurm.conf" }
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/servers/slurm-localhost").path

        /// The daemons run through the shell with every stream closed (Foundation's Process
        /// would wait for the streams they inherit).
        init(in folder: String) throws {
            self.folder = folder
            let ports = try (0..<2).map { _ in try ScaleTests.Nginx.freePort() }
            let status = system("'\(Self.script)' start '\(folder)' \(ports[0]) \(ports[1]) </dev/null >'\(folder).out' 2>&1")
            let said = (try? String(contentsOfFile: folder + ".out", encoding: .utf8)) ?? ""
            try #require(status == 0, "slurm-localhost start failed: \(said)")
        }

        func stop() {
            _ = system("'\(Self.script)' stop '\(folder)' </dev/null >/dev/null 2>&1")
        }
    }

    @Test(.enabled(if: geteuid() == 0, "slurmd runs each job as the user who submitted it: run as root"))
    func aJobArrayOfThreeShardsThenTheRenderJobGiveTheLocalSite() throws {
        let project = try Project(ScaleTests.chapters)
        defer { project.remove() }
        let cluster = try Cluster(in: project.root + "/slurm")
        defer { cluster.stop() }
        let expected = try ScaleTests.reference(project)
        let env = ["SLURM_CONF": cluster.conf]
        let shared = project.root + "/shared"
        func slurm(_ arguments: [String]) throws -> ScaleTests.Run {
            ScaleTests.finish(try ScaleTests.litopt(["slurm"] + arguments, in: project, environment: env))
        }
        let submit = try slurm(["submit", "--shards", "3", "--chapters", project.chapters, "--cache", project.root + "/cache",
                                "--shared-cache", shared, "--out", project.root + "/site"])
        #expect(submit.status == 0, "\(submit.stderr)")
        let record = try Slurm.lastSubmission(cache: project.root + "/cache")
        #expect(record.shards == 3)
        let wait = try slurm(["status", "--cache", project.root + "/cache", "--wait", "--interval", "0.3"])
        #expect(wait.status == 0, "\(wait.stderr)")
        // Each task ran its own shard, on the cluster, and the render job executed nothing.
        for k in 1...3 {
            let log = try String(contentsOfFile: record.folder + "/shard-\(k).log", encoding: .utf8)
            #expect(log.contains("shard \(k)/3: 1 chapters"), "\(log)")
        }
        let render = try String(contentsOfFile: record.folder + "/render.log", encoding: .utf8)
        #expect(render.contains("0 chapters executed, 3 cached"), "\(render)")
        #expect(Project.snapshot(project.root + "/site") == expected, "byte-identical to the single local build")
        let entries = try FileManager.default.contentsOfDirectory(atPath: shared + "/results")
        #expect(entries.count == 3)

        // A chapter that fails: its task fails, the render job is cancelled, the site is kept.
        try "# Sums\n\n```swift\nlet x: Int = \"no\"\n```\n".write(toFile: project.chapters + "/02-sums.md", atomically: true, encoding: .utf8)
        let before = Project.snapshot(project.root + "/site")
        let again = try slurm(["submit", "--shards", "3", "--chapters", project.chapters, "--cache", project.root + "/cache",
                               "--shared-cache", shared, "--out", project.root + "/site"])
        #expect(again.status == 0, "\(again.stderr)")
        let failed = try slurm(["status", "--cache", project.root + "/cache", "--wait", "--interval", "0.3"])
        #expect(failed.status != 0)
        let second = try Slurm.lastSubmission(cache: project.root + "/cache")
        setenv("SLURM_CONF", cluster.conf, 1)  // for scontrol, run from this process
        defer { unsetenv("SLURM_CONF") }
        let status = try Slurm.status(second)
        #expect(status.shards.filter(\.isFailure).count == 1, "\(status)")
        #expect(status.render.isFailure, "\(status.render)")
        let log = try (1...3).map { try String(contentsOfFile: second.folder + "/shard-\($0).log", encoding: .utf8) }.joined()
        #expect(log.contains("02-sums.md:4:"), "the compile error at its line: \(log)")
        #expect(Project.snapshot(project.root + "/site") == before)
    }
}
