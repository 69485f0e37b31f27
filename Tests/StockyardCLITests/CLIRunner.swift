import Foundation

/// Runs the built `stockyard` binary the way a user or a pipeline would.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary sits beside the test bundle in the build folder.
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("stockyard")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        for dir in [".build/debug", ".build/release"] {
            let candidate = repository.appendingPathComponent(dir).appendingPathComponent("stockyard")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return beside
    }

    static func run(
        _ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:],
        obeyingFilePermissions: Bool = false
    ) throws -> Result {
        let process = Process()
        if obeyingFilePermissions && geteuid() == 0 {
            // Root reads and writes whatever the modes say; without these capabilities it is held
            // to them like any user (the files are its own, so their owner bits apply).
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--bounding-set", "-dac_override,-dac_read_search,-fowner,-linux_immutable", "--", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory ?? repository
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["STOCKYARD_TODAY"] = "2026-06-01"
        environment.removeValue(forKey: "STOCKYARD_STATE")
        for (k, v) in extra { environment[k] = v }
        process.environment = environment
        // Files, not pipes: a large output can never block the child.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-run-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: scratch.path + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.path + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: scratch.path + ".out")
            try? FileManager.default.removeItem(atPath: scratch.path + ".err")
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + ".err"))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = FileManager.default.contents(atPath: scratch.path + ".out") ?? Data()
        let errData = FileManager.default.contents(atPath: scratch.path + ".err") ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A scratch copy of an example folder, so tests can write state and plans beside it.
    static func scratchCopy(of example: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-cli-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: repository.appendingPathComponent("examples/\(example)"), to: dir)
        return dir
    }
}

extension CLIRunner {
    /// A `stockyard` process started and not yet waited for, its output going to files.
    struct Started {
        var process: Process
        var out: URL
        var err: URL

        /// Blocks until stderr holds `text` at least `count` times; false after `timeout` seconds
        /// or when the process ended first. Synchronous on purpose: it polls a file.
        func waitForOutput(_ text: String, count: Int, timeout: Double) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline && process.isRunning {
                let seen = (try? String(contentsOf: err, encoding: .utf8))?.components(separatedBy: text).count ?? 1
                if seen - 1 >= count { return true }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return false
        }

        func wait() -> Result {
            process.waitUntilExit()
            defer {
                try? FileManager.default.removeItem(at: out)
                try? FileManager.default.removeItem(at: err)
            }
            let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
        }
    }

    /// Starts the binary like ``run(_:in:environment:)`` does, without waiting: for tests that
    /// run several at once, or kill one.
    static func start(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws -> Started {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["STOCKYARD_TODAY"] = "2026-06-01"
        environment.removeValue(forKey: "STOCKYARD_STATE")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-start-\(UUID().uuidString)")
        let out = URL(fileURLWithPath: scratch.path + ".out")
        let err = URL(fileURLWithPath: scratch.path + ".err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Started(process: process, out: out, err: err)
    }
}
