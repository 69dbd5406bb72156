package io.sansnet.sim;

import io.sansnet.stack.app.AppFuture;
import io.sansnet.stack.app.AppResult;
import io.sansnet.stack.app.Cancellable;
import io.sansnet.stack.host.HostConfig;
import io.sansnet.stack.rand.SplitMix64;
import io.sansnet.stack.wire.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A deterministic network simulation: nodes joined by links, one virtual clock in nanoseconds and one event queue in
 * a total order (virtual time, then the order events were scheduled in). Everything runs on the caller's thread;
 * nothing reads the wall clock or draws unseeded randomness, so one seed gives one run, byte for byte, on any JVM.
 *
 * <p>Each component draws from its own stream {@code SplitMix64.derive(seed, "its stable name")} ({@link #rng}), so
 * adding a host does not change another link's fault pattern.
 *
 * <p>Run control: {@link #runFor}, {@link #runUntil}, {@link #runUntilIdle} and {@link #await}; each fails with
 * {@link SimulationLimitExceeded} once the run passes its {@link SimLimits}.
 */
public final class Simulation {

    private final long seed;
    private final SimLimits limits;
    private final PriorityQueue<Event> queue = new PriorityQueue<>(Simulation::order);
    private final EventLog log = new EventLog();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Link> links = new ArrayList<>();
    private final List<PacketObserver> observers = new ArrayList<>();
    private final List<PacketFateObserver> fateObservers = new ArrayList<>();
    private final List<Runnable> afterEventListeners = new ArrayList<>();
    private long now;
    private long lastPacketId;
    private long nextSeq;
    private long eventsRun;

    private Simulation(long seed, SimLimits limits) {
        this.seed = seed;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A simulation for {@code seed} with the default limits. */
    public static Simulation create(long seed) {
        return new Simulation(seed, SimLimits.DEFAULT);
    }

    /** A simulation for {@code seed} with {@code limits}. */
    public static Simulation create(long seed, SimLimits limits) {
        return new Simulation(seed, limits);
    }

    public long seed() {
        return seed;
    }

    public SimLimits limits() {
        return limits;
    }

    /** Virtual time in nanoseconds since the start of the run. */
    public long nowNanos() {
        return now;
    }

    /** Events run so far. */
    public long eventsRun() {
        return eventsRun;
    }

    /** Events scheduled and not yet run (cancelled ones included until their time comes). */
    public int pendingEvents() {
        return queue.size();
    }

    /** The random stream of the component called {@code name}: depends on the seed and the name only. */
    public SplitMix64 rng(String name) {
        return new SplitMix64(SplitMix64.derive(seed, name));
    }

    /** The event log (fingerprint, counts, trace listeners). */
    public EventLog log() {
        return log;
    }

    /** The determinism fingerprint of the run so far. */
    public String fingerprint() {
        return log.fingerprint();
    }

    // ---- topology ----

    /**
     * Adds a node that sends raw IP packets (any source address) and sees every packet it receives.
     *
     * @param addresses the addresses other nodes route to it by
     */
    public RawHost addRawHost(String name, IpAddress... addresses) {
        return register(new RawHost(this, name, List.of(addresses)));
    }

    /**
     * Adds a host running the stack with {@code config}'s addresses and limits; it boots when the run starts, with an
     * MTU of its links' smallest MTU.
     */
    public SimHost addHost(String name, HostConfig config) {
        return register(new SimHost(this, name, config));
    }

    /** Adds a host with an IPv4 and (unless null) an IPv6 address, each a /32 or /128, and default limits. */
    public SimHost addHost(String name, String ipv4, String ipv6) {
        HostConfig.Builder b = HostConfig.builder().ipv4(ipv4);
        if (ipv6 != null) {
            b.ipv6(ipv6);
        }
        return addHost(name, b.build());
    }

    <N extends Node> N register(N node) {
        if (nodes.containsKey(node.name())) {
            throw new IllegalArgumentException("a node is already called " + node.name());
        }
        if (node.name().isEmpty() || node.name().chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("node names must be non-empty without spaces: '" + node.name() + "'");
        }
        nodes.put(node.name(), node);
        return node;
    }

    /** Joins {@code a} and {@code b} with a link whose both directions use {@code params}. */
    public Link connect(Node a, Node b, LinkParams params) {
        return connect(a, b, params, params);
    }

    /** Joins {@code a} and {@code b}: {@code ab} for packets from a to b, {@code ba} for the way back. */
    public Link connect(Node a, Node b, LinkParams ab, LinkParams ba) {
        if (a.sim != this || b.sim != this || a == b) {
            throw new IllegalArgumentException("connect two different nodes of this simulation");
        }
        Link l = new Link(this, a, b, ab, ba);
        a.outgoing.add(l.forward());
        b.outgoing.add(l.reverse());
        links.add(l);
        return l;
    }

    /** The nodes in the order they were added. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(new ArrayList<>(nodes.values()));
    }

    int nodeCount() {
        return nodes.size();
    }

    /** The node called {@code name}, or null. */
    public Node node(String name) {
        return nodes.get(name);
    }

    /** The links in the order they were made. */
    public List<Link> links() {
        return Collections.unmodifiableList(links);
    }

    /** Every link's counters added up. */
    public ChannelStats linkStats() {
        ChannelStats s = ChannelStats.ZERO;
        for (Link l : links) {
            s = s.plus(l.stats());
        }
        return s;
    }

    /** Sees every packet as each node sent or received it (capture). */
    public void addObserver(PacketObserver o) {
        observers.add(o);
    }

    /** Sees every packet a link carries: offered, dropped (and why) or delivered, by packet number. */
    public void addFateObserver(PacketFateObserver o) {
        fateObservers.add(Objects.requireNonNull(o, "o"));
    }

    /**
     * Runs {@code listener} after every event (invariant checks that sample state, such as TCP buffer bounds). It must
     * not schedule events or change the run; it is not part of the fingerprint.
     */
    public void afterEachEvent(Runnable listener) {
        afterEventListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The number of the packet most recently offered to a link (0 before the first). Packets are numbered 1, 2, ... in
     * the order they were offered, so a packet numbered above this value was offered later.
     */
    public long lastPacketId() {
        return lastPacketId;
    }

    long newPacketId() {
        return ++lastPacketId;
    }

    List<PacketFateObserver> fateObservers() {
        return fateObservers;
    }

    // ---- events ----

    /** Runs {@code task} at virtual time {@code timeNanos} (not before now). */
    public Cancellable scheduleAt(long timeNanos, Runnable task) {
        if (timeNanos < now) {
            throw new IllegalArgumentException("cannot schedule in the past: " + timeNanos + " < " + now);
        }
        Event e = new Event(timeNanos, nextSeq++, task);
        queue.add(e);
        return e;
    }

    /** Runs {@code task} {@code delayNanos} from now. */
    public Cancellable schedule(long delayNanos, Runnable task) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("negative delay " + delayNanos);
        }
        return scheduleAt(Math.addExact(now, delayNanos), task);
    }

    /** Logs a note from a scenario or test (it becomes part of the fingerprint). */
    public void note(String node, String text) {
        recordAt(node, EventKind.NOTE, text.getBytes(StandardCharsets.UTF_8));
    }

    void record(Node node, EventKind kind, byte[] bytes) {
        log.append(now, node.name(), kind, bytes);
    }

    void recordAt(String where, EventKind kind, byte[] bytes) {
        log.append(now, where, kind, bytes);
    }

    void observe(Node node, PacketObserver.Direction dir, byte[] bytes) {
        for (PacketObserver o : observers) {
            o.onPacket(now, node, dir, bytes);
        }
    }

    // ---- run control ----

    /** Runs the next event; false when there is none. */
    public boolean step() {
        Event e;
        do {
            e = queue.poll();
            if (e == null) {
                return false;
            }
        } while (e.cancelled);
        if (e.time > limits.maxVirtualTimeNanos()) {
            queue.add(e);
            throw new SimulationLimitExceeded(
                    SimulationLimitExceeded.Limit.VIRTUAL_TIME,
                    "virtual time limit of " + limits.maxVirtualTimeNanos() + " ns passed (seed " + seed
                            + "): the run does not settle");
        }
        if (eventsRun >= limits.maxEvents()) {
            queue.add(e);
            throw new SimulationLimitExceeded(
                    SimulationLimitExceeded.Limit.EVENTS,
                    "event limit of " + limits.maxEvents() + " passed at " + now + " ns (seed " + seed
                            + "): the run livelocks");
        }
        now = e.time;
        eventsRun++;
        e.done = true;
        e.task.run();
        for (int i = 0; i < afterEventListeners.size(); i++) {
            afterEventListeners.get(i).run();
        }
        return true;
    }

    /** Runs every event due within the next {@code durationNanos}, then sets the clock to the end of that span. */
    public void runFor(long durationNanos) {
        if (durationNanos < 0) {
            throw new IllegalArgumentException("negative duration " + durationNanos);
        }
        long end = Math.addExact(now, durationNanos);
        while (true) {
            Event head = peekLive();
            if (head == null || head.time > end) {
                break;
            }
            step();
        }
        if (end > limits.maxVirtualTimeNanos()) {
            throw new SimulationLimitExceeded(
                    SimulationLimitExceeded.Limit.VIRTUAL_TIME,
                    "runFor past the virtual time limit of " + limits.maxVirtualTimeNanos() + " ns");
        }
        now = end;
    }

    /** Runs events until {@code condition} holds (checked before each event); false when the queue ran dry first. */
    public boolean runUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (!step()) {
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /** Runs until {@code future} completes and returns its outcome; fails when the simulation goes idle first. */
    public <T> AppResult<T> runUntil(AppFuture<T> future) {
        if (!runUntil(future::isDone)) {
            throw new IllegalStateException(
                    "the simulation went idle at " + now + " ns before " + future + " completed");
        }
        return future.result();
    }

    /**
     * The synchronous style for tests: runs the simulation until {@code future} completes and returns its value, or
     * throws {@link AssertionError} when it failed or the simulation went idle first.
     */
    public <T> T await(AppFuture<T> future) {
        AppResult<T> r = runUntil(future);
        if (r instanceof AppResult.Err<T> err) {
            throw new AssertionError("future failed at " + now + " ns: " + err.error());
        }
        return r.value();
    }

    /** Runs until no event is left. */
    public void runUntilIdle() {
        while (step()) {
            // each step checks the limits
        }
    }

    private Event peekLive() {
        Event head = queue.peek();
        while (head != null && head.cancelled) {
            queue.poll();
            head = queue.peek();
        }
        return head;
    }

    private static int order(Event a, Event b) {
        int c = Long.compare(a.time, b.time);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    }

    private static final class Event implements Cancellable {
        final long time;
        final long seq;
        final Runnable task;
        boolean cancelled;
        boolean done;

        Event(long time, long seq, Runnable task) {
            this.time = time;
            this.seq = seq;
            this.task = Objects.requireNonNull(task, "task");
        }

        @Override
        public boolean cancel() {
            if (cancelled || done) {
                return false;
            }
            cancelled = true;
            return true;
        }
    }
}
