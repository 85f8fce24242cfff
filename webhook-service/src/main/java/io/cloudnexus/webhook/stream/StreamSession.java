package io.cloudnexus.webhook.stream;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One open stream. Frames are offered from any thread (the feed, the delivery listener, a replay worker) into a
 * bounded queue and written on the connection's event loop while its socket takes them; a client that lets
 * {@code capacity} frames pile up is closed ({@link CloseReason#SLOW_CONSUMER}), never buffered without bound.
 *
 * <p>A stream that resumes ({@code since}) starts {@linkplain #holding() holding}: live frames that arrive while it
 * replays from the store are held (bounded by the same capacity) and released by {@link StreamHub#goLive} once
 * the replay is written, skipping those the replay already sent, so the seam has neither gap nor duplicate.
 */
public final class StreamSession {

    private final String id;
    private final String accountId;
    private final StreamFilter filter;
    private final int capacity;
    private final ConcurrentLinkedQueue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object room = new Object();
    private volatile StreamTransport transport;
    private volatile Consumer<StreamSession> onClose = s -> {};
    private volatile CloseReason closeReason;
    /** Live frames held while replaying; guarded by the hub's lock; null once live. */
    private volatile ArrayDeque<Frame> held;

    StreamSession(String id, String accountId, StreamFilter filter, int capacity, boolean resuming) {
        this.id = id;
        this.accountId = accountId;
        this.filter = filter;
        this.capacity = Math.max(1, capacity);
        this.held = resuming ? new ArrayDeque<>() : null;
    }

    public String id() {
        return id;
    }

    public String accountId() {
        return accountId;
    }

    public StreamFilter filter() {
        return filter;
    }

    /** Why the service closed it; null while open or when the client went away. */
    public CloseReason closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Binds the connection: frames offered so far are written from now on. */
    void bind(StreamTransport transport, Consumer<StreamSession> onClose) {
        this.onClose = onClose;
        this.transport = transport;
        transport.closeHandler(() -> closed(null));
        if (closed.get()) {
            // closed before the connection was bound (e.g. too slow while replaying): close it now
            CloseReason reason = closeReason == null ? CloseReason.SERVER_ERROR : closeReason;
            transport.context().runOnContext(v -> transport.close(reason));
            return;
        }
        scheduleFlush();
    }

    /** Called by the hub under its lock: held while replaying, else queued. */
    void deliver(Frame frame) {
        if (held != null) {
            if (held.size() >= capacity) {
                close(CloseReason.SLOW_CONSUMER);
                return;
            }
            held.add(frame);
            return;
        }
        offer(frame);
    }

    boolean holding() {
        return held != null;
    }

    /** Called by the hub under its lock: the replay is queued; release the held frames it did not already send. */
    void release(Set<String> alreadySent) {
        ArrayDeque<Frame> frames = held;
        held = null;
        if (frames != null) {
            for (Frame f : frames) {
                if (f.eventId() == null || !alreadySent.contains(f.eventId())) {
                    offer(f);
                }
            }
        }
    }

    /** Queues a frame for writing; a full queue closes the stream as a slow consumer. */
    public boolean offer(Frame frame) {
        if (closed.get()) {
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            close(CloseReason.SLOW_CONSUMER);
            return false;
        }
        queue.add(frame);
        scheduleFlush();
        return true;
    }

    /**
     * For a replay worker: waits until at most half the buffer is taken (the replay never overruns a client that
     * reads, and a client that stops reading is closed by the timeout). False when the stream closed or the wait
     * timed out.
     */
    boolean awaitRoom(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (room) {
            while (!closed.get() && queued.get() > capacity / 2) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                room.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return !closed.get();
    }

    private void scheduleFlush() {
        StreamTransport t = transport;
        if (t != null && flushScheduled.compareAndSet(false, true)) {
            t.context().runOnContext(v -> flush());
        }
    }

    /** On the event loop: writes while the socket takes frames, else resumes on drain. */
    private void flush() {
        flushScheduled.set(false);
        StreamTransport t = transport;
        if (t == null || closed.get()) {
            return;
        }
        Frame frame;
        while (!t.writeQueueFull() && (frame = queue.poll()) != null) {
            queued.decrementAndGet();
            t.write(frame);
        }
        synchronized (room) {
            room.notifyAll();
        }
        if (!queue.isEmpty()) {
            t.drainHandler(this::scheduleFlush);
        }
    }

    /** Closes the stream (once) and tells the hub. */
    public void close(CloseReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        StreamTransport t = transport;
        if (t != null && !closed.get()) {
            t.context().runOnContext(v -> t.close(reason));
        }
        closed(reason);
    }

    private void closed(CloseReason reason) {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            queued.set(0);
            synchronized (room) {
                room.notifyAll();
            }
            onClose.accept(this);
        }
    }
}
