import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How libyaml's events reach the builder: on this thread, a batch read then taken in turn; or
/// with libyaml reading on a thread of its own while this one builds, a few batches ahead.
///
/// libyaml is about half of a large parse and the building of the document the other half, so
/// two cores read a 12 MB config in little more than libyaml's own time. Either way the builder
/// takes every event in the order libyaml gave it, so the document and the first error are the
/// same; the thread reads at most a few batches past an error the builder found.
enum EventFeed {
    case sameThread
    case ownThread(batch: Int)

    /// Events in a batch: enough that handing one over costs nothing next to reading it.
    static let batch = 4096
    /// Below this many bytes a text is read on one thread: the whole parse takes about as long
    /// as starting a thread.
    static let concurrentMinimum = 256 * 1024

    /// Reads the whole stream into `builder`; throws the first error, as taking the events in
    /// order finds it.
    func run(_ reader: EventReader, into builder: inout DocumentBuilder) throws(YAMLError) {
        var documents = 0
        switch self {
        case .sameThread:
            var batch = EventBatch()
            while true {
                reader.read(into: &batch, limit: Self.batch)
                if try builder.take(batch, documents: &documents) || batch.isLast { return }
            }
        case .ownThread(let size):
            let pipe = EventPipe(reader: reader, batch: max(1, size))
            guard pipe.start() else { return try EventFeed.sameThread.run(reader, into: &builder) }
            defer { pipe.stop() }
            while true {
                let slot = pipe.next()
                if try builder.take(slot.batch, documents: &documents) || slot.batch.isLast { return }
                pipe.done()
            }
        }
    }
}

/// A few batches in a ring, filled in turn by libyaml's thread and taken in turn by the builder.
/// Two semaphores hand each slot over, so each batch is touched by one thread at a time.
private final class EventPipe: @unchecked Sendable {
    private static let slots = 4

    private let reader: EventReader
    private let size: Int
    private let ring: [Slot] = (0..<EventPipe.slots).map { _ in Slot() }
    /// Signalled for every slot the reader may fill, and for every filled one.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private var taken = 0
    private var thread: Thread?

    init(reader: EventReader, batch: Int) {
        self.reader = reader
        self.size = batch
    }

    /// Starts the reading thread; false when the system would not give one.
    func start() -> Bool {
        for _ in 0..<Self.slots { free.signal() }
        thread = Thread.start { [self] in self.fill() }
        return thread != nil
    }

    private func fill() {
        var filledCount = 0
        while true {
            free.wait()
            if stopping.load(ordering: .acquiring) { return }
            let slot = ring[filledCount % Self.slots]
            reader.read(into: &slot.batch, limit: size)
            let isLast = slot.batch.isLast
            filled.signal()
            if isLast { return }
            filledCount += 1
        }
    }

    /// The slot of the next batch, in the order read; waits for it.
    func next() -> Slot {
        filled.wait()
        return ring[taken % Self.slots]
    }

    /// Gives the slot of the batch just taken back to the reader.
    func done() {
        taken += 1
        free.signal()
    }

    /// Stops the reader, at once if it waits for a slot, else after the batch it reads, and
    /// waits for its thread to end: the reader is the caller's again.
    func stop() {
        stopping.store(true, ordering: .releasing)
        free.signal()
        thread?.join()
    }
}

/// One batch of the ring, used by one thread at a time.
private final class Slot {
    var batch = EventBatch()
}

/// A POSIX thread running one closure: what a reader that must not wait on the shared pool's
/// threads needs, without Foundation.
private final class Thread {
    private var handle: pthread_t

    private init(_ handle: pthread_t) {
        self.handle = handle
    }

    static func start(_ body: @escaping @Sendable () -> Void) -> Thread? {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Darwin)
            var handle: pthread_t?
        #else
            var handle = pthread_t()
        #endif
        let result = pthread_create(
            &handle, nil,
            { context in
                #if canImport(Darwin)
                    let box = Unmanaged<Box>.fromOpaque(context).takeRetainedValue()
                #else
                    let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
                #endif
                box.body()
                return nil
            }, context)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            return nil
        }
        #if canImport(Darwin)
            return Thread(handle!)
        #else
            return Thread(handle)
        #endif
    }

    func join() {
        pthread_join(handle, nil)
    }
}
