import Foundation
import StockyardEngine

/// The apply lock: taken before anything is written, released on the way out.
struct StateLock {
    let state: any StateStore
    let holder: String

    /// Takes the lock, waiting up to `timeout` seconds for another holder. From the attempt on, a
    /// SIGINT or SIGTERM waits for ``release()`` (see ``Interruption``); one that comes while
    /// waiting ends the wait.
    static func acquire(_ state: any StateStore, command: String, timeout: Double) async throws -> StateLock {
        let info = LockInfo(
            holder: UUID().uuidString.lowercased(), host: ProcessInfo.processInfo.hostName,
            pid: ProcessInfo.processInfo.processIdentifier, since: UTCTimestamp.string(), command: command)
        let deadline = Date().addingTimeInterval(timeout)
        try Interruption.shared.willAcquire()
        while true {
            let holder: LockInfo?
            do {
                holder = try await state.acquireLock(info)
            } catch {
                Interruption.shared.didRelease()
                throw CLIFailure.failed(error)
            }
            guard let holder else { return StateLock(state: state, holder: info.holder) }
            if Date() >= deadline || Interruption.shared.isRequested {
                Interruption.shared.didRelease()
                try Interruption.shared.exitIfRequested(saying: "stopped waiting for the lock; nothing was changed")
                throw CLIFailure.locked(holder)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    func release() async {
        try? await state.releaseLock(holder: holder)
        Interruption.shared.didRelease()
    }

    static func load(_ state: any StateStore) async throws -> HubState {
        do {
            return try await state.load()
        } catch {
            throw CLIFailure.failed(error)
        }
    }
}
