package io.cmtchain.transport;

import io.aeron.ChannelUri;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.media.UdpChannel;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.util.SystemProperties;
import org.agrona.BitUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of the node's transport (Aeron ingress and egress). Every field starts from a system property
 * ({@code cmt.transport.*}, documented on the constants), may be changed with a fluent setter, and is validated once
 * by {@link #conclude()}.
 */
public final class TransportContext
{
    /** Node data directory; the embedded driver lives in {@code <dir>/aeron}. Default: a temp directory. */
    public static final String DIR_PROP = "cmt.transport.dir";
    /** Launch a media driver inside the node (default true); false connects to {@link #AERON_DIR_PROP}. */
    public static final String EMBEDDED_DRIVER_PROP = "cmt.transport.embedded.driver";
    /** Aeron directory of the driver (default {@code <dir>/aeron}). */
    public static final String AERON_DIR_PROP = "cmt.transport.aeron.dir";
    /** Embedded driver threading mode: SHARED (default, small machines), SHARED_NETWORK or DEDICATED. */
    public static final String THREADING_MODE_PROP = "cmt.transport.threading.mode";
    /** Ingress channel for remote clients. */
    public static final String INGRESS_CHANNEL_PROP = "cmt.transport.ingress.channel";
    /** Ingress stream id (the same on UDP and IPC). */
    public static final String INGRESS_STREAM_ID_PROP = "cmt.transport.ingress.stream.id";
    /** Also accept clients on {@code aeron:ipc} (same host, same driver); default true. */
    public static final String IPC_INGRESS_PROP = "cmt.transport.ipc.ingress";
    /** Capacity of the ring between the receipt producers and the egress agent, bytes (power of two). */
    public static final String EGRESS_RING_CAPACITY_PROP = "cmt.transport.egress.ring.capacity";
    /** Most bytes of receipts held for one back-pressured client before it is evicted (power of two). */
    public static final String CLIENT_BACKLOG_CAPACITY_PROP = "cmt.transport.client.backlog.capacity";
    /** A client with waiting receipts that accepts none for this long is evicted, ms. */
    public static final String SLOW_CLIENT_TIMEOUT_MS_PROP = "cmt.transport.slow.client.timeout.ms";
    /** How long the node waits for a client's response channel to connect before dropping the session, ms. */
    public static final String CONNECT_TIMEOUT_MS_PROP = "cmt.transport.connect.timeout.ms";
    /** How often ingress checks that the clients' publications are still there, ms. */
    public static final String SESSION_CHECK_INTERVAL_MS_PROP = "cmt.transport.session.check.interval.ms";
    /** Fragments read per ingress duty cycle. */
    public static final String FRAGMENT_LIMIT_PROP = "cmt.transport.fragment.limit";
    /** Chain id announced to clients in Connected (0 = not announced). */
    public static final String CHAIN_ID_PROP = "cmt.transport.chain.id";
    /**
     * Refuse a Connect whose response channel does not lead back to the host it came from (default true): over UDP
     * from another host, an endpoint on the Connect's own source address; from the node's host (IPC, loopback),
     * {@code aeron:ipc} or a loopback endpoint. Without it a client can make the node send to any address. Turn it off
     * only on a node that sees its clients through something that rewrites their source address (a proxy, a
     * source-NAT load balancer), and whose ingress only trusted clients reach: the node then sends wherever a Connect
     * says. Either way a response channel is refused that is not UDP or IPC, or that asks for control
     * (multi-destination), response-publication or interface parameters, or that names a host, not an address.
     */
    public static final String RESPONSE_HOST_CHECK_PROP = "cmt.transport.response.host.check";
    /**
     * Most client sessions the node holds at once (default {@value #DEFAULT_MAX_CLIENTS}, from 1 to
     * {@value #MAX_CLIENTS_LIMIT}). A Connect beyond it is refused, counted in {@code connectsRefusedTooManyClients},
     * and answered with nothing, as a Connect refused for its response channel is: an answer would need the very
     * publication the limit withholds. A session counts from its Connect until egress has closed its publication, an
     * evicted one too while it waits to tell its client so; and a UDP one after that until the media driver has
     * dropped the closed publication, counted meanwhile in {@code publicationsLingering}. The driver first sends what
     * the client has not yet received, then keeps the log buffers for the publication's linger (the channel's
     * {@code linger}, at most 5 s, which the node writes into every UDP response channel that names none; the driver's
     * {@code aeron.publication.linger.timeout} by default) and deletes them at its next timer check
     * ({@code aeron.timer.interval}, once a second), or at once when the client's driver says it has read the stream
     * to its end; the node counts the session until the driver's publisher-limit counter for it is gone, and 2 s at
     * least, while its own Aeron client keeps the buffers mapped. So a client that connects and disconnects, or
     * reconnects, in a loop makes the driver hold no more than the limit's worth of log buffers: beyond it its
     * Connects are refused, for about 2 s after each session it ended and read to its end (up to the linger and a
     * second more when its client has gone). A closed publication whose client does not read it (its own driver still
     * there) is never drained, and keeps its room until the client reads or goes. An IPC publication does not linger
     * (Aeron deletes it once its subscribers have read it): its room comes back when it is closed.
     * <p>
     * A second Connect on a client's own publication, which replaces its session (a reconnect), still opens at the
     * limit, its room kept for it from other clients' Connects: at once when the replaced session was on IPC; over
     * UDP once the driver has dropped the replaced publication, which it waits for (within a {@link CmtClient}'s
     * connect timeout, 10 s by default). Opening it earlier would hold one more set of log buffers than the limit.
     * One that still finds no room after 5 s and {@link #CONNECT_TIMEOUT_MS_PROP} besides (the publications in the way
     * are ones their clients do not read) is refused as any Connect at the limit is.
     * <p>
     * What it bounds: each session has a publication to its client's response channel (over UDP, kept for a while
     * after the session ends, as above), whose log buffers (three terms of at most 16 MiB,
     * {@link #MAX_RESPONSE_TERM_LENGTH}, so 48 MiB; of {@link #RESPONSE_TERM_LENGTH_PROP} when the channel names no
     * {@code term-length}, UDP or IPC) the node's media driver maps in its directory, often {@code /dev/shm}, and a
     * backlog of up to {@link #CLIENT_BACKLOG_CAPACITY_PROP} on the heap.
     * The default holds those to 32 &times; 48 MiB = 1.5 GiB of log buffers and 32 &times; 4 MiB = 128 MiB of
     * backlogs at worst, within the {@code /dev/shm} of a 4 GiB host (half its memory); a node that serves more
     * clients raises it with the memory to match. The upper bound: egress visits every session in each duty cycle, and
     * 4096 sessions at the term cap would map 192 GiB, more than a limit can mean. The limit does not bound the images
     * of the clients' own publications to the ingress, which the driver makes, sized by each publisher, before any
     * Connect is read.
     */
    public static final String MAX_CLIENTS_PROP = "cmt.transport.max.clients";
    /**
     * Term length, bytes, of the publication to a client's response channel when the channel names no
     * {@code term-length}, over UDP and IPC alike (default {@value #DEFAULT_RESPONSE_TERM_LENGTH}, Aeron's default
     * for a UDP publication; a power of two from {@value #MIN_RESPONSE_TERM_LENGTH} to
     * {@value #MAX_RESPONSE_TERM_LENGTH}). The node writes it into the channel, so that the media driver's own defaults
     * ({@code aeron.term.buffer.length}, and {@code aeron.ipc.term.buffer.length}, 64 MiB, for IPC) play no part: each
     * session maps three terms of it. The term also bounds how far the node writes ahead of what the client has read
     * before receipts wait in the client's backlog ({@link #CLIENT_BACKLOG_CAPACITY_PROP}). The driver checks a
     * channel's {@code mtu}, {@code pub-wnd} and {@code term-offset} against the term length, so a Connect whose
     * channel names one that does not fit this one, and no term-length, is refused ({@link ResponseChannels}).
     */
    public static final String RESPONSE_TERM_LENGTH_PROP = "cmt.transport.response.term.length";
    /**
     * The largest {@code term-length} a client's response channel may name (16 MiB, Aeron's default for a UDP
     * publication): the node's media driver maps three terms for each session, so a client naming 1 GiB would have it
     * map 3 GiB per Connect. A Connect naming more is refused, as one whose response channel leads elsewhere is.
     */
    public static final int MAX_RESPONSE_TERM_LENGTH = 16 * 1024 * 1024;
    /** The smallest {@link #RESPONSE_TERM_LENGTH_PROP}: Aeron's least term length. */
    public static final int MIN_RESPONSE_TERM_LENGTH = 64 * 1024;

    public static final String DEFAULT_INGRESS_CHANNEL = "aeron:udp?endpoint=localhost:40123";
    public static final String IPC_CHANNEL = "aeron:ipc";
    public static final int DEFAULT_INGRESS_STREAM_ID = 1001;
    public static final int DEFAULT_EGRESS_RING_CAPACITY = 16 * 1024 * 1024;
    public static final int DEFAULT_CLIENT_BACKLOG_CAPACITY = 4 * 1024 * 1024;
    public static final long DEFAULT_SLOW_CLIENT_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_SESSION_CHECK_INTERVAL_MS = 250;
    public static final int DEFAULT_FRAGMENT_LIMIT = 256;
    public static final int DEFAULT_MAX_CLIENTS = 32;
    public static final int DEFAULT_RESPONSE_TERM_LENGTH = MAX_RESPONSE_TERM_LENGTH;
    /** The largest {@link #MAX_CLIENTS_PROP} the node takes. */
    public static final int MAX_CLIENTS_LIMIT = 4096;

    private File dir = propFile(DIR_PROP);
    private boolean embeddedDriver = SystemProperties.booleanValue(EMBEDDED_DRIVER_PROP, true);
    private String aeronDirectoryName = System.getProperty(AERON_DIR_PROP);
    private ThreadingMode threadingMode =
        SystemProperties.enumValue(THREADING_MODE_PROP, ThreadingMode.class, ThreadingMode.SHARED);
    private String ingressChannel = System.getProperty(INGRESS_CHANNEL_PROP, DEFAULT_INGRESS_CHANNEL);
    private int ingressStreamId = SystemProperties.intValue(INGRESS_STREAM_ID_PROP, DEFAULT_INGRESS_STREAM_ID);
    private boolean ipcIngress = SystemProperties.booleanValue(IPC_INGRESS_PROP, true);
    private int egressRingCapacity = SystemProperties.intValue(EGRESS_RING_CAPACITY_PROP, DEFAULT_EGRESS_RING_CAPACITY);
    private int clientBacklogCapacity =
        SystemProperties.intValue(CLIENT_BACKLOG_CAPACITY_PROP, DEFAULT_CLIENT_BACKLOG_CAPACITY);
    private long slowClientTimeoutMs =
        SystemProperties.longValue(SLOW_CLIENT_TIMEOUT_MS_PROP, DEFAULT_SLOW_CLIENT_TIMEOUT_MS);
    private long connectTimeoutMs = SystemProperties.longValue(CONNECT_TIMEOUT_MS_PROP, DEFAULT_CONNECT_TIMEOUT_MS);
    private long sessionCheckIntervalMs =
        SystemProperties.longValue(SESSION_CHECK_INTERVAL_MS_PROP, DEFAULT_SESSION_CHECK_INTERVAL_MS);
    private int fragmentLimit = SystemProperties.intValue(FRAGMENT_LIMIT_PROP, DEFAULT_FRAGMENT_LIMIT);
    private int chainId = SystemProperties.intValue(CHAIN_ID_PROP, 0);
    private boolean responseHostCheck = SystemProperties.booleanValue(RESPONSE_HOST_CHECK_PROP, true);
    private int maxClients = SystemProperties.intValue(MAX_CLIENTS_PROP, DEFAULT_MAX_CLIENTS);
    private int responseTermLength =
        SystemProperties.intValue(RESPONSE_TERM_LENGTH_PROP, DEFAULT_RESPONSE_TERM_LENGTH);
    private FeeSchedule feeSchedule;
    private NanoClock nanoClock;
    private IdleStrategy driverIdleStrategy;
    private ThreadFactory driverThreadFactory;
    private boolean concluded;

    private static File propFile(final String name)
    {
        final String value = System.getProperty(name);
        return null == value ? null : new File(value);
    }

    /**
     * Validate and fill the defaults that depend on other fields. Call once, before use.
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad setting.
     */
    public TransportContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("TransportContext already concluded");
        }
        concluded = true;
        require(null == dir || !dir.getPath().isBlank(), DIR_PROP, "must name a directory, was empty");
        if (null == aeronDirectoryName)
        {
            if (null == dir)
            {
                dir = new File(System.getProperty("java.io.tmpdir"), "cmt-node-" + ProcessHandle.current().pid());
            }
            aeronDirectoryName = new File(dir, "aeron").getAbsolutePath();
        }
        if (embeddedDriver)
        {
            requireDriverDirectory(aeronDirectoryName);
            require(threadingMode != ThreadingMode.INVOKER, THREADING_MODE_PROP, "must be SHARED, SHARED_NETWORK or " +
                "DEDICATED, was INVOKER: the embedded driver would have no thread, and the transport runs none for it");
        }
        checkIngressChannel(ingressChannel);
        require(ingressStreamId != 0, INGRESS_STREAM_ID_PROP, "must not be 0");
        require(egressRingCapacity >= 64 * 1024 && Integer.bitCount(egressRingCapacity) == 1,
            EGRESS_RING_CAPACITY_PROP, "must be a power of two >= 65536, was " + egressRingCapacity);
        // Each session's backlog is an ExpandableRingBuffer: a power of two up to 2^30, or every Connect would throw.
        require(clientBacklogCapacity >= 4096 && clientBacklogCapacity <= 1 << 30 &&
            Integer.bitCount(clientBacklogCapacity) == 1, CLIENT_BACKLOG_CAPACITY_PROP,
            "must be a power of two from 4096 to " + (1 << 30) + ", was " + clientBacklogCapacity);
        require(slowClientTimeoutMs > 0, SLOW_CLIENT_TIMEOUT_MS_PROP, "must be > 0");
        require(connectTimeoutMs > 0, CONNECT_TIMEOUT_MS_PROP, "must be > 0");
        require(sessionCheckIntervalMs > 0, SESSION_CHECK_INTERVAL_MS_PROP, "must be > 0");
        require(fragmentLimit > 0, FRAGMENT_LIMIT_PROP, "must be > 0");
        require(maxClients >= 1 && maxClients <= MAX_CLIENTS_LIMIT, MAX_CLIENTS_PROP,
            "must be from 1 to " + MAX_CLIENTS_LIMIT + ", was " + maxClients);
        require(isResponseTermLength(responseTermLength), RESPONSE_TERM_LENGTH_PROP, "must be a power of two from " +
            MIN_RESPONSE_TERM_LENGTH + " to " + MAX_RESPONSE_TERM_LENGTH + ", was " + responseTermLength);
        if (null == nanoClock)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        return this;
    }

    /** @return true once {@link #conclude()} has run. */
    public boolean isConcluded()
    {
        return concluded;
    }

    /**
     * Check the ingress channel as the media driver will when the node subscribes to it: its URI, and for UDP its
     * endpoint (host resolved, port in range). A node checks it when its own context is concluded, before recovery,
     * which can take minutes, rather than have the driver refuse it afterwards.
     *
     * @param channel the ingress channel.
     * @throws IllegalArgumentException naming {@link #INGRESS_CHANNEL_PROP}, the channel and what is wrong with it.
     */
    public static void checkIngressChannel(final String channel)
    {
        require(channel != null && channel.startsWith("aeron:"), INGRESS_CHANNEL_PROP,
            "must be an Aeron channel URI, was " + channel);
        try
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            if (CommonContext.UDP_MEDIA.equals(uri.media()))
            {
                UdpChannel.parse(channel);
            }
            else if (!CommonContext.IPC_MEDIA.equals(uri.media()))
            {
                throw new IllegalArgumentException("media must be udp or ipc, was " + uri.media());
            }
        }
        catch (final Exception ex)
        {
            // Aeron's parsers throw unchecked exceptions, and an UnknownHostException unchecked.
            throw new IllegalArgumentException(INGRESS_CHANNEL_PROP + " " + channel + " cannot be used: " +
                ex.getMessage(), ex);
        }
    }

    /**
     * The embedded media driver deletes its directory, and everything in it, when it starts and when it stops. So its
     * directory must be its own: absent, empty, or one a media driver left (it holds the driver's {@code cnc.dat});
     * never a blank name, which is the working directory, nor a directory of other files.
     */
    private static void requireDriverDirectory(final String name)
    {
        final String deleted = "the embedded media driver deletes its directory, and everything in it, at start and " +
            "at shutdown";
        require(!name.isBlank(), AERON_DIR_PROP, "must name a directory of its own, was empty: " + deleted);
        final File directory = new File(name).getAbsoluteFile();
        if (directory.exists())
        {
            final String[] entries = directory.list();
            require(null != entries, AERON_DIR_PROP, "is " + directory + ", which is not a directory");
            require(entries.length == 0 || new File(directory, CncFileDescriptor.CNC_FILE).isFile(), AERON_DIR_PROP,
                "is " + directory + ", which holds " + entries.length + (entries.length == 1 ? " entry" : " entries") +
                " and no media driver's " + CncFileDescriptor.CNC_FILE + ": " + deleted + ", so give it a directory " +
                "of its own");
            final long pid = driverPid(new File(directory, CncFileDescriptor.CNC_FILE));
            require(!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), AERON_DIR_PROP,
                "is " + directory + ", where a media driver runs (process " + pid + "): another node's? " + deleted +
                ", so give each node a directory of its own");
        }
    }

    /**
     * @param cncFile a media driver's {@code cnc.dat}, or none.
     * @return the process id the driver that wrote it recorded, or 0 when there is none to read (no file, a file too
     *         short, a driver that had not written it yet).
     */
    private static long driverPid(final File cncFile)
    {
        try (InputStream in = Files.newInputStream(cncFile.toPath()))
        {
            final byte[] metadata = in.readNBytes(CncFileDescriptor.END_OF_METADATA_OFFSET);
            // The driver writes the metadata through an UnsafeBuffer, in the machine's byte order.
            return metadata.length < CncFileDescriptor.END_OF_METADATA_OFFSET ? 0 :
                ByteBuffer.wrap(metadata).order(ByteOrder.nativeOrder()).getLong(CncFileDescriptor.pidOffset(0));
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private static void require(final boolean condition, final String property, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(property + " " + message);
        }
    }

    public File dir()
    {
        return dir;
    }

    /**
     * @param dir node data directory; the embedded driver goes to {@code <dir>/aeron}.
     * @return this.
     */
    public TransportContext dir(final File dir)
    {
        this.dir = dir;
        return this;
    }

    public boolean embeddedDriver()
    {
        return embeddedDriver;
    }

    public TransportContext embeddedDriver(final boolean embeddedDriver)
    {
        this.embeddedDriver = embeddedDriver;
        return this;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    public TransportContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    public TransportContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    public String ingressChannel()
    {
        return ingressChannel;
    }

    public TransportContext ingressChannel(final String ingressChannel)
    {
        this.ingressChannel = ingressChannel;
        return this;
    }

    public int ingressStreamId()
    {
        return ingressStreamId;
    }

    public TransportContext ingressStreamId(final int ingressStreamId)
    {
        this.ingressStreamId = ingressStreamId;
        return this;
    }

    public boolean ipcIngress()
    {
        return ipcIngress;
    }

    public TransportContext ipcIngress(final boolean ipcIngress)
    {
        this.ipcIngress = ipcIngress;
        return this;
    }

    public int egressRingCapacity()
    {
        return egressRingCapacity;
    }

    public TransportContext egressRingCapacity(final int egressRingCapacity)
    {
        this.egressRingCapacity = egressRingCapacity;
        return this;
    }

    public int clientBacklogCapacity()
    {
        return clientBacklogCapacity;
    }

    public TransportContext clientBacklogCapacity(final int clientBacklogCapacity)
    {
        this.clientBacklogCapacity = clientBacklogCapacity;
        return this;
    }

    public long slowClientTimeoutMs()
    {
        return slowClientTimeoutMs;
    }

    public TransportContext slowClientTimeoutMs(final long slowClientTimeoutMs)
    {
        this.slowClientTimeoutMs = slowClientTimeoutMs;
        return this;
    }

    public long connectTimeoutMs()
    {
        return connectTimeoutMs;
    }

    public TransportContext connectTimeoutMs(final long connectTimeoutMs)
    {
        this.connectTimeoutMs = connectTimeoutMs;
        return this;
    }

    public long sessionCheckIntervalMs()
    {
        return sessionCheckIntervalMs;
    }

    public TransportContext sessionCheckIntervalMs(final long sessionCheckIntervalMs)
    {
        this.sessionCheckIntervalMs = sessionCheckIntervalMs;
        return this;
    }

    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    public TransportContext fragmentLimit(final int fragmentLimit)
    {
        this.fragmentLimit = fragmentLimit;
        return this;
    }

    public int chainId()
    {
        return chainId;
    }

    public TransportContext chainId(final int chainId)
    {
        this.chainId = chainId;
        return this;
    }

    public boolean responseHostCheck()
    {
        return responseHostCheck;
    }

    /**
     * @param responseHostCheck whether a Connect's response channel must lead back to the host it came from
     *                          ({@link #RESPONSE_HOST_CHECK_PROP}).
     * @return this.
     */
    public TransportContext responseHostCheck(final boolean responseHostCheck)
    {
        this.responseHostCheck = responseHostCheck;
        return this;
    }

    public int maxClients()
    {
        return maxClients;
    }

    /**
     * @param maxClients most client sessions held at once ({@link #MAX_CLIENTS_PROP}); a Connect beyond them is
     *                   refused.
     * @return this.
     */
    public TransportContext maxClients(final int maxClients)
    {
        this.maxClients = maxClients;
        return this;
    }

    /**
     * @param bytes a term length.
     * @return whether a response publication may have it: a power of two from {@link #MIN_RESPONSE_TERM_LENGTH} (the
     *         media driver's least) to {@link #MAX_RESPONSE_TERM_LENGTH}.
     */
    static boolean isResponseTermLength(final long bytes)
    {
        return bytes >= MIN_RESPONSE_TERM_LENGTH && bytes <= MAX_RESPONSE_TERM_LENGTH && BitUtil.isPowerOfTwo(bytes);
    }

    public int responseTermLength()
    {
        return responseTermLength;
    }

    /**
     * @param responseTermLength term length of a client's response publication whose channel names none
     *                           ({@link #RESPONSE_TERM_LENGTH_PROP}).
     * @return this.
     */
    public TransportContext responseTermLength(final int responseTermLength)
    {
        this.responseTermLength = responseTermLength;
        return this;
    }

    /** @return the fee schedule told to clients at connect, or null for none (no fees group is sent). */
    public FeeSchedule feeSchedule()
    {
        return feeSchedule;
    }

    /**
     * @param feeSchedule the chain's fee schedule, told to each client in its Connected message (the node sets the
     *                    genesis schedule).
     * @return this.
     */
    public TransportContext feeSchedule(final FeeSchedule feeSchedule)
    {
        this.feeSchedule = feeSchedule;
        return this;
    }

    public IdleStrategy driverIdleStrategy()
    {
        return driverIdleStrategy;
    }

    /**
     * @param driverIdleStrategy idle strategy of the embedded driver's thread in SHARED threading mode; null (the
     *                           default) leaves Aeron's ({@code aeron.shared.idle.strategy}). A node on a small
     *                           machine gives a sleeping one: the driver then batches work per wake-up instead of
     *                           spinning for every message.
     * @return this.
     */
    public TransportContext driverIdleStrategy(final IdleStrategy driverIdleStrategy)
    {
        this.driverIdleStrategy = driverIdleStrategy;
        return this;
    }

    public ThreadFactory driverThreadFactory()
    {
        return driverThreadFactory;
    }

    /**
     * @param driverThreadFactory makes every thread of the embedded driver (conductor, sender and receiver, or the
     *                            ones that compose them in the SHARED and SHARED_NETWORK threading modes, and the
     *                            asynchronous executor's); null (the default) leaves Aeron's. The node gives one that
     *                            pins the threads to CPUs.
     * @return this.
     */
    public TransportContext driverThreadFactory(final ThreadFactory driverThreadFactory)
    {
        this.driverThreadFactory = driverThreadFactory;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param nanoClock time source for deadlines; tests inject one.
     * @return this.
     */
    public TransportContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    long slowClientTimeoutNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(slowClientTimeoutMs);
    }

    long connectTimeoutNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(connectTimeoutMs);
    }

    long sessionCheckIntervalNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(sessionCheckIntervalMs);
    }
}
