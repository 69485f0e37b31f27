import ArgumentParser
import Dispatch
import Foundation

/// SIGINT and SIGTERM, for the commands that write (`apply`, `sync`, `state migrate`).
///
/// Killed at once, such a command would leave its lock behind and say nothing. Instead: while it
/// holds the lock, a signal is only noted; the command stops at its next safe point (between
/// changes, between warehouses), releases the lock, says in one line what it did and did not do,
/// and exits 128 + the signal (130 for SIGINT, 143 for SIGTERM). While it holds no lock, nothing is
/// half-done, so it says so and exits at once. A second signal changes nothing: the first is being
/// honoured, and SIGKILL remains for a process that must die now.
final class Interruption: @unchecked Sendable {
    static let shared = Interruption()

    /// Thrown by a command that stopped at a safe point for a signal; `done` says what it did.
    struct Stop: Error {
        var done: String
    }

    private let mutex = NSLock()
    private var signalNumber: Int32?
    /// How many locks are held: a signal then waits for the command to reach a safe point.
    private var heldLocks = 0
    private var sources: [any DispatchSourceSignal] = []
    /// What the command says when a signal comes while it holds no lock.
    private var idleMessage = "nothing was changed"

    /// Starts handling SIGINT and SIGTERM; `idleMessage` finishes the line printed when a signal
    /// comes while no lock is held (`Interrupted by SIGINT: …`).
    func install(idleMessage: String) {
        mutex.withLock {
            self.idleMessage = idleMessage
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                // Dispatch delivers the signal on its own thread; the default action must not run.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInitiated))
                source.setEventHandler { [unowned self] in self.receive(number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// Changes what is said when a signal comes while no lock is held.
    func setIdleMessage(_ message: String) {
        mutex.withLock { idleMessage = message }
    }

    private func receive(_ number: Int32) {
        mutex.lock()
        if signalNumber == nil { signalNumber = number }
        guard heldLocks == 0 else {
            mutex.unlock()
            return
        }
        // The mutex stays locked: no lock can be taken between this line and the exit.
        Terminal.writeErr("Interrupted by \(Self.name(number)): \(idleMessage).\n")
        _exit(128 + number)
    }

    /// The signal received, if any.
    var received: Int32? { mutex.withLock { signalNumber } }

    /// Whether the command should stop at its next safe point.
    var isRequested: Bool { received != nil }

    /// Called before a lock is taken: from here a signal waits for ``didRelease()``. Throws when a
    /// signal already came (the command must not start anything).
    func willAcquire() throws {
        try mutex.withLock {
            if let signalNumber { throw Self.exit(signalNumber, saying: idleMessage) }
            heldLocks += 1
        }
    }

    /// Called after a lock is released (or was not taken after ``willAcquire()``).
    func didRelease() {
        mutex.withLock { heldLocks = max(0, heldLocks - 1) }
    }

    /// When a signal came: prints `Interrupted by SIGxxx: <what>.` and returns the exit to throw.
    func exitIfRequested(saying what: String) throws {
        guard let number = received else { return }
        throw Self.exit(number, saying: what)
    }

    private static func exit(_ number: Int32, saying what: String) -> ExitCode {
        Terminal.writeErr("Interrupted by \(name(number)): \(what).\n")
        return ExitCode(128 + number)
    }

    static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(number)"
        }
    }
}
